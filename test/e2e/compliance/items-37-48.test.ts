// Compliance checklist items 37–48 (../shared/REQUIREMENTS.md): announcements,
// CSP and Trusted Types, XSS, the consent cookie, records and the JS API, each
// proven on the built one-tag bundle in real Chromium pages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import type { Page } from 'playwright-core';
import { DIST_DIR, launchBrowser } from '../helpers.js';
import { EN } from '../../../src/parts/ui/texts.js';
import { CATEGORIES, logOf, logScript, part, site, until, watch, withPage, type Api, useBrowser } from './page-checks.js';

declare const consentkit: Api;

const env = useBrowser((server) => {
  for (const name of ['ok', 'evil', 'late']) logScript(server, `/js/${name}.js`, name);
  logScript(server, '/cdn/lib.js', 'cdn');
});

const requested = (path: string) => env.server.requests.filter((r) => r.path == path).length;

test('"saved" is announced through a role=status region that exists before the message', { tag: '@item-37' }, async () => {
  env.server.page('/37.html', site({ body: '<button id="open" data-consentkit="preferences">Cookie settings</button>' }));
  await withPage(env.browser, async (page) => {
    await page.goto(`${env.server.url}/37.html`);
    await page.locator('#open').click();
    const status = page.locator('consentkit-preferences [role="status"]');
    // The dialog's file loads on the click: wait for the dialog before looking into it.
    await page.locator('consentkit-preferences dialog[open]').waitFor();
    // A live region only announces changes made after it is in the page.
    assert.equal(await status.count(), 1);
    assert.equal((await status.textContent())?.trim(), '');
    await status.evaluate((el) => {
      (el as HTMLElement & { marked?: boolean }).marked = true;
    });
    await page.locator('consentkit-preferences [part~="toggle"][data-id="analytics"]').click();
    await part(page, 'consentkit-preferences', 'save').click();
    await until('status text', async () => (await status.textContent())?.trim());
    assert.equal((await status.textContent())?.trim(), 'Your choices have been saved.');
    assert.equal(await status.evaluate((el) => (el as HTMLElement & { marked?: boolean }).marked), true, 'the same live region, not a new one');
    assert.equal(await status.isVisible(), true);
    // What assistive technology gets: the accessibility tree, where aria-hidden or a wrong role would drop it.
    const tree = await page.locator('body').ariaSnapshot();
    assert.match(tree, /^\s*- status: Your choices have been saved\.$/m, tree);
    assert.equal(await page.getByRole('status').filter({ hasText: 'Your choices have been saved.' }).count(), 1);
    assert.equal(await page.evaluate(() => consentkit.isGranted('analytics')), true);
  });
});

const MARKED = `<script type="text/plain" data-category="analytics" src="/js/ok.js" nonce="n0nce"></script>
<script type="text/plain" data-category="analytics" nonce="n0nce">log.push('inline')</script>
<button id="open" data-consentkit="preferences">Cookie settings</button>`;

test('under a strict-dynamic nonce CSP nothing raises a securitypolicyviolation', { tag: '@item-38' }, async () => {
  const csp = "script-src 'nonce-n0nce' 'strict-dynamic'; style-src 'nonce-n0nce'; object-src 'none'; base-uri 'none'";
  env.server.page('/38.html', site({ nonce: 'n0nce', body: MARKED }), { 'content-security-policy': csp });
  await withPage(env.browser, async (page) => {
    const w = await watch(page);
    await page.goto(`${env.server.url}/38.html`);
    // First layer (the UI file is loaded by the gate), decision, activation, second layer.
    await part(page, 'consentkit-banner', 'accept-all').click();
    await until('marked scripts', async () => (await logOf(page)).length >= 2);
    await page.locator('consentkit-floating button').click();
    await part(page, 'consentkit-preferences', 'dialog').waitFor();
    await page.keyboard.press('Escape');
    assert.deepEqual((await logOf(page)).sort(), ['inline', 'ok']);
    assert.deepEqual(await w.violations(), []);
    assert.deepEqual(w.errors, []);
  });
});

test('re-activated scripts carry the page nonce, and only that lets them run', { tag: '@item-39' }, async () => {
  // No strict-dynamic: a script without the nonce would be refused.
  env.server.page('/39.html', site({ nonce: 'n0nce', body: MARKED }), { 'content-security-policy': "script-src 'nonce-n0nce'" });
  await withPage(env.browser, async (page) => {
    const w = await watch(page);
    await page.goto(`${env.server.url}/39.html`);
    await page.evaluate(() => {
      consentkit.acceptAll();
    });
    await until('marked scripts', async () => (await logOf(page)).length >= 2);
    const live = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLScriptElement>('script[data-consentkit="activated"]'), (s) => ({
        nonce: s.nonce,
        type: s.type,
        src: s.getAttribute('src'),
      })),
    );
    assert.equal(live.length, 2);
    for (const s of live) assert.equal(s.nonce, 'n0nce');
    assert.deepEqual((await logOf(page)).sort(), ['inline', 'ok']);
    assert.deepEqual(await w.violations(), []);
  });
});

