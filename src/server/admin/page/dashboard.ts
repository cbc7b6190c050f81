/**
 * The operator dashboard's script (`/admin/assets/dashboard.js`), bundled with
 * uPlot by scripts/build.mjs. Operator tooling: it never runs on a visitor's page,
 * so it may carry a chart library the consent widget never loads.
 *
 * Sign-in keeps the admin token in sessionStorage (this tab only) and sends it as
 * `Authorization: Bearer` to `/admin/api/…`; every value is written as text, never HTML.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';

interface CategoryDay {
  day: string;
  category: string;
  granted: number;
  refused: number;
}
interface ActionDay {
  day: string;
  action: string;
  records: number;
}
interface FilterValues {
  regions: string[];
  languages: string[];
  revisions: string[];
  firstDay: string | null;
  lastDay: string | null;
}
interface StoredRecord {
  receivedAt: string;
  record: { consentId: string; updatedAt: string; action: string; categories: Record<string, boolean>; region?: string; language: string; revision: string };
}

const TOKEN_KEY = 'consentkit-admin-token';
/** The select value meaning "no filter" (no region, language or revision contains a space). */
const ANY = 'any value';
const DAY_MS = 86_400_000;
const ACTION_LABELS: Record<string, string> = {
  accept_all: 'Accept all',
  reject_all: 'Reject all',
  custom: 'Custom',
  withdraw: 'Withdraw',
  close: 'Closed',
  gpc_optout: 'GPC opt-out',
};
/** Besides colour, each series has its own dash pattern, so lines can be told apart without colour. */
const DASHES: number[][] = [[], [8, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 6]];

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found;
}
const input = (id: string) => element(id) as HTMLInputElement;
const select = (id: string) => element(id) as HTMLSelectElement;
const table = (id: string) => element(id) as HTMLTableElement;
const number = (n: number) => n.toLocaleString('en');
const percent = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : '–');

class SignedOut extends Error {}

/** GETs an API route with the token; a 401 signs out. */
async function api<T>(route: string, params: Record<string, string> = {}): Promise<T> {
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  const query = new URLSearchParams(params).toString();
  const response = await fetch(`/admin/api/${route}${query ? `?${query}` : ''}`, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (response.status == 401) throw new SignedOut(body.error ?? 'the admin token was refused');
  if (!response.ok) throw new Error(body.error ?? `${route}: HTTP ${response.status}`);
  return body;
}

/** A CSS custom property of the page (colours follow prefers-color-scheme). */
const cssVariable = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const seriesColour = (i: number) => cssVariable(`--series-${(i % 6) + 1}`);

/** Fills `table` with a header row and body rows, all as text. */
function fillTable(target: HTMLTableElement, head: string[], rows: string[][]) {
  const caption = target.caption;
  target.replaceChildren(...(caption ? [caption] : []));
  const headRow = target.createTHead().insertRow();
  for (const text of head) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = text;
    headRow.append(cell);
  }
  const body = target.createTBody();
  for (const row of rows) {
    const tableRow = body.insertRow();
    row.forEach((text, i) => {
      let cell: HTMLTableCellElement;
      if (i == 0) {
        cell = document.createElement('th');
        cell.scope = 'row';
        tableRow.append(cell);
      } else cell = tableRow.insertCell();
      cell.textContent = text;
    });
  }
}

/** The legend under a chart: a swatch (a line in its colour and dash, or a bar) and a name per series. */
function fillLegend(list: HTMLElement, names: string[], kind: 'line' | 'bar') {
  list.replaceChildren(
    ...names.map((name, i) => {
      const item = document.createElement('li');
      const swatch = document.createElement('canvas');
      swatch.width = 28;
      swatch.height = 10;
      swatch.setAttribute('aria-hidden', 'true');
      const context = swatch.getContext('2d');
      if (context && kind == 'bar') {
        context.fillStyle = seriesColour(i);
        context.fillRect(4, 0, 20, 10);
      } else if (context) {
        context.strokeStyle = seriesColour(i);
        context.lineWidth = 3;
        context.setLineDash(DASHES[i % DASHES.length]);
        context.beginPath();
        context.moveTo(0, 5);
        context.lineTo(28, 5);
        context.stroke();
      }
      item.append(swatch, document.createTextNode(name));
      return item;
    }),
  );
}

/** Every day from `from` to `to` (both `YYYY-MM-DD`), as seconds since 1970 (uPlot's x values). */
function daySeconds(from: string, to: string): number[] {
  const days: number[] = [];
  for (let time = Date.parse(`${from}T00:00:00Z`); time <= Date.parse(`${to}T00:00:00Z`); time += DAY_MS) days.push(time / 1000);
  return days;
}
const dayText = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

const charts = new Map<string, uPlot>();
let lastDraw: (() => void) | undefined;

