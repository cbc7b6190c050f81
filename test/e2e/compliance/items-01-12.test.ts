// Checklist items 1–12 of REQUIREMENTS.md (EU rules: nothing before consent,
// reject as easy as accept, withdrawal, records, policy version), each proven
// on the built one-tag bundle in a real Chromium page, as a visitor would
// meet it: clicks, keys, scrolling, reloads, and what a tracker receives.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Browser, Page } from 'playwright-core';
import { EN } from '../../../src/parts/ui/texts.js';
import { ROOT, launchBrowser, startServer, type TestServer } from '../helpers.js';
import {
  CATEGORIES,
  clicks,
  contrast,
  cookieNames,
  countClicks,
  dataLayer,
  logDataLayer,
  loggedDataLayer,
  part,
  recordsAt,
  resetClicks,
  site,
  state,
  storageKeys,
  trackers,
  until,
  updates,
  views,
  visitor,
  type Api,
} from './tracking.js';

let browser: Browser;
let server: TestServer;

test.beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  server.route('/t/ext.js', ({ res }) => {
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end('(window.__runs = window.__runs || {}).ext = (window.__runs.ext || 0) + 1;');
  });
});
test.afterAll(async () => {
  await Promise.all([browser.close(), server.close()]);
});

const banner = (page: Page, name: string) => part(page, 'consentkit-banner', name);
const prefs = (page: Page, name: string) => part(page, 'consentkit-preferences', name);
const runs = (page: Page) => page.evaluate(() => (window as unknown as { __runs?: Record<string, number> }).__runs ?? {});
const OPTIONAL = ['functional', 'analytics', 'advertising'];
const allOptional = (on: boolean) => ({ necessary: true, ...Object.fromEntries(OPTIONAL.map((id) => [id, on])) });

/** Marked tags a real site would have: a Google tag, an inline pixel that writes a cookie and localStorage, an embed. */
const TAGS = `
<script type="text/plain" data-category="analytics" src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script>
<script type="text/plain" data-category="advertising">
  document.cookie = '_fbp=fb.1;path=/'; localStorage.setItem('ads_seen', '1');
  fetch('https://connect.facebook.net/tr?ev=PageView', { mode: 'no-cors' });
</script>
<iframe title="map" data-category="functional" data-src="https://tracker.example/embed"></iframe>`;

test('in opt-in mode nothing optional is stored or requested before any click', { tag: '@item-01' }, async () => {
  const url = site(server, {}, { body: TAGS });
  await visitor(browser, async (ctx, page) => {
    const seen = await trackers(ctx);
    await page.clock.install();
    await page.goto(url);
    await banner(page, 'accept-all').waitFor();
    await page.waitForLoadState('networkidle');
    // Not only the first moments: a timer released long after load (seconds, hours) must find nothing either.
    await page.clock.fastForward('02:00:00');
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    assert.equal((await state(page)).decided, false);
    assert.deepEqual(await cookieNames(ctx), [], 'no cookie at all before the visitor decides');
    assert.deepEqual(await storageKeys(page), [], 'no localStorage key');
    assert.deepEqual([...seen], [], 'no request to a tracker host');

    // The same page after consent: the harness does see trackers when they run.
    await banner(page, 'accept-all').click();
    await page.waitForFunction(() => localStorage.getItem('ads_seen') == '1');
    await page.waitForFunction(() => document.cookie.includes('_ga_TRACK'));
    assert.ok(seen.some((u) => u.includes('googletagmanager.com')));
    assert.ok(seen.some((u) => u.includes('connect.facebook.net')));
    assert.ok((await cookieNames(ctx)).includes('_fbp'));
  });
});

