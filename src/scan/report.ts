/**
 * How a scan is shown: a progress bar while it runs (a plain line per page when
 * the output is not a terminal), a table per page in the terminal, and a
 * Markdown report.
 */
import type { Phase, Sighting } from './scan-page.js';
import type { ScanReport, Violation } from './scan.js';

/** Lays out rows under headers in aligned columns; cells longer than `maxWidth` are cut with `…`. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], maxWidth = 60): string {
  const cut = (cell: string) => (cell.length > maxWidth ? `${cell.slice(0, maxWidth - 1)}…` : cell);
  const cells = [headers, ...rows].map((row) => row.map(cut));
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  return cells.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
}

const PHASE_WORDS: Record<Phase, string> = {
  'before-consent': 'before consent',
  'after-reject': 'after Reject all',
  'after-accept': 'after Accept all',
  'after-withdrawal': 'after withdrawal',
};

/** `analytics / google-analytics (catalog)`: where a violation or sighting belongs. */
const placeOf = (item: Pick<Violation, 'category' | 'service' | 'catalog' | 'basis'>) =>
  item.basis == 'unknown' ? 'unknown' : [item.category, item.service ?? ''].filter(Boolean).join(' / ') + (item.catalog ? ` (catalog: ${item.catalog})` : '');

const violationRow = (v: Violation) => [PHASE_WORDS[v.phase], v.kind, v.name, placeOf(v), v.reason];
const VIOLATION_HEADERS = ['when', 'kind', 'name', 'belongs to', 'why'];

/** The cookies and keys seen after Accept all, one row each. */
const acceptedRows = (sightings: readonly Sighting[]) =>
  sightings.filter((s) => s.phase == 'after-accept' && s.kind != 'request' && s.basis != 'consentkit').map((s) => [s.kind, s.name, s.domain, placeOf(s)]);
const ACCEPTED_HEADERS = ['kind', 'name', 'domain', 'belongs to'];

/** One line: how many pages, violations, accepted exceptions and unscanned pages. */
export function summaryLine(report: ScanReport): string {
  const count = (n: number, word: string) => `${n} ${word}${n == 1 ? '' : 's'}`;
  const parts = [count(report.pages.length, 'page'), count(report.violations.length, 'violation')];
  if (report.allowed.length) parts.push(`${report.allowed.length} allowed`);
  if (report.errors.length) parts.push(`${count(report.errors.length, 'page')} not scanned`);
  return `consentkit scan: ${parts.join(', ')}${report.ok ? ': clean' : ''}`;
}

/** The report for a terminal: per page, its violations (or that it is clean) and what Accept all set. */
export function formatTerminal(report: ScanReport): string {
  const out: string[] = [];
  for (const page of report.pages) {
    const violations = report.violations.filter((v) => v.page == page.url);
    const allowed = report.allowed.filter((v) => v.page == page.url);
    if (page.error) out.push(`✗ ${page.url}: not scanned: ${page.error}`);
    else out.push(`${violations.length ? '✗' : '✓'} ${page.url}: ${violations.length ? `${violations.length} violation${violations.length == 1 ? '' : 's'}` : 'clean'}`);
    if (violations.length) out.push(indent(formatTable(VIOLATION_HEADERS, violations.map(violationRow))));
    if (allowed.length) out.push('  allowed (--allow):', indent(formatTable(VIOLATION_HEADERS, allowed.map(violationRow))));
    const accepted = acceptedRows(page.sightings);
    if (accepted.length) out.push('  set after Accept all:', indent(formatTable(ACCEPTED_HEADERS, accepted)));
    out.push('');
  }
  out.push(summaryLine(report));
  return out.join('\n');
}

const indent = (text: string) => text.replace(/^/gm, '    ');

/** A Markdown table; `|` in cells is escaped. */
function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The report as Markdown (`--markdown`): a summary, then each page's violations and what Accept all set. */
export function formatMarkdown(report: ScanReport): string {
  const out = ['# consentkit scan', '', `${summaryLine(report).replace(/^consentkit scan: /, '')}.`, ''];
  for (const page of report.pages) {
    out.push(`## ${page.url}`, '');
    if (page.error) {
      out.push(`Not scanned: ${page.error}.`, '');
      continue;
    }
    const violations = report.violations.filter((v) => v.page == page.url);
    out.push(violations.length ? markdownTable(VIOLATION_HEADERS, violations.map(violationRow)) : 'No violation.', '');
    const allowed = report.allowed.filter((v) => v.page == page.url);
    if (allowed.length) out.push('Allowed (`--allow`):', '', markdownTable(VIOLATION_HEADERS, allowed.map(violationRow)), '');
    const accepted = acceptedRows(page.sightings);
    if (accepted.length) out.push('Set after Accept all:', '', markdownTable(ACCEPTED_HEADERS, accepted), '');
  }
  return out.join('\n');
}

/** Shows progress on `stream`: a bar redrawn in place on a terminal, else a plain line per page. */
export function createProgress(stream: NodeJS.WriteStream) {
  const width = 20;
  let lastIndex = -1;
  return {
    update({ index, total, url, phase }: { index: number; total: number; url: string; phase?: Phase }) {
      if (!stream.isTTY) {
        if (index != lastIndex) stream.write(`scanning ${index + 1}/${total} ${url}\n`);
        lastIndex = index;
        return;
      }
      const filled = Math.round((index / total) * width);
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${index + 1}/${total}`;
      const line = `${bar} ${phase ? PHASE_WORDS[phase] : 'opening'}: ${url}`;
      stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (stream.columns || 80) - 1))}`);
    },
    /** Clears the bar (a terminal) before the report is printed. */
    done() {
      if (stream.isTTY) stream.write('\r\x1b[2K');
    },
  };
}
