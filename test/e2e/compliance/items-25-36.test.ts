// Compliance checklist items 25–36 (../shared/REQUIREMENTS.md): US opt-out
// regions, TCF/GPP absence, and the accessibility of banner and dialog, each
// proven on the built one-tag bundle in real Chromium pages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from '@playwright/test';
import type { Page } from 'playwright-core';
import { DIST_DIR } from '../helpers.js';
import { CATEGORIES, contrast, focusedDescription, part, site, until, watch, withPage, type Api, useBrowser } from './page-checks.js';

declare const consentkit: Api;

const env = useBrowser();

const OPEN = '<p><button id="open" type="button" data-consentkit="preferences">Cookie settings</button></p>';

/** Chromium's own accessibility tree (shadow DOM included): role, name and properties of each node. */
async function axTree(page: Page): Promise<{ role: string; name: string; props: Record<string, unknown> }[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: { ignored: boolean; role?: { value: string }; name?: { value: string }; properties?: { name: string; value: { value: unknown } }[] }[];
    };
    return nodes
      .filter((n) => !n.ignored)
      .map((n) => ({
        role: n.role?.value ?? '',
        name: n.name?.value ?? '',
        props: Object.fromEntries((n.properties ?? []).map((p) => [p.name, p.value.value])),
      }));
  } finally {
    await cdp.detach();
  }
}

test.describe('opt-out regions show a "Do Not Sell or Share" link; opting out takes no more steps than opting back in', { tag: '@item-25' }, () => {
  const config = { categories: CATEGORIES, regions: { US: 'opt-out', default: 'opt-in' } };
  test('the link is shown in US-CA; out and back in take two clicks each', async () => {
    env.server.page('/25.html', site({ config, head: '<meta name="consentkit-region" content="US-CA">' }));
    await withPage(env.browser, async (page) => {
      await page.goto(`${env.server.url}/25.html`);
      assert.equal(await page.evaluate(() => consentkit.mode), 'opt-out');
      const link = page.getByRole('button', { name: 'Do Not Sell or Share My Personal Information' });
      await link.waitFor();
      assert.equal(await link.isVisible(), true);
      assert.equal((await link.textContent())?.trim(), 'Do Not Sell or Share My Personal Information', 'the words are visible, not only a label');
      assert.equal(await page.locator('consentkit-banner').count(), 0, 'no banner on a first visit in an opt-out region');
      assert.equal(await page.evaluate(() => consentkit.isGranted('advertising')), true, 'opt-out: granted until the visitor opts out');

      let out = 0;
      await link.click();
      out++;
      await part(page, 'consentkit-preferences', 'reject-all').click();
      out++;
      assert.equal(await page.evaluate(() => consentkit.isGranted('advertising')), false);
      await part(page, 'consentkit-preferences', 'dialog').waitFor({ state: 'detached' });

      let back = 0;
      await link.click();
      back++;
      await part(page, 'consentkit-preferences', 'accept-all').click();
      back++;
      assert.equal(await page.evaluate(() => consentkit.isGranted('advertising')), true);
      assert.ok(out <= back, `opting out took ${out} clicks, opting back in ${back}`);
      assert.equal(out, 2);
    });
  });

  test('in an opt-in region the same config shows the banner, not the link', async () => {
    env.server.page('/25b.html', site({ config, head: '<meta name="consentkit-region" content="DE">' }));
    await withPage(env.browser, async (page) => {
      await page.goto(`${env.server.url}/25b.html`);
      await part(page, 'consentkit-banner', 'accept-all').waitFor();
      assert.equal(await page.getByRole('button', { name: /Do Not Sell/ }).count(), 0);
    });
  });
});