test('a text/plain data-category script runs only after its category is granted, once, as a new element', { tag: '@item-02' }, async () => {
  const body = `
<script type="text/plain" data-category="analytics">(window.__runs = window.__runs || {}).analytics = (window.__runs.analytics || 0) + 1;</script>
<script type="text/plain" data-category="analytics" src="/t/ext.js"></script>
<script type="text/plain" data-category="advertising">(window.__runs = window.__runs || {}).ads = (window.__runs.ads || 0) + 1;</script>
<script>window.__marked = Array.from(document.querySelectorAll('script[type="text/plain"]'));</script>`;
  const url = site(server, {}, { body });
  await visitor(browser, async (_ctx, page) => {
    await page.goto(url);
    await banner(page, 'preferences').click();
    await prefs(page, 'dialog').waitFor();
    assert.deepEqual(await runs(page), {}, 'nothing ran before the choice');

    await page.locator('consentkit-preferences input[data-id="analytics"]').check();
    await prefs(page, 'save').click();
    await page.waitForFunction(() => (window as unknown as { __runs?: { ext?: number } }).__runs?.ext == 1);
    assert.deepEqual(await runs(page), { analytics: 1, ext: 1 }, 'analytics ran once; advertising did not');
    const elements = await page.evaluate(() => {
      const marked = (window as unknown as { __marked: Element[] }).__marked;
      return Array.from(document.querySelectorAll('script[data-consentkit="activated"]')).map((s) => ({
        fresh: !marked.includes(s),
        type: s.getAttribute('type'),
        originalsGone: marked.slice(0, 2).every((m) => !m.isConnected),
      }));
    });
    assert.equal(elements.length, 2);
    for (const e of elements) assert.deepEqual(e, { fresh: true, type: null, originalsGone: true });

    // Granting more later runs only the newly granted script; analytics does not run again.
    await page.locator('consentkit-floating [part=floating]').click();
    await prefs(page, 'accept-all').click();
    await page.waitForFunction(() => (window as unknown as { __runs?: { ads?: number } }).__runs?.ads == 1);
    await page.waitForTimeout(300);
    assert.deepEqual(await runs(page), { analytics: 1, ext: 1, ads: 1 });

    await page.reload();
    await page.waitForFunction(() => (window as unknown as { __runs?: { ext?: number } }).__runs?.ext == 1);
    await page.waitForTimeout(300);
    assert.deepEqual(await runs(page), { analytics: 1, ext: 1, ads: 1 }, 'once per page view');
  });
});

interface Look {
  tag: string;
  fontSize: string;
  fontWeight: string;
  padding: string;
  color: string;
  background: string;
  width: number;
  height: number;
}

/** How the first layer's accept and reject buttons look to a visitor. */
const looks = async (page: Page): Promise<{ accept: Look; reject: Look }> => {
  const [accept, reject] = await page.evaluate((names) => {
    const root = document.querySelector('consentkit-banner')?.shadowRoot;
    return names.map((name): Look => {
      const el = root?.querySelector<HTMLElement>(`[part~="${name}"]`);
      if (!el) throw new Error(`no ${name} button`);
      const s = getComputedStyle(el);
      // The colour behind the text: the first opaque background from the button up.
      let bg = 'rgb(255, 255, 255)';
      for (let n: Element | null = el; n; ) {
        const c = getComputedStyle(n).backgroundColor;
        if (!/rgba\(.*, 0\)$/.test(c) && c != 'transparent') {
          bg = c;
          break;
        }
        const up = n.getRootNode();
        n = n.parentElement ?? (up instanceof ShadowRoot ? up.host : null);
      }
      const r = el.getBoundingClientRect();
      return {
        tag: el.tagName,
        fontSize: s.fontSize,
        fontWeight: s.fontWeight,
        padding: s.padding,
        color: s.color,
        background: bg,
        width: r.width,
        height: r.height,
      };
    });
  }, ['accept-all', 'reject-all']);
  return { accept, reject };
};

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe's color-contrast rule on each first-layer button, once the entry animation has finished. */
const seenContrast = async (page: Page) => {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    interface Result { nodes: { target: unknown; any: { message: string }[] }[] }
    const axe = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<Record<'passes' | 'violations' | 'incomplete', Result[]>> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast'] } });
    // (No named helper here: the test transpiler would inject one the page lacks.)
    return Object.fromEntries(
      ['accept-all', 'reject-all'].map((name) => {
        const [passes, violations, incomplete] = [r.passes, r.violations, r.incomplete].map((list) =>
          list.flatMap((x) => x.nodes.filter((n) => JSON.stringify(n.target).includes(`${name}\\"]`)).map((n) => n.any.map((a) => a.message).join(' '))),
        );
        return [name, { passes: passes.length, violations, incomplete }];
      }),
    );
  });
};

