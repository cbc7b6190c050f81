// Every language in real pages, on the built dist/: a language file is downloaded only by
// a visitor who is shown that language; regional tags get the right file; lang and dir are
// set on the banner, the dialog and the corner; the receipt's date is the visitor's; and in
// the five longest languages and every right-to-left one, at 320 px, the banner, the open
// dialog and the corner buttons pass axe and nothing sticks out or is clipped.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from '@playwright/test';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { CORNER_EN, EN } from '../../src/parts/ui/texts.js';
import { LANGUAGES, isRtl } from '../../src/parts/ui/language.js';
import { DIST_DIR, ROOT, useBrowserAndServer, withPage } from './helpers.js';

const env = useBrowserAndServer();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const CONFIG = {
  categories: [
    { id: 'necessary', required: true, cookies: [{ name: 'consentkit', provider: 'Northwind', purpose: 'Remembers your choice', duration: '6 months' }] },
    {
      id: 'functional',
      services: [{ id: 'youtube', label: 'YouTube', cookies: [{ name: 'VISITOR_INFO1_LIVE', provider: 'Google', purpose: 'Player settings', duration: '6 months' }] }],
    },
    { id: 'analytics', cookies: [{ name: '_ga*', provider: 'Google', purpose: 'Counts visits', duration: '13 months' }] },
    { id: 'advertising' },
  ],
  ui: { privacyPolicyUrl: '/privacy' },
};

/** A page in `lang` (none: the browser's languages decide). */
const pageIn = (lang?: string, config: object = CONFIG) => `<!doctype html><html${lang ? ` lang="${lang}"` : ''}><head><title>Shop</title>
<script type="application/json" id="consentkit-config">${JSON.stringify(config)}</script>
<script src="/dist/consentkit.js"></script></head>
<body><main><h1>Shop</h1><p>Coffee and more.</p></main></body></html>`;

/** Runs `fn` with a page in a fresh context made with `options`, then closes the context. */
async function withContext(options: BrowserContextOptions, fn: (page: Page) => Promise<void>): Promise<void> {
  const ctx = await env.browser.newContext(options);
  try {
    await fn(await ctx.newPage());
  } finally {
    await ctx.close();
  }
}
/** A 320 px wide phone, without animations. */
const NARROW: BrowserContextOptions = { viewport: { width: 320, height: 640 }, reducedMotion: 'reduce' };

let pages = 0;
/** Serves a page in `lang` at a fresh path and returns its URL. */
function serve(lang?: string, config?: object): string {
  const path = `/lang-${++pages}.html`;
  env.server.page(path, pageIn(lang, config));
  return `${env.server.url}${path}`;
}

/** The language files the server was asked for, from `since` (an index into its requests) on. */
const languageFiles = (since: number) =>
  env.server.requests
    .slice(since)
    .map((r) => r.path)
    .filter((p) => p.startsWith('/dist/i18n/'));

const translation = (lang: string): Record<string, string> => JSON.parse(readFileSync(join(ROOT, 'src/parts/ui/i18n', `${lang}.json`), 'utf8')) as Record<string, string>;

/** The keys the banner and the dialog show (the UI part's texts, less the corner's). */
const PANEL_KEYS = Object.keys(EN).filter((k) => !(k in CORNER_EN));
/** Every translation, by the total length of its banner and dialog texts, longest first. */
const BY_LENGTH = LANGUAGES.filter((l) => l != 'en')
  .map((lang) => {
    const table = translation(lang);
    return { lang, length: PANEL_KEYS.reduce((sum, k) => sum + table[k].length, 0) };
  })
  .sort((a, b) => b.length - a.length);
const LONGEST = BY_LENGTH.slice(0, 5).map((l) => l.lang);
const RTL = LANGUAGES.filter(isRtl);

test('dist/i18n/ holds one file for each language but English, and no other', () => {
  const files = readdirSync(join(DIST_DIR, 'i18n')).sort();
  assert.deepEqual(files, LANGUAGES.filter((l) => l != 'en').map((l) => `${l}.json`).sort());
  assert.ok(LANGUAGES.length >= 36, `${LANGUAGES.length} languages`);
  assert.deepEqual(RTL.sort(), ['ar', 'fa', 'he', 'ur']);
});

