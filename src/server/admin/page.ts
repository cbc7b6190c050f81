/**
 * The dashboard's HTML shell, served at `/admin`. It holds no data and no
 * script of its own: `/admin/assets/dashboard.js` (built from
 * src/server/admin/page/dashboard.ts) signs in and fills it, so the page's
 * Content-Security-Policy allows scripts and styles from the endpoint only.
 */

/** The Content-Security-Policy of every `/admin` response. */
export const ADMIN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** A filter: a label and a select the script fills with the values the records hold. */
const filter = (id: string, label: string) => `
        <div class="field"><label for="${id}">${label}</label><select id="${id}" name="${id}"></select></div>`;

/**
 * A chart section: heading, a text summary, the chart (an image whose name is the heading
 * and whose description is the summary), its legend, and the same numbers as a table.
 */
const chartSection = (id: string, title: string, tableLabel: string) => `
    <section class="card" aria-labelledby="${id}-heading">
      <h2 id="${id}-heading">${title}</h2>
      <p class="summary" id="${id}-summary"></p>
      <div class="chart" id="${id}-chart" role="img" aria-labelledby="${id}-heading" aria-describedby="${id}-summary"></div>
      <ul class="legend" id="${id}-legend" aria-label="Legend"></ul>
      <details>
        <summary>${tableLabel}</summary>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="${id}-table-caption">
          <table id="${id}-table"><caption id="${id}-table-caption">${title}, per day</caption></table>
        </div>
      </details>
    </section>`;

/** The page. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <meta name="referrer" content="no-referrer">
  <link rel="icon" href="data:,">
  <title>Consent dashboard · consentkit</title>
  <link rel="stylesheet" href="/admin/assets/dashboard.css">
  <script src="/admin/assets/dashboard.js" defer></script>
</head>
<body>
  <header class="top">
    <h1>Consent dashboard</h1>
    <button type="button" id="sign-out" hidden>Sign out</button>
  </header>
  <main>
    <form id="sign-in" class="card sign-in" method="post" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in</h2>
      <p>Enter the endpoint's admin token (<code>CONSENTKIT_ADMIN_TOKEN</code>). This tab keeps it
        until it closes or you sign out, and sends it only to this endpoint.</p>
      <div class="field">
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" spellcheck="false" required>
      </div>
      <button type="submit">Sign in</button>
      <p id="sign-in-error" class="error" role="alert"></p>
    </form>
    <div id="dashboard" hidden>
      <h2 id="overview" class="visually-hidden" tabindex="-1">Overview</h2>
      <form id="filters" class="card filters" aria-label="Filters">${filter('region', 'Region')}${filter('language', 'Language')}${filter('revision', 'Policy revision')}
        <div class="field"><label for="from">From</label><input id="from" name="from" type="date" required></div>
        <div class="field"><label for="to">To</label><input id="to" name="to" type="date" required></div>
      </form>
      <p id="status" class="status" role="status"></p>${chartSection('rate', 'Consent rate per category', 'Consent rate per category as a table')}${chartSection(
        'actions',
        'Decisions per day by action',
        'Decisions per day as a table',
      )}
      <section class="card" aria-labelledby="records-heading">
        <h2 id="records-heading">Latest records</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="records-table-caption">
          <table id="records-table"><caption id="records-table-caption" class="visually-hidden">The latest consent decisions, newest first</caption></table>
        </div>
      </section>
    </div>
  </main>
</body>
</html>
`;
