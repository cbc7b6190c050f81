// Google Consent Mode, dataLayer events, regions and Global Privacy Control in
// real pages built like a site owner would: the consentkit tag first in
// <head>, then the usual gtag snippet, a gtag.js, a GTM container and a
// marked tag. Fake tags record which dataLayer index they saw when they ran,
// so the order of every dataLayer entry can be checked against them.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import type { BrowserContext, Page } from 'playwright-core';
import { DEFAULT_MAPPING, SIGNALS } from '../../src/gate/integrations/consent-mode.js';
import { GOOGLE_TAGS, serveFakeTags, useBrowserAndServer } from './helpers.js';

const env = useBrowserAndServer((server) => {
  serveFakeTags(server, ['gtag.js', 'gtm.js', 'marked.js']);
  server.route('/favicon.ico', ({ res }) => {
    res.writeHead(204);
    res.end();
  });
});

const CATEGORIES = [{ id: 'necessary', required: true }, { id: 'functional' }, { id: 'analytics' }, { id: 'advertising' }];
/** Tags the page loads after consentkit; marked.js runs only once the blocker grants analytics. */
const TAGS = ['gtag.js', 'gtm.js'];

let pages = 0;
/** Serves a site page and returns its URL. */
function site(config: Record<string, unknown>, head = ''): string {
  const path = `/site-${++pages}.html`;
  env.server.page(
    path,
    `<!doctype html><html lang="en"><head><title>site</title>${head}
<script type="application/json" id="consentkit-config">${JSON.stringify({ categories: CATEGORIES, ...config })}</script>
<script src="/dist/consentkit.js"></script>${GOOGLE_TAGS}
</head><body><p>content</p></body></html>`,
  );
  return env.server.url + path;
}

/** A dataLayer entry: `args` for gtag() commands (Arguments objects), `obj` for plain pushes. */
interface Entry {
  args?: unknown[];
  obj?: Record<string, unknown>;
  isArguments: boolean;
}
interface TagRun {
  tag: string;
  at: number;
}
interface DataLayerConsent {
  granted: string[];
  refused: string[];
  decided: boolean;
  action: string | null;
  source: string | null;
  origin: string;
  mode: string;
  gpc: boolean;
  region: string | null;
}
interface Api {
  getState(): { decided: boolean; categories: Record<string, boolean>; choice: { action: string; gpc: boolean } | null };
  set(i: unknown): void;
  acceptAll(): void;
  withdraw(): void;
  mode: string;
  gpc: boolean;
  region?: string;
}
declare const consentkit: Api;

/** Loads `url` and waits until the unmarked tags have run. */
async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(
    (n) => ((window as unknown as { __tags?: unknown[] }).__tags ?? []).length >= n,
    TAGS.length,
    { timeout: 20000 },
  );
}

const dataLayer = (page: Page): Promise<Entry[]> =>
  page.evaluate(() =>
    ((window as unknown as { dataLayer?: unknown[] }).dataLayer ?? []).map((e) => {
      const isArguments = Object.prototype.toString.call(e) == '[object Arguments]';
      return isArguments || Array.isArray(e)
        ? { args: JSON.parse(JSON.stringify(Array.from(e as ArrayLike<unknown>))) as unknown[], isArguments }
        : { obj: JSON.parse(JSON.stringify(e)) as Record<string, unknown>, isArguments };
    }),
  );
const tagRuns = (page: Page): Promise<TagRun[]> =>
  page.evaluate(() => (window as unknown as { __tags: TagRun[] }).__tags);

const isCmd = (e: Entry, a: string, b?: string) => e.args?.[0] == a && (b === undefined || e.args[1] == b);
const indexes = (dl: Entry[], pred: (e: Entry) => boolean) => dl.flatMap((e, i) => (pred(e) ? [i] : []));
const events = (dl: Entry[]) =>
  dl.filter((e) => e.obj?.event == 'consentkit_update').map((e) => e.obj?.consentkit as DataLayerConsent);
const updates = (dl: Entry[]) => dl.filter((e) => isCmd(e, 'consent', 'update')).map((e) => e.args?.[2] as Record<string, string>);

// The literal lists are checked in test/integrations/consent-mode.test.ts.
const SEVEN: readonly string[] = SIGNALS;
const MAPPED: Record<string, readonly string[]> = DEFAULT_MAPPING;

