import { expect } from '@open-wc/testing';
import { guessCode, guessName, guessUrl } from '../../../src/parts/audit/guess.js';

describe('audit guesses', () => {
  const urls: [string, string][] = [
    ['https://www.googletagmanager.com/gtag/js?id=G-1', 'analytics'],
    ['https://www.google-analytics.com/g/collect?v=2', 'analytics'],
    ['https://connect.facebook.net/en_US/fbevents.js', 'advertising'],
    ['https://stats.g.doubleclick.net/j/collect', 'advertising'],
    ['https://www.youtube-nocookie.com/embed/x', 'functional'],
    ['https://maps.googleapis.com/maps/api/js', 'functional'],
    ['https://example.org/app.js', 'unknown'],
  ];

  const names: [string, string][] = [
    ['_ga', 'analytics'],
    ['_ga_ABC123', 'analytics'],
    ['_gid', 'analytics'],
    ['ajs_anonymous_id', 'analytics'],
    ['_fbp', 'advertising'],
    ['_gcl_au', 'advertising'],
    ['IDE', 'advertising'],
    ['YSC', 'functional'],
    ['session', 'unknown'],
    ['france', 'unknown'],
  ];

  const code: [string, string][] = [
    ["gtag('config', 'G-1')", 'analytics'],
    ["fbq('init', '1')", 'advertising'],
    ["document.cookie = '_ga=GA1.1.1; path=/'", 'analytics'],
    ["localStorage.setItem('_fbp_x', '1')", 'advertising'],
    ["s.src = 'https://www.youtube.com/iframe_api'", 'functional'],
    ["document.cookie = 'theme=dark'", 'unknown'],
    ['console.log(1)', 'unknown'],
  ];

  const tables: [string, (s: string) => string, [string, string][]][] = [
    ['url', guessUrl, urls],
    ['name', guessName, names],
    ['code', guessCode, code],
  ];
  for (const [label, guess, table] of tables)
    for (const [input, category] of table)
      it(`${label} ${input} → ${category}`, () => {
        expect(guess(input)).to.equal(category);
      });
});
