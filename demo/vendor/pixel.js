// STAND-IN for the Meta pixel (fbevents.js), served from demo/vendor/ because the demo
// needs no internet. Like fbevents.js it replays the fbq() calls queued by the inline
// snippet and sets the _fbp cookie; then it shows "ad pixel ran" on the page.
// It sends nothing anywhere.
(function () {
  const fbq = window.fbq;
  const events = [];
  const run = (args) => {
    if (args[0] === 'track') events.push(args[1]);
  };
  for (const args of (fbq && fbq.queue) || []) run(args);
  if (fbq) fbq.callMethod = (...args) => run(args);
  const threeMonths = 60 * 60 * 24 * 90;
  document.cookie = `_fbp=fb.1.${Date.now()}.${Math.floor(Math.random() * 1e9)}; Path=/; Max-Age=${threeMonths}; SameSite=Lax`;
  window.northwind?.ran('pixel', `Ad pixel ran (stand-in for the Meta pixel): tracked ${events.join(', ') || 'nothing'}, set the _fbp cookie`);
})();
