/**
 * A minimal observable value: notifies subscribers only when the value
 * really changes (as judged by `equal`), and hands back an unsubscribe.
 */
export type Listener<T> = (value: T, previous: T) => void;

export class Store<T> {
  private _listeners = new Set<Listener<T>>();

  constructor(
    private _value: T,
    private readonly _equal: (a: T, b: T) => boolean = Object.is,
  ) {}

  get value(): T {
    return this._value;
  }

  /** Replaces the value; returns whether subscribers were notified. */
  set(next: T): boolean {
    const previous = this._value;
    if (this._equal(previous, next)) {
      this._value = next;
      return false;
    }
    this._value = next;
    for (const fn of [...this._listeners]) {
      try {
        fn(next, previous);
      } catch (e) {
        // A subscriber's bug must not stop the others (or the SDK) from updating.
        console.error('[consentkit] a change listener threw:', e);
      }
    }
    return true;
  }

  subscribe(fn: Listener<T>): () => void {
    this._listeners.add(fn);
    return () => this._listeners.delete(fn);
  }
}
