// Linting the CLI's files, on the main thread alone or shared with worker threads. Both paths run the
// same lintFile(), and the main thread puts the outcomes back in file order, so output does not depend on
// which thread linted what.

import * as fs from 'node:fs';
import * as os from 'node:os';
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
  /** As given on the command line or found under a directory given there: reported as is. */
  file: string;
  /** The same, resolved: what the file's dialect, role and PHP version are judged by. */
  abs: string;
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

function decodeConfig(bytes: Buffer): { text: string; encoding: 'utf8' | 'latin1' } {
  if (looksBinary(bytes)) throw new Error('looks like a binary file, not a configuration file');
  return decode(bytes);
}

export function readConfigFile(file: string): { text: string; encoding: 'utf8' | 'latin1' } {
  return decodeConfig(readBytes(file));
}

/** Files whose first read took much longer than an immediate second one (see the read-ahead below). */
interface ReadProbe {
  files: number;
  slow: number;
}

const elapsedNs = (since: [number, number]): number => {
  const [s, ns] = process.hrtime(since);
  return s * 1e9 + ns;
};

/**
 * Reads the file twice and keeps the second read: that one comes from the page cache either way. Only a
 * regular file: a FIFO or a device would give different bytes, or none, the second time.
 */
function probeRead(file: string, probe: ReadProbe): Buffer {
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return readBytes(file);
  const t = process.hrtime();
  readBytes(file);
  const first = elapsedNs(t);
  const u = process.hrtime();
  const bytes = readBytes(file);
  if (first - elapsedNs(u) > DISK_WAIT_NS) probe.slow++;
  probe.files++;
  return bytes;
}

function sizeMB(file: string): number {
  try {
    return fs.statSync(file).size / (1024 * 1024);
  } catch {
    return 0;
  }
}

/**
 * A file linted, its fixes not yet written: `write` holds the fixed file when --fix changed it. Only the
 * thread that claims the file (see the per-file states below) writes it and reports it.
 */
interface Linted {
  outcome: Outcome;
  write?: Buffer;
}

