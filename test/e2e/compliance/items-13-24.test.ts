// Checklist items 13–24 of REQUIREMENTS.md (expiry, Google Consent Mode v2,
// tag managers, Global Privacy Control), each proven on the built one-tag
// bundle in a real Chromium page. Fake Google tags record how much of the
// dataLayer they saw when they ran, so order is checked against real tags.
// Items 14–17 (the consent default and its order, regional defaults, the return
// visit's update) are proven beside the rest of Consent Mode, in
// test/e2e/consent-mode.test.ts.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import type { BrowserContext, Page } from 'playwright-core';
import { GOOGLE_TAGS, serveFakeTags, useBrowserAndServer } from '../helpers.js';
import {
  consentEvents,
  dataLayer,
  isCmd,
  part,
  recordsAt,
  site,
  state,
  until,
  updates,
  visitor,
  withGpc,
  type Api,
  type Entry,
} from './tracking.js';

const env = useBrowserAndServer((server) => {
  serveFakeTags(server, ['gtag.js', 'gtm.js', 'marked.js', 'ads.js']);
});

const DAY = 864e5;
const banner = (page: Page, name: string) => part(page, 'consentkit-banner', name);
const prefs = (page: Page, name: string) => part(page, 'consentkit-preferences', name);
const kit = (page: Page) => page.evaluate(() => {
  const k = (window as unknown as { consentkit: Api }).consentkit;
  return { ok: k.ok, mode: k.mode, gpc: k.gpc };
});

/** The usual Google snippets after the consentkit tag: gtag config, gtag.js, GTM, and marked tags. */
const GOOGLE = `${GOOGLE_TAGS}
<script type="text/plain" data-category="advertising" src="/fake/ads.js"></script>`;

interface TagRun {
  tag: string;
  at: number;
}
const tagRuns = (page: Page): Promise<TagRun[]> =>
  page.evaluate(() => (window as unknown as { __tags?: TagRun[] }).__tags ?? []);
/** Loads `url` and waits until the unmarked Google tags have run. */
async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => ((window as unknown as { __tags?: unknown[] }).__tags ?? []).length >= 2, null, {
    timeout: 20000,
  });
}

const googleSite = (config: Record<string, unknown>, before = '') =>
  site(env.server, { googleConsentMode: true, ...config }, { head: GOOGLE, before });
const firstIndex = (dl: Entry[], pred: (e: Entry) => boolean) => dl.findIndex(pred);
const US_CA = '<meta name="consentkit-region" content="US-CA">';
const REGIONS = { regions: { 'US-CA': 'opt-out', default: 'opt-in' } };

