// README's "Getting started", followed as written: run the step-1 commands (with the built
// package standing in for `npm install consentkit`), paste the step-2 to step-4 snippets into
// one page served from the folder the commands filled, and check step 5 in Chromium. The
// Google and YouTube addresses are answered by local stand-ins (this test has no internet).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';
import type { Browser } from 'playwright-core';
import { createStaticServer, listen, staticHandler } from '../../scripts/static-server.mjs';
import { DIST_DIR, ROOT, launchBrowser } from './helpers.js';

const readme = readFileSync(join(ROOT, 'docs', 'getting-started.md'), 'utf8');
const section = readme.slice(readme.indexOf('## With the one tag'), readme.indexOf('\n## ', readme.indexOf('## With the one tag') + 5));
/** The fenced blocks of the section in a language, in order, without the list indentation. */
const blocks = (lang: string) =>
  [...section.matchAll(new RegExp(`^( *)\`\`\`${lang}\\n([\\s\\S]*?)^\\1\`\`\``, 'gm'))].map(([, indent, body]) =>
    body
      .split('\n')
      .map((line) => line.slice(indent.length))
      .join('\n'),
  );

let browser: Browser;
let site: string;
let url: string;
let close: () => Promise<void>;

test.beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'consentkit-getting-started-'));
  // `npm install consentkit`, from this checkout's build.
  mkdirSync(join(site, 'node_modules', 'consentkit'), { recursive: true });
  symlinkSync(DIST_DIR, join(site, 'node_modules', 'consentkit', 'dist'));
  const [commands] = blocks('sh');
  const lines = commands.split('\n').filter((l) => l.trim() && !l.startsWith('npm install'));
  assert.equal(lines.length, 2, commands);
  execFileSync('bash', ['-euc', lines.join('\n')], { cwd: site });

  const [head, marked, settings] = blocks('html');
  writeFileSync(
    join(site, 'public', 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>My site</title>\n${head}</head>\n<body><h1>My site</h1>\n${marked}\n<footer>${settings}</footer></body></html>`,
  );
  const server = createStaticServer([staticHandler('/', join(site, 'public'))]);
  url = `http://127.0.0.1:${await listen(server, 0)}`;
  close = () =>
    new Promise((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
    });
  browser = await launchBrowser();
});
test.afterAll(async () => {
  await Promise.all([browser.close(), close()]);
  rmSync(site, { recursive: true, force: true });
});

declare const dataLayer: unknown[][];

test('README getting started: the commands and snippets give a working banner that gates the tags', async () => {
  const ctx = await browser.newContext();
  try {
    const fetched: string[] = [];
    await ctx.route(/googletagmanager\.com|youtube-nocookie\.com/, (route) => {
      const u = new URL(route.request().url());
      fetched.push(u.host + u.pathname);
      const js = u.host.includes('googletagmanager');
      return route.fulfill({
        contentType: js ? 'text/javascript' : 'text/html',
        body: js ? `document.cookie = '_ga=GA1.1.1.1; Path=/'; window.gtagLoaded = (window.gtagLoaded || 0) + 1;` : '<p>video</p>',
      });
    });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/`);

    // Step 2: the banner, with a privacy link; no tracker request and no cookie before a click.
    const banner = page.locator('consentkit-banner');
    await banner.getByRole('button', { name: 'Accept all' }).waitFor();
    assert.equal(await banner.getByRole('link', { name: 'Privacy policy' }).getAttribute('href'), '/privacy');
    const placeholder = page.getByRole('group', { name: /Our video is blocked/ });
    await placeholder.getByRole('button', { name: 'Load this once' }).waitFor();
    assert.deepEqual(fetched, []);
    assert.deepEqual(await ctx.cookies(url), []);

    // Step 5: Accept all runs both tags once, in order, and loads the video.
    await banner.getByRole('button', { name: 'Accept all' }).click();
    await page.waitForFunction(() => (window as unknown as { gtagLoaded?: number }).gtagLoaded == 1);
    await page.frameLocator('iframe[title="Our video"]').getByText('video').waitFor();
    assert.deepEqual(fetched.sort(), ['www.googletagmanager.com/gtag/js', 'www.youtube-nocookie.com/embed/VIDEO_ID']);
    assert.ok(await page.evaluate(() => dataLayer.some((e) => e[0] == 'config' && e[1] == 'G-XXXXXXX')));
    assert.ok((await ctx.cookies(url)).some((c) => c.name == '_ga'));

    // Step 4: the footer button opens the preferences; Reject all withdraws and reloads once.
    await page.getByRole('button', { name: 'Cookie settings' }).click();
    const reloaded = page.waitForEvent('load');
    await page.locator('consentkit-preferences').getByRole('button', { name: 'Reject all' }).click();
    await reloaded;
    await page.getByRole('group', { name: /Our video is blocked/ }).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { gtagLoaded?: number }).gtagLoaded), undefined);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