test.describe('Trusted Types enforced: no violation, and only allow-listed script URLs load', { tag: '@item-40' }, () => {
  const TT = "require-trusted-types-for 'script'; trusted-types consentkit lit-html";
  const config = {
    categories: CATEGORIES,
    trustedScriptUrls: ['/js/ok.js', '/cdn/*'],
  };
  const body = `<script type="text/plain" data-category="analytics" src="/js/ok.js"></script>
<script type="text/plain" data-category="analytics">log.push('inline')</script>
<script type="text/plain" data-category="analytics" src="/js/evil.js"></script>
<script type="text/plain" data-category="analytics" src="/cdn/lib.js"></script>
<button id="open" data-consentkit="preferences">Cookie settings</button>`;

  test('banner, dialog, floating button and allow-listed marked scripts work with zero violations; the rest is refused by name', async () => {
    env.server.page('/40.html', site({ config, body }), { 'content-security-policy': TT });
    await withPage(env.browser, async (page) => {
      const w = await watch(page);
      await page.goto(`${env.server.url}/40.html`);
      await part(page, 'consentkit-banner', 'accept-all').click();
      await until('allowed scripts', async () => (await logOf(page)).length >= 3);
      // Lit renders the dialog through its own lit-html policy.
      await page.locator('consentkit-floating button').click();
      await part(page, 'consentkit-preferences', 'dialog').waitFor();
      await page.keyboard.press('Escape');
      // A script added later by code, from an allow-listed URL, runs too.
      await page.evaluate(() => {
        const s = document.createElement('script');
        s.type = 'text/plain';
        s.dataset.category = 'analytics';
        s.dataset.src = '/js/ok.js?late';
        document.body.append(s);
        const t = document.createElement('script');
        t.type = 'text/plain';
        t.dataset.category = 'analytics';
        t.dataset.src = `${location.origin}/js/late.js`;
        document.body.append(t);
      });
      await page.waitForTimeout(500);
      assert.deepEqual((await logOf(page)).sort(), ['cdn', 'inline', 'ok']);
      assert.equal(requested('/js/evil.js'), 0, 'the refused script is never fetched');
      assert.equal(requested('/js/late.js'), 0);
      assert.equal(await page.locator('script[data-consentkit="activated"][src$="evil.js"]').count(), 0);
      assert.equal(await page.locator('script[type="text/plain"][src="/js/evil.js"]').count(), 1, 'it stays blocked in place');
      assert.ok(w.errors.some((e) => e.includes('/js/evil.js') && e.includes('trustedScriptUrls')), w.errors.join('\n'));
      assert.ok(w.errors.some((e) => e.includes('/js/late.js')), w.errors.join('\n'));
      assert.deepEqual(await w.violations(), []);
      assert.deepEqual(w.errors.filter((e) => !e.includes('trustedScriptUrls')), []);
      assert.equal(requested('/js/ok.js?late'), 0, '/js/ok.js?late is not the listed URL');
    });
  });

  test('the allow-list compares whole URLs: an allow-listed path on another origin is refused', async () => {
    // A second host name for the same test server: Chromium resolves other.test to 127.0.0.1.
    const other = await launchBrowser({ args: ['--host-resolver-rules=MAP other.test 127.0.0.1'] });
    try {
      const port = new URL(env.server.url).port;
      const far = `http://other.test:${port}`;
      logScript(env.server, '/x40/far.js', 'far');
      const crossConfig = { categories: CATEGORIES, trustedScriptUrls: ['/js/ok.js', '/cdn/*', `${far}/x40/far.js`] };
      const crossBody = `<script type="text/plain" data-category="analytics" src="/js/ok.js"></script>
<script type="text/plain" data-category="analytics" src="${far}/js/ok.js"></script>
<script type="text/plain" data-category="analytics" src="${far}/cdn/lib.js"></script>
<script type="text/plain" data-category="analytics" src="${far}/x40/far.js"></script>
<script type="text/plain" data-category="analytics" src="/x40/far.js"></script>`;
      env.server.page('/40g.html', site({ config: crossConfig, body: crossBody }), { 'content-security-policy': TT });
      const fromOther = (path: string) => env.server.requests.filter((r) => r.path == path && r.headers.host == `other.test:${port}`).length;
      const fromHere = (path: string) => env.server.requests.filter((r) => r.path == path && r.headers.host != `other.test:${port}`).length;
      const before = { ok: fromOther('/js/ok.js'), cdn: fromOther('/cdn/lib.js'), far: fromHere('/x40/far.js') };
      await withPage(other, async (page) => {
        const w = await watch(page);
        await page.goto(`${env.server.url}/40g.html`);
        await page.evaluate(() => {
          consentkit.acceptAll();
        });
        // The control: the absolute entry on the other origin loads (so other.test does resolve here).
        await until('the allow-listed script of the other origin', async () => (await logOf(page)).includes('far'));
        await page.waitForTimeout(500);
        assert.deepEqual((await logOf(page)).sort(), ['far', 'ok']);
        assert.equal(fromOther('/js/ok.js'), before.ok, `${far}/js/ok.js is not the listed /js/ok.js`);
        assert.equal(fromOther('/cdn/lib.js'), before.cdn, `${far}/cdn/lib.js is not under the listed /cdn/`);
        assert.equal(fromHere('/x40/far.js'), before.far, `/x40/far.js of this origin is not the listed ${far}/x40/far.js`);
        for (const refused of [`script ${far}/js/ok.js`, `script ${far}/cdn/lib.js`, 'script /x40/far.js'])
          assert.ok(w.errors.some((e) => e.includes(refused) && e.includes('trustedScriptUrls')), `${refused} refused by name: ${w.errors.join('\n')}`);
        assert.deepEqual(await w.violations(), []);
      });
    } finally {
      await other.close();
    }
  });

  test('a returning visitor under Trusted Types: marked scripts run on load, the floating button works, still no violation', async () => {
    env.server.page('/40b.html', site({ config, body }), { 'content-security-policy': TT });
    await withPage(env.browser, async (page) => {
      const w = await watch(page);
      await page.goto(`${env.server.url}/40b.html`);
      await page.evaluate(() => {
        consentkit.acceptAll();
      });
      await page.reload();
      await until('scripts on load', async () => (await logOf(page)).length >= 3);
      await page.locator('consentkit-floating button svg').waitFor();
      await page.locator('consentkit-floating button').click();
      await part(page, 'consentkit-preferences', 'dialog').waitFor();
      assert.deepEqual((await logOf(page)).sort(), ['cdn', 'inline', 'ok']);
      assert.deepEqual(await w.violations(), []);
    });
  });

  test('an inline marked script added by code after start-up is refused when trustedScriptUrls is set', async () => {
    env.server.page('/40c.html', site({ config, body: '' }), { 'content-security-policy': `${TT} page` });
    await withPage(env.browser, async (page) => {
      const w = await watch(page);
      await page.goto(`${env.server.url}/40c.html`);
      await page.evaluate(() => {
        consentkit.acceptAll();
      });
      await part(page, 'consentkit-banner', 'banner').waitFor({ state: 'detached' });
      // The page's own code writes the script through its own policy, as Trusted Types requires.
      // (A string, so the bundler adds no helper the page lacks.)
      await page.evaluate(`{
        const own = trustedTypes.createPolicy('page', { createScript: (s) => s });
        const s = document.createElement('script');
        s.type = 'text/plain';
        s.dataset.category = 'analytics';
        s.text = own.createScript("log.push('injected')");
        document.body.append(s);
      }`);
      await page.waitForTimeout(300);
      assert.deepEqual(await logOf(page), []);
      assert.ok(w.errors.some((e) => e.includes('inline marked script added after start-up refused') && e.includes("log.push('injected')")), w.errors.join('\n'));
      assert.deepEqual(await w.violations(), []);
    });
  });

  test('audit mode loads its own file through the policy too', async () => {
    env.server.page('/40e.html', site({ config, body }), { 'content-security-policy': TT });
    await withPage(env.browser, async (page) => {
      const w = await watch(page);
      await page.goto(`${env.server.url}/40e.html?consentkit-audit`);
      await until('the audit module', () => page.evaluate(() => 'consentkitAudit' in window));
      assert.deepEqual(await w.violations(), []);
    });
  });

  test('an invalid trustedScriptUrls is a console error and lets no marked script load (the UI still does)', async () => {
    const bad = { categories: CATEGORIES, trustedScriptUrls: ['javascript:alert(1)', '/js/ok.js'] };
    env.server.page('/40f.html', site({ config: bad, body }), { 'content-security-policy': TT });
    await withPage(env.browser, async (page) => {
      const w = await watch(page);
      await page.goto(`${env.server.url}/40f.html`);
      await part(page, 'consentkit-banner', 'accept-all').click();
      await page.waitForTimeout(500);
      assert.deepEqual(await logOf(page), ['inline']);
      assert.ok(w.errors.some((e) => e.includes('invalid config: trustedScriptUrls must be')), w.errors.join('\n'));
      assert.deepEqual(await w.violations(), []);
    });
  });

  test('the policy is needed: without "consentkit" in trusted-types the page reports the violation', async () => {
    // Proves the test above can fail: the same page with the policy name left out.
    env.server.page('/40d.html', site({ config, body }), { 'content-security-policy': "require-trusted-types-for 'script'; trusted-types lit-html" });
    await withPage(env.browser, async (page) => {
      const w = await watch(page);
      await page.goto(`${env.server.url}/40d.html`);
      await until('a violation', async () => (await w.violations()).length > 0);
    });
  });
});

