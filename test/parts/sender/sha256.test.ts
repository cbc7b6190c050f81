import { expect } from '@open-wc/testing';
import { sha256 } from '../../../src/parts/sender/sha256.js';

/** The browser's own SHA-256 (lowercase hex): the reference. */
const subtleSha256 = async (text: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))), (b) => b.toString(16).padStart(2, '0')).join('');

describe('sender part: sha256 in plain JS (insecure contexts have no crypto.subtle)', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(sha256('')).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abc')).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).to.equal(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with crypto.subtle at every block boundary, for UTF-8 and long texts', async () => {
    const texts = ['é€😀 ünïcödé', 'x'.repeat(100_000)];
    for (let n = 50; n < 140; n++) texts.push('a'.repeat(n));
    for (const text of texts) expect(sha256(text), `${text.length} chars`).to.equal(await subtleSha256(text));
  });
});
