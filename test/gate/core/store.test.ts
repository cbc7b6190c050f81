import { expect } from '@open-wc/testing';
import { Store } from '../../../src/gate/core/store.js';

describe('Store', () => {
  it('notifies only on change and unsubscribes', () => {
    const s = new Store(1);
    const seen: [number, number][] = [];
    const off = s.subscribe((v, p) => seen.push([v, p]));
    s.set(1);
    s.set(2);
    off();
    s.set(3);
    expect(seen).to.deep.equal([[2, 1]]);
    expect(s.value).to.equal(3);
  });

  it('uses the given equality', () => {
    const s = new Store({ a: 1 }, (x, y) => x.a == y.a);
    let calls = 0;
    s.subscribe(() => calls++);
    expect(s.set({ a: 1 })).to.equal(false);
    expect(s.set({ a: 2 })).to.equal(true);
    expect(calls).to.equal(1);
  });
});