test.describe('config and translation text is rendered as text; javascript: links are refused', { tag: '@item-41' }, () => {
  const PAYLOAD = '<img src=x onerror="window.pwned=1">';
  test('<img onerror> in config.texts and in a translation file renders as text', async () => {
    env.server.route('/evil-i18n/de.json', ({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ 'banner.text': `Text ${PAYLOAD}`, 'banner.acceptAll': `<b onmouseover="window.pwned=2">Alle</b>` }));
    });
    const config = {
      categories: CATEGORIES,
      language: 'de',
      texts: { de: { 'banner.title': `Titel ${PAYLOAD}` } },
      ui: { i18nUrl: '/evil-i18n/' },
    };
    env.server.page('/41.html', site({ config, lang: 'de' }));
    await withPage(env.browser, async (page) => {
      await page.goto(`${env.server.url}/41.html`);
      const title = part(page, 'consentkit-banner', 'title');
      await title.waitFor();
      assert.equal(await title.textContent(), `Titel ${PAYLOAD}`);
      assert.ok((await part(page, 'consentkit-banner', 'text').textContent())?.includes(`Text ${PAYLOAD}`));
      assert.equal(await part(page, 'consentkit-banner', 'accept-all').textContent(), '<b onmouseover="window.pwned=2">Alle</b>');
      await part(page, 'consentkit-banner', 'accept-all').hover();
      assert.equal(await page.locator('consentkit-banner img, consentkit-banner b').count(), 0);
      await page.waitForTimeout(200);
      assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    });
  });

  test('<img onerror> in every dialog text, category and service label and description, and every cookie cell renders as text', async () => {
    /** A payload naming where it was put, so a miss says which field was rendered as markup. */
    const evil = (where: string) => `${where} <img src=x onerror="window.pwned=(window.pwned||[]).concat('${where}')"><b>bold</b>`;
    const texts = Object.fromEntries(Object.keys(EN).map((k) => [k, evil(k)]));
    const cookie = (where: string) => ({ name: evil(`${where}.name`), provider: evil(`${where}.provider`), purpose: evil(`${where}.purpose`), duration: evil(`${where}.duration`) });
    const config = {
      categories: [
        { id: 'necessary', required: true, cookies: [cookie('necessary.cookie')] },
        {
          id: 'analytics',
          label: evil('analytics.label'),
          description: evil('analytics.description'),
          services: [{ id: 'ga4', label: evil('ga4.label'), description: evil('ga4.description'), cookies: [cookie('ga4.cookie')] }],
        },
        { id: 'advertising', cookies: [cookie('advertising.cookie')], services: [{ id: 'pixel', label: evil('pixel.label'), cookies: [{ name: 'px' }] }] },
      ],
      texts: { en: texts },
    };
    env.server.page('/41-dialog.html', site({ config }));
    await withPage(env.browser, async (page) => {
      const w = await watch(page);
      await page.goto(`${env.server.url}/41-dialog.html`);
      await part(page, 'consentkit-banner', 'preferences').click();
      const dialog = part(page, 'consentkit-preferences', 'dialog');
      await dialog.waitFor();
      for (const summary of await page.locator('consentkit-preferences summary').all()) await summary.click();
      // Save (the status message), then open again (the receipt with its date).
      await part(page, 'consentkit-preferences', 'save').click();
      const saved = await until('the saved message', async () => (await part(page, 'consentkit-preferences', 'status').textContent())?.trim());
      await page.locator('consentkit-floating button').click();
      await dialog.waitFor();
      for (const summary of await page.locator('consentkit-preferences summary').all()) await summary.click();
      const shown = `${await dialog.textContent()} ${saved}`;
      const expected = [
        ...['prefs.title', 'prefs.text', 'prefs.save', 'prefs.saved', 'prefs.cookies', 'prefs.receipt', 'prefs.date', 'banner.acceptAll', 'banner.rejectAll'],
        ...['cookie.name', 'cookie.provider', 'cookie.purpose', 'cookie.duration', 'category.necessary.label', 'category.necessary.description'],
        ...['category.advertising.label', 'category.advertising.description', 'analytics.label', 'analytics.description', 'ga4.label', 'ga4.description', 'pixel.label'],
        ...['necessary.cookie', 'ga4.cookie', 'advertising.cookie'].flatMap((c) => ['name', 'provider', 'purpose', 'duration'].map((f) => `${c}.${f}`)),
      ];
      for (const where of expected) assert.ok(shown.includes(evil(where)), `${where} is shown as text`);
      assert.equal(await page.locator('consentkit-preferences img, consentkit-preferences b, consentkit-banner img, consentkit-banner b').count(), 0);
      await page.waitForTimeout(200);
      assert.equal(await page.evaluate(() => (window as unknown as { pwned?: string[] }).pwned), undefined);
      assert.deepEqual(w.errors.filter((e) => !e.includes('Failed to load resource')), []);
    });
  });

  for (const [i, href] of ['javascript:window.pwned=1', ' JaVaScRiPt:window.pwned=1', 'data:text/html,<script>window.pwned=1</script>'].entries()) {
    test(`privacyPolicyUrl ${JSON.stringify(href)} is refused with a console error`, async () => {
      // Each case its own page: the test server refuses a second registration of a path.
      env.server.page(`/41b-${i}.html`, site({ config: { categories: CATEGORIES, ui: { privacyPolicyUrl: href } } }));
      await withPage(env.browser, async (page) => {
        const w = await watch(page);
        await page.goto(`${env.server.url}/41b-${i}.html`);
        await part(page, 'consentkit-banner', 'title').waitFor();
        assert.equal(await page.locator('consentkit-banner a').count(), 0);
        assert.ok(w.errors.some((e) => e.includes('ui.privacyPolicyUrl')), w.errors.join('\n'));
      });
    });
  }

  test('an https privacy policy link is kept (the check is not "no link at all")', async () => {
    env.server.page('/41c.html', site({ config: { categories: CATEGORIES, ui: { privacyPolicyUrl: '/privacy' } } }));
    await withPage(env.browser, async (page) => {
      await page.goto(`${env.server.url}/41c.html`);
      assert.equal(await part(page, 'consentkit-banner', 'privacy-link').getAttribute('href'), '/privacy');
    });
  });
});

