/**
 * The endpoint's counters and request-latency histogram, written in the
 * Prometheus text exposition format (version 0.0.4). Counters live in this
 * process: each instance behind a load balancer is scraped on its own.
 */

/** Why a POSTed record was refused (the `reason` label). */
export type RefusalReason = 'origin' | 'rate_limited' | 'content_type' | 'too_large' | 'bad_json' | 'invalid';
export const REFUSAL_REASONS: readonly RefusalReason[] = ['origin', 'rate_limited', 'content_type', 'too_large', 'bad_json', 'invalid'];

/** Upper bounds of the latency buckets, in seconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  /** Counts per bucket (not cumulative; summed when written), then one for +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

export class Metrics {
  /** POSTs of a record, whatever came of them. */
  received = 0;
  /** Records committed for the first time. */
  stored = 0;
  /** Records whose recordId was already stored. */
  duplicates = 0;
  refused = new Map<RefusalReason, number>(REFUSAL_REASONS.map((reason) => [reason, 0]));
  /** Requests answered 503 because the database failed. */
  storageErrors = 0;
  /** Consent ids erased (tombstones written). */
  erasures = 0;
  /** Records deleted by retention. */
  purged = 0;
  /** Operator requests refused for their token (401 and 403): a steady rise is someone guessing. */
  authFailures = 0;
  /** Operator requests answered 429 because their address had too many failed tokens (src/server/lockout.ts). */
  authLocked = 0;
  private latency = new Map<string, Histogram>();

  refuse(reason: RefusalReason): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
  }

  /** Records one request to `route` that took `seconds`. */
  observe(route: string, seconds: number): void {
    let histogram = this.latency.get(route);
    if (!histogram) this.latency.set(route, (histogram = { buckets: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0), sum: 0, count: 0 }));
    const index = LATENCY_BUCKETS.findIndex((bound) => seconds <= bound);
    histogram.buckets[index < 0 ? LATENCY_BUCKETS.length : index]++;
    histogram.sum += seconds;
    histogram.count++;
  }

  /** The exposition text. */
  render(): string {
    const lines: string[] = [];
    const counter = (name: string, help: string, samples: [labels: string, value: number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, ...samples.map(([labels, value]) => `${name}${labels} ${value}`));
    };
    counter('consentkit_records_received_total', 'Record POSTs received, whatever their outcome.', [['', this.received]]);
    counter('consentkit_records_stored_total', 'Records stored for the first time.', [['', this.stored]]);
    counter('consentkit_records_duplicate_total', 'Records whose recordId was already stored (answered 200).', [['', this.duplicates]]);
    counter('consentkit_records_refused_total', 'Record POSTs refused, by reason.', [...this.refused].map(([reason, n]) => [`{reason="${reason}"}`, n]));
    counter('consentkit_storage_errors_total', 'Requests answered 503 because the database failed.', [['', this.storageErrors]]);
    counter('consentkit_erasures_total', 'Consent ids erased (tombstones written).', [['', this.erasures]]);
    counter('consentkit_retention_purged_records_total', 'Records deleted by retention.', [['', this.purged]]);
    counter('consentkit_auth_failures_total', 'Requests refused for their bearer token (401 or 403).', [['', this.authFailures]]);
    counter('consentkit_auth_locked_total', 'Operator requests answered 429, their address locked out after failed tokens.', [['', this.authLocked]]);
    const name = 'consentkit_http_request_duration_seconds';
    lines.push(`# HELP ${name} Time from request to the end of the answer, by route.`, `# TYPE ${name} histogram`);
    for (const [route, histogram] of [...this.latency].sort(([a], [b]) => (a < b ? -1 : 1))) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((bound, i) => {
        cumulative += histogram.buckets[i];
        lines.push(`${name}_bucket{route="${route}",le="${bound}"} ${cumulative}`);
      });
      lines.push(
        `${name}_bucket{route="${route}",le="+Inf"} ${histogram.count}`,
        `${name}_sum{route="${route}"} ${histogram.sum}`,
        `${name}_count{route="${route}"} ${histogram.count}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
}
