/**
 * Lockout after failed tokens on the operator routes. Per client address, each
 * request refused 401 for its token is counted in a window that the address's
 * first failure opens; at `max` failures the address is locked until that window
 * ends: its operator requests are answered 429 before any token is compared, so
 * guessing runs at `max` tries per window, not as fast as the server answers.
 * Successful requests neither count nor reset anything.
 *
 * Memory stays bounded: every window has the same length and an entry is only
 * ever added at the end of the table, so the table is in order of expiry and
 * expired entries are dropped from its front; past `maxAddresses` the oldest
 * entry goes first. IPv6 clients are counted by their /64 (what one household or
 * one server usually gets), so an attacker cannot take a fresh address per try.
 */
import { isIPv6 } from 'node:net';

/** Failed tokens allowed per client address per window. */
export interface LockoutLimit {
  max: number;
  windowMs: number;
}

/** 10 failed tokens per address per 15 minutes. */
export const DEFAULT_LOCKOUT: LockoutLimit = { max: 10, windowMs: 15 * 60_000 };

/** Addresses tracked at once, at most: with the default window, more than 10 new ones a second. */
export const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * The key an address is counted under: an IPv6 address by its first four groups
 * (`2001:db8:0:1::/64`), an IPv4 one (also written as `::ffff:192.0.2.1`) as itself.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail] = address.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : []);
  const written = [...groups(head), ...groups(tail)];
  // "::" stands for as many zero groups as make eight; only the first four matter here.
  const full = !address.includes('::') ? written : [...groups(head), ...Array<string>(8 - written.length).fill('0'), ...groups(tail)];
  return `${full
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

interface Entry {
  failures: number;
  /** When the window the first failure opened ends (ms since the epoch). */
  ends: number;
}

/** The failed-token counters of one handler. */
export class Lockout {
  private entries = new Map<string, Entry>();

  constructor(
    readonly limit: LockoutLimit,
    private readonly maxAddresses = MAX_TRACKED_ADDRESSES,
  ) {}

  /** Addresses tracked now. */
  get size(): number {
    return this.entries.size;
  }

  /** Seconds until `address` may try again (for `Retry-After`), or 0 when it is not locked. */
  retryAfter(address: string, now = Date.now()): number {
    this.expire(now);
    const entry = this.entries.get(addressKey(address));
    return entry && entry.failures >= this.limit.max ? Math.ceil((entry.ends - now) / 1000) : 0;
  }

  /** Counts a failed token from `address`; true when this failure locks it. */
  fail(address: string, now = Date.now()): boolean {
    this.expire(now);
    const key = addressKey(address);
    let entry = this.entries.get(key);
    if (!entry) {
      const oldest = this.entries.keys().next();
      if (this.entries.size >= this.maxAddresses && !oldest.done) this.entries.delete(oldest.value);
      entry = { failures: 0, ends: now + this.limit.windowMs };
      this.entries.set(key, entry);
    }
    entry.failures++;
    return entry.failures == this.limit.max;
  }

  /** Drops the entries whose window has ended: always a run at the front of the table. */
  private expire(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.ends > now) return;
      this.entries.delete(key);
    }
  }
}