test.describe('the consent cookie is Secure, SameSite=Lax, Path=/, host-only and under 4 KB', { tag: '@item-42' }, () => {
  // An https origin without a certificate: Playwright answers every request to
  // https://consentkit.test/ from the files and pages below, so the browser
  // sees a real secure context and stores the cookie with its real attributes.
  const ORIGIN = 'https://consentkit.test';
  const serve = async (page: Page, html: string) => {
    await page.route(`${ORIGIN}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path.startsWith('/dist/'))
        await route.fulfill({ status: 200, contentType: 'text/javascript', body: readFileSync(join(DIST_DIR, path.slice(6))) });
      else await route.fulfill({ status: 200, contentType: 'text/html', body: html });
    });
  };
  const big = {
    categories: [
      { id: 'necessary', required: true },
      ...Array.from({ length: 12 }, (_, i) => ({
        id: `category-with-a-long-name-${i}`,
        services: Array.from({ length: 6 }, (_, j) => ({ id: `service-with-a-long-identifier-${i}-${j}` })),
      })),
    ],
  };

  test('on an https page: Secure, SameSite=Lax, Path=/, no Domain, about 182 days', async () => {
    await withPage(env.browser, async (page, ctx) => {
      await serve(page, site());
      await page.goto(`${ORIGIN}/shop/page.html`);
      await part(page, 'consentkit-banner', 'accept-all').click();
      const c = (await ctx.cookies(ORIGIN)).find((k) => k.name == 'consentkit');
      assert.ok(c, 'the consent cookie is set');
      assert.equal(c.secure, true);
      assert.equal(c.sameSite, 'Lax');
      assert.equal(c.path, '/');
      assert.equal(c.domain, 'consentkit.test', 'host-only (a Domain attribute would read ".consentkit.test")');
      assert.equal(c.httpOnly, false);
      const days = (c.expires * 1000 - Date.now()) / 86_400_000;
      assert.ok(days > 181 && days <= 182, `expires in ${days} days`);
      assert.ok(c.name.length + c.value.length < 4096);
    });
  });

  test('the largest choice (12 categories × 6 services with long ids) stays under 4 KB', async () => {
    await withPage(env.browser, async (page, ctx) => {
      await serve(page, site({ config: big }));
      await page.goto(`${ORIGIN}/p.html`);
      await page.evaluate(() => {
        consentkit.acceptAll();
      });
      const c = (await ctx.cookies(ORIGIN)).find((k) => k.name == 'consentkit');
      assert.ok(c);
      assert.equal(await page.evaluate(() => consentkit.getState().decided), true);
      const size = `${c.name}=${c.value}`.length;
      assert.ok(size < 4096, `${size} bytes`);
    });
  });

  test('cookie.domain widens it on purpose (so the host-only check above can tell the difference)', async () => {
    await withPage(env.browser, async (page, ctx) => {
      await serve(page, site({ config: { categories: CATEGORIES, cookie: { domain: 'consentkit.test' } } }));
      await page.goto(`${ORIGIN}/p.html`);
      await page.evaluate(() => {
        consentkit.rejectAll();
      });
      const c = (await ctx.cookies(ORIGIN)).find((k) => k.name == 'consentkit');
      assert.equal(c?.domain, '.consentkit.test');
    });
  });

  test('on a plain http page Secure is left out (the browser would drop it), the rest is the same', async () => {
    env.server.page('/42.html', site());
    await withPage(env.browser, async (page, ctx) => {
      await page.goto(`${env.server.url}/42.html`);
      await page.evaluate(() => {
        consentkit.rejectAll();
      });
      const c = (await ctx.cookies(env.server.url)).find((k) => k.name == 'consentkit');
      assert.ok(c);
      assert.equal(c.secure, false);
      assert.equal(c.sameSite, 'Lax');
      assert.equal(c.path, '/');
      assert.equal(c.domain, '127.0.0.1');
    });
  });
});

test('a malformed consent cookie means everything optional is denied, the banner is shown, nothing throws', { tag: '@item-43' }, async () => {
  env.server.page('/43.html', site({ body: '<script type="text/plain" data-category="analytics" src="/js/ok.js"></script>' }));
  const now = Math.floor(Date.now() / 1000).toString(36);
  const later = Math.floor(Date.now() / 1000 + 60).toString(36);
  const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
  const bad = [
    'garbage',
    '',
    '%E0%A4%A',
    `1|${id}|${now}|${now}|1|a|b|0|necessary:1/analytics:1/advertising:1`, // truncated: no services field
    `1|${id}|${now}|${now}|1|q|b|0|necessary:1/analytics:1/advertising:1|`, // unknown action code
    `1|${id}|${now}|${now}|1|a|b|0|necessary:1/advertising:1|`, // analytics never asked about
    `9|${id}|${now}|${now}|1|a|b|0|necessary:1/analytics:1/advertising:1|`, // unknown format version
    `1|not-a-uuid|${now}|${now}|1|a|b|0|necessary:1/analytics:1/advertising:1|`,
    `1|${id}|${now}|${now}|1|a|b|0|necessary:1/analytics:yes/advertising:1|`,
    `1|${id}|${now}|${now}|1|a|b|0|necessary:1/analytics:0/analytics:1/advertising:1|`, // a category twice
    `1|${id}|${now}|${now}|1|a|b|0|necessary:1/analytics:1/advertising:1/advertising:1|`, // twice, same value
    `1|${id}|${later}|${now}|1|a|b|0|necessary:1/analytics:1/advertising:1|`, // created after updated
  ];
  const fetched = requested('/js/ok.js');
  for (const value of bad) {
    await withPage(env.browser, async (page, ctx) => {
      await ctx.addCookies([{ name: 'consentkit', value, url: env.server.url }]);
      const w = await watch(page);
      await page.goto(`${env.server.url}/43.html`);
      await part(page, 'consentkit-banner', 'accept-all')
        .waitFor({ timeout: 10_000 })
        .catch((e: unknown) => {
          throw new Error(`no banner with the cookie ${JSON.stringify(value)}: ${String(e)}`);
        });
      const state = await page.evaluate(() => consentkit.getState());
      assert.equal(state.decided, false, value);
      assert.deepEqual(state.categories, { necessary: true, analytics: false, advertising: false }, value);
      assert.deepEqual(await logOf(page), []);
      assert.equal(requested('/js/ok.js'), fetched);
      assert.deepEqual(
        w.errors.filter((e) => e.startsWith('pageerror')),
        [],
        value,
      );
    });
  }
  // The control: the same cookie, well-formed, is a decision (also when updated after it was created).
  const earlier = Math.floor(Date.now() / 1000 - 3600).toString(36);
  for (const created of [now, earlier])
    await withPage(env.browser, async (page, ctx) => {
      await ctx.addCookies([{ name: 'consentkit', value: `1|${id}|${created}|${now}|1|a|b|0|necessary:1/analytics:1/advertising:1|`, url: env.server.url }]);
      await page.goto(`${env.server.url}/43.html`);
      assert.equal(await page.evaluate(() => consentkit.getState().decided), true);
    });
});

interface Post {
  body: string;
  type: string | undefined;
  length: number;
  /** The page that sent it. */
  referer: string | undefined;
}
/** A report endpoint on the test server; `answer` picks the status for the n-th POST (0-based). */
function endpoint(path: string, answer: (n: number) => number): Post[] {
  const posts: Post[] = [];
  env.server.route(
    path,
    async (request) => {
      const { req, res } = request;
      const text = await request.body();
      const n = posts.length;
      posts.push({ body: text, type: req.headers['content-type'], length: Buffer.byteLength(text), referer: req.headers.referer });
      const status = answer(n);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status < 300 ? '{"stored":true}' : '{"error":"down"}');
    },
    'POST',
  );
  return posts;
}
const reportSite = (path: string, extra = '') =>
  site({ config: { categories: CATEGORIES, report: { url: path, timeout: 2000 } }, head: extra, body: '<script type="text/plain" data-category="analytics" src="/js/ok.js"></script>' });

test('the choice applies at once while the endpoint is down; retries carry the same consentId and record', { tag: '@item-44' }, async () => {
  const posts = endpoint('/api/44', (n) => (n < 2 ? 503 : 201));
  env.server.page('/44.html', reportSite('/api/44'));
  await withPage(env.browser, async (page) => {
    await page.goto(`${env.server.url}/44.html`);
    const applied = await page.evaluate(() => {
      consentkit.acceptAll();
      return consentkit.isGranted('analytics');
    });
    assert.equal(applied, true, 'granted in the same task, before any answer');
    await until('the marked script', async () => (await logOf(page)).includes('ok'));
    await until('three attempts', () => posts.length >= 3, 30_000);
    const sent = posts.map((p) => JSON.parse(p.body) as { consentId: string; recordId: string });
    const consentId = await page.evaluate(() => consentkit.getState().choice?.id);
    for (const r of sent) {
      assert.equal(r.consentId, consentId);
      assert.equal(r.recordId, sent[0].recordId);
    }
    await until('outbox emptied after the 201', async () => page.evaluate(() => localStorage.getItem('consentkit:outbox:consentkit') == null));
  });
});

test('while the endpoint is down the record waits in localStorage, and the next page re-sends that same record', { tag: '@item-44' }, async () => {
  let up = false;
  const posts = endpoint('/api/44b', () => (up ? 201 : 503));
  env.server.page('/44-first.html', reportSite('/api/44b'));
  env.server.page('/44-next.html', reportSite('/api/44b'));
  const OUTBOX = 'consentkit:outbox:consentkit';
  interface Sent { consentId: string; recordId: string; action: string }
  await withPage(env.browser, async (page) => {
    await page.goto(`${env.server.url}/44-first.html`);
    await page.evaluate(() => {
      consentkit.rejectAll();
    });
    await until('a refused attempt', () => posts.length >= 1, 30_000);
    const sent = JSON.parse(posts[0].body) as Sent;
    assert.equal(sent.action, 'reject_all');
    // Stored, not only held by this page: what the next page view will find.
    const stored = JSON.parse((await page.evaluate((k) => localStorage.getItem(k), OUTBOX)) ?? 'null') as Sent[] | null;
    assert.deepEqual(
      stored?.map((r) => [r.recordId, r.consentId, r.action]),
      [[sent.recordId, sent.consentId, 'reject_all']],
      'the record is in the localStorage outbox while the endpoint is down',
    );

    // The next page of the site (the endpoint still down, then back) sends that very record.
    await page.goto(`${env.server.url}/44-next.html`);
    await until('a POST from the next page', () => posts.some((p) => p.referer?.endsWith('/44-next.html')), 30_000);
    up = true;
    await until('the record taken', async () => page.evaluate((k) => localStorage.getItem(k) == null, OUTBOX), 30_000);
    const fromNext = posts.filter((p) => p.referer?.endsWith('/44-next.html')).map((p) => JSON.parse(p.body) as Sent);
    assert.ok(fromNext.length >= 1);
    for (const r of fromNext) assert.deepEqual([r.recordId, r.consentId, r.action], [sent.recordId, sent.consentId, 'reject_all'], 'the same record, not a new one');
    assert.equal(posts.filter((p) => (JSON.parse(p.body) as Sent).recordId != sent.recordId).length, 0, 'no other record was made');
  });
});

test.describe('fetch keepalive or sendBeacon, under 64 KiB, with a fallback when either is refused', { tag: '@item-45' }, () => {
  test('a decision goes by fetch with keepalive: true and a body far under 64 KiB', async () => {
    const posts = endpoint('/api/45a', () => 201);
    const spy = `<script>window.fetches = []; const f = window.fetch; window.fetch = function (u, i) { fetches.push({ url: String(u), keepalive: !!(i && i.keepalive), size: i && typeof i.body == 'string' ? new Blob([i.body]).size : -1 }); return f.apply(this, arguments); };</script>`;
    env.server.page('/45a.html', reportSite('/api/45a', spy));
    await withPage(env.browser, async (page) => {
      await page.goto(`${env.server.url}/45a.html`);
      await page.evaluate(() => {
        consentkit.rejectAll();
      });
      await until('the POST', () => posts.length >= 1);
      const fetches = await page.evaluate(() => (window as unknown as { fetches: { url: string; keepalive: boolean; size: number }[] }).fetches);
      const report = fetches.filter((f) => f.url.endsWith('/api/45a'));
      assert.equal(report.length, 1);
      assert.equal(report[0].keepalive, true);
      assert.ok(report[0].size > 0 && report[0].size < 65536, `${report[0].size} bytes`);
      assert.ok(posts[0].length < 65536);
      assert.equal(posts[0].length, report[0].size);
    });
  });

  test('a refused keepalive fetch falls back to sendBeacon', async () => {
    const posts = endpoint('/api/45b', () => 201);
    // What Chrome does when the keepalive quota is exhausted: the fetch rejects with a TypeError.
    const refuse = `<script>const f = window.fetch; window.fetch = function (u, i) { if (i && i.keepalive) return Promise.reject(new TypeError('Failed to fetch')); return f.apply(this, arguments); };</script>`;
    env.server.page('/45b.html', reportSite('/api/45b', refuse));
    await withPage(env.browser, async (page) => {
      await page.goto(`${env.server.url}/45b.html`);
      await page.evaluate(() => {
        consentkit.acceptAll();
      });
      await until('the beacon', () => posts.length >= 1);
      assert.match(posts[0].type ?? '', /^text\/plain/);
      assert.equal((JSON.parse(posts[0].body) as { action: string }).action, 'accept_all');
      assert.ok(posts[0].length < 65536);
    });
  });

  test('without fetch, a beacon the browser refuses (false) keeps the record and a later beacon delivers it', async () => {
    const posts = endpoint('/api/45c', () => 201);
    const beacon = `<script>delete window.fetch; window.fetch = undefined; window.beacons = []; const b = navigator.sendBeacon.bind(navigator); navigator.sendBeacon = function (u, d) { const ok = beacons.length > 0 && b(u, d); beacons.push(ok); return ok; };</script>`;
    env.server.page('/45c.html', reportSite('/api/45c', beacon));
    await withPage(env.browser, async (page) => {
      await page.goto(`${env.server.url}/45c.html`);
      await page.evaluate(() => {
        consentkit.rejectAll();
      });
      await until('the second beacon', () => posts.length >= 1, 30_000);
      const beacons = await page.evaluate(() => (window as unknown as { beacons: boolean[] }).beacons);
      assert.equal(beacons[0], false, 'the first beacon was refused');
      assert.equal(beacons.at(-1), true);
      assert.equal((JSON.parse(posts[0].body) as { action: string }).action, 'reject_all');
      assert.equal(await page.evaluate(() => localStorage.getItem('consentkit:outbox:consentkit')), null);
    });
  });
});

test('get, set, reset and withdraw, change events, and calls queued before the tag loads', { tag: '@item-46' }, async () => {
  const queue = `<script>
window.events = [];
addEventListener('consentkit:change', (e) => events.push(['change', e.detail.granted.join(), e.detail.revoked.join()]));
window.consentkit = window.consentkit || [];
consentkit.push(function (ck) { events.push(['queued-fn', ck.getState().decided]); });
consentkit.push(['set', { categories: { analytics: true } }]);
</script>`;
  env.server.page(
    '/46.html',
    site({ config: { categories: CATEGORIES, reloadOnWithdraw: false }, head: queue, body: '<script type="text/plain" data-category="analytics" src="/js/ok.js"></script>' }),
  );
  type Events = [string, ...unknown[]][];
  const events = (page: Page) => page.evaluate(() => (window as unknown as { events: Events }).events);
  env.server.page('/46-plain.html', site({ config: { categories: CATEGORIES, reloadOnWithdraw: false } }));
  await withPage(env.browser, async (page, ctx) => {
    const consentCookies = async () => (await ctx.cookies()).filter((c) => c.name == 'consentkit').map((c) => c.value);
    await page.goto(`${env.server.url}/46.html`);
    // The queue ran in order once the tag loaded.
    await until('queued set', async () => page.evaluate(() => consentkit.isGranted('analytics')));
    const first = await events(page);
    assert.deepEqual(first[0], ['queued-fn', false]);
    assert.deepEqual(first[1], ['change', 'analytics', '']);
    assert.equal(await page.evaluate(() => consentkit.getState().choice?.action), 'custom');
    await until('the marked script', async () => (await logOf(page)).includes('ok'));

    await page.evaluate(() => {
      consentkit.set({ categories: { analytics: true, advertising: true } });
    });
    assert.deepEqual((await events(page)).at(-1), ['change', 'advertising', '']);
    await page.evaluate(() => {
      consentkit.withdraw();
    });
    assert.deepEqual((await events(page)).at(-1), ['change', '', 'analytics,advertising']);
    assert.deepEqual(await page.evaluate(() => [consentkit.getState().choice?.action, consentkit.isGranted('analytics')]), ['withdraw', false]);
    await page.evaluate(() => {
      consentkit.reset();
    });
    assert.equal(await page.evaluate(() => consentkit.getState().decided), false);
    await part(page, 'consentkit-banner', 'accept-all').waitFor();
    assert.deepEqual(await consentCookies(), [], 'reset deletes the consent cookie');
    // push keeps working after load.
    await page.evaluate(() => {
      (consentkit as unknown as { push(i: unknown): void }).push(['acceptAll']);
    });
    assert.equal(await page.evaluate(() => consentkit.isGranted('advertising')), true);
    assert.equal((await consentCookies()).length, 1);

    // After a reset the next page view asks again: nothing stored is left to read.
    await page.evaluate(() => {
      consentkit.reset();
    });
    assert.deepEqual(await consentCookies(), [], 'reset deletes the consent cookie');
    await page.goto(`${env.server.url}/46-plain.html`);
    await part(page, 'consentkit-banner', 'accept-all').waitFor();
    assert.deepEqual(await page.evaluate(() => [consentkit.getState().decided, consentkit.isGranted('analytics'), consentkit.isGranted('advertising')]), [false, false, false]);
    await page.reload();
    await part(page, 'consentkit-banner', 'accept-all').waitFor();
    assert.equal(await page.evaluate(() => consentkit.getState().decided), false);
  });
});

test('a consent cookie set by the server with Set-Cookie is honoured', { tag: '@item-47' }, async () => {
  const t = Math.floor(Date.now() / 1000).toString(36);
  const value = `1|7d444840-9dc0-11d1-b245-5ffdce74fad2|${t}|${t}|1|c|a|0|necessary:1/analytics:1/advertising:0|`;
  env.server.page(
    '/47.html',
    site({ body: `<script type="text/plain" data-category="analytics" src="/js/ok.js"></script><script type="text/plain" data-category="advertising" src="/js/evil.js"></script>` }),
    { 'set-cookie': `consentkit=${value}; Path=/; SameSite=Lax; Max-Age=15724800` },
  );
  const uiBefore = requested('/dist/consentkit-ui.js');
  await withPage(env.browser, async (page) => {
    await page.goto(`${env.server.url}/47.html`);
    await until('the analytics script', async () => (await logOf(page)).includes('ok'));
    const state = await page.evaluate(() => consentkit.getState());
    assert.equal(state.decided, true);
    assert.equal(state.choice?.id, '7d444840-9dc0-11d1-b245-5ffdce74fad2');
    assert.deepEqual(state.categories, { necessary: true, analytics: true, advertising: false });
    await page.locator('consentkit-floating button').waitFor();
    assert.equal(await page.locator('consentkit-banner').count(), 0, 'no banner');
    assert.equal(requested('/dist/consentkit-ui.js'), uiBefore, 'the UI file is not even downloaded');
    assert.deepEqual(await logOf(page), ['ok']);
  });
});

test('the gate leaves a valid server-set cookie as the server wrote it, value and expiry', { tag: '@item-47' }, async () => {
  const t = Math.floor(Date.now() / 1000).toString(36);
  const value = `1|7d444840-9dc0-11d1-b245-5ffdce74fad2|${t}|${t}|1|c|a|0|necessary:1/analytics:1/advertising:0|`;
  // 30 days, not the 182 the SDK would write: a rewrite shows in the expiry as well as in the value.
  const maxAge = 30 * 86400;
  const body = '<script type="text/plain" data-category="analytics" src="/js/ok.js"></script>';
  env.server.page('/47b.html', site({ body }), { 'set-cookie': `consentkit=${value}; Path=/; SameSite=Lax; Max-Age=${maxAge}` });
  env.server.page('/47b-next.html', site({ body }));
  await withPage(env.browser, async (page, ctx) => {
    const cookie = async () => (await ctx.cookies()).find((c) => c.name == 'consentkit');
    const sentAt = Date.now() / 1000;
    await page.goto(`${env.server.url}/47b.html`);
    const set = await cookie();
    assert.ok(set, 'the server set it');
    assert.ok(Math.abs(set.expires - (sentAt + maxAge)) < 5, `expires ${set.expires}, the server's Max-Age from ${sentAt}`);
    let serverExpiry = set.expires;
    for (const next of ['/47b.html', '/47b-next.html', '/47b-next.html']) {
      await page.goto(`${env.server.url}${next}`);
      await until('the analytics script', async () => (await logOf(page)).includes('ok'));
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      assert.equal(await page.evaluate(() => consentkit.getState().decided), true);
      const now = await cookie();
      assert.equal(now?.value, value, `${next}: the value is untouched`);
      if (next.includes('next')) assert.equal(now.expires, serverExpiry, `${next}: the expiry is untouched`);
      else {
        // The server set it again (its Max-Age from now); the gate must not have rewritten it since.
        assert.ok(Math.abs(now.expires - (Date.now() / 1000 + maxAge)) < 5, `${next}: the server's Max-Age again, not the SDK's`);
        serverExpiry = now.expires;
      }
      assert.equal(now.sameSite, 'Lax');
    }
  });
});

