import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** dist/, whether this module runs built (`npm run bench`) or from source (the vitest smoke test). */
const DIST = path.basename(path.dirname(HERE)) === 'dist' ? path.dirname(HERE) : path.resolve(HERE, '../dist');
/** The built CLI (`npm run bench` builds first): the real daemon, not a shortcut. */
const CLI = path.join(DIST, 'src/cli.js');
const PRELOAD = pathToFileURL(path.join(DIST, 'bench/rss-preload.js')).href;

export interface DaemonRun {
  exitCode: number;
  /** The cycle's own duration ("Cycle finished" durationMs): discovery, every region, the SOAR phase. */
  cycleMs: number | undefined;
  /** Spawn to exit: adds Node start-up, config, SQLite, STS identity, the SOAR session and recovery. */
  processMs: number;
  /** Peak resident set size of the daemon process (getrusage maxrss), MiB. */
  peakRssMb: number | undefined;
  cpuMs: number | undefined;
  /** The "Region summary" log lines. */
  regions: Record<string, unknown>[];
  /** The "Cycle finished" log line. */
  cycle: Record<string, unknown> | undefined;
  /** Warnings and errors the daemon logged (the first few), and anything on stderr. */
  problems: string[];
}

interface WorldLike {
  dir: string;
  configPath: string;
  env(): NodeJS.ProcessEnv;
}

const MAX_PROBLEMS = 10;

/** A daemon process still running (`run`): its log can be waited on, and it can be stopped. */
export interface RunningDaemon {
  /** Resolves with the first log line whose message is `message`; rejects if the process exits first. */
  waitForLog(message: string): Promise<Record<string, unknown>>;
  /** Sends SIGTERM (the daemon's graceful stop) and resolves once it exited. */
  stop(): Promise<DaemonRun>;
  /** Resolves once the process exited, however it ended. */
  done: Promise<DaemonRun>;
}

/**
 * Runs one guardduty-soar command as a child process, with a preload that records its peak RSS.
 * The log is read line by line as it arrives; only the summary lines are kept, so a 20,000-finding
 * run does not fill the benchmark's own memory.
 */
export function runDaemon(world: WorldLike, command: string[]): Promise<DaemonRun> {
  return startDaemon(world, command).done;
}

/** `runDaemon` for a command that keeps running (`run`): the caller waits on its log and stops it. */
export function startDaemon(world: WorldLike, command: string[]): RunningDaemon {
  const rssFile = path.join(world.dir, `rss-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', PRELOAD, CLI, ...command, '--config', world.configPath], {
    cwd: world.dir,
    env: { ...world.env(), BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: DaemonRun = { exitCode: 1, cycleMs: undefined, processMs: 0, peakRssMb: undefined, cpuMs: undefined, regions: [], cycle: undefined, problems: [] };
  const problem = (text: string): void => {
    if (run.problems.length < MAX_PROBLEMS) run.problems.push(text);
  };
  const waiters: { message: string; resolve: (entry: Record<string, unknown>) => void }[] = [];
  const seen = new Map<string, Record<string, unknown>>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const entry = parseLogLine(line);
    if (!entry) return;
    const message = String(entry.message);
    if (!seen.has(message)) seen.set(message, entry);
    for (const w of waiters.filter((w) => w.message === message)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(entry);
    }
    if (message === 'Cycle finished') {
      run.cycle = entry;
      run.cycleMs = typeof entry.durationMs === 'number' ? entry.durationMs : undefined;
    } else if (message === 'Region summary') {
      run.regions.push(entry);
    }
    if (entry.level === 'warn' || entry.level === 'error') problem(problemText(message, entry));
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.trim() !== '') problem(`stderr: ${line}`);
  });
  const done = new Promise<DaemonRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      run.processMs = performance.now() - started;
      run.exitCode = code ?? (signal ? 128 : 1);
      const usage = readUsage(rssFile);
      run.peakRssMb = usage && usage.maxRssKb / 1024;
      run.cpuMs = usage && (usage.cpuUserUs + usage.cpuSystemUs) / 1000;
      resolve(run);
    });
  });
  return {
    done,
    waitForLog: (message) => {
      const already = seen.get(message);
      if (already) return Promise.resolve(already);
      return Promise.race([
        new Promise<Record<string, unknown>>((resolve) => waiters.push({ message, resolve })),
        done.then((r) => Promise.reject(new Error(`guardduty-soar ${command.join(' ')} exited (${r.exitCode}) before logging "${message}": ${r.problems.join('; ')}`))),
      ]);
    },
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return done;
    },
  };
}

/** One JSON log line of the daemon as an object; undefined for anything else. The e2e harness reads logs with it too. */
export function parseLogLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function readUsage(file: string): { maxRssKb: number; cpuUserUs: number; cpuSystemUs: number } | undefined {
  try {
    const usage = JSON.parse(fs.readFileSync(file, 'utf8')) as { maxRssKb: number; cpuUserUs: number; cpuSystemUs: number };
    fs.rmSync(file, { force: true });
    return usage;
  } catch {
    return undefined;
  }
}

/** A warning or error line, short: its message and what it names (the error, the reason, or the call and its status). */
function problemText(message: string, entry: Record<string, unknown>): string {
  const call = [entry.operation, entry.status ?? entry.code].filter((v) => v !== undefined).map((v) => JSON.stringify(v)).join(' ');
  const detail = entry.error ?? entry.reason ?? (call === '' ? undefined : call);
  return detail === undefined ? message : `${message}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`;
}
