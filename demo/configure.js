// The configuration page (demo/configure.html): builds a consentkit config and the one-tag
// snippet from the form, and previews them in a fresh page (an iframe running the snippet).
(function () {
  const form = document.getElementById('options');
  const preview = document.getElementById('preview');
  /** consentkit's defaults: only colours that differ from them go into the snippet. */
  const DEFAULT_COLOURS = { accent: '#1d4ed8', 'on-accent': '#ffffff', bg: '#ffffff', fg: '#1f2328' };
  /** The preview's own cookie, so trying the banner never decides for the demo site. */
  const PREVIEW_COOKIE = 'consentkit_preview';
  /** The service catalog, copied into dist/ by the build; only this page and audit mode read it. */
  const CATALOG_URL = '/dist/catalog/services.json';
  /** How many matches the search lists at once. */
  const MOST_RESULTS = 8;

  /** @type {{ id: string, name: string, provider: string, category: string, description: string, cookies: object[], urls: Record<string, string[]> }[]} */
  let catalogServices = [];
  /** The services added so far, each with the category it goes in. */
  const added = [];

  /**
   * A catalog entry as a config service, as `expandService` in src/catalog/catalog.ts
   * makes it (test/e2e/configure.test.ts compares the two): id, label, description,
   * cookies with the provider, every URL pattern, and the entry it came from.
   */
  function expandService(service) {
    return {
      id: service.id,
      catalog: service.id,
      label: service.name,
      description: service.description,
      cookies: service.cookies.map((cookie) => ({ provider: service.provider, ...cookie })),
      urls: [...new Set(['scripts', 'iframes', 'images', 'stylesheets', 'requests'].flatMap((kind) => service.urls[kind] ?? []))],
    };
  }

  function config() {
    const f = new FormData(form);
    const value = (name) => String(f.get(name) ?? '').trim();
    const revision = value('revision');
    const out = { revision: /^\d+$/.test(revision) ? Number(revision) : revision || 1 };
    const language = value('language');
    if (language) out.language = language;
    out.categories = [{ id: 'necessary', required: true }, ...f.getAll('category').map((id) => ({ id }))].map((category) => {
      const services = added.filter((a) => a.category == category.id).map((a) => expandService(a.service));
      return services.length ? { ...category, services } : category;
    });
    const ui = { layout: value('layout') };
    if (value('theme') != 'auto') ui.theme = value('theme');
    if (value('privacy')) ui.privacyPolicyUrl = value('privacy');
    out.ui = ui;
    const texts = {};
    if (value('title')) texts['banner.title'] = value('title');
    if (value('text')) texts['banner.text'] = value('text');
    if (Object.keys(texts).length) out.texts = { [language || 'en']: texts };
    return out;
  }

  function colours() {
    const f = new FormData(form);
    const props = [];
    for (const [name, initial] of Object.entries(DEFAULT_COLOURS)) {
      const v = String(f.get(name));
      if (v.toLowerCase() != initial) props.push(`--consentkit-${name}: ${v};`);
    }
    if (f.get('radius') != '10') props.push(`--consentkit-radius: ${f.get('radius')}px;`);
    return props;
  }

  /** JSON safe inside <script>: no "</script>" can end the element early. */
  const scriptJson = (value) => JSON.stringify(value, null, 2).replace(/</g, '\\u003c');
  const escapeAttr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

  function snippet(cfg) {
    const src = String(new FormData(form).get('src') || '/dist/consentkit.js');
    const props = colours();
    return [
      '<script type="application/json" id="consentkit-config">',
      scriptJson(cfg),
      '</script>',
      `<script src="${escapeAttr(src)}"></script>`,
      ...(props.length ? ['<style>', `  :root { ${props.join(' ')} }`, '</style>'] : []),
    ].join('\n');
  }

  // WCAG 2.x relative luminance and contrast ratio.
  const luminance = (hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  function checkContrast() {
    const f = new FormData(form);
    const pairs = [
      ['Text on buttons', f.get('on-accent'), f.get('accent')],
      ['Text', f.get('fg'), f.get('bg')],
    ];
    document.getElementById('contrast').textContent = pairs
      .map(([what, a, b]) => [what, contrast(String(a), String(b))])
      .filter(([, ratio]) => ratio < 4.5)
      .map(([what, ratio]) => `${what}: contrast ${ratio.toFixed(1)}:1 is below the 4.5:1 WCAG asks for.`)
      .join(' ');
  }

  let timer;
  function render() {
    const cfg = config();
    const tag = snippet(cfg);
    document.getElementById('snippet').textContent = tag;
    document.getElementById('json').textContent = JSON.stringify(cfg, null, 2);
    document.getElementById('radius-value').textContent = `${new FormData(form).get('radius')}px`;
    checkContrast();
    // The preview runs the same snippet, with its own cookie and no records sent.
    const previewTag = snippet({ ...cfg, cookie: { name: PREVIEW_COOKIE }, report: false });
    document.cookie = `${PREVIEW_COOKIE}=; Path=/; Max-Age=0`;
    clearTimeout(timer);
    timer = setTimeout(() => {
      preview.srcdoc = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Preview</title>${previewTag}</head>
<body style="font:16px system-ui,sans-serif;margin:2rem;color:#222"><h1>Your page</h1><p>The banner appears as on your site.</p>
<p><button type="button" data-consentkit="preferences">Cookie settings</button></p></body></html>`;
    }, 150);
  }

  function copier(button, source, status) {
    document.getElementById(button).addEventListener('click', async () => {
      const text = document.getElementById(source).textContent;
      try {
        await navigator.clipboard.writeText(text);
        document.getElementById(status).textContent = 'Copied.';
      } catch {
        // No clipboard access (an http page on another host): select it for Ctrl+C instead.
        getSelection().selectAllChildren(document.getElementById(source));
        document.getElementById(status).textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
      }
    });
  }

  // The catalog search: a list of matches as buttons, announced by a status line.
  const search = document.getElementById('catalog-search');
  const results = document.getElementById('catalog-results');
  const addedList = document.getElementById('catalog-added');
  const status = document.getElementById('catalog-status');
  const chosenCategory = document.getElementById('catalog-category');
  const offered = () => new Set(['necessary', ...new FormData(form).getAll('category')]);

  function matches(query) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    const text = (s) => `${s.name} ${s.provider} ${s.id}`.toLowerCase();
    return catalogServices
      .filter((s) => !added.some((a) => a.service.id == s.id) && words.every((w) => text(s).includes(w)))
      .sort((a, b) => Number(!a.name.toLowerCase().startsWith(words[0])) - Number(!b.name.toLowerCase().startsWith(words[0])));
  }

  function showResults() {
    const found = matches(search.value);
    results.replaceChildren(
      ...found.slice(0, MOST_RESULTS).map((service) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = `Add ${service.name}`;
        button.addEventListener('click', () => add(service));
        const about = document.createElement('span');
        about.textContent = `${service.provider} · usually ${service.category}`;
        item.append(button, about);
        return item;
      }),
    );
    if (!catalogServices.length) return;
    status.textContent = search.value.trim()
      ? `${found.length} ${found.length == 1 ? 'service matches' : 'services match'}${found.length > MOST_RESULTS ? `; the first ${MOST_RESULTS} are listed` : ''}.`
      : `${catalogServices.length} services in the catalog.`;
  }

  function showAdded() {
    const on = offered();
    addedList.replaceChildren(
      ...added.map(({ service, category }) => {
        const item = document.createElement('li');
        const what = document.createElement('span');
        what.textContent = `${service.name} in ${category}${on.has(category) ? '' : ' (not in the config until that category is ticked)'}`;
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.textContent = `Remove ${service.name}`;
        remove.addEventListener('click', () => {
          added.splice(added.findIndex((a) => a.service == service), 1);
          changed(`${service.name} removed.`);
        });
        item.append(what, remove);
        return item;
      }),
    );
  }

  function add(service) {
    const category = chosenCategory.value || service.category;
    added.push({ service, category });
    // A service goes in a category the banner offers: tick it.
    const box = form.querySelector(`input[name="category"][value="${category}"]`);
    if (box) box.checked = true;
    changed(`${service.name} added to ${category}.`);
  }

  /** After an add or a removal: the lists, the config, and the focus back in the search. */
  function changed(message) {
    showAdded();
    showResults();
    render();
    status.textContent = message;
    search.focus();
  }

  search.addEventListener('input', showResults);
  search.addEventListener('keydown', (e) => {
    const first = results.querySelector('button');
    if (e.key == 'ArrowDown' && first) {
      e.preventDefault();
      first.focus();
    } else if (e.key == 'Enter') {
      e.preventDefault();
      first?.click();
    } else if (e.key == 'Escape') {
      search.value = '';
      showResults();
    }
  });
  results.addEventListener('keydown', (e) => {
    const buttons = [...results.querySelectorAll('button')];
    const at = buttons.indexOf(document.activeElement);
    if (e.key == 'ArrowDown' && at < buttons.length - 1) buttons[at + 1].focus();
    else if (e.key == 'ArrowUp') (at > 0 ? buttons[at - 1] : search).focus();
    else return;
    e.preventDefault();
  });
  status.textContent = 'Loading the service catalog…';
  fetch(CATALOG_URL)
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((catalog) => {
      catalogServices = catalog.services;
      showResults();
    })
    .catch((error) => {
      status.textContent = `The service catalog could not be loaded (${error.message}); the rest of the page works without it.`;
    });

  // The catalog controls change the config only through add and remove.
  const fromCatalog = (e) => e.target instanceof Element && e.target.closest('#catalog');
  form.addEventListener('input', (e) => {
    if (!fromCatalog(e)) render();
  });
  form.addEventListener('change', (e) => {
    if (fromCatalog(e)) return;
    showAdded();
    render();
  });
  form.addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('again').addEventListener('click', render);
  copier('copy-snippet', 'snippet', 'copied-snippet');
  copier('copy-json', 'json', 'copied-json');
  render();
})();
