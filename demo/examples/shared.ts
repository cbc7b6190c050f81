/**
 * What every bundled example shares: its config, and the one `init()` call
 * that starts consentkit from the ESM build (`import … from 'consentkit'`).
 */
import { init, type ConsentConfig, type ConsentKit } from 'consentkit';

export const CONFIG: ConsentConfig = {
  revision: 1,
  categories: [
    { id: 'necessary', required: true },
    { id: 'functional', services: [{ id: 'youtube', label: 'YouTube' }] },
    { id: 'analytics', services: [{ id: 'ga4', label: 'Google Analytics', cookies: [{ name: '_ga*' }] }] },
    { id: 'advertising' },
  ],
};

/** The page's consentkit API (also on `window.consentkit`). */
export const kit: ConsentKit = init(CONFIG);