test('accept-all and reject-all are equal buttons on the first layer', { tag: '@item-03' }, async () => {
  for (const theme of ['light', 'dark'])
    for (const width of [1280, 375]) {
      const url = site(server, { ui: { theme } });
      await visitor(browser, async (_ctx, page) => {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(url);
        await banner(page, 'reject-all').waitFor();
        const { accept, reject } = await looks(page);
        const where = `${theme} theme, ${width} px`;
        assert.equal(accept.tag, 'BUTTON', where);
        assert.equal(reject.tag, 'BUTTON', where);
        assert.equal(reject.fontSize, accept.fontSize, `font size, ${where}`);
        assert.equal(reject.fontWeight, accept.fontWeight, `font weight, ${where}`);
        assert.equal(reject.padding, accept.padding, `padding, ${where}`);
        for (const b of [accept, reject])
          assert.ok(contrast(b.color, b.background) >= 4.5, `contrast ${contrast(b.color, b.background).toFixed(2)} (${where})`);
        assert.ok(Math.abs(accept.width - reject.width) <= 0.1 * Math.max(accept.width, reject.width), `width, ${where}`);
        assert.ok(Math.abs(accept.height - reject.height) <= 0.1 * Math.max(accept.height, reject.height), `height, ${where}`);
        // The contrast as the visitor sees it (opacity, filters, overlaps, backgrounds): axe's color-contrast rule on each button.
        for (const [name, r] of Object.entries(await seenContrast(page)))
          assert.deepEqual(r, { passes: 1, violations: [], incomplete: [] }, `${name}: axe color-contrast, ${where}`);
      });
    }
});

test.describe('reject-all takes the same number of clicks as accept-all', { tag: '@item-04' }, () => {
  /** Clicks a visitor needs from landing on the page until `expected` is stored. */
  const clicksTo = async (steps: (page: Page) => Promise<void>, expected: Record<string, boolean>) => {
    const url = site(server, {});
    return visitor(browser, async (_ctx, page) => {
      await countClicks(page);
      await page.goto(url);
      await steps(page);
      await page.waitForFunction(() => (window as unknown as { consentkit: { getState(): { decided: boolean } } }).consentkit.getState().decided);
      const s = await state(page);
      assert.deepEqual(s.categories, expected);
      return clicks(page);
    });
  };

  test('on the first layer', async () => {
    const accept = await clicksTo((p) => banner(p, 'accept-all').click(), allOptional(true));
    const reject = await clicksTo((p) => banner(p, 'reject-all').click(), allOptional(false));
    assert.equal(accept, 1);
    assert.equal(reject, accept);
  });

  test('through the preferences layer', async () => {
    const via = (name: string) => async (p: Page) => {
      await banner(p, 'preferences').click();
      await prefs(p, name).click();
    };
    const accept = await clicksTo(via('accept-all'), allOptional(true));
    const reject = await clicksTo(via('reject-all'), allOptional(false));
    assert.equal(accept, 2);
    assert.equal(reject, accept);
  });
});

test('on first render optional toggles are off, necessary is on and disabled', { tag: '@item-05' }, async () => {
  const url = site(server, {});
  await visitor(browser, async (_ctx, page) => {
    await page.goto(url);
    await banner(page, 'preferences').click();
    await prefs(page, 'dialog').waitFor();
    const toggles = await page.locator('consentkit-preferences input[part~="toggle"]').evaluateAll((els) =>
      els.map((e) => {
        const i = e as HTMLInputElement;
        return { id: i.dataset.id, checked: i.checked, disabled: i.disabled, role: i.getAttribute('role') };
      }),
    );
    assert.deepEqual(toggles, [
      { id: 'necessary', checked: true, disabled: true, role: 'switch' },
      { id: 'functional', checked: false, disabled: false, role: 'switch' },
      { id: 'analytics', checked: false, disabled: false, role: 'switch' },
      { id: 'ga4', checked: false, disabled: false, role: 'switch' },
      { id: 'advertising', checked: false, disabled: false, role: 'switch' },
    ]);
    assert.equal((await state(page)).decided, false, 'opening the preferences decides nothing');
  });
});

