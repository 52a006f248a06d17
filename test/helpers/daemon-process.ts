import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `guardduty-soar run` (or any long-running CLI command) as a child process, with its JSON log lines
 * parsed as they arrive, so a test can wait for a state ("Daemon started", a cycle finished) instead
 * of sleeping, then signal it and read how it ended.
 */

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/src/cli.js');

export interface DaemonProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Every JSON log line so far. */
  lines(): Record<string, unknown>[];
  stdout(): string;
  stderr(): string;
  /** Resolves with the first log line (past or future) that matches; rejects after `timeoutMs` or on exit. */
  waitFor(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(sig: NodeJS.Signals): void;
  /** SIGKILL if still running, then wait for the exit (tests' cleanup). */
  stop(): Promise<void>;
}

export interface DaemonOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
}

export function startDaemon(args: string[], options: DaemonOptions): DaemonProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid }), ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  let out = '';
  let err = '';
  let partial = '';
  const parsed: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    partial += d.toString();
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const text of complete) {
      if (!text.startsWith('{')) continue;
      try {
        parsed.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        // Not a log line.
      }
    }
    for (const w of [...waiters]) w();
  });
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const w of [...waiters]) w();
      resolve({ code, signal });
    });
  });
  let done = false;
  void exited.then(() => (done = true));
  return {
    pid: child.pid ?? 0,
    child,
    lines: () => [...parsed],
    stdout: () => out,
    stderr: () => err,
    exited,
    signal: (sig) => {
      if (!done) child.kill(sig);
    },
    waitFor: (match, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const hit = parsed.find(match);
          if (hit) return finish(() => resolve(hit));
          if (child.exitCode !== null || child.signalCode !== null) {
            finish(() => reject(new Error(`the process exited (${child.exitCode ?? child.signalCode}) before the expected log line\n${out}\n${err}`)));
          }
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no matching log line within ${timeoutMs} ms\n${out}\n${err}`))), timeoutMs);
        const finish = (then: () => void): void => {
          clearTimeout(timer);
          waiters.delete(check);
          then();
        };
        waiters.add(check);
        check();
      }),
    stop: async () => {
      if (!done) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A port that was free a moment ago (for a child's `aws_gd_health_port`, which cannot be 0). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
