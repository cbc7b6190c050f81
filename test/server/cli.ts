// Running `consentkit-server` (src/server/cli.ts) as a child process for the endpoint tests.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../e2e/helpers.js';

/** The origin the started servers allow. */
export const CLI_ORIGIN = 'https://shop.example';

/**
 * Starts `consentkit-server` on the PGlite folder `dir` with `args`, and `env` added to the
 * environment; `started` resolves with its URL once it listens, or with how it exited.
 */
export function startCli(dir: string, args: string[] = [], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/server/cli.ts'), '--port', '0', '--data', dir, '--origin', CLI_ORIGIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const started = new Promise<{ url: string } | { code: number | null; stderr: string }>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /"url":"(http:\/\/[^"]+\/api\/consent)"/.exec(out);
      if (m) resolve({ url: m[1] });
    });
    child.once('exit', (code) => {
      resolve({ code, stderr: err });
    });
  });
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  /** Everything it wrote to stdout so far. */
  const output = () => out;
  return { child, started, kill, output };
}

/** The URL of a started server, or throws with how it exited. */
export const listening = async (cli: ReturnType<typeof startCli>) => {
  const started = await cli.started;
  if (!('url' in started)) throw new Error(`server exited (${started.code}): ${started.stderr}`);
  return started.url;
};
