// The two stores every endpoint suite runs against: PGlite in a temporary
// folder, and a real PostgreSQL server (or why there is none).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openStore, type ConsentStore } from '../../src/server/index.js';
import { startPostgres } from './postgres.js';

/** An opened store and how to dispose of it, or why it cannot run here. */
export type OpenedStore = { store: ConsentStore; done: () => Promise<void> } | string;

export const temporaryFolder = () => mkdtempSync(join(tmpdir(), 'consentkit-pglite-'));

export async function openPgliteStore(): Promise<OpenedStore> {
  const dir = temporaryFolder();
  const store = await openStore({ dataDir: dir });
  return {
    store,
    done: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function openPostgresStore(): Promise<OpenedStore> {
  const pg = await startPostgres();
  if ('skip' in pg) return pg.skip;
  const store = await openStore({ url: pg.url });
  return {
    store,
    done: async () => {
      await store.close();
      pg.stop();
    },
  };
}

/** The store suites: each name with how to open its store. */
export const STORES: [name: string, open: () => Promise<OpenedStore>][] = [
  ['PGlite', openPgliteStore],
  ['PostgreSQL', openPostgresStore],
];

/** node:test cannot skip a suite from `before`: a test that skips itself when `skipped()` says why. */
export const skippableTest =
  (skipped: () => string) =>
  (title: string, fn: () => Promise<void>): void => {
    void test(title, async (t) => {
      const why = skipped();
      if (why) {
        t.skip(why);
        return;
      }
      await fn();
    });
  };

/**
 * In a describe(): opens the store before the suite's tests (and runs `ready` with it) and
 * disposes of it after them. `it` declares a test that skips itself when the store cannot open.
 */
export function suiteStore(open: () => Promise<OpenedStore>, ready: (store: ConsentStore) => Promise<void>, cleanup: () => Promise<void>) {
  let skipped = '';
  let done: () => Promise<void> = () => Promise.resolve();
  before(async () => {
    const opened = await open();
    if (typeof opened == 'string') {
      skipped = opened;
      return;
    }
    done = opened.done;
    await ready(opened.store);
  });
  after(async () => {
    if (skipped) return;
    await cleanup();
    await done();
  });
  return { it: skippableTest(() => skipped) };
}