test.describe('the choice expires after a configurable time (default 6 months, at most 13)', { tag: '@item-13' }, () => {
  /** Decides at `t0`, then returns whether a page view at `t0 + days` still has the choice. */
  const decidedAfter = async (config: Record<string, unknown>, days: number[]) => {
    const url = site(env.server, config);
    return visitor(env.browser, async (ctx, page) => {
      const t0 = Date.now();
      await page.clock.install({ time: t0 });
      await page.goto(url);
      await banner(page, 'accept-all').click();
      const cookie = (await ctx.cookies()).find((c) => c.name == 'consentkit');
      const out: { expiresInDays: number; decided: Record<number, boolean> } = {
        expiresInDays: Math.round(((cookie?.expires ?? 0) * 1000 - t0) / DAY),
        decided: {},
      };
      for (const d of days) {
        await page.clock.setSystemTime(t0 + d * DAY);
        await page.reload();
        await page.waitForFunction(() => 'getState' in ((window as unknown as { consentkit?: object }).consentkit ?? {}));
        const s = await state(page);
        if (!s.decided) await banner(page, 'accept-all').waitFor();
        out.decided[d] = s.decided;
      }
      return out;
    });
  };

  test('default: 182 days', async () => {
    const r = await decidedAfter({}, [181, 183]);
    assert.equal(r.expiresInDays, 182, 'cookie lifetime');
    assert.deepEqual(r.decided, { 181: true, 183: false }, 'asked again after 6 months');
  });

  test('configurable: cookie.expiryDays 30', async () => {
    const r = await decidedAfter({ cookie: { expiryDays: 30 } }, [29, 31]);
    assert.equal(r.expiresInDays, 30);
    assert.deepEqual(r.decided, { 29: true, 31: false });
  });

  test('395 days is the most accepted; 396 is refused and nothing is stored', async () => {
    const r = await decidedAfter({ cookie: { expiryDays: 395 } }, [394]);
    assert.equal(r.expiresInDays, 395);
    assert.deepEqual(r.decided, { 394: true });

    const url = site(env.server, { cookie: { expiryDays: 396 } });
    await visitor(env.browser, async (ctx, page) => {
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() == 'error') errors.push(m.text());
      });
      await page.goto(url);
      await page.evaluate(() => {
        (window as unknown as { consentkit: Api }).consentkit.acceptAll();
      });
      assert.equal((await kit(page)).ok, false);
      assert.ok(errors.some((e) => e.includes('cookie.expiryDays')), errors.join('\n'));
      assert.equal((await state(page)).categories.analytics, false);
      assert.deepEqual((await ctx.cookies()).map((c) => c.name), []);
    });
  });
});

test('each toggle changes only its mapped signals, with every other category on and with every other off', { tag: '@item-18' }, async () => {
  // Stay on the page when a running tag's category is switched off, to read its dataLayer.
  const url = googleSite({ reloadOnWithdraw: false });
  const MAPPED: Record<string, string[]> = {
    functional: ['functionality_storage', 'personalization_storage'],
    analytics: ['analytics_storage'],
    advertising: ['ad_storage', 'ad_user_data', 'ad_personalization'],
  };
  const IDS = Object.keys(MAPPED);
  await visitor(env.browser, async (_ctx, page) => {
    await open(page, url);
    const last = async () => updates(await dataLayer(page)).at(-1) ?? {};
    /** Sets every switch in the dialog to `draft` and saves; returns the update it pushed. */
    const save = async (draft: Record<string, boolean>) => {
      const now = (await state(page)).categories;
      if (IDS.every((id) => now[id] == draft[id])) return last(); // nothing would change
      const count = updates(await dataLayer(page)).length;
      await page.locator('consentkit-floating [part=floating]').click();
      await prefs(page, 'dialog').waitFor();
      for (const id of IDS) await page.locator(`consentkit-preferences input[data-id="${id}"]`).setChecked(draft[id]);
      await prefs(page, 'save').click();
      await page.waitForFunction((n) => {
        const dl = (window as unknown as { dataLayer: unknown[] }).dataLayer;
        return dl.filter((e) => (e as unknown[])[0] == 'consent' && (e as unknown[])[1] == 'update').length > n;
      }, count);
      return last();
    };
    await banner(page, 'reject-all').click();
    for (const others of [false, true])
      for (const id of IDS)
        for (const on of [true, false]) {
          const where = `${id} ${on ? 'on' : 'off'}, every other category ${others ? 'on' : 'off'}`;
          const base = Object.fromEntries(IDS.map((k) => [k, others]));
          // The starting point: the other categories as wanted, this one the other way.
          const a = await save({ ...base, [id]: !on });
          const b = await save({ ...base, [id]: on });
          const changed = Object.keys({ ...a, ...b }).filter((k) => a[k] != b[k]).sort();
          assert.deepEqual(changed, [...MAPPED[id]].sort(), where);
          for (const s of MAPPED[id]) assert.equal(b[s], on ? 'granted' : 'denied', `${where}: ${s}`);
          for (const other of IDS.filter((k) => k != id))
            for (const s of MAPPED[other]) assert.equal(b[s], others ? 'granted' : 'denied', `${where}: ${s} follows ${other}`);
        }
  });
});