/** The consent state Google tags see: the global default, then every update in order. */
function effective(dl: Entry[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of dl) {
    const v = e.args?.[2] as Record<string, unknown> | undefined;
    if (isCmd(e, 'consent', 'default') && v && !('region' in v)) Object.assign(out, v);
    if (isCmd(e, 'consent', 'update')) Object.assign(out, v);
  }
  delete out.wait_for_update;
  return out;
}

/**
 * The ordering Google requires: every consent default (and the `set`
 * commands) before every tag, the GTM container and every `config` command;
 * with `updateFirst`, the load-time update before them too.
 */
function assertOrder(dl: Entry[], tags: TagRun[], updateFirst: boolean) {
  const defaults = indexes(dl, (e) => isCmd(e, 'consent', 'default'));
  const sets = indexes(dl, (e) => isCmd(e, 'set'));
  const firstUpdate = indexes(dl, (e) => isCmd(e, 'consent', 'update'))[0] as number | undefined;
  assert.ok(defaults.length >= 1, 'a consent default is pushed');
  if (updateFirst) assert.ok(firstUpdate !== undefined, 'an update is pushed on load');
  const mustPrecede = [...defaults, ...sets, ...(updateFirst && firstUpdate !== undefined ? [firstUpdate] : [])];
  const last = Math.max(...mustPrecede);
  for (const i of indexes(dl, (e) => isCmd(e, 'config') || isCmd(e, 'js') || e.obj?.event == 'gtm.js'))
    assert.ok(i > last, `entry ${i} (${JSON.stringify(dl[i])}) comes after the consent commands (last at ${last})`);
  for (const run of tags) assert.ok(run.at > last, `${run.tag} ran after the consent commands (saw ${run.at} entries, needs > ${last})`);
  assert.deepEqual(
    TAGS.filter((t) => !tags.some((r) => r.tag == t)),
    [],
    'every unmarked tag ran',
  );
  for (const i of mustPrecede)
    assert.equal(dl[i].isArguments, true, 'gtag commands are Arguments objects, as gtag.js requires');
}

/** Collects the console errors and uncaught exceptions of `page`. */
function errorsOf(page: Page, errors: string[] = []): string[] {
  page.on('console', (m) => m.type() == 'error' && errors.push(m.text())).on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** The consent cookie's fields (see the README's cookie section). */
async function cookieFields(ctx: BrowserContext): Promise<string[]> {
  const c = (await ctx.cookies()).find((k) => k.name == 'consentkit');
  return c ? c.value.split('|') : [];
}

test('first visit: the default covers all seven signals and precedes every tag, config and the GTM container', { tag: ['@item-14', '@item-15'] }, async ({ context: ctx }) => {
  const url = site({ googleConsentMode: { waitForUpdate: 1500, urlPassthrough: true } });
  const page = await ctx.newPage();
  const errors = errorsOf(page);
  await open(page, url);
  const dl = await dataLayer(page);
  assertOrder(dl, await tagRuns(page), false);
  const defaults = dl.filter((e) => isCmd(e, 'consent', 'default'));
  assert.equal(defaults.length, 1);
  const value = defaults[0].args?.[2] as Record<string, unknown>;
  assert.deepEqual(Object.keys(value).sort(), [...SEVEN, 'wait_for_update'].sort());
  for (const s of SEVEN) assert.equal(value[s], s == 'security_storage' ? 'granted' : 'denied', s);
  assert.equal(value.wait_for_update, 1500);
  // The very first entries are consentkit's, before the page's own snippet.
  assert.deepEqual(
    dl.slice(0, 3).map((e) => e.args?.slice(0, 2)),
    [['consent', 'default'], ['set', 'ads_data_redaction'], ['set', 'url_passthrough']],
  );
  assert.deepEqual(dl[1].args, ['set', 'ads_data_redaction', true]);
  assert.deepEqual(dl[2].args, ['set', 'url_passthrough', true]);
  assert.deepEqual(updates(dl), [], 'no update before the visitor decides (opt-in)');
  // The page-view consentkit_update event is item 20's (test/e2e/compliance/items-13-24.test.ts).
  assert.equal(
    (await tagRuns(page)).some((r) => r.tag == 'marked.js'),
    false,
    'the marked tag waits for consent',
  );
  assert.deepEqual(errors, []);
});