test('scrolling, clicking outside, navigating or waiting grants nothing', { tag: '@item-06' }, async () => {
  const marked = `<script type="text/plain" data-category="analytics">(window.__runs = window.__runs || {}).analytics = 1;</script>`;
  const second = site(server, {}, { body: marked });
  const first = site(server, {}, { body: `${marked}<div style="height:4000px">long article</div><a id="next" href="${new URL(second).pathname}">Next page</a>` });
  await visitor(browser, async (ctx, page) => {
    const seen = await trackers(ctx);
    await page.clock.install();
    await page.goto(first);
    await banner(page, 'accept-all').waitFor();
    // Clicks on the page outside the banner, before and after scrolling.
    await page.locator('h1').click();
    await page.mouse.wheel(0, 2500);
    await page.mouse.click(200, 150);
    await page.mouse.click(5, 5);
    await page.keyboard.press('PageDown');
    await page.clock.fastForward('02:00:00');
    assert.equal((await state(page)).decided, false);
    assert.deepEqual(await runs(page), {});

    await page.locator('#next').click();
    await page.waitForURL(second);
    await banner(page, 'accept-all').waitFor();
    const s = await state(page);
    assert.equal(s.decided, false, 'navigating is not consent');
    assert.deepEqual(s.categories, allOptional(false));
    assert.deepEqual(await runs(page), {});
    assert.deepEqual(await cookieNames(ctx), []);
    assert.deepEqual(seen, []);
  });
});

test.describe('closing with × or Escape never grants anything', { tag: '@item-07' }, () => {
  const marked = `<script type="text/plain" data-category="analytics">(window.__runs = window.__runs || {}).analytics = 1;</script>`;

  /** Closes the banner with `how` and returns the state and what ran. */
  const closeWith = async (config: Record<string, unknown>, how: (page: Page) => Promise<void>) => {
    const url = site(server, config, { body: marked });
    return visitor(browser, async (ctx, page) => {
      await page.goto(url);
      await banner(page, 'accept-all').waitFor();
      const text = await banner(page, 'text').textContent();
      await how(page);
      await banner(page, 'banner').waitFor({ state: 'detached' });
      await page.waitForTimeout(200);
      return { s: await state(page), ran: await runs(page), cookies: await cookieNames(ctx), text: text ?? '' };
    });
  };

  test('× records a refusal, and the banner says so', async () => {
    const r = await closeWith({}, (p) => banner(p, 'close').click());
    assert.equal(r.s.choice?.action, 'close');
    assert.deepEqual(r.s.categories, allOptional(false));
    assert.deepEqual(r.ran, {});
    assert.match(r.text, /Closing this banner refuses all optional cookies/);
  });

  test('Escape records a refusal (bar and modal layouts)', async () => {
    for (const layout of ['bar', 'modal']) {
      const r = await closeWith({ ui: { layout } }, async (p) => {
        await banner(p, 'accept-all').focus();
        await p.keyboard.press('Escape');
      });
      assert.equal(r.s.choice?.action, 'close', layout);
      assert.deepEqual(r.s.categories, allOptional(false), layout);
      assert.deepEqual(r.ran, {}, layout);
    }
  });

  test('the preferences dialog opened from the banner before any decision, closed with × or Escape, grants nothing', async () => {
    for (const [how, close] of [
      ['×', (p: Page) => prefs(p, 'close').click()],
      ['Escape', (p: Page) => p.keyboard.press('Escape')],
    ] as const) {
      const url = site(server, {}, { body: marked });
      await visitor(browser, async (ctx, page) => {
        await page.goto(url);
        await banner(page, 'preferences').click();
        await prefs(page, 'dialog').waitFor();
        await close(page);
        await prefs(page, 'dialog').waitFor({ state: 'detached' });
        await page.waitForTimeout(200);
        const s = await state(page);
        assert.deepEqual(s.categories, allOptional(false), how);
        assert.ok(Object.values(s.services).every((on) => !on), `${how}: no service granted`);
        // Either still undecided, with the banner asking, or a refusal recorded as a close.
        if (s.decided) assert.equal(s.choice?.action, 'close', how);
        else assert.ok(await banner(page, 'reject-all').isVisible(), `${how}: the banner still asks`);
        assert.deepEqual(await runs(page), {}, how);
        // Nor on the next page view.
        await page.reload();
        await page.waitForFunction(() => 'getState' in ((window as unknown as { consentkit?: object }).consentkit ?? {}));
        await page.waitForTimeout(200);
        assert.deepEqual((await state(page)).categories, allOptional(false), `${how}, after a reload`);
        assert.deepEqual(await runs(page), {}, `${how}, after a reload`);
        assert.ok(!(await cookieNames(ctx)).some((c) => c.startsWith('_ga')), how);
      });
    }
  });

  test('with closeAction "dismiss" nothing is stored and everything stays denied', async () => {
    const r = await closeWith({ ui: { closeAction: 'dismiss' } }, (p) => banner(p, 'close').click());
    assert.equal(r.s.decided, false);
    assert.deepEqual(r.s.categories, allOptional(false));
    assert.deepEqual(r.ran, {});
    assert.deepEqual(r.cookies, []);
  });
});

