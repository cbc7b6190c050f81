// A PostgreSQL server for the endpoint tests: CONSENTKIT_TEST_PG_URL if set,
// else a throwaway cluster from Debian's binaries in a temporary folder (as
// the `postgres` user when we are root), on a free port, removed after.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Postgres = { url: string; stop: () => void } | { skip: string };

const PG_ROOT = '/usr/lib/postgresql';

/** The newest Debian PostgreSQL bin folder with initdb and pg_ctl, if any. */
function findBin(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')) && existsSync(join(PG_ROOT, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(PG_ROOT, versions[0], 'bin') : null;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => {
        resolve(typeof address == 'object' && address ? address.port : 0);
      });
    });
  });

/** A PostgreSQL to test against, or why there is none. */
export async function startPostgres(): Promise<Postgres> {
  const given = process.env.CONSENTKIT_TEST_PG_URL;
  if (given) return { url: given, stop: () => undefined };
  const bin = findBin();
  if (!bin)
    return { skip: `no PostgreSQL: set CONSENTKIT_TEST_PG_URL or install Debian's postgresql package (no initdb under ${PG_ROOT})` };
  const root = process.getuid?.() === 0;
  let uid = -1;
  let gid = -1;
  if (root) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    uid = id('-u');
    gid = id('-g');
    if (!Number.isInteger(uid) || uid <= 0) return { skip: 'running as root but there is no postgres user to run PostgreSQL as' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'consentkit-pg-'));
  if (root) chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const run = (tool: string, args: string[]): SpawnSyncReturns<string> => {
    const cmd = join(bin, tool);
    return root
      ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', timeout: 120_000 })
      : spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  };
  const fail = (what: string, r: SpawnSyncReturns<string>) => {
    const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${what} failed (${r.status ?? r.signal}): ${r.stderr}${r.stdout}${log}`);
  };
  const init = run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  if (init.status !== 0) fail('initdb', init);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const start = run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  if (start.status !== 0) fail('pg_ctl start', start);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  // Even if the test process dies early, leave no server running.
  process.once('exit', stop);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}