test('an English visitor downloads no language file; a Finnish one exactly fi.json', async () => {
  const english = serve('en');
  await withPage(env.browser, async (page) => {
    const since = env.server.requests.length;
    await page.goto(english);
    await page.locator('consentkit-banner [part~="preferences"]').click();
    await page.locator('consentkit-preferences dialog').waitFor();
    await page.locator('consentkit-preferences [part~="reject-all"]').click();
    await page.locator('consentkit-floating [part=floating]').waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(languageFiles(since), []);
    assert.equal(await page.locator('consentkit-banner').getAttribute('lang'), 'en');
  });

  // No <html lang>: the browser's language (fi-FI) decides, through its region to fi.
  const finnish = serve();
  await withContext({ locale: 'fi-FI' }, async (page) => {
    const since = env.server.requests.length;
    await page.goto(finnish);
    const accept = page.locator('consentkit-banner [part~="accept-all"]');
    assert.equal(await accept.textContent(), translation('fi')['banner.acceptAll']);
    await page.waitForLoadState('networkidle');
    assert.deepEqual(languageFiles(since), ['/dist/i18n/fi.json'], 'the banner fetches fi.json once');
    await page.locator('consentkit-banner [part~="preferences"]').click();
    await page.locator('consentkit-preferences [part~="save"]').click();
    await page.locator('consentkit-floating [part=floating]').waitFor();
    await page.waitForLoadState('networkidle');
    // The corner fetches the same file for its own texts (or finds it cached): never another.
    assert.deepEqual([...new Set(languageFiles(since))], ['/dist/i18n/fi.json']);
    assert.equal(await page.locator('consentkit-floating [part=floating]').getAttribute('aria-label'), translation('fi')['floating.label']);
  });
});

test('regional and alternative tags get the file that serves them, with lang and dir on every rendered piece', async () => {
  const cases: [tag: string, file: string, lang: string][] = [
    ['zh-TW', 'zh-Hant', 'zh-Hant'],
    ['zh-HK', 'zh-Hant', 'zh-Hant'],
    ['zh-CN', 'zh-Hans', 'zh-Hans'],
    ['pt-BR', 'pt-BR', 'pt-BR'],
    ['pt-PT', 'pt', 'pt'],
    ['nb-NO', 'no', 'no'],
    ['iw', 'he', 'he'],
    ['FA-ir', 'fa', 'fa'],
  ];
  for (const [tag, file, lang] of cases) {
    const url = serve(tag);
    await withPage(env.browser, async (page) => {
      const since = env.server.requests.length;
      await page.goto(url);
      const banner = page.locator('consentkit-banner [part~="banner"]');
      assert.equal(await page.locator('consentkit-banner [part~="title"]').textContent(), translation(file)['banner.title'], tag);
      const dir = isRtl(lang) ? 'rtl' : 'ltr';
      assert.deepEqual([await banner.getAttribute('lang'), await banner.getAttribute('dir')], [lang, dir], tag);
      await page.locator('consentkit-banner [part~="preferences"]').click();
      const dialog = page.locator('consentkit-preferences dialog');
      assert.deepEqual([await dialog.getAttribute('lang'), await dialog.getAttribute('dir')], [lang, dir], tag);
      await page.locator('consentkit-preferences [part~="accept-all"]').click();
      const corner = page.locator('consentkit-floating');
      await corner.locator('[part=floating]').waitFor();
      assert.deepEqual([await corner.getAttribute('lang'), await corner.getAttribute('dir')], [lang, dir], tag);
      await page.waitForLoadState('networkidle');
      assert.deepEqual([...new Set(languageFiles(since))], [`/dist/i18n/${file}.json`], tag);
    });
  }
});

