// Linting the CLI's files, on the main thread alone or shared with worker threads. Both paths run the
// same lintJob(), and the main thread puts the outcomes back in file order, so output does not depend on
// which thread linted what.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { decode, encode, fixAll, lint, looksBinary, parse, resolveOptions, type Dialect, type ProjectConfig, type Severity, type UserSettings } from './engine';

/** One finding, reduced to what the output formats use (0-based positions, as in the engine's Range). */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  directive: string | null;
  startLine: number;
  startChar: number;
  endLine: number;
  endChar: number;
}

export interface LintJob {
  file: string;
  /** Index into the run's project configs, or -1 for none. */
  project: number;
}

export interface LintSettings {
  overrides: UserSettings;
  dialect?: Dialect;
  /** Findings below this severity rank (hint 0 .. error 3) are dropped. */
  minRank: number;
  fix: boolean;
}

/** What happened to one file. At most one of the error fields is set. */
export interface Outcome {
  /** The file could not be read (the message to print, after the file name). */
  readError?: string;
  /** The fixes could not be written. */
  writeError?: string;
  /** The engine threw: the CLI stops with "internal error". */
  internal?: string;
  findings?: Finding[];
  fixed?: number;
}

const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

export function ioMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return (err as Error).message ?? String(err);
  }
}

// Each thread reads every file into one reused buffer: no 57 KB allocation per file (the text is
// decoded out of it at once), and no stat first: reading a directory fails with EISDIR by itself.
let scratch = Buffer.allocUnsafe(256 * 1024);