function lintFile(job: LintJob, projects: Array<ProjectConfig | undefined>, s: LintSettings, probe?: ReadProbe): Linted {
  let decoded;
  try {
    decoded = decodeConfig(probe ? probeRead(job.file, probe) : readBytes(job.file));
  } catch (err) {
    return { outcome: { readError: ioMessage(err) } };
  }
  try {
    const options = resolveOptions(job.abs, {}, job.project < 0 ? undefined : projects[job.project], { ...s.overrides, dialect: s.dialect });
    let doc = parse(decoded.text, { dialect: options.dialect, phpVersion: options.phpVersion });
    let fixed: number | undefined;
    let write: Buffer | undefined;
    if (s.fix) {
      const result = fixAll(doc, options);
      if (result.text !== decoded.text) {
        write = encode({ text: result.text, encoding: decoded.encoding });
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
    return { outcome: { findings, fixed }, write };
  } catch (err) {
    return { outcome: { internal: String((err as Error)?.message) } };
  }
}

/** Writes the fixes of a file this thread has claimed; the outcome to report for it. */
function finish(job: LintJob, linted: Linted): Outcome {
  if (linted.write === undefined) return linted.outcome;
  try {
    fs.writeFileSync(job.file, linted.write);
  } catch (err) {
    return { writeError: ioMessage(err) };
  }
  return linted.outcome;
}

// ---------------------------------------------------------------------------------------------
// Threads. Files are handed out one at a time through a shared counter, so a slow start or a big file
// holds no one up. The main thread lints from the start; when workers help, it then blocks in Atomics.wait
// until every file a worker took is done and collects their outcomes with receiveMessageOnPort, so main()
// stays synchronous.
//
// A worker can end on its own, in the middle of a file (one that runs out of memory does, where the main
// thread would crash), and the main thread is never told while it waits. So it waits on each file for a
// while only, then lints the file itself. The thread that claims a file (one atomic compare-and-swap of
// its state) is the only one to write its fixes and report it: the other drops its result, even if the
// file it read was the half-written output of the first.
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
/** Per-file state in the shared array (after the counter at index 0): from PENDING, claimed by one thread. */
const PENDING = 0;
const BY_MAIN = 1;
/** Claimed by a worker, which is writing its fixes and posting its outcome ... */
const CLAIMED = 2;
/** ... and then done. */
const BY_WORKER = 3;
/**
 * How long the main thread waits for a file a worker took before it lints the file too: far longer than
 * linting takes (here 0.02 s a MB once warm; a 300 MB file, 43 s), so that only a worker that has ended,
 * or a machine that has all but stopped, runs it out.
 */
const STALL_MS = 2000;
const STALL_MS_PER_MB = 1000;

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

/**
 * What the last lintJobs() call did, for tests: how many files, worker threads, files linted by them,
 * files the main thread linted after a worker had taken them and not finished, and whether a read-ahead
 * thread was started.
 */
export const lastRun = { files: 0, workers: 0, byWorkers: 0, takenOver: 0, readAhead: false };

// ---------------------------------------------------------------------------------------------
// Reading ahead. A file that is not in the page cache takes a tenth of a millisecond or more to read,
// about a fifth of what linting it costs once the engine is warm, and the main thread would wait for each
// one (measured on 1,000 corpus copies read cold: 100-150 ms of a 0.9 s run). A second thread that only
// reads keeps the next files in the cache while the linting goes on. It is a few lines of plain
// JavaScript, not the engine, so it starts in milliseconds, on the second core. Yet when the files are
// cached it has nothing to save, and on 2 cores it slowed the linting by about 5% (alternating runs over
// 1,000 cached copies): so it is started only when the first reads of a long run wait for the disk. A
// few files are read twice, and a file counts as uncached when its first read took a fifth of a
// millisecond longer than the second. Measured here, for 57 KB files: 15-110 us longer when cached (the
// first read also warms the CPU's caches), 250-2,000 us when not.

/** Consider reading ahead in runs of at least this many files ... */
export const READ_AHEAD_MIN_FILES = 200;
/** ... timing the reads of this many files, from the third (the first two also pay for first calls) ... */
const READ_PROBE_FILES = 8;
/** ... and start it when at least half of them waited this much longer on their first read. */
const DISK_WAIT_NS = 200_000;
/** How far in front of the next file to lint it reads: enough to hide the reads, few enough to stay cached. */
const READ_AHEAD_FILES = 32;

/**
 * The read-ahead thread's script (a string, so that bundling leaves it as written). workerData holds the
 * files, the shared array whose slot 0 is the next file to lint, and the slot where it counts the files
 * it read. It reads regular files only: opening a FIFO would block, and reading one would take the data
 * the linting must see. It reads into one scratch buffer and keeps nothing.
 */
export const READ_AHEAD_SCRIPT = `'use strict';
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { files, shared, countSlot, ahead } = workerData;
const state = new Int32Array(shared);
const scratch = Buffer.allocUnsafe(64 * 1024);
for (let i = 0; i < files.length; i++) {
  let next = Atomics.load(state, 0);
  if (i < next) i = next;
  for (; i - next >= ahead; next = Atomics.load(state, 0)) Atomics.wait(state, 0, next, 2);
  if (i >= files.length) break;
  try {
    if (!fs.statSync(files[i]).isFile()) continue;
    const fd = fs.openSync(files[i], 'r');
    try {
      while (fs.readSync(fd, scratch, 0, scratch.length, null) > 0);
    } finally {
      fs.closeSync(fd);
    }
    Atomics.add(state, countSlot, 1);
  } catch {
    // The linting reports what cannot be read.
  }
}
`;

/**
 * Starts a thread that reads `files` ahead of `state[0]`, the index of the next one to lint, and counts
 * the files it read in `state[countSlot]`. Undefined if it cannot start: linting never depends on it.
 */
export function startReadAhead(files: string[], state: Int32Array, countSlot: number, ahead = READ_AHEAD_FILES): import('node:worker_threads').Worker | undefined {
  try {
    const { Worker } = workerThreads();
    const worker = new Worker(READ_AHEAD_SCRIPT, { eval: true, workerData: { files, shared: state.buffer, countSlot, ahead }, stdout: true, stderr: true });
    worker.on('error', () => undefined);
    worker.unref();
    return worker;
  } catch {
    return undefined;
  }
}

/**
 * PHP_INI_LINT_WORKERS=n: exactly n worker threads, started at once, which lint every file (tests use it
 * to exercise them on a few files); 0 keeps everything on the main thread. Unset: decided by lintJobs().
 */
function forcedWorkers(): number | undefined {
  const v = process.env.PHP_INI_LINT_WORKERS?.trim();
  return v && /^\d+$/.test(v) ? Math.min(Number(v), 64) : undefined;
}

/**
 * PHP_INI_LINT_READ_AHEAD=1: start the read-ahead thread at once, however few or cached the files (tests
 * use it); 0: never. Unset: decided by timing the first reads of a long run.
 */
function forcedReadAhead(): boolean | undefined {
  const v = process.env.PHP_INI_LINT_READ_AHEAD?.trim();
  return v === '1' ? true : v === '0' ? false : undefined;
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
  Object.assign(lastRun, { files: n, workers: 0, byWorkers: 0, takenOver: 0, readAhead: false });
  const forced = forcedWorkers();
  // Slot 0: the next file to lint; then one slot per file (PENDING, BY_MAIN, CLAIMED, BY_WORKER); the
  // last slot counts the files read ahead.
  const state = new Int32Array(new SharedArrayBuffer(4 * (2 + n)));
  const forcedRead = forcedReadAhead();
  const readAheadAll = () => startReadAhead(jobs.map((j) => j.file), state, 1 + n);
  let readAhead = forcedRead ? readAheadAll() : undefined;
  const probe: ReadProbe | undefined = forcedRead === undefined && n >= READ_AHEAD_MIN_FILES ? { files: 0, slow: 0 } : undefined;
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
    const probing = probe !== undefined && done >= 2 && probe.files < READ_PROBE_FILES;
    // Taken from the counter, so no worker has it: no claim needed.
    outcomes[i] = finish(jobs[i], lintFile(jobs[i], projects, settings, probing ? probe : undefined));
    Atomics.store(state, 1 + i, BY_MAIN);
    done++;
    if (probing && probe.files === READ_PROBE_FILES && probe.slow * 2 >= READ_PROBE_FILES) readAhead = readAheadAll();
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
  // stopped early), each for a while only (see STALL_MS).
  const lintRest = () => {
    for (let i; (i = Atomics.add(state, 0, 1)) < n; ) {
      outcomes[i] = finish(jobs[i], lintFile(jobs[i], projects, settings));
      Atomics.store(state, 1 + i, BY_MAIN);
    }
  };
  const taken = ports.length ? n : Math.min(n, Atomics.load(state, 0));
  for (let i = 0; i < taken; i++) {
    let since = Date.now();
    let allowedMs = STALL_MS;
    let sized = false;
    for (let v; (v = Atomics.load(state, 1 + i)) === PENDING || v === CLAIMED; ) {
      const leftMs = allowedMs - (Date.now() - since);
      if (leftMs > 0) {
        Atomics.wait(state, 1 + i, v, leftMs);
      } else if (!sized) {
        sized = true;
        allowedMs += sizeMB(jobs[i].file) * STALL_MS_PER_MB;
      } else if (v === CLAIMED) {
        // Its worker ended while writing the fixes (a message that comes after all replaces this).
        outcomes[i] = { writeError: 'the worker thread writing them stopped before it had finished; check the file' };
        break;
      } else {
        const linted = lintFile(jobs[i], projects, settings);
        if (Atomics.compareExchange(state, 1 + i, PENDING, BY_MAIN) === PENDING) {
          outcomes[i] = finish(jobs[i], linted);
          lastRun.takenOver++;
          // Workers that end leave files no one has taken yet: lint those too.
          lintRest();
        } else {
          since = Date.now(); // its worker claimed it meanwhile: give it time to write and report
        }
      }
    }
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
  lastRun.readAhead = readAhead !== undefined;
  // Every file is read: stop it rather than leave it waiting for files that will not come (a run that
  // stopped early, or main() called in-process, as tests do).
  void readAhead?.terminate();
  return outcomes;
}

/** In a worker started by lintJobs(): lint files until none are left. Returns whether this was one. */
export function runWorkerIfAsked(data: unknown): boolean {
  const d = data as WorkerData | undefined;
  if (!d || d.tag !== WORKER_TAG) return false;
  const state = new Int32Array(d.shared);
  for (let i, first = true; (i = Atomics.add(state, 0, 1)) < d.jobs.length; first = false) {
    if (first) Atomics.notify(state, 0); // see the forced-workers wait in lintJobs()
    const linted = lintFile(d.jobs[i], d.projects, d.settings);
    // Taking too long, it may have been linted by the main thread meanwhile: then drop this one.
    if (Atomics.compareExchange(state, 1 + i, PENDING, CLAIMED) !== PENDING) continue;
    d.port.postMessage([i, finish(d.jobs[i], linted)]);
    Atomics.store(state, 1 + i, BY_WORKER);
    Atomics.notify(state, 1 + i);
  }
  d.port.close();
  return true;
}
