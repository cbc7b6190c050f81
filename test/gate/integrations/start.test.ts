import { expect } from '@open-wc/testing';
import Cookies from 'js-cookie';
import { createConsentKit, type ConsentKit, type KitEnvironment } from '../../../src/gate/core/consent-kit.js';
import { startIntegrations, type DataLayerConsent } from '../../../src/gate/integrations/start.js';

let n = 0;
const w = window as unknown as Record<string, unknown[] | undefined>;

describe('startIntegrations', () => {
  const made: { kit: ConsentKit; layer: string }[] = [];
  /** A kit with its own cookie and its own dataLayer name, started like init() does. */
  const start = (env: KitEnvironment = {}, extra: Record<string, unknown> = {}) => {
    const layer = `dl${Date.now()}x${++n}`;
    const kit = createConsentKit(
      {
        cookie: { name: `ck-int-${Date.now()}-${n}` },
        categories: [{ id: 'necessary', required: true }, { id: 'analytics' }, { id: 'advertising' }],
        googleConsentMode: true,
        dataLayer: layer,
        ...extra,
      },
      env,
    );
    made.push({ kit, layer });
    startIntegrations(kit);
    const entries = () => w[layer] ?? [];
    const isArgs = (e: unknown) => Object.prototype.toString.call(e) == '[object Arguments]';
    return {
      kit,
      entries,
      updates: () => entries().filter((e) => isArgs(e) && (e as IArguments)[1] == 'update').map((e) => (e as IArguments)[2] as Record<string, string>),
      events: () => entries().flatMap((e) => ((e as { event?: string }).event == 'consentkit_update' ? [(e as { consentkit: DataLayerConsent }).consentkit] : [])),
      isArgs,
    };
  };
  afterEach(() => {
    for (const { kit, layer } of made.splice(0)) {
      Cookies.remove(kit.config.cookie.name, { path: '/' });
      Reflect.deleteProperty(w, layer);
    }
  });

  it('pushes the defaults as Arguments objects, then one page-view event', () => {
    const t = start();
    const e = t.entries();
    expect(e.slice(0, 3).every(t.isArgs)).to.equal(true);
    expect(Array.from(e[0] as IArguments).slice(0, 2)).to.deep.equal(['consent', 'default']);
    expect(t.updates()).to.deep.equal([]);
    expect(t.events()).to.have.length(1);
    expect(t.events()[0]).to.deep.include({ origin: 'load', decided: false, mode: 'opt-in', gpc: false, region: null });
  });

  it('a change sends one update and one event; a decision that changes nothing, only an event', () => {
    const t = start();
    t.kit.set({ categories: { analytics: true } });
    expect(t.updates()).to.have.length(1);
    expect(t.events()).to.have.length(2);
    t.kit.set({ categories: { analytics: true } });
    expect(t.updates()).to.have.length(1);
    expect(t.events()).to.have.length(3);
    expect(t.events()[2]).to.deep.include({ granted: ['necessary', 'analytics'], refused: ['advertising'], action: 'custom', origin: 'local' });
  });

  it('reset sends every mapped signal denied', () => {
    const t = start();
    t.kit.acceptAll();
    t.kit.reset();
    const last = t.updates().at(-1);
    expect(last).to.include({ analytics_storage: 'denied', ad_storage: 'denied' });
    expect(t.events().at(-1)).to.deep.include({ decided: false, action: null });
  });

  it('an opt-out page view sends its grants at once', () => {
    const t = start({ mode: 'opt-out' });
    expect(t.updates()).to.deep.equal([
      { analytics_storage: 'granted', ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' },
    ]);
  });

  it('GPC in an opt-out region records gpc_optout once the page has started', async () => {
    const t = start({ mode: 'opt-out', gpc: true });
    expect(t.kit.getState().decided).to.equal(false);
    await Promise.resolve();
    const choice = t.kit.getState().choice;
    expect(choice).to.include({ action: 'gpc_optout', source: 'api', gpc: true });
    expect(choice?.categories).to.deep.equal({ necessary: true, analytics: true, advertising: false });
    for (const u of t.updates()) expect(u.ad_storage).to.equal('denied');
  });

  it('GPC in an opt-in region or with gpc: false records nothing', async () => {
    const a = start({ gpc: true });
    const b = start({ mode: 'opt-out', gpc: true }, { gpc: false });
    await Promise.resolve();
    expect(a.kit.getState().decided).to.equal(false);
    expect(b.kit.getState().decided).to.equal(false);
    expect(b.kit.isGranted('advertising')).to.equal(true);
  });

  it('without googleConsentMode only the events are pushed', () => {
    const t = start({}, { googleConsentMode: false });
    t.kit.acceptAll();
    expect(t.entries().some(t.isArgs)).to.equal(false);
    expect(t.events()).to.have.length(2);
  });
});