test.describe('a configured region wins; an unknown region falls back to opt-in', { tag: '@item-26' }, () => {
  const regions = { 'US-CA': 'opt-out', US: 'opt-out' };
  const cases: [string, object, string, string][] = [
    ['config region DE beats meta US-CA', { region: 'DE', regions }, '<meta name="consentkit-region" content="US-CA">', 'opt-in'],
    ['config region US-CA beats meta DE', { region: 'US-CA', regions }, '<meta name="consentkit-region" content="DE">', 'opt-out'],
    ['US-TX falls back to its country US', { regions }, '<meta name="consentkit-region" content="US-TX">', 'opt-out'],
    ['an unlisted region (FR) without default is opt-in', { regions }, '<meta name="consentkit-region" content="FR">', 'opt-in'],
    ['no region at all is opt-in', { regions }, '', 'opt-in'],
    ['a malformed region is opt-in', { regions }, '<meta name="consentkit-region" content="California!">', 'opt-in'],
  ];
  for (const [name, extra, head, mode] of cases) {
    test(name, async () => {
      const path = `/26-${name.replace(/\W+/g, '-')}.html`;
      env.server.page(path, site({ config: { categories: CATEGORIES, ...extra }, head }));
      await withPage(env.browser, async (page) => {
        await page.goto(`${env.server.url}${path}`);
        assert.equal(await page.evaluate(() => consentkit.mode), mode);
        if ('region' in extra) assert.equal(await page.evaluate(() => consentkit.region), extra.region, 'the configured region is the one used');
        // What the mode means for the visitor: opt-in asks first, with nothing granted.
        if (mode == 'opt-in') {
          await part(page, 'consentkit-banner', 'accept-all').waitFor();
          assert.equal(await page.evaluate(() => consentkit.isGranted('analytics')), false);
        } else {
          await page.getByRole('button', { name: /Do Not Sell/ }).waitFor();
          assert.equal(await page.evaluate(() => consentkit.isGranted('analytics')), true);
        }
      });
    });
  }
});

test('the SDK defines no __tcfapi or __gpp, before or after a decision', { tag: '@item-27' }, async () => {
  env.server.page('/27.html', site({ config: { categories: CATEGORIES, googleConsentMode: true } }));
  await withPage(env.browser, async (page) => {
    const globals = () =>
      page.evaluate(() => ({
        tcf: typeof (window as unknown as Record<string, unknown>).__tcfapi,
        gpp: typeof (window as unknown as Record<string, unknown>).__gpp,
        uspapi: typeof (window as unknown as Record<string, unknown>).__uspapi,
        locators: document.querySelectorAll('iframe[name^="__tcfapiLocator"], iframe[name^="__gppLocator"]').length,
      }));
    const none = { tcf: 'undefined', gpp: 'undefined', uspapi: 'undefined', locators: 0 };
    await page.goto(`${env.server.url}/27.html`);
    await part(page, 'consentkit-banner', 'accept-all').waitFor();
    assert.deepEqual(await globals(), none);
    await part(page, 'consentkit-banner', 'accept-all').click();
    await page.locator('consentkit-floating button').click();
    await part(page, 'consentkit-preferences', 'dialog').waitFor();
    assert.deepEqual(await globals(), none);
    // The check can tell: a page's own stub is seen.
    await page.evaluate(() => {
      (window as unknown as Record<string, unknown>).__tcfapi = () => undefined;
    });
    assert.equal((await globals()).tcf, 'function');
  });
});

test.describe('banner and dialog have accessible names in the Chromium accessibility tree', { tag: '@item-28' }, () => {
  test('bar banner (region), modal banner (dialog) and preferences (dialog)', async () => {
    env.server.page('/28.html', site({ body: OPEN }));
    env.server.page('/28m.html', site({ config: { categories: CATEGORIES, ui: { layout: 'modal' } } }));
    await withPage(env.browser, async (page) => {
      await page.goto(`${env.server.url}/28.html`);
      await part(page, 'consentkit-banner', 'banner').waitFor();
      let tree = await axTree(page);
      assert.ok(tree.some((n) => n.role == 'region' && n.name == 'We value your privacy'), 'the bar is a named region');
      await page.locator('#open').click();
      await part(page, 'consentkit-preferences', 'dialog').waitFor();
      tree = await axTree(page);
      const dialogs = tree.filter((n) => n.role == 'dialog');
      assert.deepEqual(
        dialogs.map((n) => [n.name, n.props.modal]),
        [['Privacy preferences', true]],
      );
      await page.goto(`${env.server.url}/28m.html`);
      await part(page, 'consentkit-banner', 'banner').waitFor();
      tree = await axTree(page);
      assert.deepEqual(
        tree.filter((n) => n.role == 'dialog').map((n) => [n.name, n.props.modal]),
        [['We value your privacy', true]],
      );
    });
  });
});