test('a blocked embed\'s placeholder carries the language and direction of its texts', async () => {
  const embed = '<iframe data-category="analytics" data-src="/frame.html" title="Video"></iframe>';
  for (const [pageLang, locale, lang, dir] of [
    ['ar', 'en-US', 'ar', 'rtl'],
    ['xx', 'fi-FI', 'fi', 'ltr'],
  ] as const) {
    const path = `/embed-${pageLang}.html`;
    env.server.page(path, pageIn(pageLang).replace('<p>Coffee and more.</p>', embed));
    await withContext({ locale }, async (page) => {
      await page.goto(`${env.server.url}${path}`);
      const placeholder = page.locator('[data-consentkit="placeholder"]');
      await placeholder.waitFor();
      assert.deepEqual([await placeholder.getAttribute('lang'), await placeholder.getAttribute('dir')], [lang, dir], pageLang);
      assert.equal(await placeholder.locator('button').first().textContent(), translation(lang)['placeholder.once']);
    });
  }
});

test('the receipt writes the date the visitor way (Intl.DateTimeFormat in the language shown)', async () => {
  for (const lang of ['fi', 'ar', 'ja']) {
    const url = serve(lang);
    await withPage(env.browser, async (page) => {
      await page.goto(url);
      await page.locator('consentkit-banner [part~="reject-all"]').click();
      await page.locator('consentkit-floating [part=floating]').click();
      const time = page.locator('consentkit-preferences [part=receipt] time');
      const iso = await time.getAttribute('datetime');
      assert.ok(iso);
      const expected = await page.evaluate(
        ([l, d]) => new Intl.DateTimeFormat(l, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(d)),
        [lang, iso] as const,
      );
      assert.equal(await time.textContent(), expected, lang);
      assert.match(await page.locator('consentkit-preferences [part=receipt]').innerText(), new RegExp(translation(lang)['prefs.receipt']));
    });
  }
});

declare const axe: { run(context: Node, options: object): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> };

/** axe with every rule tagged up to WCAG 2.2 AA (target-size included), after animations end. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    for (const el of document.querySelectorAll('*')) for (const a of el.shadowRoot?.getAnimations() ?? []) a.finish();
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] });
    return violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

/**
 * What sticks out at this width, inside `host`'s shadow root: any element wider than the
 * viewport or reaching past either edge, any element whose content overflows it sideways,
 * any button whose text does not fit it, and (`inView`) any button outside the viewport.
 */
