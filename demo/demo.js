// Demo-site helpers (first-party, necessary: sets nothing). The stand-in trackers call
// northwind.ran() so the page shows what actually ran; the cookie list shows what the
// browser holds for this site, refreshed as consent changes.
window.northwind = {
  /** Marks `id` ("analytics", "pixel") as run in the status list, or shows a badge. */
  ran(id, text) {
    const item = document.querySelector(`[data-tracker="${id}"]`);
    if (item) {
      item.textContent = text;
      item.dataset.state = 'ran';
      return;
    }
    const badge = document.createElement('p');
    badge.className = 'badge';
    badge.dataset.tracker = id;
    badge.dataset.state = 'ran';
    badge.textContent = text;
    document.body.append(badge);
  },
};

function showCookies() {
  const list = document.getElementById('cookies');
  if (!list) return;
  const names = document.cookie.split(';').map((c) => c.split('=')[0].trim()).filter(Boolean).sort();
  list.textContent = names.length ? names.join(', ') : '(none)';
}
addEventListener('DOMContentLoaded', showCookies);
addEventListener('consentkit:change', () => setTimeout(showCookies, 100));
setInterval(showCookies, 1000);