test('the page stays usable after reject-all', { tag: '@item-08' }, async () => {
  const body = `<div style="height:3000px"><button id="buy" onclick="this.textContent='Added'">Add to cart</button>
<input id="q" aria-label="Search"></div>`;
  for (const layout of ['bar', 'box', 'modal']) {
    const url = site(server, { ui: { layout } }, { body });
    await visitor(browser, async (_ctx, page) => {
      await page.goto(url);
      await banner(page, 'reject-all').click();
      await banner(page, 'banner').waitFor({ state: 'detached' });
      await page.locator('#buy').click({ timeout: 3000 });
      assert.equal(await page.locator('#buy').textContent(), 'Added', layout);
      await page.locator('#q').fill('shoes', { timeout: 3000 });
      assert.equal(await page.locator('#q').inputValue(), 'shoes', layout);
      await page.mouse.wheel(0, 1000);
      await page.waitForFunction(() => scrollY > 0);
      const blocked = await page.evaluate(() => {
        const hit = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
        return { inert: !!document.querySelector('[inert]'), hitConsentkit: !!hit?.closest('consentkit-banner,consentkit-preferences') };
      });
      assert.deepEqual(blocked, { inert: false, hitConsentkit: false }, layout);
    });
  }
});

test.describe('a settings control on every page; withdrawing takes no more clicks than consenting', { tag: '@item-09' }, () => {
  const config = {
    googleConsentMode: true,
    reloadOnWithdraw: true,
  };
  const body = `${TAGS}
<script type="text/plain" data-category="analytics">setInterval(function () { fetch('https://tracker.example/collect', { mode: 'no-cors' }); }, 150);</script>
<p><a href="/other">elsewhere</a> <button type="button" data-consentkit="withdraw">Withdraw my consent</button></p>`;

  /** Consents with accept-all; returns the clicks it took. */
  const consent = async (page: Page, url: string) => {
    await countClicks(page);
    await logDataLayer(page);
    await page.goto(url);
    await banner(page, 'accept-all').click();
    await page.waitForFunction(() => document.cookie.includes('_ga_TRACK'));
    return clicks(page);
  };

  const SIGNALS = ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage', 'functionality_storage', 'personalization_storage'];

  /**
   * What withdrawal left behind: the state after it (after the reload when there is
   * one), cookies, the Consent Mode updates of the withdrawing page and of the next,
   * and whether trackers went on.
   */
  const afterWithdrawal = async (page: Page, seen: string[], withdraw: () => Promise<void>, reloads = true) => {
    await resetClicks(page);
    if (reloads) await Promise.all([page.waitForEvent('load'), withdraw()]);
    else {
      await withdraw();
      await page.waitForFunction(() => (window as unknown as { consentkit: Api }).consentkit.getState().choice?.action == 'withdraw');
    }
    const used = await clicks(page);
    const before = seen.filter((u) => u.endsWith('/collect')).length;
    await page.waitForTimeout(1000);
    const dl = await loggedDataLayer(page);
    const pageViews = views(dl);
    // The page the visitor withdrew on: the one before the reload, or this one.
    const withdrawing = updates(pageViews.at(reloads ? -2 : -1) ?? []);
    return {
      used,
      reloaded: pageViews.length,
      last: updates(dl).at(-1) ?? {},
      withdrawing,
      granted: updates(dl).some((u) => u.analytics_storage == 'granted'),
      newCollects: seen.filter((u) => u.endsWith('/collect')).length - before,
      trackerRan: await page.evaluate(() => (window as unknown as { __trackerRuns?: number }).__trackerRuns ?? 0),
      s: await state(page),
    };
  };

  /** The withdrawing page itself sent the denial: its last update, after the one that granted, denies every signal. */
  const assertPageDenied = (r: Awaited<ReturnType<typeof afterWithdrawal>>) => {
    const granted = r.withdrawing.findIndex((u) => u.analytics_storage == 'granted');
    assert.ok(granted >= 0, 'the withdrawing page had granted analytics');
    const last = r.withdrawing.at(-1) ?? {};
    assert.ok(r.withdrawing.length - 1 > granted, 'an update followed on the withdrawing page');
    for (const signal of SIGNALS) assert.equal(last[signal], 'denied', `update on the withdrawing page: ${signal}`);
  };

  const assertWithdrawn = (r: Awaited<ReturnType<typeof afterWithdrawal>>, cookies: string[], consentClicks: number) => {
    assert.equal(consentClicks, 1, 'consent took one click');
    assert.ok(r.used <= consentClicks, `withdrawal took ${r.used} clicks`);
    assert.equal(r.used, 1);
    assert.equal(r.s.choice?.action, 'withdraw');
    assert.deepEqual(r.s.categories, allOptional(false));
    assert.ok(r.granted, 'an update had granted analytics before');
    assert.equal(r.reloaded, 2, 'the page was reloaded once');
    assertPageDenied(r);
    for (const signal of SIGNALS) assert.equal(r.last[signal], 'denied', `update after withdrawal: ${signal}`);
    assert.ok(!cookies.includes('_ga_TRACK'), 'configured analytics cookie (_ga*) deleted');
    assert.ok(!cookies.includes('_fbp'), 'configured advertising cookie deleted');
    assert.equal(r.newCollects, 0, 'the tracker stopped sending');
    assert.equal(r.trackerRan, 0, 'the tracker did not load again');
  };

  test('reloadOnWithdraw: false: the page that withdraws sends the denial itself, without a reload', async () => {
    const url = site(server, { ...config, reloadOnWithdraw: false }, { body });
    await visitor(browser, async (ctx, page) => {
      const seen = await trackers(ctx);
      const consentClicks = await consent(page, url);
      const r = await afterWithdrawal(page, seen, () => page.locator('consentkit-withdraw [part=withdraw]').click(), false);
      assert.equal(consentClicks, 1);
      assert.equal(r.used, 1);
      assert.equal(r.reloaded, 1, 'no reload');
      assert.equal(r.s.choice?.action, 'withdraw');
      assert.deepEqual(r.s.categories, allOptional(false));
      assertPageDenied(r);
      // The live dataLayer of this page, not only the log.
      const live = updates(await dataLayer(page)).at(-1) ?? {};
      for (const signal of SIGNALS) assert.equal(live[signal], 'denied', `live dataLayer: ${signal}`);
      const cookies = await cookieNames(ctx);
      assert.ok(!cookies.includes('_ga_TRACK') && !cookies.includes('_fbp'), 'configured cookies deleted');
    });
  });

  test('the floating entry point: settings on every page, withdraw in one click', async () => {
    const url = site(server, config, { body });
    const other = site(server, config, { path: '/other' });
    await visitor(browser, async (ctx, page) => {
      const seen = await trackers(ctx);
      const consentClicks = await consent(page, url);
      await page.locator('consentkit-floating [part=floating]').waitFor();
      // Another page of the site has the same controls.
      const second = await ctx.newPage();
      await second.goto(other);
      await second.locator('consentkit-floating [part=floating]').waitFor();
      assert.equal(await second.locator('consentkit-floating [part=floating]').getAttribute('aria-label'), 'Privacy settings');
      assert.ok(await second.locator('consentkit-withdraw [part=withdraw]').isVisible());
      await second.close();

      const r = await afterWithdrawal(page, seen, () => page.locator('consentkit-withdraw [part=withdraw]').click());
      assertWithdrawn(r, await cookieNames(ctx), consentClicks);
      assert.equal(r.s.choice?.source, 'page');
      // Nothing left to withdraw: the button is gone; the way back stays.
      assert.equal(await page.locator('consentkit-withdraw [part=withdraw]').count(), 0);
      assert.ok(await page.locator('consentkit-floating [part=floating]').isVisible());
    });
  });

  test('a data-consentkit="withdraw" control on the page, one click', async () => {
    const url = site(server, { ...config, ui: { withdrawButton: false } }, { body });
    await visitor(browser, async (ctx, page) => {
      const seen = await trackers(ctx);
      const consentClicks = await consent(page, url);
      assert.equal(await page.locator('consentkit-withdraw [part=withdraw]').count(), 0, 'ui.withdrawButton: false');
      const r = await afterWithdrawal(page, seen, () => page.getByText('Withdraw my consent').click());
      assertWithdrawn(r, await cookieNames(ctx), consentClicks);
    });
  });
});