async function layoutProblems(page: Page, host: string, inView: boolean): Promise<string[]> {
  return page.evaluate(
    ([hostName, buttonsInView]) => {
      const problems: string[] = [];
      const root = document.querySelector(hostName)?.shadowRoot;
      if (!root) return [`no ${hostName}`];
      // No helper functions in here: tsx would wrap them in a `__name` the page does not have.
      if (document.documentElement.scrollWidth > innerWidth) problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px`);
      for (const el of root.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (!r.width || !r.height) continue;
        // Visually hidden on purpose (the cookie table's header row on narrow screens: clipped to nothing).
        let clipped = false;
        for (let a: Element | null = el; a && !clipped; a = a.parentElement) clipped = getComputedStyle(a).clipPath != 'none';
        if (clipped) continue;
        const name = `${el.localName}${el.getAttribute('part') ? `[part=${el.getAttribute('part')}]` : ''} "${el.textContent.trim().slice(0, 30)}"`;
        if (r.left < -1 || r.right > innerWidth + 1) problems.push(`${name} spans ${Math.round(r.left)}–${Math.round(r.right)} px`);
        if (el.clientWidth && el.scrollWidth > el.clientWidth + 1) problems.push(`${name} overflows sideways: ${el.scrollWidth} > ${el.clientWidth} px`);
        if (el.localName == 'button' || el.localName == 'a') {
          if (el.clientHeight && el.scrollHeight > el.clientHeight + 1) problems.push(`${name} is clipped: ${el.scrollHeight} > ${el.clientHeight} px high`);
          if (buttonsInView && el.localName == 'button' && (r.top < -1 || r.bottom > innerHeight + 1)) problems.push(`${name} is outside the viewport (${Math.round(r.top)}–${Math.round(r.bottom)} px)`);
        }
      }
      return problems;
    },
    [host, inView] as const,
  );
}

for (const lang of [...new Set([...LONGEST, ...RTL])]) {
  const why = [LONGEST.includes(lang) && `one of the five longest (${BY_LENGTH.find((l) => l.lang == lang)?.length ?? 0} characters)`, isRtl(lang) && 'right to left']
    .filter(Boolean)
    .join(', ');
  test(`${lang} (${why}) at 320 px: banner, open dialog, corner buttons and opt-out pill pass axe; nothing sticks out or is clipped`, async () => {
    const url = serve(lang);
    await withContext(NARROW, async (page) => {
      await page.goto(url);
      const banner = page.locator('consentkit-banner [part~="banner"]');
      await banner.waitFor();
      assert.equal(await banner.getAttribute('lang'), lang);
      assert.equal(await banner.getAttribute('dir'), isRtl(lang) ? 'rtl' : 'ltr');
      assert.deepEqual(await layoutProblems(page, 'consentkit-banner', true), [], 'banner');
      assert.deepEqual(await axeViolations(page), [], 'banner: axe');

      await page.locator('consentkit-banner [part~="preferences"]').click();
      await page.locator('consentkit-preferences dialog').waitFor();
      // Every cookie table open, as a visitor checking the details would have them.
      for (const summary of await page.locator('consentkit-preferences summary').all()) await summary.click();
      assert.deepEqual(await layoutProblems(page, 'consentkit-preferences', false), [], 'dialog');
      // The dialog's own buttons stay in view (the row is sticky) while its content scrolls.
      for (const part of ['reject-all', 'accept-all', 'save']) {
        const box = await page.locator(`consentkit-preferences [part~="${part}"]`).boundingBox();
        assert.ok(box && box.y >= 0 && box.y + box.height <= 640 && box.x >= 0 && box.x + box.width <= 320, `${part} in view: ${JSON.stringify(box)}`);
      }
      assert.deepEqual(await axeViolations(page), [], 'dialog: axe');

      // Accepting leaves the round button and the Withdraw pill in the corner.
      await page.locator('consentkit-preferences [part~="accept-all"]').click();
      await page.locator('consentkit-withdraw [part=withdraw]').waitFor();
      await page.locator('consentkit-floating [part=floating]').waitFor();
      assert.equal(await page.locator('consentkit-withdraw [part=withdraw]').textContent(), translation(lang)['withdraw.button']);
      for (const host of ['consentkit-floating', 'consentkit-withdraw']) assert.deepEqual(await layoutProblems(page, host, true), [], host);
      assert.deepEqual(await axeViolations(page), [], 'corner: axe');
    });
    // In an opt-out region the round button is a pill with the long "Do not sell or share" link.
    const optOut = serve(lang, { ...CONFIG, regions: { default: 'opt-out' } });
    await withContext(NARROW, async (page) => {
      await page.goto(optOut);
      const pill = page.locator('consentkit-floating [part=floating]');
      await pill.waitFor();
      assert.equal((await pill.textContent())?.trim(), translation(lang)['optout.link']);
      assert.deepEqual(await layoutProblems(page, 'consentkit-floating', true), [], 'opt-out pill');
      assert.deepEqual(await axeViolations(page), [], 'opt-out pill: axe');
    });
  });
}

test('the 320 px check sees a button whose text does not fit', async () => {
  const url = serve('de');
  await withContext(NARROW, async (page) => {
    await page.goto(url);
    await page.locator('consentkit-banner [part~="banner"]').waitFor();
    assert.deepEqual(await layoutProblems(page, 'consentkit-banner', true), []);
    // The styles keep long words wrapping; a button that could not wrap would stick out.
    await page.locator('consentkit-banner [part~="accept-all"]').evaluate((button) => {
      (button as HTMLElement).style.whiteSpace = 'nowrap';
      button.textContent = 'Alle Cookies und ähnlichen Techniken akzeptieren';
    });
    const problems = await layoutProblems(page, 'consentkit-banner', true);
    assert.ok(
      problems.some((p) => p.startsWith('button[part=accept-all]')),
      problems.join('\n') || 'no problem found',
    );
  });
});
