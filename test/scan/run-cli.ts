// Runs the built `consentkit` CLI (dist/esm/scan/cli.js) as a child process, as CI would.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DIST_DIR } from '../e2e/helpers.js';

export const CLI = join(DIST_DIR, 'esm', 'scan', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `consentkit <args…>`; asynchronous, so a server in this process keeps answering the browser. */
export const runCli = (args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> => spawnNode([CLI, ...args], { env });

/** Runs node with `args`, collecting its output. */
export function spawnNode(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
