import { expect } from '@open-wc/testing';
import { uuid } from '../../../src/gate/core/random.js';

describe('uuid', () => {
  it('is a lowercase UUID version 4 with the RFC 9562 variant, different every time', () => {
    const ids = Array.from({ length: 200 }, uuid);
    for (const id of ids) expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('uses every hex digit in the random positions (no stuck bits)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) for (const c of uuid().replace(/-/g, '')) seen.add(c);
    expect(seen.size).to.equal(16);
  });
});