test('before the choice each category shows title, description and its cookies with durations and providers', { tag: '@item-10' }, async () => {
  const url = site(server, {});
  await visitor(browser, async (_ctx, page) => {
    await page.goto(url);
    await banner(page, 'preferences').click();
    await prefs(page, 'dialog').waitFor();
    for (const summary of await page.locator('consentkit-preferences summary').all()) await summary.click();
    const sections = await page.locator('consentkit-preferences [part~="category"]').evaluateAll((els) =>
      els.map((el) => ({
        title: el.querySelector('h3')?.textContent.trim() ?? '',
        description: el.querySelector(':scope > p')?.textContent.trim() ?? '',
        rows: Array.from(el.querySelectorAll('tbody tr')).map((tr) => {
          const visible = (tr as HTMLElement).offsetParent != null;
          return visible ? Array.from(tr.querySelectorAll('td')).map((td) => td.textContent.trim()) : [];
        }),
      })),
    );
    assert.equal(sections.length, CATEGORIES.length);
    CATEGORIES.forEach((cat, i) => {
      const s = sections[i];
      assert.ok(s.title.length > 0, `${cat.id}: title`);
      assert.ok(s.description.length > 10, `${cat.id}: description`);
      const cookies = [...(cat.cookies ?? []), ...(cat.services ?? []).flatMap((sv) => sv.cookies)];
      assert.ok(cookies.length > 0);
      for (const c of cookies)
        assert.ok(
          s.rows.some((r) => r[0] == c.name && r[1] == c.provider && r[3] == c.duration),
          `${cat.id}: ${c.name} with provider ${c.provider} and duration ${c.duration} shown (${JSON.stringify(s.rows)})`,
        );
    });
    assert.equal((await state(page)).decided, false);
  });
});

