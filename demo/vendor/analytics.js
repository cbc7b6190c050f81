// STAND-IN for Google Analytics 4 (gtag.js), served from demo/vendor/ because the demo
// needs no internet. Like gtag.js it reads `config` commands from window.dataLayer and
// sets the _ga and _ga_<id> cookies; then it shows "analytics ran" on the page.
// It sends nothing anywhere.
(function () {
  const dataLayer = (window.dataLayer = window.dataLayer || []);
  const configs = [];
  for (const entry of dataLayer) if (entry && entry[0] === 'config') configs.push(String(entry[1]));
  const thirteenMonths = 60 * 60 * 24 * 395;
  const client = `GA1.1.${Math.floor(Math.random() * 1e9)}.${Math.floor(Date.now() / 1000)}`;
  document.cookie = `_ga=${client}; Path=/; Max-Age=${thirteenMonths}; SameSite=Lax`;
  for (const id of configs)
    document.cookie = `_ga_${id.replace(/^G-/, '')}=GS1.1.${Math.floor(Date.now() / 1000)}; Path=/; Max-Age=${thirteenMonths}; SameSite=Lax`;
  window.northwind?.ran('analytics', `Analytics ran (stand-in for Google Analytics ${configs.join(', ') || ''}): set the _ga cookie`);
})();
