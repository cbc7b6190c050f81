/**
 * `consentkit scan` as a function: every page through the four moments
 * (`scan-page.ts`), one at a time in one browser, gathered into a report.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import type { Catalog } from '../catalog/catalog.js';
import { launchChrome, loadScannerDependencies } from './browser.js';
import { scanPage, type PageResult, type Phase, type Sighting } from './scan-page.js';

export interface ScanOptions {
  /** The pages to scan (absolute http(s) URLs). */
  urls: readonly string[];
  /** Accepted exceptions: cookie or storage names (`_ga*`) and URL patterns (`cdn.example.com/fonts/`). */
  allow?: readonly string[];
  /** Milliseconds to wait for a page, the API and the banner (default 30000). */
  timeout?: number;
  /** Milliseconds to keep watching once the network is quiet (default 1000). */
  wait?: number;
  /** Extra Chromium flags (`--host-resolver-rules=…`). */
  chromeArgs?: readonly string[];
  /** The catalog; default the one shipped in `consentkit/catalog/services.json`. */
  catalog?: Catalog;
  /** A browser to use instead of launching one (it is left open). */
  browser?: Browser;
  /** Called as each page and each of its phases starts. */
  onProgress?: (progress: { index: number; total: number; url: string; phase?: Phase }) => void;
}

/** One violation, with everything needed to find and fix it. */
export interface Violation {
  page: string;
  phase: Phase;
  kind: Sighting['kind'];
  name: string;
  domain: string;
  category?: string;
  service?: string;
  catalog?: string;
  basis: Sighting['basis'];
  reason: string;
}

export interface ScanReport {
  /** No violation and no page that could not be scanned. */
  ok: boolean;
  pages: PageResult[];
  violations: Violation[];
  /** Violations the owner accepted with `--allow`. */
  allowed: Violation[];
  /** Pages that could not be scanned. */
  errors: { page: string; message: string }[];
}

/** The catalog shipped with the package (grown over time), read at run time. */
export function loadCatalog(): Catalog {
  const path = createRequire(import.meta.url).resolve('consentkit/catalog/services.json');
  return JSON.parse(readFileSync(path, 'utf8')) as Catalog;
}

const asViolation = (page: string, sighting: Sighting): Violation => ({
  page,
  phase: sighting.phase,
  kind: sighting.kind,
  name: sighting.name,
  domain: sighting.domain,
  category: sighting.category,
  service: sighting.service,
  catalog: sighting.catalog,
  basis: sighting.basis,
  reason: sighting.reason ?? '',
});

/** Scans every page of `options.urls` and reports what it found. */
export async function scanSite(options: ScanOptions): Promise<ScanReport> {
  const catalog = options.catalog ?? loadCatalog();
  const { chromium, registrableDomain } = await loadScannerDependencies();
  const browser = options.browser ?? (await launchChrome(chromium, options.chromeArgs));
  const pages: PageResult[] = [];
  try {
    for (const [index, url] of options.urls.entries()) {
      const progress = { index, total: options.urls.length, url };
      options.onProgress?.(progress);
      pages.push(
        await scanPage(browser, url, {
          catalog,
          registrableDomain,
          allow: options.allow ?? [],
          timeout: options.timeout ?? 30_000,
          wait: options.wait ?? 1000,
          onPhase: (phase) => options.onProgress?.({ ...progress, phase }),
        }),
      );
    }
  } finally {
    if (!options.browser) await browser.close();
  }
  const pick = (status: Sighting['status']) => pages.flatMap((page) => page.sightings.filter((s) => s.status == status).map((s) => asViolation(page.url, s)));
  const violations = pick('violation');
  const errors = pages.flatMap((page) => (page.error ? [{ page: page.url, message: page.error }] : []));
  return { ok: !violations.length && !errors.length, pages, violations, allowed: pick('allowed'), errors };
}
