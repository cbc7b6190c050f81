import { expect } from '@open-wc/testing';
import Cookies from 'js-cookie';
import { createConsentKit, type ConsentKit } from '../../../src/gate/core/consent-kit.js';
import type { ConsentRecord, PendingRecord } from '../../../src/gate/reporting/record.js';
import { partLoader } from '../../../src/gate/parts.js';
import { OUTBOX_LIMIT, startReporter } from '../../../src/gate/reporting/reporter.js';

/** What the fake network answers: a status, a network error, or never. */
type Answer = number | 'network-error' | 'hang';

describe('startReporter', function () {
  // Retries wait for real backoff timers (1 s and up).
  this.timeout(30_000);
  let n = 0;
  const realFetch = window.fetch.bind(window);
  const realBeacon = navigator.sendBeacon.bind(navigator);
  const realError = console.error;
  const realWarn = console.warn;
  let calls: { url: string; init: RequestInit }[];
  let beacons: { url: string; body: string }[];
  let logged: string[];
  let answer: Answer;
  const cleanups: (() => void)[] = [];

  beforeEach(() => {
    calls = [];
    beacons = [];
    logged = [];
    answer = 201;
    window.fetch = (input, init = {}) => {
      calls.push({ url: input instanceof Request ? input.url : input.toString(), init });
      if (answer == 'network-error') return Promise.reject(new TypeError('Failed to fetch'));
      if (answer == 'hang')
        return new Promise((_, reject) => {
          init.signal?.addEventListener('abort', () => {
            reject(new DOMException('aborted', 'AbortError'));
          });
        });
      const body = answer >= 400 && answer < 500 ? JSON.stringify({ error: 'action must be one of …' }) : '{}';
      return Promise.resolve(new Response(body, { status: answer }));
    };
    navigator.sendBeacon = (url: string | URL, body?: BodyInit | null) => {
      beacons.push({ url: url.toString(), body: typeof body == 'string' ? body : '(not a string)' });
      return true;
    };
    console.error = (...args: unknown[]) => logged.push(args.join(' '));
    console.warn = (...args: unknown[]) => logged.push(args.join(' '));
  });
  afterEach(() => {
    for (const fn of cleanups.splice(0)) fn();
    window.fetch = realFetch;
    navigator.sendBeacon = realBeacon;
    console.error = realError;
    console.warn = realWarn;
  });

  /** The sender part as an ESM build has it; the gate side loads it on demand. */
  const load = () => partLoader(null, { sender: () => import('../../../src/parts/sender/sender.js') });
  /** A kit with a fresh cookie and outbox, reporting to /records; removed after the test. */
  const start = (report: unknown = { url: '/records', headers: { 'x-site': 's1' }, credentials: 'include', timeout: 50 }) => {
    const kit = createConsentKit({ cookie: { name: `ck-rep-${Date.now()}-${++n}` }, report });
    const stop = startReporter(kit, load());
    cleanups.push(() => {
      stop();
      Cookies.remove(kit.config.cookie.name, { path: '/' });
      localStorage.removeItem(outboxKey(kit));
    });
    return kit;
  };
  const outboxKey = (kit: ConsentKit) => `consentkit:outbox:${kit.config.cookie.name}`;
  const outbox = (kit: ConsentKit) => JSON.parse(localStorage.getItem(outboxKey(kit)) ?? '[]') as PendingRecord[];
  // Generous: timers in a background test page may be throttled to once a second.
  const until = async (what: string, ok: () => boolean, timeout = 20_000) => {
    const end = Date.now() + timeout;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what} (${calls.length} calls, ${beacons.length} beacons, logged: ${logged.join(" / ")})`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const bodyOf = (i: number) => JSON.parse(calls[i].init.body as string) as ConsentRecord;

  it('sends nothing when report is false', async () => {
    const kit = start(false);
    kit.acceptAll();
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).to.have.length(0);
    expect(localStorage.getItem(outboxKey(kit))).to.equal(null);
  });

  it('POSTs one JSON record per decision with keepalive, the headers and credentials, and empties the outbox on 201', async () => {
    const kit = start();
    kit.acceptAll();
    kit.acceptAll(); // an unchanged re-confirmation is a decision too
    await until('two requests', () => calls.length >= 2);
    const { url, init } = calls[0];
    expect(url).to.equal('/records');
    expect(init).to.include({ method: 'POST', keepalive: true, credentials: 'include' });
    expect(init.headers).to.deep.equal({ 'content-type': 'application/json', 'x-site': 's1' });
    expect(bodyOf(0).action).to.equal('accept_all');
    expect(bodyOf(0).recordId).to.not.equal(bodyOf(1).recordId);
    await until('an empty outbox', () => localStorage.getItem(outboxKey(kit)) === null);
    expect(beacons).to.have.length(0);
  });

  it('keeps the record in the outbox on a 5xx, 408 or 429 and retries it with the same record id', async () => {
    for (const status of [503, 408, 429]) {
      answer = status;
      calls = [];
      const kit = start();
      kit.rejectAll();
      await until('the first attempt', () => calls.length >= 1);
      await until('the record in the outbox', () => outbox(kit).length == 1);
      answer = 201;
      await until('the retry after backoff', () => calls.length >= 2);
      expect(bodyOf(1).recordId).to.equal(bodyOf(0).recordId);
      await until('an empty outbox', () => outbox(kit).length == 0);
    }
  });

  it('gives up on a hung request after the timeout and keeps the record', async () => {
    answer = 'hang';
    const kit = start();
    kit.rejectAll();
    await until('the first attempt', () => calls.length >= 1);
    await until('the abort', () => calls[0].init.signal?.aborted === true);
    expect(outbox(kit)).to.have.length(1);
    // An aborted attempt sends no beacon to the hung endpoint.
    expect(beacons).to.have.length(0);
  });

  it('also tries a beacon when fetch fails without an answer, but keeps the record until a fetch is acknowledged', async () => {
    answer = 'network-error';
    const kit = start();
    kit.rejectAll();
    await until('a beacon', () => beacons.length >= 1);
    expect(beacons[0].url).to.equal('/records');
    expect((JSON.parse(beacons[0].body) as ConsentRecord).action).to.equal('reject_all');
    expect(outbox(kit)).to.have.length(1);
    answer = 201;
    await until('an empty outbox', () => outbox(kit).length == 0);
  });

  it('uses sendBeacon when fetch does not exist, and counts a queued beacon as sent', async () => {
    // @ts-expect-error: a browser without fetch
    window.fetch = undefined;
    const kit = start();
    kit.acceptAll();
    await until('a beacon', () => beacons.length >= 1);
    await until('an empty outbox', () => localStorage.getItem(outboxKey(kit)) === null);
  });

  it('drops a record refused with a 4xx and logs the status and reason', async () => {
    answer = 400;
    const kit = start();
    kit.acceptAll();
    await until('the error', () => logged.length > 0);
    expect(logged[0]).to.contain('[consentkit]').and.contain('HTTP 400: action must be one of …');
    await until('an empty outbox', () => localStorage.getItem(outboxKey(kit)) === null);
    await new Promise((r) => setTimeout(r, 1200));
    expect(calls).to.have.length(1);
  });

  it(`keeps at most ${OUTBOX_LIMIT} records, dropping the oldest with a warning`, async () => {
    answer = 'hang';
    const kit = start();
    for (let i = 0; i < OUTBOX_LIMIT + 3; i++) kit.set({ categories: { analytics: i % 2 == 0 } });
    await until('every record built', () => new Set(calls.map((_, i) => bodyOf(i).recordId)).size == OUTBOX_LIMIT + 3);
    const list = outbox(kit);
    expect(list).to.have.length(OUTBOX_LIMIT);
    const sent = [...new Set(calls.map((_, i) => bodyOf(i).recordId))];
    expect(list.map((r) => r.recordId)).to.deep.equal(sent.slice(3));
    expect(logged.some((l) => l.includes('outbox full'))).to.equal(true);
  });

  it('sends records left by an earlier page view when it starts', async () => {
    const first = start();
    answer = 'hang';
    first.rejectAll();
    await until('the record in the outbox', () => outbox(first).length == 1);
    const left = outbox(first)[0];
    answer = 201;
    calls = [];
    // A new page view: same cookie name, so the same outbox.
    const again = createConsentKit({ cookie: { name: first.config.cookie.name }, report: '/records' });
    cleanups.push(startReporter(again, load()));
    await until('the resend', () => calls.some((c) => c.init.body === JSON.stringify(left) || (JSON.parse(c.init.body as string) as ConsentRecord).recordId == left.recordId));
    await until('an empty outbox', () => localStorage.getItem(outboxKey(first)) === null);
  });

  it('puts the decision in the outbox in the task it is made in, before the sender part is loaded', () => {
    answer = 'hang';
    const kit = start();
    kit.acceptAll();
    expect(outbox(kit).map((r) => [r.consentId, r.action])).to.deep.equal([[kit.getState().choice?.id, 'accept_all']]);
  });

  it('drops, with an error, an outbox entry no record can be made of', async () => {
    const name = `ck-rep-${Date.now()}-${++n}`;
    localStorage.setItem(`consentkit:outbox:${name}`, JSON.stringify([{ recordId: 'not-a-decision' }]));
    const kit = createConsentKit({ cookie: { name }, report: '/records' });
    cleanups.push(startReporter(kit, load()), () => {
      localStorage.removeItem(outboxKey(kit));
    });
    await until('an empty outbox', () => localStorage.getItem(outboxKey(kit)) === null);
    expect(calls).to.have.length(0);
    expect(logged.some((l) => l.includes('not a decision'))).to.equal(true);
  });

  it('never delays the decision: the state is applied before any request', () => {
    answer = 'hang';
    const kit = start();
    kit.acceptAll();
    expect(kit.isGranted('analytics')).to.equal(true);
    expect(calls).to.have.length(0);
  });
});