test.describe('modal dialogs: focus moves in, Tab wraps, the page is inert, Escape closes, focus returns', { tag: '@item-29' }, () => {
  test('the preferences dialog', async () => {
    env.server.page('/29.html', site({ body: `${OPEN}<p><a id="later" href="#x">A page link</a></p>` }));
    await withPage(env.browser, async (page) => {
      await page.goto(`${env.server.url}/29.html`);
      await page.evaluate(() => {
        consentkit.rejectAll();
      });
      const updatedAt = await page.evaluate(() => JSON.stringify(consentkit.getState().choice));
      await page.locator('#open').focus();
      await page.keyboard.press('Enter');
      await part(page, 'consentkit-preferences', 'dialog').waitFor();
      await until('focus in the dialog', async () => (await focusedDescription(page)).startsWith('consentkit-preferences>'));
      const first = await focusedDescription(page);

      // Tab through more stops than the dialog has: focus never lands on the page, and comes round again.
      const seen: string[] = [];
      for (let i = 0; i < 25; i++) {
        await page.keyboard.press('Tab');
        seen.push(await focusedDescription(page));
      }
      const outside = seen.filter((d) => d && !d.startsWith('consentkit-preferences>') && d != 'body');
      assert.deepEqual(outside, [], 'focus left the dialog');
      assert.ok(seen.filter((d) => d == first).length >= 2, `Tab wraps round to ${first}: ${seen.join(', ')}`);

      // The page behind is inert: it can be neither focused nor clicked.
      const inert = await page.evaluate(() => {
        const link = document.querySelector<HTMLElement>('#later');
        if (!link) return null;
        link.focus();
        const r = link.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + 2, r.top + 2);
        return { focused: document.activeElement == link, hit: hit == link };
      });
      assert.deepEqual(inert, { focused: false, hit: false });

      await page.keyboard.press('Escape');
      await part(page, 'consentkit-preferences', 'dialog').waitFor({ state: 'detached' });
      assert.equal(await focusedDescription(page), 'button#open', 'focus returns to the opener');
      assert.equal(await page.evaluate(() => JSON.stringify(consentkit.getState().choice)), updatedAt, 'Escape decided nothing');
    });
  });

  test('the modal banner layout', async () => {
    env.server.page('/29m.html', site({ config: { categories: CATEGORIES, ui: { layout: 'modal' } }, body: OPEN }));
    await withPage(env.browser, async (page) => {
      await page.goto(`${env.server.url}/29m.html`);
      await part(page, 'consentkit-banner', 'banner').waitFor();
      await until('focus in the banner', async () => (await focusedDescription(page)).startsWith('consentkit-banner>'));
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press('Tab');
        const d = await focusedDescription(page);
        assert.ok(d == 'body' || d.startsWith('consentkit-banner>'), `focus left the modal banner: ${d}`);
      }
      assert.equal(
        await page.evaluate(() => {
          const b = document.querySelector<HTMLElement>('#open');
          b?.focus();
          return document.activeElement == b;
        }),
        false,
      );
      await page.keyboard.press('Escape');
      await part(page, 'consentkit-banner', 'banner').waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => consentkit.isGranted('analytics')), false);
    });
  });
});

test.describe('with a non-modal banner no focused element is hidden behind it, WCAG 2.4.11', { tag: '@item-30' }, () => {
  // Full-width links, so a corner box would cover their right end too.
  const links = Array.from({ length: 40 }, (_, i) => `<p style="margin:0 0 30px">Paragraph ${i} <a style="display:block" href="#l${i}" id="l${i}">link ${i}</a></p>`).join('');
  for (const [name, layout, viewport] of [
    ['bar, desktop 1280×720', 'bar', { width: 1280, height: 720 }],
    ['bar, phone 375×667', 'bar', { width: 375, height: 667 }],
    ['box, desktop 1280×720', 'box', { width: 1280, height: 720 }],
  ] as const) {
    test(`tabbing through a long page, ${name}`, async () => {
      env.server.page(`/30-${layout}-${viewport.width}.html`, site({ config: { categories: CATEGORIES, ui: { layout } }, body: links }));
      await withPage(
        env.browser,
        async (page) => {
          await page.goto(`${env.server.url}/30-${layout}-${viewport.width}.html`);
          await part(page, 'consentkit-banner', 'accept-all').waitFor();
          const hidden: string[] = [];
          let visited = 0;
          for (let i = 0; i < 60; i++) {
            await page.keyboard.press('Tab');
            // Let smooth or scripted scrolling settle before measuring.
            await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
            const m = await page.evaluate(() => {
              const el = document.activeElement;
              const panel = document.querySelector('consentkit-banner')?.shadowRoot?.querySelector('.panel');
              if (!el || !panel || el.localName == 'consentkit-banner' || el == document.body) return null;
              const r = el.getBoundingClientRect();
              const b = panel.getBoundingClientRect();
              const overlaps = r.bottom > b.top && r.top < b.bottom && r.right > b.left && r.left < b.right;
              return { id: el.id, top: r.top, bottom: r.bottom, bannerTop: b.top, overlaps, inView: r.top >= 0 && r.bottom <= innerHeight };
            });
            if (!m) continue;
            visited++;
            if (m.overlaps || !m.inView) hidden.push(`${m.id} (${m.top}–${m.bottom}, banner from ${m.bannerTop})`);
          }
          assert.ok(visited >= 30, `visited ${visited} page links`);
          assert.deepEqual(hidden, []);
        },
        { viewport },
      );
    });
  }
});