/** Draws (or redraws) a chart into its container at the container's width. */
function drawChart(id: string, options: Omit<uPlot.Options, 'width' | 'height'>, data: uPlot.AlignedData) {
  charts.get(id)?.destroy();
  const container = element(`${id}-chart`);
  container.replaceChildren();
  const text = cssVariable('--text');
  const grid = cssVariable('--grid');
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const chart = new uPlot(
    {
      ...options,
      width: Math.max(200, container.clientWidth),
      height: 260,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      axes: (options.axes ?? []).map((extra) => ({ ...axis, ...extra })),
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    },
    data,
    container,
  );
  charts.set(id, chart);
}

/** The consent rate chart: per category that was ever refused, granted / (granted + refused) per day. */
function showRates(from: string, to: string, rows: CategoryDay[]) {
  const days = daySeconds(from, to);
  const categories = [...new Set(rows.map((row) => row.category))].sort();
  const byKey = new Map(rows.map((row) => [`${row.day} ${row.category}`, row]));
  // A category nobody refused (a required one) would be a flat 100 % line: the table keeps it.
  const charted = categories.filter((category) => rows.some((row) => row.category == category && row.refused > 0));
  const rate = (day: number, category: string) => {
    const row = byKey.get(`${dayText(day)} ${category}`);
    return row && row.granted + row.refused ? (100 * row.granted) / (row.granted + row.refused) : null;
  };
  drawChart(
    'rate',
    {
      scales: { x: { time: true }, y: { range: [0, 100] } },
      axes: [{}, { values: (_chart, values) => values.map((value) => `${value} %`), size: 56 }],
      series: [
        {},
        ...charted.map((category, i) => ({ label: category, stroke: seriesColour(i), width: 2, dash: DASHES[i % DASHES.length], points: { show: false }, spanGaps: false })),
      ],
    },
    [days, ...charted.map((category) => days.map((day) => rate(day, category)))],
  );
  fillLegend(element('rate-legend'), charted, 'line');
  const totals = categories.map((category) => {
    const own = rows.filter((row) => row.category == category);
    const granted = own.reduce((sum, row) => sum + row.granted, 0);
    return { category, granted, decided: own.reduce((sum, row) => sum + row.granted + row.refused, 0) };
  });
  element('rate-summary').textContent = totals.length
    ? `From ${from} to ${to}: ${totals.map(({ category, granted, decided }) => `${category} granted in ${percent(granted, decided)} of ${number(decided)} decisions`).join('; ')}.`
    : `No records from ${from} to ${to}.`;
  fillTable(
    table('rate-table'),
    ['Day', ...categories.map((category) => `${category} granted`)],
    days
      .filter((day) => categories.some((category) => byKey.has(`${dayText(day)} ${category}`)))
      .map((day) => [
        dayText(day),
        ...categories.map((category) => {
          const row = byKey.get(`${dayText(day)} ${category}`);
          return row ? `${percent(row.granted, row.granted + row.refused)} (${number(row.granted)} of ${number(row.granted + row.refused)})` : '–';
        }),
      ]),
  );
}

/** The actions chart: stacked bars of the records per day, one colour per action. */
function showActions(from: string, to: string, rows: ActionDay[]) {
  const days = daySeconds(from, to);
  const actions = Object.keys(ACTION_LABELS).filter((action) => rows.some((row) => row.action == action));
  const counts = new Map(rows.map((row) => [`${row.day} ${row.action}`, row.records]));
  const count = (day: number, action: string) => counts.get(`${dayText(day)} ${action}`) ?? 0;
  // Stacked: each bar reaches the sum of its own action and those drawn after it,
  // so the first series is the whole stack and each later one covers the part beneath.
  const stacked = actions.map((_action, i) => days.map((day) => actions.slice(i).reduce((sum, action) => sum + count(day, action), 0)));
  const bars = uPlot.paths.bars?.({ size: [0.8, 24] });
  drawChart(
    'actions',
    {
      scales: { x: { time: true }, y: { range: (_chart, _min, max) => [0, Math.max(1, max)] } },
      axes: [{}, { size: 56 }],
      series: [{}, ...actions.map((action, i) => ({ label: ACTION_LABELS[action], fill: seriesColour(i), stroke: seriesColour(i), width: 0, paths: bars, points: { show: false } }))],
    },
    [days, ...stacked],
  );
  fillLegend(
    element('actions-legend'),
    actions.map((action) => ACTION_LABELS[action]),
    'bar',
  );
  const total = rows.reduce((sum, row) => sum + row.records, 0);
  const perAction = actions.map((action) => ({ action, records: rows.filter((row) => row.action == action).reduce((sum, row) => sum + row.records, 0) }));
  element('actions-summary').textContent = total
    ? `${number(total)} decisions from ${from} to ${to}: ${perAction.map(({ action, records }) => `${ACTION_LABELS[action]} ${percent(records, total)} (${number(records)})`).join(', ')}.`
    : `No records from ${from} to ${to}.`;
  fillTable(
    table('actions-table'),
    ['Day', ...actions.map((action) => ACTION_LABELS[action]), 'All'],
    days
      .filter((day) => actions.some((action) => count(day, action)))
      .map((day) => {
        const values = actions.map((action) => count(day, action));
        return [dayText(day), ...values.map(number), number(values.reduce((sum, value) => sum + value, 0))];
      }),
  );
}

