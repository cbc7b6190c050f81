import { expect } from '@open-wc/testing';
import { matchesUrlPattern, patternHost, urlPatternRegExp, urlTarget } from '../../../src/gate/blocker/url-pattern.js';

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
    // Hosts match their subdomains; scheme and port do not count; paths are prefixes.
    ['www.googletagmanager.com/gtag/js', 'https://www.googletagmanager.com/gtag/js?id=G-1', true],
    ['www.googletagmanager.com/gtag/js', 'http://www.googletagmanager.com:8080/gtag/js', true],
    ['www.googletagmanager.com/gtag/js', 'https://www.googletagmanager.com/gtm.js?id=GTM-1', false],
    ['google-analytics.com', 'https://region1.google-analytics.com/g/collect', true],
    ['*.google-analytics.com', 'https://google-analytics.com/g/collect', true],
    ['google-analytics.com', 'https://notgoogle-analytics.com/g/collect', false],
    ['google-analytics.com', 'https://google-analytics.com.evil.test/', false],
    ['www.youtube.com/embed/', 'https://www.youtube.com/embed/abc?rel=0', true],
    ['www.youtube.com/embed/', 'https://www.youtube.com/watch?v=abc', false],
    ['connect.facebook.net/*/fbevents.js', 'https://connect.facebook.net/en_US/fbevents.js', true],
    ['connect.facebook.net/*/fbevents.js', 'https://connect.facebook.net/en_US/sdk.js', false],
    ['WWW.Example.COM/a', 'https://www.example.com/a', true],
  ];
  for (const [pattern, url, matches] of cases)
    it(`${pattern} ${matches ? 'names' : 'does not name'} ${url}`, () => {
      expect(matchesUrlPattern(pattern, new URL(url))).to.equal(matches);
      expect(urlPatternRegExp(pattern).test(urlTarget(new URL(url)))).to.equal(matches);
    });

  // Auto-blocking looks for these in an address before it parses it.
  for (const [pattern, host] of [
    ['*.Example.COM/a/*', 'example.com'],
    ['www.googletagmanager.com/gtag/js', 'www.googletagmanager.com'],
    ['google-analytics.com', 'google-analytics.com'],
  ])
    it(`names the host ${host} in ${pattern}`, () => {
      expect(patternHost(pattern)).to.equal(host);
    });
});
