// The demo site's consentkit config, shared by every page of the site (index, records, audit):
// a stored choice is only valid for the same categories and revision, so all pages of one
// site use one config. It is set as window.consentkitConfig before the consentkit tag;
// a single page can use an inline <script type="application/json" id="consentkit-config">
// instead (see docs/configuration.md).
window.consentkitConfig = {
  revision: 1,
  categories: [
    { id: 'necessary', required: true,
      cookies: [{ name: 'consentkit', provider: 'Northwind Coffee', purpose: 'Remembers your cookie choice', duration: '6 months' }] },
    { id: 'functional', services: [
      { id: 'youtube', label: 'YouTube videos', description: 'Plays the brewing guides on this page.',
        cookies: [{ name: 'VISITOR_INFO1_LIVE', provider: 'Google (YouTube)', purpose: 'Video player preferences', duration: '6 months' }] },
      { id: 'maps', label: 'Google Maps', description: 'Shows where our roastery is.' },
    ] },
    { id: 'analytics', services: [
      { id: 'ga4', label: 'Google Analytics',
        cookies: [{ name: '_ga*', provider: 'Google', purpose: 'Counts visits and pages viewed', duration: '13 months' }] },
    ] },
    { id: 'advertising', services: [
      { id: 'metapixel', label: 'Meta pixel', description: 'Measures our ads on Facebook and Instagram.',
        cookies: [{ name: '_fbp', provider: 'Meta', purpose: 'Measures ad campaigns', duration: '3 months' }] },
    ] },
  ],
  googleConsentMode: true,
  ui: { privacyPolicyUrl: '/#privacy' },
  report: '/api/consent',
};