test('url_passthrough and ads_data_redaction are configurable and set before config', { tag: '@item-19' }, async () => {
  for (const [config, redaction, passthrough] of [
    [{}, true, false],
    [{ googleConsentMode: { urlPassthrough: true, adsDataRedaction: false } }, false, true],
  ] as const) {
    const url = googleSite(config);
    await visitor(env.browser, async (_ctx, page) => {
      await open(page, url);
      const dl = await dataLayer(page);
      const cfg = firstIndex(dl, (e) => isCmd(e, 'config'));
      const runs = await tagRuns(page);
      for (const [name, value] of [
        ['ads_data_redaction', redaction],
        ['url_passthrough', passthrough],
      ] as const) {
        const i = firstIndex(dl, (e) => isCmd(e, 'set', name));
        assert.ok(i >= 0, `${name} is set`);
        assert.equal(dl[i].args?.[2], value, name);
        assert.ok(i < cfg, `${name} (${i}) before config (${cfg})`);
        for (const r of runs) assert.ok(i < r.at, `${name} before ${r.tag} ran`);
      }
    });
  }
});

test('every change pushes a consentkit_update event onto the dataLayer', { tag: '@item-20' }, async () => {
  const url = googleSite({ reloadOnWithdraw: false });
  await visitor(env.browser, async (ctx, page) => {
    await open(page, url);
    const count = async () => consentEvents(await dataLayer(page)).length;
    const last = async () => consentEvents(await dataLayer(page)).at(-1) ?? {};
    assert.equal(await count(), 1);
    assert.deepEqual(await last(), {
      granted: ['necessary'],
      refused: ['functional', 'analytics', 'advertising', 'ga4'],
      decided: false,
      action: null,
      source: null,
      origin: 'load',
      mode: 'opt-in',
      gpc: false,
      region: null,
    });

    await banner(page, 'accept-all').click();
    assert.equal(await count(), 2);
    assert.deepEqual(await last(), { ...(await last()), action: 'accept_all', source: 'banner', origin: 'local', decided: true });
    assert.deepEqual(((await last()) as { refused: string[] }).refused, []);

    await page.locator('consentkit-floating [part=floating]').click();
    await page.locator('consentkit-preferences input[data-id="advertising"]').uncheck();
    await prefs(page, 'save').click();
    assert.equal(await count(), 3);
    assert.deepEqual(((await last()) as { refused: string[] }).refused, ['advertising']);

    // A decision that changes nothing is still pushed, once.
    await page.locator('consentkit-floating [part=floating]').click();
    await prefs(page, 'save').click();
    assert.equal(await count(), 4);

    // A change made in another tab reaches this one.
    const other = await ctx.newPage();
    await other.goto(url);
    await other.locator('consentkit-withdraw [part=withdraw]').click();
    await page.waitForFunction(() =>
      ((window as unknown as { dataLayer: { event?: string; consentkit?: { origin: string } }[] }).dataLayer).some(
        (e) => e.event == 'consentkit_update' && e.consentkit?.origin == 'remote',
      ),
    );
    const remote = (await last()) as { origin: string; action: string; refused: string[] };
    assert.deepEqual([remote.origin, remote.action], ['remote', 'withdraw']);
    assert.ok(remote.refused.includes('analytics'));
  });
});

