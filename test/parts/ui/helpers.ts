/** Shared set-up for the UI suites: a kit per test, axe with WCAG 2.2 rules, clean-up. */
import { expect } from '@open-wc/testing';
import { createConsentKit, type ConsentKit, type KitEnvironment } from '../../../src/gate/core/consent-kit.js';
import { mount } from '../../../src/parts/ui/define.js';
// The dialog is a part of its own; the gate loads it before opening the preferences.
import '../../../src/parts/preferences/define-preferences.js';

declare global {
  interface Window {
    axe?: { getRules(tags: string[]): { ruleId: string }[]; configure(spec: unknown): void };
  }
}

/**
 * chai-a11y-axe passes no tags to axe, and axe leaves `target-size` (WCAG 2.2
 * AA) off by default: switch on every rule tagged up to wcag22aa before it runs.
 */
export async function accessible(el: Element): Promise<void> {
  if (!window.axe) await import('axe-core/axe.min.js');
  const axe = window.axe;
  if (!axe) throw new Error('axe did not load');
  const ids = axe.getRules(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).map((r) => r.ruleId);
  expect(ids).to.include('target-size');
  axe.configure({ rules: ids.map((id) => ({ id, enabled: true })) });
  // Contrast is judged as the visitor finally sees it: a panel still fading in (a busy
  // machine may take longer than its 0.2 s) blends its colours with the page's.
  for (const animation of el.shadowRoot?.getAnimations() ?? []) animation.finish();
  await expect(el).to.be.accessible();
}

const kits: ConsentKit[] = [];
let n = 0;
const PAGE = Math.random().toString(36).slice(2, 8);

/** A fresh kit with its own cookie; `cleanup()` deletes it. */
export function makeKit(config: Record<string, unknown> = {}, env: KitEnvironment = {}): ConsentKit {
  // Unique per page too: test files run side by side share cookies and BroadcastChannels.
  // A config with problems has them named by the diagnostics part, as on a page.
  const kit = createConsentKit({ cookie: { name: `ck_ui_${PAGE}_${++n}` }, ...config }, env, () => import('../../../src/parts/diagnostics/diagnostics.js'));
  kits.push(kit);
  return kit;
}

/** Mounts a view and returns its element and shadow root. */
export async function show(kit: ConsentKit, view: 'banner' | 'preferences') {
  await mount(kit, view);
  const el = document.querySelector(view == 'banner' ? 'consentkit-banner' : 'consentkit-preferences');
  if (!el?.shadowRoot) throw new Error(`no ${view}`);
  await el.updateComplete;
  return { el, root: el.shadowRoot };
}

/** The shadow element matching `selector` (throws if absent). */
export const $ = (root: ParentNode, selector: string): HTMLElement => {
  const found = root.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
};

/** Where focus is, looking into shadow roots. */
export const focused = (): Element | null => {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
};

export function cleanup(): void {
  for (const el of document.querySelectorAll('consentkit-banner, consentkit-preferences, consentkit-floating, consentkit-withdraw')) el.remove();
  for (const kit of kits.splice(0)) kit.reset();
  document.body.style.paddingBottom = '';
  document.documentElement.removeAttribute('dir');
}
