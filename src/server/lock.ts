/**
 * One process at a time on a PGlite data folder. PGlite keeps the database in
 * the memory of the process that opened it and writes it back to the folder: a
 * second process on the same folder answers 201 for records the first one will
 * overwrite. Postgres guards its folder with postmaster.pid; this is the same idea.
 *
 * The lock is a file beside the folder (`<folder>.lock`), created exclusively,
 * holding the owner's PID and start time. A lock whose process is gone is stale
 * and taken over, so a crashed or killed process never leaves the folder stuck.
 * A PID can be reused: on Linux the start time (from /proc) tells an earlier
 * process with the same PID (a container's server is PID 1 on every start) or an
 * unrelated one from the owner. Elsewhere a live process with that PID is taken
 * to be the owner; if it is not, delete the lock file.
 */
import { readFileSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';

interface LockOwner {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat), or null where unknown. */
  start: string | null;
}

/** Folders this process holds, so that opening one twice in one process is refused too. */
const held = new Set<string>();

/** Start time of process `pid` (field 22 of /proc/<pid>/stat), or null without /proc or without that process. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code == 'EPERM';
  }
}

/** Whether the lock's owner still runs (this process counts only if it holds the folder itself). */
function ownerRuns(owner: LockOwner): boolean {
  if (owner.pid == process.pid) return false;
  if (!alive(owner.pid)) return false;
  const start = startTime(owner.pid);
  return owner.start === null || start === null || start == owner.start;
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid != 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return null;
    return { pid: parsed.pid, start: typeof parsed.start == 'string' ? parsed.start : null };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code == 'ENOENT') throw e;
    // Unreadable or half-written (a crash while writing it): nobody can own it.
    return null;
  }
}

/**
 * Takes the lock on PGlite data folder `dataDir`; resolves to the function that releases it.
 * Rejects, naming the folder, the lock file and the owner, when another process (or this
 * one) has the folder open.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const folder = resolve(dataDir);
  const path = `${folder}.lock`;
  if (held.has(folder)) throw new Error(`PGlite data folder ${folder} is in use by this process: open it once and share the store`);
  const me: LockOwner = { pid: process.pid, start: startTime(process.pid) };
  for (let attempt = 0; ; attempt++) {
    try {
      const file = await open(path, 'wx');
      try {
        await file.writeFile(JSON.stringify(me));
        await file.sync();
      } finally {
        await file.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code != 'EEXIST' || attempt >= 3) throw e;
    }
    let owner: LockOwner | null;
    try {
      owner = await readOwner(path);
    } catch {
      continue; // released meanwhile: try again
    }
    if (owner && ownerRuns(owner))
      throw new Error(
        `PGlite data folder ${folder} is in use by process ${owner.pid} (lock file ${path}). ` +
          'PGlite allows one process at a time: stop that process, give this one another --data folder, ' +
          'or use PostgreSQL (--database-url) for several processes.',
      );
    // Stale: its process is gone (killed, crashed). Remove it and try again.
    await unlink(path).catch(() => undefined);
  }
  held.add(folder);
  return async () => {
    held.delete(folder);
    const owner = await readOwner(path).catch(() => null);
    if (owner?.pid == me.pid && owner.start == me.start) await unlink(path).catch(() => undefined);
  };
}
