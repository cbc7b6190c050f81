import { expect } from '@open-wc/testing';
import { matchesUrlPattern, urlPatternRegExp, urlTarget } from '../../../src/gate/blocker/url-pattern.js';

describe('url-pattern', () => {
  // Characters that mean something in a regular expression stand for themselves in a pattern.
  const cases: [pattern: string, url: string, matches: boolean][] = [
    ['example.com/a.b', 'https://example.com/a.b', true],
    ['example.com/a.b', 'https://example.com/axb', false],
    ['example.com/p?id=1', 'https://example.com/p?id=1&x=2', true],
    ['example.com/p?id=1', 'https://example.com/pid=1', false],
    ['example.com/(x)+$', 'https://example.com/(x)+$', true],
    ['example.com/(x)+$', 'https://example.com/xx+', false],
    ['example.com/a*c*e', 'https://example.com/abcde', true],
    ['example.com/a*c*e', 'https://example.com/abde', false],
    ['example.com/A', 'https://example.com/a', false],
    ['*.example.com', 'https://a.b.example.com:8443/x', true],
    ['example.com', 'https://example.community/', false],
    ['example.com', 'https://evil.test/?u=example.com/', false],
    ['example.com', 'https://user:example.com@evil.test/', false],
  ];
  for (const [pattern, url, matches] of cases)
    it(`${pattern} ${matches ? 'names' : 'does not name'} ${url}`, () => {
      expect(matchesUrlPattern(pattern, new URL(url))).to.equal(matches);
      expect(urlPatternRegExp(pattern).test(urlTarget(new URL(url)))).to.equal(matches);
    });
});
