/**
 * Vitest global setup of the `integration` project: makes sure the real-services stack
 * (scripts/stack.sh) is up, holds a lease on it for this run, and puts its STACK_* values into
 * process.env for the test files.
 *
 * A stack that was already running (`npm run stack:up`, or scripts/test-all.sh) is left running.
 * One started here is stopped at the end, unless another run still holds a lease on it (several
 * vitest runs may share one checkout). Keep it up between runs with `npm run stack:up` first.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stackScript = path.join(repoRoot, 'scripts', 'stack.sh');
const envFile = path.join(repoRoot, '.stack', 'stack.env');

function stack(...args: string[]): void {
  // No pipes for stdout: stack.sh gives its daemons none, but inheriting is simplest and shows progress.
  execFileSync('bash', [stackScript, ...args], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 900_000 });
}

export default function setup(): () => void {
  const lease = String(process.pid);
  stack('acquire', lease); // starts it if needed (after cleaning up a stale .stack/)
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const m = /^(STACK_[A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]!] = m[2]!;
  }
  return () => stack('release', lease);
}
