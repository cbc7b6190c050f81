export interface Demo {
  /** Origin, e.g. `http://127.0.0.1:8080` (no trailing slash). */
  readonly url: string;
  /** Bearer token for GET /api/consent/<consentId>. */
  readonly token: string;
  close(): Promise<void>;
}
export function startDemo(options?: { port?: number; dataDir?: string; token?: string }): Promise<Demo>;
/** The addresses `npm start` prints, one per line; the endpoint's line starts with `POST `. */
export function demoAddresses(origin: string): string;