test('opt-out region + GPC: advertising off, recorded as gpc_optout, "Opt-Out Request Honored" shown', { tag: '@item-21' }, async () => {
  const records = recordsAt(env.server, '/api/records-21');
  const url = googleSite({ ...REGIONS, report: '/api/records-21' }, US_CA);
  await visitor(env.browser, async (_ctx, page) => {
    await withGpc(page);
    await open(page, url);
    await page.waitForFunction(() => (window as unknown as { consentkit: Api }).consentkit.getState().decided);
    assert.deepEqual(await kit(page), { ok: true, mode: 'opt-out', gpc: true });
    const s = await state(page);
    assert.deepEqual(s.categories, { necessary: true, functional: true, analytics: true, advertising: false });
    assert.deepEqual([s.choice?.action, s.choice?.gpc], ['gpc_optout', true]);
    for (const u of updates(await dataLayer(page))) assert.equal(u.ad_storage, 'denied');
    assert.ok(!(await tagRuns(page)).some((r) => r.tag == 'ads.js'), 'the advertising tag did not run');

    // Shown on the page without any click, and in the preferences.
    const notice = page.getByText('Opt-Out Request Honored');
    await notice.first().waitFor();
    assert.ok(await notice.first().isVisible());
    await page.locator('consentkit-floating [part=floating]').click();
    assert.equal(await prefs(page, 'gpc').textContent(), 'Opt-Out Request Honored');

    await until(page, () => records.length > 0);
    assert.deepEqual(
      records.map((r) => [r.action, r.gpc, (r.categories as Record<string, boolean>).advertising]),
      [['gpc_optout', true, false]],
    );
  });
});

test.describe('a GPC conflict needs an explicit confirmation, which is recorded', { tag: '@item-22' }, () => {
  test('accept-all on the banner under GPC asks first; "Allow anyway" is recorded', async () => {
    const records = recordsAt(env.server, '/api/records-22a');
    const url = googleSite({ report: '/api/records-22a' });
    await visitor(env.browser, async (ctx, page) => {
      await withGpc(page);
      await open(page, url);
      await banner(page, 'accept-all').click();
      await banner(page, 'gpc-confirm').waitFor();
      assert.equal((await state(page)).decided, false, 'nothing decided before the answer');
      assert.equal(records.length, 0, 'nothing recorded before the answer');
      await banner(page, 'gpc-allow').click();
      await page.waitForFunction(() => (window as unknown as { consentkit: Api }).consentkit.getState().decided);
      const s = await state(page);
      assert.equal(s.categories.advertising, true);
      assert.deepEqual([s.choice?.action, s.choice?.gpc], ['accept_all', true]);
      await until(page, () => records.length > 0);
      assert.equal(records.length, 1);
      assert.deepEqual([records[0].action, records[0].gpc, records[0].gpcConfirmed], ['accept_all', true, true]);
      const value = decodeURIComponent((await ctx.cookies()).find((c) => c.name == 'consentkit')?.value ?? '');
      assert.equal(value.split('|')[7], '1', 'the cookie keeps the GPC flag: the grant stands on later GPC visits');
    });
  });

  test('"Keep my opt-out" grants the rest and keeps advertising refused', async () => {
    const records = recordsAt(env.server, '/api/records-22b');
    const url = googleSite({ report: '/api/records-22b' });
    await visitor(env.browser, async (_ctx, page) => {
      await withGpc(page);
      await open(page, url);
      await banner(page, 'accept-all').click();
      await banner(page, 'gpc-keep').click();
      await page.waitForFunction(() => (window as unknown as { consentkit: Api }).consentkit.getState().decided);
      const s = await state(page);
      assert.deepEqual(s.categories, { necessary: true, functional: true, analytics: true, advertising: false });
      await until(page, () => records.length > 0);
      assert.deepEqual([records[0].action, records[0].gpc, 'gpcConfirmed' in records[0]], ['custom', true, false]);
    });
  });

  test('switching advertising on in the preferences (opt-out region) asks too', async () => {
    const records = recordsAt(env.server, '/api/records-22c');
    const url = googleSite({ ...REGIONS, report: '/api/records-22c' }, US_CA);
    await visitor(env.browser, async (_ctx, page) => {
      await withGpc(page);
      await open(page, url);
      await page.waitForFunction(() => (window as unknown as { consentkit: Api }).consentkit.getState().choice?.action == 'gpc_optout');
      await page.locator('consentkit-floating [part=floating]').click();
      await page.locator('consentkit-preferences input[data-id="advertising"]').check();
      await prefs(page, 'save').click();
      await prefs(page, 'gpc-confirm').first().waitFor();
      assert.equal((await state(page)).categories.advertising, false, 'not granted before the answer');
      await prefs(page, 'gpc-allow').click();
      await page.waitForFunction(() => (window as unknown as { consentkit: Api }).consentkit.isGranted('advertising'));
      await until(page, () => records.length > 1);
      assert.deepEqual(
        records.map((r) => [r.action, r.gpcConfirmed ?? false]),
        [
          ['gpc_optout', false],
          ['custom', true],
        ],
      );
      assert.equal(updates(await dataLayer(page)).at(-1)?.ad_storage, 'granted');
    });
  });

  test('without GPC nothing is asked', async () => {
    const url = googleSite({});
    await visitor(env.browser, async (_ctx, page) => {
      await open(page, url);
      await banner(page, 'accept-all').click();
      assert.equal((await state(page)).categories.advertising, true);
    });
  });
});

