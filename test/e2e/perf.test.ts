// The non-byte performance budgets of issue 7 on whole pages, checked by counts
// and order rather than milliseconds (CI machines are shared and noisy): the
// banner causes no layout shift, and its work is split so that no single task
// both evaluates the UI file and renders the banner, or renders and lays it out.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import type { Page } from 'playwright-core';
import { useBrowserAndServer, withPage } from './helpers.js';

const env = useBrowserAndServer();

/** A page long enough to scroll, with content where a bottom bar would sit. */
const article = (layout: string) => `<!doctype html><html lang="en"><head><title>t</title>
<script type="application/json" id="consentkit-config">${JSON.stringify({ revision: 1, ui: { layout } })}</script>
<script src="/dist/consentkit.js"></script></head>
<body><h1>Article</h1>${'<p>Ordinary content, long enough to wrap over several lines and to fill the window.</p>'.repeat(60)}
<script type="text/plain" data-category="analytics">window.ran = true;</script></body></html>`;

interface Shifts {
  /** Every layout-shift entry, input-excluded ones too. */
  count: number;
  /** Sum of every entry's value. */
  total: number;
}

/** Installed before any page script: records every layout shift. */
function recordShifts() {
  const w = window as unknown as { __shifts: Shifts };
  w.__shifts = { count: 0, total: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { value: number })[]) {
      w.__shifts.count++;
      w.__shifts.total += e.value;
    }
  }).observe({ type: 'layout-shift', buffered: true });
}

/** Two frames: time for a pending layout, and its shift entry, to happen. */
const frames = (page: Page) =>
  page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const shifts = (page: Page) => page.evaluate(() => (window as unknown as { __shifts: Shifts }).__shifts);

for (const layout of ['bar', 'box', 'modal']) {
  test(`${layout}: showing the banner, accepting and the floating button shift nothing (CLS 0)`, async () => {
    env.server.page(`/cls-${layout}.html`, article(layout));
    await withPage(env.browser, async (page) => {
      await page.addInitScript(recordShifts);
      await page.goto(`${env.server.url}/cls-${layout}.html`);
      const accept = page.locator('consentkit-banner [part~="accept-all"]');
      await accept.waitFor();
      await frames(page);
      assert.deepEqual(await shifts(page), { count: 0, total: 0 }, 'the banner moved page content');
      await accept.click();
      await page.locator('consentkit-floating button').waitFor();
      await page.waitForFunction(() => (window as unknown as { ran?: boolean }).ran === true);
      await frames(page);
      assert.deepEqual(await shifts(page), { count: 0, total: 0 }, 'the decision or the floating button moved page content');
      // A returning visitor: the gate draws only the floating button.
      await page.reload();
      await page.locator('consentkit-floating button').waitFor();
      await frames(page);
      assert.deepEqual(await shifts(page), { count: 0, total: 0 }, 'the floating button moved page content');
    });
  });
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { data?: { url?: string; functionName?: string } };
}

/**
 * Loads `path` at 4x CPU throttling under a trace and returns the main thread's
 * events (the thread that painted the first contentful paint).
 */
async function traceLoad(path: string): Promise<TraceEvent[]> {
  let events: TraceEvent[] = [];
  await withPage(env.browser, async (page, ctx) => {
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await env.browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'loading'] });
    await page.goto(`${env.server.url}${path}`);
    await page.locator('consentkit-banner [part~="accept-all"]').waitFor();
    await frames(page);
    const trace = JSON.parse((await env.browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
    const fcp = trace.traceEvents.find((e) => e.name == 'firstContentfulPaint');
    assert.ok(fcp, 'no first contentful paint in the trace');
    events = trace.traceEvents.filter((e) => e.pid == fcp.pid && e.tid == fcp.tid);
  });
  return events;
}

const within = (task: TraceEvent, e: TraceEvent) => e.ts >= task.ts && e.ts < task.ts + (task.dur ?? 0);
const taskOf = (events: TraceEvent[], e: TraceEvent) =>
  events.find((t) => t.name == 'RunTask' && t.ph == 'X' && within(t, e));

test('4x CPU: the UI file is evaluated, the banner rendered and laid out in separate tasks', async () => {
  env.server.page('/split.html', article('bar'));
  const events = await traceLoad('/split.html');
  const evalUi = events.find((e) => e.name == 'EvaluateScript' && (e.args?.data?.url ?? '').includes('/dist/consentkit-ui.js'));
  const connect = events.find((e) => e.name == 'FunctionCall' && e.args?.data?.functionName == 'connectedCallback');
  assert.ok(evalUi && connect, 'the UI file was not evaluated or the banner not connected');
  const evalTask = taskOf(events, evalUi);
  const renderTask = taskOf(events, connect);
  assert.ok(evalTask && renderTask);
  assert.notEqual(evalTask, renderTask, 'the banner rendered in the task that evaluated the UI file');
  const layouts = events.filter((e) => e.name == 'Layout' && within(renderTask, e));
  assert.equal(layouts.length, 0, 'rendering the banner forced a synchronous layout');
});
