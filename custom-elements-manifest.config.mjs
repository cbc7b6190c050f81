// @custom-elements-manifest/analyzer config, run by scripts/build.mjs (`npm run build`):
// writes dist/custom-elements.json (package.json#customElements) from the JSDoc of the
// Lit elements in src/parts/ui/.
//
// The analyzer cannot see three things in this code base, so the plugin below adds them:
// - tag names: the elements are registered through a guarded `define('tag', Class)`
//   helper (src/parts/ui/kit-element.ts), called in each part's entry (src/parts/ui/define.ts,
//   src/parts/preferences/define-preferences.ts), not a direct customElements.define call;
// - Lit's `static properties = { x: { state: true } }` marks internal state, which the
//   analyzer still lists as an attribute;
// - paths: the package ships dist/esm/**/*.js, not src/**/*.ts;
// - the corner's hosts (`<consentkit-floating>`, `<consentkit-withdraw>`): plain elements with
//   a shadow root, drawn without a class, so each is described by a JSDoc block with a `@tag`
//   (src/parts/corner/corner.ts) that the plugin turns into an element of the manifest.
// It also drops private members, so the manifest lists only the public API.

/** `define('consentkit-banner', ConsentkitBanner)` calls anywhere in the globs. */
function registrations(ts, node, found) {
  if (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text == 'define' &&
    node.arguments.length == 2 &&
    ts.isStringLiteral(node.arguments[0]) &&
    ts.isIdentifier(node.arguments[1])
  ) {
    found.set(node.arguments[1].text, node.arguments[0].text);
  }
  ts.forEachChild(node, (child) => registrations(ts, child, found));
}

/** Names in `static properties = { … }` whose options say `state: true`. */
function stateFields(ts, node, found) {
  if (
    ts.isPropertyDeclaration(node) &&
    node.name.getText() == 'properties' &&
    node.initializer &&
    ts.isObjectLiteralExpression(node.initializer)
  ) {
    for (const prop of node.initializer.properties) {
      if (!ts.isPropertyAssignment(prop) || !ts.isObjectLiteralExpression(prop.initializer)) continue;
      const state = prop.initializer.properties.some(
        (o) => ts.isPropertyAssignment(o) && o.name.getText() == 'state' && o.initializer.kind == ts.SyntaxKind.TrueKeyword,
      );
      if (state) found.add(prop.name.getText());
    }
  }
  ts.forEachChild(node, (child) => stateFields(ts, child, found));
}

/** `@csspart name - text` and `@cssprop [--name=default] - text` of a JSDoc block, as the analyzer writes them. */
function tagged(block, tag) {
  const found = [];
  for (const [, value, text] of block.matchAll(new RegExp(`@${tag}\\s+(\\S+)\\s+-\\s+([^@]*)`, 'g'))) {
    const [, name, fallback] = /^\[?([^=\]]+)(?:=([^\]]*))?\]?$/.exec(value);
    found.push({ description: text.replace(/\s+/g, ' ').trim(), name, ...(fallback ? { default: fallback } : {}) });
  }
  return found;
}

/** Elements without a class: the `/** … @tag name … *\/` blocks of a file (JSDoc stars dropped). */
function classlessElements(text) {
  return [...text.matchAll(/\/\*\*([\s\S]*?)\*\//g)]
    .map(([, body]) => body.replace(/^\s*\* ?/gm, ''))
    .filter((block) => /^@tag\s/m.test(block))
    .map((block) => ({
      kind: 'class',
      description: 'A plain `HTMLElement` with an open shadow root, not a registered custom element.',
      name: /^@tag\s+(\S+)/m.exec(block)[1],
      summary: /^@summary\s+([^@]*)/m.exec(block)?.[1].replace(/\s+/g, ' ').trim(),
      cssParts: tagged(block, 'csspart'),
      cssProperties: tagged(block, 'cssprop'),
      superclass: { name: 'HTMLElement', package: 'global:' },
      tagName: /^@tag\s+(\S+)/m.exec(block)[1],
      customElement: true,
    }));
}

const distPath = (path) => path.replace(/^src\//, 'dist/esm/').replace(/\.ts$/, '.js');

function consentkitPlugin() {
  const tags = new Map();
  const state = new Set();
  /** Class name → the module that registers it (src/parts/ui/define.ts, src/parts/preferences/define-preferences.ts). */
  const definedIn = new Map();
  /** Module path → its elements without a class, added once the analyzer has listed the module's declarations. */
  const classless = new Map();
  return {
    name: 'consentkit',
    analyzePhase({ ts, node, moduleDoc }) {
      if (node.kind != ts.SyntaxKind.SourceFile) return;
      const found = new Map();
      registrations(ts, node, found);
      for (const [name, tag] of found) {
        tags.set(name, tag);
        definedIn.set(name, moduleDoc);
      }
      stateFields(ts, node, state);
      classless.set(moduleDoc.path, classlessElements(node.getFullText()));
    },
    packageLinkPhase({ customElementsManifest }) {
      const byTag = new Map();
      for (const mod of customElementsManifest.modules) mod.declarations = [...(mod.declarations ?? []), ...(classless.get(mod.path) ?? [])];
      // The helper's own `customElements.define(name, element)` is not a registration.
      for (const mod of customElementsManifest.modules)
        mod.exports = (mod.exports ?? []).filter((e) => e.kind != 'custom-element-definition');
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (decl.kind != 'class') continue;
          const tag = tags.get(decl.name);
          if (tag) {
            decl.tagName = tag;
            decl.customElement = true;
            byTag.set(tag, decl);
            definedIn.get(decl.name)?.exports.push({ kind: 'custom-element-definition', name: tag, declaration: { name: decl.name, module: mod.path } });
          }
          decl.members = (decl.members ?? []).filter((m) => m.privacy != 'private' && m.privacy != 'protected' && !state.has(m.name));
          if (decl.attributes) decl.attributes = decl.attributes.filter((a) => !state.has(a.fieldName));
        }
      }
      // "Custom properties: the same `--consentkit-*` as `<consentkit-banner>`." in a class's
      // JSDoc: both elements share one stylesheet (src/parts/ui/styles.ts), so list them on both.
      for (const decl of byTag.values()) {
        const same = /the same `--consentkit-\*` as `<([a-z-]+)>`/.exec(decl.description ?? '');
        const from = same && byTag.get(same[1]);
        if (from?.cssProperties && !decl.cssProperties?.length) decl.cssProperties = from.cssProperties;
      }
      for (const mod of customElementsManifest.modules) {
        mod.path = distPath(mod.path);
        for (const exp of mod.exports ?? []) if (exp.declaration?.module) exp.declaration.module = distPath(exp.declaration.module);
      }
    },
  };
}

export default {
  globs: [
    'src/parts/ui/banner.ts',
    'src/parts/preferences/preferences.ts',
    'src/parts/ui/define.ts',
    'src/parts/preferences/define-preferences.ts',
    'src/parts/corner/corner.ts',
  ],
  outdir: 'dist',
  litelement: true,
  plugins: [consentkitPlugin()],
};