test('each category switch changes only its mapped signals; withdrawal sends denied; every decision is a dataLayer event', async ({ context: ctx }) => {
  // The marked analytics tag ran, so withdrawal would reload the page (the blocker's
  // default); keep the page to read the dataLayer afterwards.
  const url = site({ googleConsentMode: true, reloadOnWithdraw: false });
  const page = await ctx.newPage();
  await open(page, url);
  let dl = await dataLayer(page);
  const granted: Record<string, boolean> = {};
  for (const cat of ['analytics', 'advertising', 'functional']) {
    const before = effective(dl);
    granted[cat] = true;
    await page.evaluate((c) => {
      consentkit.set({ categories: c });
    }, granted);
    const next = await dataLayer(page);
    const added = next.slice(dl.length);
    assert.equal(updates(added).length, 1, `one update for ${cat}`);
    const after = effective(next);
    const changed = SEVEN.filter((s) => before[s] != after[s]);
    assert.deepEqual(changed, SEVEN.filter((s) => MAPPED[cat].includes(s)), `switching ${cat} on`);
    for (const s of MAPPED[cat]) assert.equal(after[s], 'granted');
    const ev = events(added);
    assert.equal(ev.length, 1, `one consentkit_update event for ${cat}`);
    assert.ok(ev[0].granted.includes(cat));
    assert.equal(ev[0].action, 'custom');
    assert.equal(ev[0].origin, 'local');
    dl = next;
  }
  // Switching one category back off changes only its signals too.
  await page.evaluate(() => {
    consentkit.set({ categories: { analytics: true, functional: true } });
  });
  let next = await dataLayer(page);
  assert.deepEqual(
    SEVEN.filter((s) => effective(dl)[s] != effective(next)[s]),
    MAPPED.advertising,
  );
  dl = next;

  // A decision that changes nothing still reaches GTM once, and sends no update.
  await page.evaluate(() => {
    consentkit.set({ categories: { analytics: true, functional: true } });
  });
  next = await dataLayer(page);
  assert.deepEqual(updates(next.slice(dl.length)), []);
  assert.equal(events(next.slice(dl.length)).length, 1);
  dl = next;

  await page.evaluate(() => {
    consentkit.withdraw();
  });
  next = await dataLayer(page);
  const added = next.slice(dl.length);
  assert.equal(updates(added).length, 1);
  const after = effective(next);
  for (const s of SEVEN) assert.equal(after[s], s == 'security_storage' ? 'granted' : 'denied', `${s} after withdrawal`);
  assert.deepEqual(
    events(added).map((e) => [e.action, e.granted]),
    [['withdraw', ['necessary']]],
  );
});

test('return visit: the update with the stored choice precedes every tag and config', { tag: '@item-17' }, async ({ context: ctx }) => {
  const url = site({ googleConsentMode: true });
  const page = await ctx.newPage();
  await open(page, url);
  await page.evaluate(() => {
    consentkit.set({ categories: { analytics: true } });
  });
  await open(page, url);
  // The marked analytics tag runs on this visit too, after the update like the others.
  await page.waitForFunction(() => (window as unknown as { __tags: TagRun[] }).__tags.some((r) => r.tag == 'marked.js'));
  const dl = await dataLayer(page);
  const runs = await tagRuns(page);
  assert.deepEqual(runs.map((r) => r.tag).sort(), ['gtag.js', 'gtm.js', 'marked.js']);
  assertOrder(dl, runs, true);
  const denied = Object.fromEntries(SEVEN.filter((s) => s != 'security_storage').map((s) => [s, 'denied']));
  assert.deepEqual(updates(dl), [{ ...denied, analytics_storage: 'granted' }]);
  const ev = events(dl);
  assert.equal(ev.length, 1);
  assert.equal(ev[0].origin, 'load');
  assert.equal(ev[0].decided, true);
  assert.equal(ev[0].action, 'custom');
  assert.deepEqual(ev[0].granted, ['necessary', 'analytics']);
});