test.describe('toggles are labelled switches whose checked state is exposed', { tag: '@item-31' }, () => {
  test('necessary on and disabled, optional off; clicking changes the exposed state', async () => {
    const config = { categories: [...CATEGORIES.slice(0, 2), { id: 'advertising', services: [{ id: 'gads', label: 'Google Ads' }] }] };
    env.server.page('/31.html', site({ config, body: OPEN }));
    await withPage(env.browser, async (page) => {
      await page.goto(`${env.server.url}/31.html`);
      await page.locator('#open').click();
      await part(page, 'consentkit-preferences', 'dialog').waitFor();
      const switches = async () =>
        Object.fromEntries(
          (await axTree(page)).filter((n) => n.role == 'switch').map((n) => [n.name, `${String(n.props.checked)}${n.props.disabled ? ' disabled' : ''}`]),
        );
      assert.deepEqual(await switches(), { Necessary: 'true disabled', Analytics: 'false', Advertising: 'false', 'Google Ads': 'false' });
      await page.getByRole('switch', { name: 'Analytics' }).click();
      await page.getByRole('switch', { name: 'Google Ads' }).click();
      assert.deepEqual(await switches(), { Necessary: 'true disabled', Analytics: 'true', Advertising: 'true', 'Google Ads': 'true' });
      // Clicking the label toggles it too (the label is bound to the control).
      await page.locator('consentkit-preferences label[for="s-analytics"]').click();
      assert.equal((await switches()).Analytics, 'false');
    });
  });
});

