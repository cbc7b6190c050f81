import { expect } from '@open-wc/testing';
import { resolveConfig } from '../../../src/gate/core/config.js';
import { configureScriptUrls, ownScriptUrl, scriptUrlAllowed, strictScripts, trustedScriptUrl } from '../../../src/gate/core/trusted-types.js';

const here = (path: string) => new URL(path, document.baseURI).href;

// configureScriptUrls takes the resolved config: an invalid list resolves to none.
describe('trusted-types', () => {
  afterEach(() => {
    configureScriptUrls(resolveConfig({}));
  });

  it('allows every URL when no list is configured', () => {
    configureScriptUrls(resolveConfig({}));
    expect(strictScripts()).to.equal(false);
    expect(scriptUrlAllowed('https://tracker.example/t.js')).to.equal(true);
  });

  const cases: [string, string[], string, boolean][] = [
    ['exact root-relative path', ['/js/a.js'], '/js/a.js', true],
    ['the same path resolved absolutely', ['/js/a.js'], here('/js/a.js'), true],
    ['a query makes another URL', ['/js/a.js'], '/js/a.js?x=1', false],
    ['a prefix entry', ['https://cdn.example/lib/*'], 'https://cdn.example/lib/v2/x.js', true],
    ['a prefix does not cross hosts', ['https://cdn.example/lib/*'], 'https://cdn.example.evil/lib/x.js', false],
    ['another path', ['/js/a.js'], '/js/b.js', false],
    ['a javascript: URL', ['/js/a.js'], 'javascript:alert(1)', false],
  ];
  for (const [name, list, url, allowed] of cases)
    it(`${name}: ${url} → ${allowed}`, () => {
      configureScriptUrls(resolveConfig({ trustedScriptUrls: list }));
      expect(strictScripts()).to.equal(true);
      expect(scriptUrlAllowed(url)).to.equal(allowed);
    });

  for (const bad of ['/js/a.js', ['*'], ['https:*'], ['javascript:alert(1)'], ['js/relative.js'], [1]])
    it(`refuses ${JSON.stringify(bad)} as a list and allows nothing`, () => {
      configureScriptUrls(resolveConfig({ trustedScriptUrls: bad }));
      expect(strictScripts()).to.equal(true);
      expect(scriptUrlAllowed('/js/a.js')).to.equal(false);
    });

  it("always allows consentkit's own files", () => {
    configureScriptUrls(resolveConfig({ trustedScriptUrls: [] }));
    expect(scriptUrlAllowed('/dist/consentkit-ui.js')).to.equal(false);
    expect(() => ownScriptUrl('/dist/consentkit-ui.js')).not.to.throw();
    expect(scriptUrlAllowed(here('/dist/consentkit-ui.js'))).to.equal(true);
  });

  it('trustedScriptUrl throws naming a refused URL', () => {
    configureScriptUrls(resolveConfig({ trustedScriptUrls: ['/js/a.js'] }));
    expect(() => trustedScriptUrl('/js/evil.js')).to.throw('/js/evil.js');
    expect(() => trustedScriptUrl('/js/a.js')).not.to.throw();
  });
});
