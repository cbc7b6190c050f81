#!/usr/bin/env node
/**
 * `consentkit`: the command-line tools. One command so far:
 *
 *   consentkit scan <url…> | --sitemap <url> [--max-pages 20] [--allow <pattern>]…
 *                  [--json] [--markdown <file>] [--config-draft <file>]
 *                  [--chrome-arg <flag>]… [--wait 1000] [--timeout 30000]
 *
 * Exit codes: 0 clean, 1 something optional happened before consent or after a
 * refusal (or a page could not be scanned), 2 the scan could not run (a usage
 * error naming the flag, no browser, no playwright-core). See docs/scanner.md.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SetupError } from './browser.js';
import { draftConfig } from './draft.js';
import { createProgress, formatMarkdown, formatTerminal, summaryLine } from './report.js';
import { loadCatalog, scanSite } from './scan.js';
import { SitemapError, pagesFromSitemap } from './sitemap.js';

export const HELP = `Usage: consentkit scan <url…> [options]
       consentkit scan --sitemap <url> [options]

Checks each page in a fresh headless Chromium (the system one; CHROME_PATH to choose):
before any choice, after Reject all, after Accept all and after withdrawal.

Options:
  --sitemap <url>          scan the pages of this sitemap (same origin only)
  --max-pages <n>          at most this many pages from the sitemap (default 20)
  --allow <pattern>        accept an exception: a cookie or storage name (_ga*) or a
                           URL pattern (fonts.example.com/css); repeatable
  --json                   print the report as JSON on stdout
  --markdown <file>        write the report as Markdown to <file>
  --config-draft <file>    write a config drafted from what the site sets to <file>
                           (what nothing names goes to <file>.unplaced.json)
  --chrome-arg <flag>      pass a flag to Chromium (--chrome-arg=--lang=de); repeatable
  --wait <ms>              keep watching this long once the network is quiet (default 1000)
  --timeout <ms>           wait this long at most for a page, the API, the banner (default 30000)
  -h, --help               show this help

Exit codes: 0 clean, 1 violations (or a page not scanned), 2 the scan could not run.`;

/** A usage error: the CLI prints it with a pointer to --help and exits 2. */
class UsageError extends Error {}

/** A whole number ≥ `min` from flag `name`'s value, or a UsageError naming the flag. */
function wholeNumber(name: string, value: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${name} must be a whole number ≥ ${min} (got "${value}")`);
  return Number(value);
}

/** An absolute http(s) URL from `what`'s value, or a UsageError naming it. */
function webUrl(what: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what} must be an absolute http(s) URL (got "${value}")`);
  }
  if (url.protocol != 'http:' && url.protocol != 'https:') throw new UsageError(`${what} must be an http(s) URL (got "${value}")`);
  return url.href;
}

/** The `.unplaced.json` file beside a draft: `site.config.json` → `site.config.unplaced.json`. */
export const unplacedPath = (draftPath: string) => draftPath.replace(/(\.json)?$/i, '.unplaced.json');

function parse(argv: string[]) {
  const [command, ...rest] = argv;
  if (command == '-h' || command == '--help' || command == 'help') return { help: true } as const;
  if (command != 'scan') throw new UsageError(command ? `unknown command "${command}"; the only command is "scan"` : 'no command given; the only command is "scan"');
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        sitemap: { type: 'string' },
        'max-pages': { type: 'string', default: '20' },
        allow: { type: 'string', multiple: true, default: [] },
        json: { type: 'boolean', default: false },
        markdown: { type: 'string' },
        'config-draft': { type: 'string' },
        'chrome-arg': { type: 'string', multiple: true, default: [] },
        wait: { type: 'string', default: '1000' },
        timeout: { type: 'string', default: '30000' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true } as const;
  const urls = positionals.map((value) => webUrl('each page to scan', value));
  const sitemap = values.sitemap == null ? undefined : webUrl('--sitemap', values.sitemap);
  if (!urls.length && !sitemap) throw new UsageError('give the pages to scan (consentkit scan https://example.com/) or --sitemap <url>');
  for (const [flag, value] of [['--markdown', values.markdown], ['--config-draft', values['config-draft']]] as const)
    if (value === '') throw new UsageError(`${flag} needs a file name`);
  for (const pattern of values.allow) if (!pattern.trim()) throw new UsageError('--allow needs a pattern (a cookie name like _ga* or a URL pattern)');
  return {
    help: false,
    urls,
    sitemap,
    maxPages: wholeNumber('max-pages', values['max-pages'], 1),
    allow: values.allow,
    json: values.json,
    markdown: values.markdown,
    configDraft: values['config-draft'],
    chromeArgs: values['chrome-arg'],
    wait: wholeNumber('wait', values.wait, 0),
    timeout: wholeNumber('timeout', values.timeout, 1000),
  };
}

/** Runs the CLI on `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`consentkit: ${error.message}\nRun "consentkit scan --help" for the options.`);
    return 2;
  }
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  try {
    const urls = [...options.urls];
    if (options.sitemap) for (const page of await pagesFromSitemap(options.sitemap, options.maxPages, options.timeout)) if (!urls.includes(page)) urls.push(page);
    const progress = createProgress(process.stderr);
    const catalog = loadCatalog();
    const report = await scanSite({
      urls,
      allow: options.allow,
      wait: options.wait,
      timeout: options.timeout,
      chromeArgs: options.chromeArgs,
      catalog,
      onProgress: (p) => {
        progress.update(p);
      },
    });
    progress.done();
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else console.log(formatTerminal(report));
    if (options.markdown) writeFileSync(options.markdown, formatMarkdown(report));
    if (options.configDraft) {
      const draft = draftConfig(report, catalog);
      writeFileSync(options.configDraft, `${JSON.stringify(draft.config, null, 2)}\n`);
      if (draft.unplaced.length) {
        writeFileSync(unplacedPath(options.configDraft), `${JSON.stringify({ _unplaced: draft.unplaced }, null, 2)}\n`);
        console.error(`consentkit: ${draft.unplaced.length} item(s) nothing names are listed in ${unplacedPath(options.configDraft)}: place them in the config`);
      }
    }
    if (options.json) console.error(summaryLine(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof SetupError || error instanceof SitemapError) {
      console.error(`consentkit: ${error.message}`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code == 'ENOENT' || code == 'EACCES' || code == 'EISDIR') {
      console.error(`consentkit: cannot write a report file: ${(error as Error).message}`);
      return 2;
    }
    console.error(`consentkit: the scan stopped: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