test('the consent record holds no identifier other than consentId', { tag: '@item-48' }, async () => {
  const posts = endpoint('/api/48', () => 201);
  const trackers = `<script>document.cookie = '_ga=GA1.1.918273645.1700000000; path=/'; localStorage.setItem('uid', 'user-5550123');</script>`;
  env.server.page('/48.html', reportSite('/api/48', trackers));
  await withPage(env.browser, async (page) => {
    await page.goto(`${env.server.url}/48.html?email=someone%40example.com&uid=42#frag`);
    await part(page, 'consentkit-banner', 'accept-all').click();
    await until('the record', () => posts.length >= 1);
    const record = JSON.parse(posts[0].body) as Record<string, unknown>;
    const ua = await page.evaluate(() => navigator.userAgent);
    assert.deepEqual(Object.keys(record).sort(), [
      'action',
      'categories',
      'configHash',
      'consentId',
      'createdAt',
      'gpc',
      'language',
      'recordId',
      'revision',
      'schemaVersion',
      'sdkVersion',
      'services',
      'source',
      'updatedAt',
      'url',
    ]);
    assert.equal(record.url, `${env.server.url}/48.html`, 'no query or fragment');
    assert.equal(record.consentId, await page.evaluate(() => consentkit.getState().choice?.id));
    const text = posts[0].body;
    for (const secret of [ua, '918273645', 'user-5550123', 'someone', 'email', '#frag'])
      assert.ok(!text.includes(secret), `the record contains ${secret}`);
    // recordId names the record (for deduplication), not the visitor: new for every decision.
    await page.evaluate(() => {
      consentkit.rejectAll();
    });
    await until('the second record', () => posts.length >= 2);
    const second = JSON.parse(posts[1].body) as Record<string, unknown>;
    assert.equal(second.consentId, record.consentId);
    assert.notEqual(second.recordId, record.recordId);
  });
});