/** JSON with object keys sorted at every level (the canonical form configHash is documented to hash). */
const sorted = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(sorted).join(',')}]`
    : v && typeof v == 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${sorted((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

test('each decision POSTs a record matching the schema', { tag: '@item-11' }, async () => {
  const records = recordsAt(server, '/api/records-11');
  const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'consent-record.v1.json'), 'utf8')) as object;
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  const url = site(
    server,
    { revision: '5', report: '/api/records-11', regions: { default: 'opt-in' } },
    { before: '<meta name="consentkit-region" content="DE">', path: '/checkout-11' },
  );
  const HOUR = 36e5;
  const t0 = Date.now();
  /** When each decision was made: an hour apart on the page clock. */
  const decidedAt = [t0, t0 + HOUR, t0 + 2 * HOUR];
  await visitor(browser, async (_ctx, page) => {
    await page.clock.install({ time: t0 });
    await page.goto(`${url}?email=alice%40example.com#frag`);
    await banner(page, 'accept-all').click();
    await page.clock.setSystemTime(decidedAt[1]);
    await page.locator('consentkit-floating [part=floating]').click();
    await page.locator('consentkit-preferences input[data-id="analytics"]').uncheck();
    await prefs(page, 'save').click();
    await page.clock.setSystemTime(decidedAt[2]);
    await page.locator('consentkit-withdraw [part=withdraw]').click();
    await page.waitForLoadState('load');
    const ua = await page.evaluate(() => navigator.userAgent);
    const version = await page.evaluate(() => (window as unknown as { consentkit: { version: string } }).consentkit.version);
    await until(page, () => records.length >= 3);

    assert.deepEqual(
      records.map((r) => [r.action, r.source]),
      [
        ['accept_all', 'banner'],
        ['custom', 'preferences'],
        ['withdraw', 'page'],
      ],
      'one record per decision',
    );
    const [first] = records;
    // The hash of what was in force: the config as written and the texts the banner showed (English, no override).
    const written = { categories: CATEGORIES, revision: '5', report: '/api/records-11', regions: { default: 'opt-in' } };
    const expectedHash = createHash('sha256').update(sorted({ config: written, shown: { language: 'en', texts: EN } })).digest('hex');
    for (const [i, r] of records.entries()) {
      const at = Date.parse(String(r.updatedAt));
      assert.ok(at >= decidedAt[i] - 1000 && at < decidedAt[i] + 60_000, `record ${i}: updatedAt ${String(r.updatedAt)} is when that decision was made (${new Date(decidedAt[i]).toISOString()})`);
      assert.equal(r.configHash, expectedHash, `record ${i}: configHash is the SHA-256 of the config and texts in force`);
      assert.ok(validate(r), JSON.stringify(validate.errors));
      assert.match(String(r.consentId), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(r.consentId, first.consentId, 'one consent id across decisions');
      assert.equal(r.createdAt, first.createdAt);
      const created = Date.parse(String(r.createdAt));
      assert.ok(created >= t0 - 1000 && created < t0 + 60_000, `createdAt ${String(r.createdAt)} is the first decision's time`);
      assert.match(String(r.updatedAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      assert.deepEqual(Object.keys(r.categories as object).sort(), ['advertising', 'analytics', 'functional', 'necessary']);
      assert.deepEqual(Object.keys(r.services as object), ['ga4']);
      assert.equal(r.revision, '5', 'policy version');
      assert.equal(r.sdkVersion, version);
      assert.equal(r.language, 'en');
      assert.equal(r.region, 'DE');
      assert.equal(r.gpc, false);
      assert.equal(r.url, `${server.url}/checkout-11`, 'URL without query or fragment');
      assert.ok(!JSON.stringify(r).includes(ua), 'no user agent');
    }
    assert.deepEqual(records[1].categories, { necessary: true, functional: true, analytics: false, advertising: true }, 'refusals included');
    assert.deepEqual(records[2].categories, allOptional(false));
  });
});

