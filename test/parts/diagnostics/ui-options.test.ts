import { expect } from '@open-wc/testing';
import { resolveConfig } from '../../../src/gate/core/config.js';
import { reportConfig } from '../../../src/parts/diagnostics/diagnostics.js';
import { safeUrl } from '../../../src/parts/diagnostics/ui-options.js';

/** The console errors `reportConfig` logs for `config`. */
function reported(config: unknown): string[] {
  const errors: string[] = [];
  const original = console.error;
  console.error = (...a: unknown[]) => errors.push(a.join(' '));
  try {
    reportConfig(resolveConfig(config));
  } finally {
    console.error = original;
  }
  return errors;
}

describe('ui options', () => {
  it('fills defaults', () => {
    expect(resolveConfig({ ui: {} }).ui).to.deep.equal({ layout: 'bar', theme: 'auto', floatingButton: true, withdrawButton: true, closeAction: 'reject' });
  });

  it('reports each bad field with its path and keeps the default, the config still usable', () => {
    const ui = { layout: 'popup', theme: 1, floatingButton: 'no', closeAction: 'accept', privacyPolicyUrl: 'javascript:alert(1)', colour: 'red', withdrawButton: false };
    const config = resolveConfig({ ui });
    expect(config.ui).to.deep.equal({ layout: 'bar', theme: 'auto', floatingButton: true, withdrawButton: false, closeAction: 'reject' });
    expect(config.status).to.deep.equal({ usable: true, consentModeUsable: true, needsDiagnostics: true });
    expect(reported({ ui })).to.deep.equal([
      '[consentkit] invalid config: ui.layout must be "bar", "box" or "modal"',
      '[consentkit] invalid config: ui.theme must be "auto", "light" or "dark"',
      '[consentkit] invalid config: ui.floatingButton must be true or false',
      '[consentkit] invalid config: ui.closeAction must be "reject" or "dismiss"',
      '[consentkit] invalid config: ui.privacyPolicyUrl must be an http(s) or relative URL',
      '[consentkit] invalid config: ui.colour is not a known option',
    ]);
  });

  it('reports an Object.prototype name as an unknown option instead of throwing', () => {
    const ui = { toString: 'x', constructor: 'y' };
    expect(resolveConfig({ ui }).ui).to.deep.equal(resolveConfig({}).ui);
    expect(reported({ ui })).to.deep.equal([
      '[consentkit] invalid config: ui.toString is not a known option',
      '[consentkit] invalid config: ui.constructor is not a known option',
    ]);
  });

  it('accepts only http(s) and relative links', () => {
    for (const ok of ['/privacy', 'privacy.html', '../p', 'https://example.com/p', 'http://x.test', '//cdn.test/p']) {
      expect(safeUrl(ok), ok).to.equal(true);
    }
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,x', 'vbscript:x', 'java\tscript:x', 'mailto:a@b', 42]) {
      expect(safeUrl(bad), String(bad)).to.equal(false);
    }
  });
});