test.describe('axe with the wcag2a to wcag22aa tags, target-size included, finds no violation', { tag: '@item-32' }, () => {
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  const run = (page: Page) =>
    page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<Record<string, { id: string; nodes: { target: unknown }[] }[]>> } }).axe;
      const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
      const ran = [...r.passes, ...r.incomplete, ...r.violations, ...r.inapplicable].map((x) => x.id);
      return { violations: r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`), ran };
    });
  for (const theme of ['light', 'dark'] as const) {
    for (const layout of ['bar', 'modal'] as const) {
      test(`${theme} theme, ${layout} banner, then the preferences dialog`, async () => {
        const path = `/32-${theme}-${layout}.html`;
        // theme "auto" following the browser's colour scheme, as visitors get it.
        env.server.page(path, site({ config: { categories: CATEGORIES, ui: { layout } }, body: OPEN }));
        await withPage(
          env.browser,
          async (page) => {
            await page.goto(`${env.server.url}${path}`);
            await part(page, 'consentkit-banner', 'banner').waitFor();
            await page.waitForTimeout(300); // entry animation
            await page.addScriptTag({ path: axePath });
            let r = await run(page);
            assert.ok(r.ran.includes('target-size') && r.ran.includes('color-contrast'), 'the rules that matter ran');
            assert.deepEqual(r.violations, []);
            await page.evaluate(() => {
              consentkit.showPreferences();
            });
            await part(page, 'consentkit-preferences', 'dialog').waitFor();
            await page.waitForTimeout(300);
            r = await run(page);
            assert.deepEqual(r.violations, []);
          },
          { colorScheme: theme },
        );
      });
    }
  }
});

test.describe('focus indicators contrast 3:1 or more with what is around them', { tag: '@item-33' }, () => {
  for (const theme of ['light', 'dark'] as const) {
    test(`${theme} theme: every banner and dialog control, and the floating button`, async () => {
      env.server.page(`/33-${theme}.html`, site({ body: OPEN }));
      await withPage(
        env.browser,
        async (page) => {
          await page.goto(`${env.server.url}/33-${theme}.html`);
          await part(page, 'consentkit-banner', 'accept-all').waitFor();
          await page.waitForTimeout(300);
          /** Tabs to every control inside `host` and measures its focus ring against the panel behind it. */
          const measure = async (host: string) => {
            const out: { what: string; style: string; width: number; ratio: number }[] = [];
            for (let i = 0; i < 30; i++) {
              await page.keyboard.press('Tab');
              const d = await focusedDescription(page);
              if (!d.startsWith(`${host}>`)) continue;
              if (out.some((o) => o.what == d)) break;
              const s = await page.evaluate(() => {
                let el = document.activeElement;
                while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
                if (!el) return null;
                const cs = getComputedStyle(el);
                // The ring is drawn outside the control (outline-offset), over the panel or page.
                const panel = el.closest('.panel') ?? document.body;
                let bg = getComputedStyle(panel).backgroundColor;
                if (bg == 'rgba(0, 0, 0, 0)') bg = 'rgb(255, 255, 255)';
                return { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), color: cs.outlineColor, bg, visible: el.matches(':focus-visible') };
              });
              assert.ok(s?.visible, `${d} matches :focus-visible`);
              out.push({ what: d, style: s.style, width: s.width, ratio: contrast(s.color, s.bg) });
            }
            return out;
          };
          const banner = await measure('consentkit-banner');
          assert.ok(banner.length >= 4, `banner controls: ${banner.map((b) => b.what).join(', ')}`);
          await page.evaluate(() => {
            consentkit.showPreferences();
          });
          await part(page, 'consentkit-preferences', 'dialog').waitFor();
          await page.waitForTimeout(300);
          const dialog = await measure('consentkit-preferences');
          assert.ok(dialog.length >= 6, `dialog controls: ${dialog.map((b) => b.what).join(', ')}`);
          await page.keyboard.press('Escape');
          await page.evaluate(() => {
            consentkit.rejectAll();
          });
          await page.locator('consentkit-floating button').waitFor();
          await page.locator('#open').focus();
          const floating = await measure('consentkit-floating');
          assert.equal(floating.length, 1);
          for (const f of [...banner, ...dialog, ...floating]) {
            assert.notEqual(f.style, 'none', `${f.what} has a focus ring`);
            assert.ok(f.width >= 2, `${f.what}: ring ${f.width}px`);
            assert.ok(f.ratio >= 3, `${f.what}: ring contrast ${f.ratio.toFixed(2)}:1`);
          }
        },
        { colorScheme: theme },
      );
    });
  }
});

test.describe('at 320 CSS px and at 200% zoom every button can be reached and used', { tag: '@item-34' }, () => {
  // 320 px: the WCAG 1.4.10 reflow width (1280 px at 400%). 200% zoom: a 1280×800
  // window zoomed to 200% lays out as a 640×400 CSS px viewport at device scale 2,
  // which is what a browser zoom does to layout (CSS px per device px doubled).
  const cases = [
    ['320 × 640 CSS px', { viewport: { width: 320, height: 640 } }],
    ['200% zoom of 1280 × 800', { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 }],
  ] as const;
  for (const [name, options] of cases) {
    test(name, async () => {
      const config = {
        categories: [
          ...CATEGORIES,
          { id: 'functional', cookies: [{ name: 'a_rather_long_cookie_name_without_breaks_1234567890', provider: 'Example', purpose: 'Remembers things', duration: '1 year' }] },
        ],
        ui: { privacyPolicyUrl: '/privacy' },
      };
      env.server.page(`/34-${options.viewport.width}.html`, site({ config, body: OPEN }));
      await withPage(
        env.browser,
        async (page) => {
          await page.goto(`${env.server.url}/34-${options.viewport.width}.html`);
          const noSideScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
          for (const p of ['reject-all', 'accept-all', 'preferences', 'close', 'privacy-link'])
            await part(page, 'consentkit-banner', p).click({ trial: true, timeout: 5000 });
          assert.equal(await noSideScroll(), true, 'no horizontal scrolling');
          await part(page, 'consentkit-banner', 'preferences').click();
          await part(page, 'consentkit-preferences', 'dialog').waitFor();
          for (const p of ['reject-all', 'accept-all', 'save', 'close'])
            await part(page, 'consentkit-preferences', p).click({ trial: true, timeout: 5000 });
          for (const id of ['analytics', 'advertising', 'functional'])
            await page.locator(`consentkit-preferences input[data-id="${id}"]`).click({ trial: true, timeout: 5000 });
          const dialogFits = await part(page, 'consentkit-preferences', 'dialog').evaluate((d) => d.getBoundingClientRect().width <= innerWidth);
          assert.equal(dialogFits, true, 'the dialog fits the width');
          await page.locator('consentkit-preferences input[data-id="analytics"]').click();
          await part(page, 'consentkit-preferences', 'save').click();
          assert.equal(await page.evaluate(() => consentkit.isGranted('analytics')), true);
          await page.locator('consentkit-floating button').click({ trial: true });
        },
        options,
      );
    });
  }
});

test.describe('a reduced-motion preference switches animation off', { tag: '@item-35' }, () => {
  for (const motion of ['reduce', 'no-preference'] as const) {
    test(`prefers-reduced-motion: ${motion}`, async () => {
      env.server.page(`/35-${motion}.html`, site({ body: OPEN }));
      await withPage(
        env.browser,
        async (page) => {
          await page.goto(`${env.server.url}/35-${motion}.html`);
          await part(page, 'consentkit-banner', 'banner').waitFor();
          const banner = await part(page, 'consentkit-banner', 'banner').evaluate((el) => getComputedStyle(el).animationName);
          await page.evaluate(() => {
            consentkit.showPreferences();
          });
          const toggle = page.locator('consentkit-preferences input[data-id="analytics"]');
          await toggle.waitFor();
          const knob = await toggle.evaluate((el) => getComputedStyle(el, '::before').transitionDuration);
          const dialog = await part(page, 'consentkit-preferences', 'dialog').evaluate((el) => getComputedStyle(el).animationName);
          if (motion == 'reduce') assert.deepEqual([banner, dialog, knob], ['none', 'none', '0s']);
          else assert.deepEqual([banner, dialog, knob], ['in', 'in', '0.15s'], 'the control: animations exist without the preference');
        },
        { reducedMotion: motion },
      );
    });
  }
});

test.describe('the banner\'s lang and dir match the translation shown', { tag: '@item-36' }, () => {
  const de = JSON.parse(readFileSync(join(DIST_DIR, 'i18n', 'de.json'), 'utf8')) as Record<string, string>;
  const ar = JSON.parse(readFileSync(join(DIST_DIR, 'i18n', 'ar.json'), 'utf8')) as Record<string, string>;
  const langOf = (page: Page, host: string, p: string) =>
    part(page, host, p).evaluate((el) => ({ lang: el.closest('[lang]')?.getAttribute('lang'), dir: el.closest('[dir]')?.getAttribute('dir'), text: el.textContent }));
  const cases: [string, string, object, { lang: string; dir: string; title: string }][] = [
    ['German page', 'de', {}, { lang: 'de', dir: 'ltr', title: de['banner.title'] }],
    ['Arabic page', 'ar', {}, { lang: 'ar', dir: 'rtl', title: ar['banner.title'] }],
    ['French page whose translation file cannot load', 'fr', { ui: { i18nUrl: '/nowhere/' } }, { lang: 'en', dir: 'ltr', title: 'We value your privacy' }],
    ['Finnish texts from the config', 'fi', { texts: { fi: { 'banner.title': 'Arvostamme yksityisyyttäsi' } } }, { lang: 'fi', dir: 'ltr', title: 'Arvostamme yksityisyyttäsi' }],
  ];
  for (const [name, lang, extra, want] of cases) {
    test(name, async () => {
      const path = `/36-${lang}.html`;
      env.server.page(path, site({ lang, config: { categories: CATEGORIES, ...extra }, body: OPEN }));
      await withPage(env.browser, async (page) => {
        const w = await watch(page);
        await page.goto(`${env.server.url}${path}`);
        await part(page, 'consentkit-banner', 'title').waitFor();
        assert.deepEqual(await langOf(page, 'consentkit-banner', 'title'), { lang: want.lang, dir: want.dir, text: want.title });
        assert.equal(await page.locator('consentkit-banner').getAttribute('lang'), want.lang);
        await part(page, 'consentkit-banner', 'preferences').click();
        const title = await langOf(page, 'consentkit-preferences', 'title');
        assert.equal(title.lang, want.lang);
        assert.equal(title.dir, want.dir);
        if (want.lang == 'en' && lang != 'en') assert.ok(w.errors.some((e) => e.includes('/nowhere/')), 'the failed file is named');
      });
    });
  }
});