function showRecords(records: StoredRecord[]) {
  fillTable(
    table('records-table'),
    ['Decided (UTC)', 'Action', 'Granted', 'Region', 'Language', 'Revision', 'Consent id'],
    records.map(({ record }) => [
      record.updatedAt.replace('T', ' ').slice(0, 19),
      ACTION_LABELS[record.action] ?? record.action,
      Object.entries(record.categories)
        .filter(([, granted]) => granted)
        .map(([category]) => category)
        .join(', ') || 'nothing',
      record.region ?? '–',
      record.language,
      record.revision,
      record.consentId,
    ]),
  );
}

/** Puts `values` into a filter select, keeping the selected value when it is still offered. */
function fillSelect(target: HTMLSelectElement, values: string[], anyLabel: string, emptyLabel: string) {
  const selected = target.value || ANY;
  target.replaceChildren(new Option(anyLabel, ANY), ...values.map((value) => new Option(value === '' ? emptyLabel : value, value)));
  target.value = [ANY, ...values].includes(selected) ? selected : ANY;
}

/** The filters as query parameters (a select left at "all" adds none). */
function filterParams(): Record<string, string> {
  const params: Record<string, string> = { from: input('from').value, to: input('to').value };
  for (const name of ['region', 'language', 'revision']) {
    const value = select(name).value;
    if (value != ANY) params[name] = value;
  }
  return params;
}

const status = (text: string) => {
  element('status').textContent = text;
};

/** Loads everything for the current filters and draws it. */
async function refresh() {
  const params = filterParams();
  if (!params.from || !params.to) return;
  status('Loading…');
  const slice = Object.fromEntries(Object.entries(params).filter(([name]) => name != 'from' && name != 'to'));
  const [categories, actions, latest] = await Promise.all([
    api<{ from: string; to: string; days: CategoryDay[] }>('categories', params),
    api<{ from: string; to: string; days: ActionDay[] }>('actions', params),
    api<{ records: StoredRecord[] }>('records', { ...slice, limit: '20' }),
  ]);
  lastDraw = () => {
    showRates(categories.from, categories.to, categories.days);
    showActions(actions.from, actions.to, actions.days);
  };
  lastDraw();
  showRecords(latest.records);
  status(`Showing ${categories.from} to ${categories.to}${Object.keys(slice).length ? ` for ${Object.entries(slice).map(([name, value]) => `${name} ${value || '(none)'}`).join(', ')}` : ''}.`);
}

/** Loads the filter values, then everything else; a refused token returns to the sign-in form. */
async function openDashboard() {
  const values = await api<FilterValues>('filters');
  fillSelect(select('region'), values.regions, 'All regions', '(none sent)');
  fillSelect(select('language'), values.languages, 'All languages', '(none)');
  fillSelect(select('revision'), values.revisions, 'All revisions', '(none)');
  const today = new Date().toISOString().slice(0, 10);
  const to = input('to');
  const from = input('from');
  if (!to.value) to.value = values.lastDay && values.lastDay < today ? values.lastDay : today;
  if (!from.value) from.value = new Date(Date.parse(`${to.value}T00:00:00Z`) - 59 * DAY_MS).toISOString().slice(0, 10);
  element('sign-in').hidden = true;
  element('dashboard').hidden = false;
  element('sign-out').hidden = false;
  await refresh();
}

function showSignIn(message = '') {
  charts.forEach((chart) => {
    chart.destroy();
  });
  charts.clear();
  element('dashboard').hidden = true;
  element('sign-out').hidden = true;
  element('sign-in').hidden = false;
  element('sign-in-error').textContent = message;
  input('token').focus();
}

/** Shows what went wrong: a refused token signs out, anything else is a status line. */
function failed(error: unknown) {
  if (error instanceof SignedOut) {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn(`Sign-in refused: ${error.message}`);
  } else status(`Could not load the dashboard: ${error instanceof Error ? error.message : String(error)}`);
}

function start() {
  element('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input('token');
    sessionStorage.setItem(TOKEN_KEY, token.value);
    token.value = '';
    openDashboard()
      .then(() => {
        element('overview').focus();
      })
      .catch(failed);
  });
  element('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn('Signed out.');
  });
  element('filters').addEventListener('change', () => {
    refresh().catch(failed);
  });
  element('filters').addEventListener('submit', (event) => {
    event.preventDefault();
  });
  // Redraw at the new width, and in the other palette when the colour scheme changes.
  let resizing = 0;
  let width = 0;
  new ResizeObserver(([entry]) => {
    if (entry.contentRect.width == width) return;
    width = entry.contentRect.width;
    cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(() => lastDraw?.());
  }).observe(element('dashboard'));
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => lastDraw?.());
  if (sessionStorage.getItem(TOKEN_KEY)) openDashboard().catch(failed);
}

start();