test('region defaults: per-region defaults with ISO 3166-2 arrays, then the global default; a code that is not ISO 3166-2 is refused', { tag: '@item-16' }, async ({ context: ctx }) => {
  const regions = [
    { region: ['US-CA', 'US-CO'], ad_storage: 'granted', analytics_storage: 'granted' },
    { region: ['GB'], analytics_storage: 'granted' },
  ];
  const url = site({ googleConsentMode: { regions } });
  const page = await ctx.newPage();
  await open(page, url);
  const dl = await dataLayer(page);
  assertOrder(dl, await tagRuns(page), false);
  const defaults = dl.filter((e) => isCmd(e, 'consent', 'default')).map((e) => e.args?.[2] as Record<string, unknown>);
  assert.equal(defaults.length, 3);
  defaults.slice(0, 2).forEach((d, i) => {
    assert.deepEqual(d.region, regions[i].region);
    for (const code of d.region) assert.match(code, /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'ISO 3166-2');
    // A signal a region leaves out stays denied.
    for (const s of SEVEN)
      assert.equal(d[s], (regions[i] as Record<string, unknown>)[s] ?? (s == 'security_storage' ? 'granted' : 'denied'), `${s} in ${String(d.region)}`);
  });
  assert.equal('region' in defaults[2], false, 'the global default (no region) comes last');
  assert.equal(defaults[2].analytics_storage, 'denied');
  for (const d of defaults) assert.equal(d.wait_for_update, 500);

  const bad = await ctx.newPage();
  const errors = errorsOf(bad);
  await open(bad, site({ googleConsentMode: { regions: [{ region: ['California'], ad_storage: 'granted' }] } }));
  assert.equal((await dataLayer(bad)).filter((e) => isCmd(e, 'consent', 'default')).length, 1, 'only the global default');
  assert.ok(errors.some((e) => e.includes('googleConsentMode.regions[0]')), errors.join('\n'));
});

const OPT_OUT = { googleConsentMode: true, regions: { US: 'opt-out', default: 'opt-in' } };
const META_CA = '<meta name="consentkit-region" content="US-CA">';

test('opt-out region (server meta tag): starts granted before any tag; refusing sale/share via the API refuses', async ({ context: ctx }) => {
  const url = site(OPT_OUT, META_CA);
  const page = await ctx.newPage();
  await open(page, url);
  assert.deepEqual(await page.evaluate(() => [consentkit.mode, consentkit.region, consentkit.gpc]), ['opt-out', 'US-CA', false]);
  const dl = await dataLayer(page);
  assertOrder(dl, await tagRuns(page), true);
  const on = effective(dl);
  for (const s of SEVEN) assert.equal(on[s], 'granted', `${s} starts granted in an opt-out region`);
  assert.equal(events(dl)[0].mode, 'opt-out');
  assert.equal(events(dl)[0].region, 'US-CA');
  // What the "Do Not Sell or Share" entry point does: keep everything but sale/share.
  await page.evaluate(() => {
    consentkit.set({ categories: { functional: true, analytics: true, advertising: false } });
  });
  const after = effective(await dataLayer(page));
  for (const s of MAPPED.advertising) assert.equal(after[s], 'denied');
  assert.equal(after.analytics_storage, 'granted');
  assert.equal((await cookieFields(ctx))[8], 'necessary:1/functional:1/analytics:1/advertising:0');
});

/** Defines navigator.globalPrivacyControl before any script of the page runs. */
const withGpc = (page: Page) =>
  // A string, not a function: the test transpiler would inject helpers the page lacks.
  page.addInitScript(
    "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });",
  );

