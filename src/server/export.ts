/**
 * Streamed exports: records are read from the database a page at a time (a
 * keyset page of EXPORT_BATCH records) and each page is written before the
 * next is read, waiting whenever the client reads slower than we write. A
 * million records never sit in memory together.
 *
 * NDJSON: one `{"type":"record","receivedAt","leaf","record"}` a line, then,
 * for an export without field filters, the digests of the whole days it covers
 * and the leaf hashes of those days' erased records (`type` `erased` and
 * `digest`): what `consentkit-server verify` checks the records against.
 * CSV: one row a record, for spreadsheets (digests are in the NDJSON export
 * and at `GET …/digests`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConsentRecord } from '../gate/reporting/record.js';
import { utcDay } from './digest.js';
import { write } from './http.js';
import type { ListedRecord, OperatorStore, RecordFilter } from './operator-store.js';

export type ExportFormat = 'ndjson' | 'csv';

/** Records read from the database at a time. */
export const EXPORT_BATCH = 1000;
const DAY_MS = 86_400_000;

/** CSV columns: the time received, then the record's fields (categories and services as JSON). */
export const CSV_COLUMNS = [
  'receivedAt',
  'recordId',
  'consentId',
  'createdAt',
  'updatedAt',
  'revision',
  'action',
  'source',
  'language',
  'region',
  'url',
  'gpc',
  'gpcConfirmed',
  'sdkVersion',
  'configHash',
  'categories',
  'services',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, or starts or ends
 * with a space, quotes doubled. A text starting with = + - @ or a tab is prefixed with `'`, so
 * that a spreadsheet shows it instead of running it as a formula.
 */
export function csvField(value: unknown): string {
  let text = value === undefined || value === null ? '' : typeof value == 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^ | $/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (values: unknown[]): string => `${values.map(csvField).join(',')}\r\n`;

const csvLine = ({ receivedAt, record }: ListedRecord) =>
  csvRow(CSV_COLUMNS.map((column) => (column == 'receivedAt' ? receivedAt : record[column as keyof ConsentRecord])));
const ndjsonLine = ({ receivedAt, leaf, record }: ListedRecord) => `${JSON.stringify({ type: 'record', receivedAt, leaf, record })}\n`;

/** Whole UTC days inside [from, to): the days whose digests an export carries. */
function wholeDays(filter: RecordFilter): [string, string] {
  const from = filter.from ? new Date(filter.from) : null;
  const to = filter.to ? new Date(filter.to) : new Date(Date.UTC(9999, 11, 31) + DAY_MS);
  const fromDay = !from ? '0001-01-01' : from.getTime() % DAY_MS == 0 ? utcDay(from) : utcDay(new Date(from.getTime() + DAY_MS));
  return [fromDay, utcDay(new Date(to.getTime() - DAY_MS))];
}

/** Writes the export of `filter` in `format` to `res`, reading the store page by page. */
export async function streamExport(req: IncomingMessage, res: ServerResponse, operator: OperatorStore, filter: RecordFilter, format: ExportFormat): Promise<void> {
  // The first page is read before the head is sent, so that a database down is still a 503.
  let page = await operator.list(filter, null, EXPORT_BATCH);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  res.writeHead(200, {
    'content-type': format == 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'content-disposition': `attachment; filename="consent-records-${stamp}.${format}"`,
    'cache-control': 'no-store',
  });
  const line = format == 'csv' ? csvLine : ndjsonLine;
  if (format == 'csv' && !(await write(res, csvRow([...CSV_COLUMNS])))) return;
  for (;;) {
    if (!(await write(res, page.records.map(line).join('')))) return;
    if (!page.next || req.destroyed) break;
    page = await operator.list(filter, page.next, EXPORT_BATCH);
  }
  const fieldFiltered = Object.keys(filter).some((key) => key != 'from' && key != 'to');
  if (format == 'ndjson' && !fieldFiltered) {
    const [fromDay, toDay] = wholeDays(filter);
    if (fromDay <= toDay) {
      const erased = await operator.erasedLeaves(fromDay, toDay);
      const digests = await operator.digests(fromDay, toDay);
      const trailer = [...erased.map((leaf) => ({ type: 'erased', ...leaf })), ...digests.map((digest) => ({ type: 'digest', ...digest }))];
      if (!(await write(res, trailer.map((entry) => `${JSON.stringify(entry)}\n`).join('')))) return;
    }
  }
  res.end();
}