function readBytes(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    let size = 0;
    for (;;) {
      if (size === scratch.length) scratch = Buffer.concat([scratch, Buffer.allocUnsafe(scratch.length)]);
      const n = fs.readSync(fd, scratch, size, scratch.length - size, null);
      if (n === 0) return scratch.subarray(0, size);
      size += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function readConfigFile(file: string): { text: string; encoding: 'utf8' | 'latin1' } {
  const bytes = readBytes(file);
  if (looksBinary(bytes)) throw new Error('looks like a binary file, not a configuration file');
  return decode(bytes);
}

function lintJob(job: LintJob, projects: Array<ProjectConfig | undefined>, s: LintSettings): Outcome {
  let decoded;
  try {
    decoded = readConfigFile(job.file);
  } catch (err) {
    return { readError: ioMessage(err) };
  }
  try {
    const options = resolveOptions(path.resolve(job.file), {}, job.project < 0 ? undefined : projects[job.project], { ...s.overrides, dialect: s.dialect });
    let doc = parse(decoded.text, { dialect: options.dialect, phpVersion: options.phpVersion });
    let fixed: number | undefined;
    if (s.fix) {
      const result = fixAll(doc, options);
      if (result.text !== decoded.text) {
        try {
          fs.writeFileSync(job.file, encode({ text: result.text, encoding: decoded.encoding }));
        } catch (err) {
          return { writeError: ioMessage(err) };
        }
        doc = parse(result.text, { dialect: options.dialect, phpVersion: options.phpVersion });
        fixed = result.applied;
      }
    }
    const findings: Finding[] = [];
    for (const d of lint(doc, options)) {
      if (RANK[d.severity] < s.minRank) continue;
      const { start, end } = d.range;
      findings.push({ rule: d.rule, severity: d.severity, message: d.message, directive: d.directive, startLine: start.line, startChar: start.character, endLine: end.line, endChar: end.character });
    }
    return { findings, fixed };
  } catch (err) {
    return { internal: String((err as Error)?.message) };
  }
}

// ---------------------------------------------------------------------------------------------
// Threads. Files are handed out one at a time through a shared counter, so each file is linted (and
// --fix written) by exactly one thread, and a slow start or a big file holds no one up. The main thread
// lints from the start; when workers help, it then blocks in Atomics.wait until every file a worker took
// is done and collects their outcomes with receiveMessageOnPort, so main() stays synchronous.
//
// When workers pay off: a V8 isolate linting keeps more than one core busy (TurboFan compiles the
// engine's hot functions and GC marks and sweeps on background threads: measured, about half a core
// beside the main thread), a worker compiles everything again, and the first files run slowly (5-10x
// the steady pace) until it has. With cores to spare a worker pays off after a few hundred ms of work;
// on 2 cores a second isolate competes with the first one's background threads and broke even only
// after ~2 s (measured on corpus copies: 1000 files no faster, 3000 files ~15% faster). So the main
// thread lints for a while, estimates the time left from its recent pace, and only then decides.

const WORKER_TAG = 'php-ini-lint/cli-pool';
/**
 * Appended to a worker's process.argv, so that the CLI's entry can tell it runs in a worker before it
 * loads node:worker_threads: most runs never start a worker, and that module costs a few milliseconds.
 */
export const WORKER_ARG = '--php-ini-lint-worker';

type WorkerThreads = typeof import('node:worker_threads');
const workerThreads = (): WorkerThreads => require('node:worker_threads') as WorkerThreads;
/** Per-file state in the shared array (after the counter at index 0). */
const PENDING = 0;
const BY_MAIN = 1;
const BY_WORKER = 2;

/** Cores one linting isolate keeps busy, its background threads included. */
const CORES_PER_ISOLATE = 1.5;
const WORKER_START_TIMEOUT_MS = 20000;

interface WorkerData {
  tag: typeof WORKER_TAG;
  jobs: LintJob[];
  projects: Array<ProjectConfig | undefined>;
  settings: LintSettings;
  shared: SharedArrayBuffer;
  port: MessagePort;
}

/** What the last lintJobs() call did, for tests: how many files, worker threads, files linted by them. */
export const lastRun = { files: 0, workers: 0, byWorkers: 0 };

/**
 * PHP_INI_LINT_WORKERS=n: exactly n worker threads, started at once, which lint every file (tests use it
 * to exercise them on a few files); 0 keeps everything on the main thread. Unset: decided by lintJobs().
 */
function forcedWorkers(): number | undefined {
  const v = process.env.PHP_INI_LINT_WORKERS?.trim();
  return v && /^\d+$/.test(v) ? Math.min(Number(v), 64) : undefined;
}

interface WorkerPolicy {
  workers: number;
  /** The pace is measured from then (ms of linting on the main thread) ... */
  paceFromMs: number;
  /** ... to then, when workers are started if the files left would take at least minLeftMs alone. */
  probeMs: number;
  minLeftMs: number;
}

/** Undefined when no core is free. Other processes' load counts against the cores, as make -l does. */
function workerPolicy(): WorkerPolicy | undefined {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const free = Math.min(cores, cores - Math.max(0, os.loadavg()[0] - 1));
  if (free < 1.9) return undefined;
  const isolates = Math.floor(free / CORES_PER_ISOLATE);
  if (isolates >= 2) return { workers: Math.min(isolates - 1, 15), paceFromMs: 0, probeMs: 150, minLeftMs: 300 };
  // About 2 cores: wait for the pace to settle, and ask for a long run.
  return { workers: 1, paceFromMs: 300, probeMs: 600, minLeftMs: 1500 };
}

/**
 * Lints every job and returns the outcomes in job order (none after an "internal" one when the main
 * thread ran alone, as it stops there). `entry` is the script that calls runWorkerIfAsked() at load:
 * the CLI's own file, as the bundle or as the tsc output.
 */
export function lintJobs(jobs: LintJob[], projects: Array<ProjectConfig | undefined>, settings: LintSettings, entry: string): Outcome[] {
  const n = jobs.length;
  const outcomes: Outcome[] = new Array(n);
  Object.assign(lastRun, { files: n, workers: 0, byWorkers: 0 });
  const forced = forcedWorkers();
  const state = new Int32Array(new SharedArrayBuffer(4 * (1 + n)));
  const ports: MessagePort[] = [];
  const startWorkers = (count: number) => {
    const { MessageChannel, Worker } = workerThreads();
    for (let w = 0; w < count; w++) {
      const { port1, port2 } = new MessageChannel();
      const data: WorkerData = { tag: WORKER_TAG, jobs, projects, settings, shared: state.buffer as SharedArrayBuffer, port: port2 };
      try {
        const worker = new Worker(entry, { workerData: data, transferList: [port2], stdout: true, stderr: true, argv: [WORKER_ARG] });
        // Never keep the process alive for a worker, nor crash on one that fails to start: the main
        // thread lints whatever no worker took.
        worker.on('error', () => undefined);
        worker.unref();
        ports.push(port1);
        lastRun.workers++;
      } catch {
        port1.close();
        return;
      }
    }
  };

  let mainLints = true;
  if (forced) {
    startWorkers(Math.min(forced, n));
    // Leave the files to them, unless none has taken one within a while (one that cannot start must
    // not hang the run).
    mainLints = !ports.length || Atomics.wait(state, 0, 0, WORKER_START_TIMEOUT_MS) === 'timed-out';
  }
  const policy = forced === undefined ? workerPolicy() : undefined;
  let decided = !policy || n < 16;
  let paceFrom: { done: number; ms: number } | undefined;
  // Date.now(), not performance.now(): the decision is about hundreds of milliseconds, and the
  // `performance` global loads perf_hooks (about a millisecond) on first use.
  const start = Date.now();
  for (let i, done = 0; mainLints && (i = Atomics.add(state, 0, 1)) < n; ) {
    outcomes[i] = lintJob(jobs[i], projects, settings);
    Atomics.store(state, 1 + i, BY_MAIN);
    done++;
    // Alone, stop at the first crash, as the CLI always has.
    if (outcomes[i].internal !== undefined && !ports.length) break;
    if (!decided) {
      const ms = Date.now() - start;
      if (ms >= policy!.paceFromMs) paceFrom ??= { done, ms };
      if (ms >= policy!.probeMs) {
        decided = true;
        const left = n - i - 1;
        const leftMs = ((ms - paceFrom!.ms) / Math.max(1, done - paceFrom!.done)) * left;
        if (leftMs >= policy!.minLeftMs && left >= 8) startWorkers(Math.min(policy!.workers, Math.ceil(left / 8)));
      }
    }
  }
  // With workers, wait until they have linted every file the main thread did not (alone, it may have
  // stopped early).
  const taken = ports.length ? n : Math.min(n, Atomics.load(state, 0));
  for (let i = 0; i < taken; i++) {
    for (let v; (v = Atomics.load(state, 1 + i)) === PENDING; ) Atomics.wait(state, 1 + i, v);
  }
  for (const port of ports) {
    const { receiveMessageOnPort } = workerThreads();
    for (let m; (m = receiveMessageOnPort(port)); ) {
      const [i, outcome] = m.message as [number, Outcome];
      outcomes[i] = outcome;
      lastRun.byWorkers++;
    }
    port.close();
  }
  return outcomes;
}

/** In a worker started by lintJobs(): lint files until none are left. Returns whether this was one. */
export function runWorkerIfAsked(data: unknown): boolean {
  const d = data as WorkerData | undefined;
  if (!d || d.tag !== WORKER_TAG) return false;
  const state = new Int32Array(d.shared);
  for (let i, first = true; (i = Atomics.add(state, 0, 1)) < d.jobs.length; first = false) {
    if (first) Atomics.notify(state, 0); // see the forced-workers wait in lintJobs()
    d.port.postMessage([i, lintJob(d.jobs[i], d.projects, d.settings)]);
    Atomics.store(state, 1 + i, BY_WORKER);
    Atomics.notify(state, 1 + i);
  }
  d.port.close();
  return true;
}