test('GPC in an opt-out region refuses advertising, is recorded as gpc_optout and stays refused without the signal', async ({ context: ctx }) => {
  const url = site(OPT_OUT, META_CA);
  const page = await ctx.newPage();
  await withGpc(page);
  await open(page, url);
  await page.waitForFunction(() => consentkit.getState().decided, null, { timeout: 10000 });
  // kit.gpc drives the UI's "Opt-Out Request Honored" notice.
  assert.deepEqual(await page.evaluate(() => [consentkit.gpc, consentkit.mode]), [true, 'opt-out']);
  assert.deepEqual(await page.evaluate(() => consentkit.getState().categories), {
    necessary: true,
    functional: true,
    analytics: true,
    advertising: false,
  });
  assert.equal(await page.evaluate(() => consentkit.getState().choice?.action), 'gpc_optout');
  const fields = await cookieFields(ctx);
  assert.equal(fields[5], 'g', 'cookie action: GPC opt-out');
  assert.equal(fields[7], '1', 'cookie GPC flag');
  assert.equal(fields[8], 'necessary:1/functional:1/analytics:1/advertising:0');
  const dl = await dataLayer(page);
  assertOrder(dl, await tagRuns(page), true);
  // Advertising signals were never granted to any tag.
  for (const e of updates(dl)) for (const s of MAPPED.advertising) assert.equal(e[s], 'denied');
  assert.equal(effective(dl).analytics_storage, 'granted');
  assert.ok(events(dl).some((e) => e.action == 'gpc_optout' && e.refused.includes('advertising') && e.gpc));

  // A later visit without the signal does not re-enable advertising.
  const plain = await ctx.newPage();
  await open(plain, url);
  assert.deepEqual(await plain.evaluate(() => [consentkit.gpc, consentkit.getState().categories.advertising]), [false, false]);
  for (const e of updates(await dataLayer(plain))) assert.equal(e.ad_storage, 'denied');
  await plain.close();

  // An explicit opt-in under GPC is recorded and stands on the next GPC visit.
  await page.evaluate(() => {
    consentkit.acceptAll();
  });
  const accepted = await cookieFields(ctx);
  assert.deepEqual([accepted[5], accepted[7]], ['a', '1']);
  await open(page, url);
  assert.equal(await page.evaluate(() => consentkit.getState().categories.advertising), true);
  assert.equal(effective(await dataLayer(page)).ad_storage, 'granted');
});

test('GPC over a choice made without it: advertising refused and the opt-out recorded', async ({ context: ctx }) => {
  const url = site(OPT_OUT, META_CA);
  const page = await ctx.newPage();
  await open(page, url);
  await page.evaluate(() => {
    consentkit.acceptAll();
  });
  const gpcPage = await ctx.newPage();
  await withGpc(gpcPage);
  await open(gpcPage, url);
  await gpcPage.waitForFunction(() => consentkit.getState().choice?.action == 'gpc_optout', null, { timeout: 10000 });
  const dl = await dataLayer(gpcPage);
  assertOrder(dl, await tagRuns(gpcPage), true);
  for (const e of updates(dl)) assert.equal(e.ad_storage, 'denied');
  assert.equal((await cookieFields(ctx))[8], 'necessary:1/functional:1/analytics:1/advertising:0');
});

test('gpc: false in the config ignores the signal', async ({ context: ctx }) => {
  const url = site({ ...OPT_OUT, gpc: false }, META_CA);
  const page = await ctx.newPage();
  await withGpc(page);
  await open(page, url);
  assert.deepEqual(await page.evaluate(() => [consentkit.gpc, consentkit.getState().categories.advertising]), [false, true]);
});

test('an invalid googleConsentMode option: a console error naming it, and every signal stays denied', async ({ context: ctx }) => {
  const url = site({ googleConsentMode: { waitForUpdate: 'soon' }, dataLayer: 'data layer' });
  const page = await ctx.newPage();
  const errors = errorsOf(page);
  await open(page, url);
  assert.ok(errors.some((e) => e.includes('[consentkit] invalid config: googleConsentMode.waitForUpdate')), errors.join('\n'));
  assert.ok(errors.some((e) => e.includes('[consentkit] invalid config: dataLayer')), errors.join('\n'));
  await page.evaluate(() => {
    consentkit.acceptAll();
  });
  const dl = await dataLayer(page);
  assertOrder(dl, await tagRuns(page), false);
  assert.deepEqual(updates(dl), []);
  assert.equal(effective(dl).analytics_storage, 'denied');
});

test('a custom dataLayer name receives the commands and events', async ({ context: ctx }) => {
  const path = `/custom-dl.html`;
  env.server.page(
    path,
    `<!doctype html><html lang="en"><head><title>t</title>
<script type="application/json" id="consentkit-config">${JSON.stringify({ googleConsentMode: true, dataLayer: 'tagData' })}</script>
<script src="/dist/consentkit.js"></script></head><body></body></html>`,
  );
  const page = await ctx.newPage();
  await page.goto(env.server.url + path);
  const shape = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown[] | undefined>;
    return { ours: (w.tagData ?? []).length, theirs: w.dataLayer === undefined };
  });
  assert.deepEqual(shape, { ours: 4, theirs: true });
});
