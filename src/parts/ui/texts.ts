/**
 * The English texts. Every other language is a JSON file in `i18n/` with the
 * keys of all three tables below, fetched on demand by whichever part needs it
 * (`i18n.ts`); each part builds in only the English of its own keys.
 */

/** The corner buttons (`consentkit-corner.js`). */
export const CORNER_EN = {
  'floating.label': 'Privacy settings',
  'optout.link': 'Do Not Sell or Share My Personal Information',
  'gpc.honored': 'Opt-Out Request Honored',
  'withdraw.button': 'Withdraw consent',
};

/** The placeholders of blocked iframes (`consentkit-embeds.js`); `{name}` and `{category}` are filled in. */
export const PLACEHOLDER_EN = {
  'placeholder.blocked': '{name} is blocked. It needs your consent to “{category}”.',
  'placeholder.name': 'This embedded content',
  'placeholder.once': 'Load this once',
  'placeholder.allow': 'Always allow “{category}”',
};

/** The banner and the preferences dialog (`consentkit-ui.js`), with the corner's texts they show too. */
export const EN = {
  ...CORNER_EN,
  'banner.title': 'We value your privacy',
  'banner.text':
    'We use cookies and similar tools to run this site, to see how it is used and to show relevant ads. Optional ones are only used if you accept them. You can change your choice at any time under “Privacy settings”.',
  'banner.closeNote': 'Closing this banner refuses all optional cookies.',
  'banner.acceptAll': 'Accept all',
  'banner.rejectAll': 'Reject all',
  'banner.preferences': 'Preferences',
  'banner.privacyPolicy': 'Privacy policy',
  close: 'Close',
  'prefs.title': 'Privacy preferences',
  'prefs.text': 'Choose which cookies and tools we may use. Necessary ones are always on because the site cannot work without them.',
  'prefs.save': 'Save choices',
  'prefs.saved': 'Your choices have been saved.',
  'prefs.services': 'Services',
  'prefs.cookies': 'Cookies',
  'prefs.receipt': 'Your consent ID',
  'prefs.date': 'Date',
  'cookie.name': 'Name',
  'cookie.provider': 'Provider',
  'cookie.purpose': 'Purpose',
  'cookie.duration': 'Duration',
  'category.necessary.label': 'Necessary',
  'category.necessary.description': 'Needed for the site to work, for example to remember this choice. They cannot be switched off.',
  'category.functional.label': 'Functional',
  'category.functional.description': 'Remember your settings and enable extra features such as videos and maps.',
  'category.analytics.label': 'Analytics',
  'category.analytics.description': 'Help us understand how visitors use the site so we can improve it.',
  'category.advertising.label': 'Advertising',
  'category.advertising.description': 'Used to show ads that match your interests and to measure them, also on other sites.',
  'gpc.conflict': 'Your browser asks us not to sell or share your personal information (Global Privacy Control). Allow it anyway?',
  'gpc.allow': 'Allow anyway',
  'gpc.keep': 'Keep my opt-out',
};

/** A text key. */
export type TextKey = keyof typeof EN;
/** A full set of texts in one language. */
export type Texts = Record<TextKey, string>;
