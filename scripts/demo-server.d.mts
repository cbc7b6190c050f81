export interface Demo {
  /** Origin, e.g. `http://127.0.0.1:8080` (no trailing slash). */
  readonly url: string;
  /** Bearer token for GET /api/consent/<consentId>. */
  readonly token: string;
  /** Bearer token of the dashboard at /admin. */
  readonly adminToken: string;
  /** How many made-up records this start put into the (empty) store. */
  readonly seeded: number;
  close(): Promise<void>;
}
/** How many made-up records an empty demo store gets, spread over how many past days. */
export const DEMO_RECORDS: { count: number; days: number };
export function startDemo(options?: { port?: number; dataDir?: string; token?: string; adminToken?: string; seed?: boolean }): Promise<Demo>;
/** The addresses `npm start` prints, one per line; the endpoint's line starts with `POST `. */
export function demoAddresses(origin: string): string;
