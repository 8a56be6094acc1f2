/**
 * Runs one external program (tesseract, pdftoppm) the way untrusted input demands: no shell,
 * input on stdin, a hard time limit that SIGKILLs it, and a cap on what it may print. Scans are
 * hostile input (DESIGN.md "Hostile input"): a crafted image can make a decoder spin, so the
 * limit is enforced from outside the process rather than trusted to its options.
 */
import { spawn } from 'node:child_process';

export interface RunOptions {
  /** Bytes written to the program's stdin, then closed. */
  stdin?: Buffer;
  /** Wall-clock limit; the process is killed with SIGKILL when it runs out. */
  timeoutMs: number;
  /** Most bytes of stdout kept; more kills the process (`overflow`). Default 32 MiB. */
  maxStdoutBytes?: number;
  /** Extra environment on top of the current one. */
  env?: Record<string, string>;
  cwd?: string;
}

export interface RunResult {
  /** Exit code, null when killed by a signal. */
  code: number | null;
  stdout: Buffer;
  /** The last few KiB of stderr: enough for a reason, never unbounded. */
  stderr: string;
  timedOut: boolean;
  overflow: boolean;
  /** The binary was not found on PATH (spawn ENOENT). */
  missing: boolean;
}

const STDERR_KEEP = 8 * 1024;

/** Runs `command args…` to completion or to its limit. Never rejects: every outcome is a result. */
export function runBounded(command: string, args: string[], opts: RunOptions): Promise<RunResult> {
  const maxStdout = opts.maxStdoutBytes ?? 32 * 1024 * 1024;
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let timedOut = false;
    let overflow = false;
    let missing = false;
    let settled = false;
    const child = spawn(command, args, {
      shell: false,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
      cwd: opts.cwd,
    });
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: err, timedOut, overflow, missing });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') missing = true;
      else err += `${e.message}\n`;
      finish(null);
    });
    child.on('close', (code) => finish(code));
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxStdout) {
        overflow = true;
        child.kill('SIGKILL');
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    // A program that exits before reading all of stdin makes the write fail with EPIPE: that is
    // the program's answer (reported through its exit code), not ours to throw.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.stdin ?? Buffer.alloc(0));
  });
}
