// Records for endpoint tests.
import { randomUUID } from 'node:crypto';
import type { ConsentRecord } from '../../src/gate/reporting/record.js';

/** A valid v1 record; `over` replaces fields. */
export const makeRecord = (over: Partial<ConsentRecord> = {}): ConsentRecord => ({
  schemaVersion: 1,
  consentId: randomUUID(),
  recordId: randomUUID(),
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-02T03:04:05.000Z',
  revision: '1',
  action: 'custom',
  source: 'banner',
  categories: { necessary: true, analytics: true, advertising: false },
  services: { ga4: true },
  language: 'en',
  url: 'https://shop.example/checkout',
  gpc: false,
  sdkVersion: '0.1.0',
  configHash: 'ab'.repeat(32),
  ...over,
});
