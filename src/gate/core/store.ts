/**
 * A minimal observable value: notifies subscribers only when the value
 * really changes (as judged by `equal`), and hands back an unsubscribe.
 */
import { logError } from './log.js';

export type Listener<T> = (value: T, previous: T) => void;

export class Store<T> {
  // `#` fields: private at run time too, and the minifier may shorten their names.
  #listeners = new Set<Listener<T>>();
  #value: T;
  readonly #equal: (a: T, b: T) => boolean;

  constructor(value: T, equal: (a: T, b: T) => boolean = Object.is) {
    this.#value = value;
    this.#equal = equal;
  }

  get value(): T {
    return this.#value;
  }

  /** Replaces the value; returns whether subscribers were notified. */
  set(next: T): boolean {
    const previous = this.#value;
    const same = this.#equal(previous, next);
    this.#value = next;
    if (same) return false;
    for (const fn of [...this.#listeners]) {
      try {
        fn(next, previous);
      } catch (e) {
        // A subscriber's bug must not stop the others (or the SDK) from updating.
        logError('a change listener threw:', e);
      }
    }
    return true;
  }

  subscribe(fn: Listener<T>): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }
}
