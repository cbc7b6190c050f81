import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import Cookies from 'js-cookie';
import { start } from '../../../src/parts/audit/audit.js';
import { OVERLAY_TAG } from '../../../src/parts/audit/overlay.js';
import type { AuditApi, AuditDetail } from '../../../src/parts/audit/types.js';
import { createConsentKit, type ConsentKit } from '../../../src/gate/core/consent-kit.js';

let n = 0;
const config = () => ({
  cookie: { name: `ck-audit-${Date.now()}-${++n}` },
  categories: [
    { id: 'necessary', required: true, cookies: [{ name: 'sess*' }] },
    { id: 'analytics', services: [{ id: 'ga4', cookies: [{ name: '_ga*' }] }] },
    { id: 'advertising' },
  ],
});

describe('audit mode', () => {
  let kit: ConsentKit;
  let audit: AuditApi | undefined;
  const cookies: string[] = [];
  const setCookie = (name: string) => {
    cookies.push(name);
    document.cookie = `${name}=1; path=/`;
  };
  beforeEach(() => {
    kit = createConsentKit(config());
  });
  afterEach(() => {
    audit?.stop();
    audit = undefined;
    for (const c of cookies.splice(0)) Cookies.remove(c, { path: '/' });
    Cookies.remove(kit.config.cookie.name, { path: '/' });
    localStorage.removeItem('_fbp_test');
    for (const el of document.querySelectorAll('[data-audit-test]')) el.remove();
  });
  const find = (kind: string, name: string) => audit?.findings.find((f) => f.kind == kind && f.name == name);

  it('reports cookies and storage keys before consent, with the category from the config or the table', async () => {
    setCookie('_ga_T1');
    setCookie('_fbp');
    setCookie('session_id');
    localStorage.setItem('_fbp_test', '1');
    const event = oneEvent(window, 'consentkit:audit');
    audit = start(kit);
    const { detail } = (await event) as CustomEvent<AuditDetail>;
    expect(find('cookie', '_ga_T1')).to.include({ category: 'analytics', basis: 'config' });
    expect(find('cookie', '_fbp')).to.include({ category: 'advertising', basis: 'guess' });
    expect(find('storage', '_fbp_test')).to.include({ category: 'advertising', basis: 'guess' });
    // Declared under a required category: allowed before consent.
    expect(find('cookie', 'session_id')).to.equal(undefined);
    // Its own cookie is never a finding.
    expect(find('cookie', kit.config.cookie.name)).to.equal(undefined);
    // The event carries the findings. Compared by name: test files running at the
    // same time share the cookie jar, so later polls may add cookies of theirs.
    for (const [kind, name] of [['cookie', '_ga_T1'], ['cookie', '_fbp'], ['storage', '_fbp_test']])
      expect(detail.findings.find((f) => f.kind == kind && f.name == name)).to.deep.equal(find(kind, name));
  });

  it('leaves out what the visitor granted, and reports it after withdrawal', () => {
    kit.set({ categories: { analytics: true } });
    setCookie('_ga_T2');
    setCookie('_fbp');
    audit = start(kit);
    expect(find('cookie', '_ga_T2')).to.equal(undefined);
    expect(find('cookie', '_fbp')).to.include({ category: 'advertising' });
    kit.withdraw();
    setCookie('_ga_T2');
    audit.scan();
    expect(find('cookie', '_ga_T2')).to.include({ category: 'analytics' });
  });

  it('reports unmarked scripts added later, and ignores marked and inert ones', async () => {
    audit = start(kit);
    const add = (attrs: Record<string, string>, text: string) => {
      const s = document.createElement('script');
      s.setAttribute('data-audit-test', '');
      for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v);
      s.text = text;
      document.body.append(s);
    };
    add({}, "window.auditTest = 1; /* fbq('init') */");
    add({ type: 'text/plain', 'data-category': 'analytics' }, "gtag('config')");
    add({ type: 'application/json' }, '{"gtag(":1}');
    add({}, 'window.consentkit = window.consentkit || [];');
    await waitUntil(() => audit?.findings.some((f) => f.name.includes('auditTest')), 'script reported');
    // The test runner's own page scripts are findings too; look at ours only.
    const ours = audit.findings.filter((f) => /auditTest|gtag|consentkit/.test(f.name));
    expect(ours.map((f) => [f.kind, f.category])).to.deep.equal([['script', 'advertising']]);
    expect(ours[0].name).to.match(/^inline: window.auditTest = 1;/);
    delete (window as { auditTest?: number }).auditTest;
  });

  it('reports a tag before the consentkit tag that a config service names, whatever the visitor chose', async () => {
    // The resolved config as the resolver gives it once services carry URL patterns.
    const config = JSON.parse(JSON.stringify(kit.config)) as ConsentKit['config'];
    const [service] = config.categories[1].services ?? [];
    service.urls = [`${location.hostname}/audit-early-test.gif`];
    const withUrls = new Proxy(kit, { get: (target, key) => (key == 'config' ? config : Reflect.get(target, key)) as unknown });
    kit.set({ categories: { analytics: true } });
    const early = document.createElement('img');
    early.src = '/audit-early-test.gif';
    const late = document.createElement('img');
    late.src = '/audit-early-test.gif?late';
    const gate = document.createElement('script');
    gate.type = 'text/plain';
    gate.src = '/audit-test/consentkit.js';
    for (const el of [early, gate, late]) el.setAttribute('data-audit-test', '');
    document.body.append(early, gate, late);
    audit = start(withUrls);
    await waitUntil(() => find('early-tag', early.src), 'early tag reported');
    expect(find('early-tag', early.src)).to.include({ category: 'analytics', basis: 'config' });
    expect(find('early-tag', early.src)?.advice).to.match(/before consentkit could block it/);
    expect(find('early-tag', late.src)).to.equal(undefined);
    // No catalog without the folder consentkit came from: said, not fetched.
    expect(audit.catalog).to.equal('unavailable');
  });

  it('reports workers started while it runs, and puts the Worker constructor back on stop', async () => {
    const original = window.Worker;
    audit = start(kit);
    const url = URL.createObjectURL(new Blob(['postMessage(1)'], { type: 'text/javascript' }));
    const worker = new Worker(url);
    const ran = new Promise<unknown>((resolve) => {
      worker.addEventListener('message', (e) => {
        resolve(e.data);
      });
    });
    await waitUntil(() => find('worker', url), 'worker reported');
    expect(find('worker', url)?.advice).to.match(/cannot block what a worker loads or sends/);
    // The worker itself runs as before.
    expect(await ran).to.equal(1);
    worker.terminate();
    URL.revokeObjectURL(url);
    audit.stop();
    audit = undefined;
    expect(window.Worker).to.equal(original);
  });

  it('shows an accessible overlay and removes it on stop', async () => {
    setCookie('_fbp');
    audit = start(kit);
    await waitUntil(() => document.querySelector(OVERLAY_TAG), 'overlay shown');
    const host = document.querySelector(OVERLAY_TAG);
    if (!(host instanceof HTMLElement)) throw new Error('no overlay');
    await expect(host).to.be.accessible();
    expect(host.shadowRoot?.textContent).to.include('_fbp');
    expect(window.consentkitAudit).to.equal(audit);
    audit.stop();
    expect(document.querySelector(OVERLAY_TAG)).to.equal(null);
    expect(window.consentkitAudit).to.equal(undefined);
  });
});