test.describe('GPC absent on a later visit does not re-enable advertising', { tag: '@item-23' }, () => {
  const later = async (ctx: BrowserContext, url: string) => {
    const page = await ctx.newPage();
    await open(page, url);
    await page.waitForTimeout(300);
    return {
      gpc: (await kit(page)).gpc,
      advertising: (await state(page)).categories.advertising,
      adStorage: updates(await dataLayer(page)).map((u) => u.ad_storage),
      adsRan: (await tagRuns(page)).some((r) => r.tag == 'ads.js'),
    };
  };

  test('opt-out region: the gpc_optout record stands', async () => {
    const url = googleSite(REGIONS, US_CA);
    await visitor(env.browser, async (ctx, page) => {
      await withGpc(page);
      await open(page, url);
      await page.waitForFunction(() => (window as unknown as { consentkit: Api }).consentkit.getState().choice?.action == 'gpc_optout');
      assert.deepEqual(await later(ctx, url), { gpc: false, advertising: false, adStorage: ['denied'], adsRan: false });
    });
  });

  test('opt-in region: an opt-out kept under GPC stands', async () => {
    const url = googleSite({});
    await visitor(env.browser, async (ctx, page) => {
      await withGpc(page);
      await open(page, url);
      await banner(page, 'accept-all').click();
      await banner(page, 'gpc-keep').click();
      await page.waitForFunction(() => (window as unknown as { consentkit: Api }).consentkit.getState().decided);
      assert.deepEqual(await later(ctx, url), { gpc: false, advertising: false, adStorage: ['denied'], adsRan: false });
    });
  });
});

test('opt-in region + GPC: advertising starts off', { tag: '@item-24' }, async () => {
  const url = googleSite({ regions: { DE: 'opt-in', 'US-CA': 'opt-out' } }, '<meta name="consentkit-region" content="DE">');
  await visitor(env.browser, async (ctx, page) => {
    await withGpc(page);
    await open(page, url);
    assert.deepEqual(await kit(page), { ok: true, mode: 'opt-in', gpc: true });
    await banner(page, 'accept-all').waitFor();
    assert.equal(await banner(page, 'gpc').textContent(), 'Opt-Out Request Honored');
    const s = await state(page);
    assert.deepEqual([s.decided, s.categories.advertising], [false, false]);
    const dl = await dataLayer(page);
    assert.equal(updates(dl).length, 0);
    assert.equal((dl.find((e) => isCmd(e, 'consent', 'default'))?.args?.[2] as Record<string, string>).ad_storage, 'denied');
    assert.ok(!(await tagRuns(page)).some((r) => r.tag == 'ads.js'));
    await banner(page, 'preferences').click();
    assert.equal(await page.locator('consentkit-preferences input[data-id="advertising"]').isChecked(), false);
    assert.equal((await ctx.cookies()).some((c) => c.name == 'consentkit'), false, 'nothing is recorded for the visitor');
  });
});
