import { expect } from '@open-wc/testing';
import { safeUrl, uiOptions } from '../../../src/parts/diagnostics/ui-options.js';

describe('ui options', () => {
  it('fills defaults', () => {
    expect(uiOptions({})).to.deep.equal({ layout: 'bar', theme: 'auto', floatingButton: true, withdrawButton: true, closeAction: 'reject' });
  });

  it('reports each bad field with its path and keeps the default', () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => errors.push(a.join(' '));
    try {
      const o = uiOptions({ layout: 'popup', theme: 1, floatingButton: 'no', closeAction: 'accept', privacyPolicyUrl: 'javascript:alert(1)', colour: 'red' });
      expect(o).to.deep.equal({ layout: 'bar', theme: 'auto', floatingButton: true, withdrawButton: true, closeAction: 'reject' });
      expect(errors).to.deep.equal([
        '[consentkit] invalid config: ui.layout must be "bar", "box" or "modal"',
        '[consentkit] invalid config: ui.theme must be "auto", "light" or "dark"',
        '[consentkit] invalid config: ui.floatingButton must be true or false',
        '[consentkit] invalid config: ui.closeAction must be "reject" or "dismiss"',
        '[consentkit] invalid config: ui.privacyPolicyUrl must be an http(s) or relative URL',
        '[consentkit] invalid config: ui.colour is not a known option',
      ]);
    } finally {
      console.error = original;
    }
  });

  it('reports an Object.prototype name as an unknown option instead of throwing', () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (...a: unknown[]) => errors.push(a.join(' '));
    try {
      expect(uiOptions({ toString: 'x', constructor: 'y' })).to.deep.equal(uiOptions({}));
      expect(errors).to.deep.equal([
        '[consentkit] invalid config: ui.toString is not a known option',
        '[consentkit] invalid config: ui.constructor is not a known option',
      ]);
    } finally {
      console.error = original;
    }
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