test('raising the policy version (revision) shows the banner again', { tag: '@item-12' }, async () => {
  let revision = 1;
  const marked = `<script type="text/plain" data-category="analytics">(window.__runs = window.__runs || {}).analytics = 1;</script>`;
  server.route('/policy-12', ({ res }) => {
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
    res.end(`<!doctype html><html lang="en"><head><title>p</title>
<script type="application/json" id="consentkit-config">${JSON.stringify({ revision })}</script>
<script src="/dist/consentkit.js"></script></head><body><p>page</p>${marked}</body></html>`);
  });
  await visitor(browser, async (_ctx, page) => {
    await page.goto(`${server.url}/policy-12`);
    await banner(page, 'accept-all').click();
    await page.reload();
    await page.locator('consentkit-floating [part=floating]').waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('consentkit-banner').count(), 0, 'same version: not asked again');
    assert.deepEqual(await runs(page), { analytics: 1 });

    revision = 2;
    await page.reload();
    await banner(page, 'accept-all').waitFor();
    const s = await state(page);
    assert.equal(s.decided, false, 'a new version asks again');
    assert.equal(s.categories.analytics, false);
    assert.deepEqual(await runs(page), {}, 'the old consent no longer runs anything');
    await banner(page, 'accept-all').click();
    assert.equal(
      await page.evaluate(() => (window as unknown as { consentkit: { getState(): { choice: { revision: string } | null } } }).consentkit.getState().choice?.revision),
      '2',
    );
  });
});
