// Oracle helpers for the differential tests: run the real PHP 8.2 binaries (`php`, `php-fpm8.2`) on a
// file and report what PHP itself made of it. Everything here is synchronous and reuses one temp dir.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { setEntry } from '../../server/src/engine/own';

/** How text is mapped to the bytes PHP sees (and back): UTF-8 for valid UTF-8 files, latin1 otherwise. */
export type ByteEncoding = 'utf8' | 'latin1';

/**
 * A get_cfg_var() result: `false` when not set, a string for scalars, an array (keys 0..n-1 in order) or an
 * object for `key[]` entries. Elements are strings, except inside [PATH=]/[HOST=] section arrays, whose
 * entries may themselves be arrays.
 */
export type CfgValue = false | string | CfgArrayValue[] | { [key: string]: CfgArrayValue };
export type CfgArrayValue = string | CfgArrayValue[] | { [key: string]: CfgArrayValue };

export interface PhpError {
  /** The message without the `PHP:  ` prefix and the ` in FILE on line N` suffix. */
  message: string;
  line: number;
}

export interface PhpResult {
  values: Record<string, CfgValue>;
  errors: PhpError[];
  /** Raw stderr / stdout (minus the JSON payload), for debugging. */
  stderr: string;
  stdout: string;
  /** Set when PHP aborted before running the script (`Out of memory`, or the signal, e.g. `SIGSEGV`); `values` are then all false. */
  crashed?: string;
}

export interface RunPhpOptions {
  /** Environment visible to PHP (plus PATH). Nothing else is inherited. */
  env?: Record<string, string>;
  /** How keys and values are converted between JS strings and PHP bytes. Default `utf8`. */
  encoding?: ByteEncoding;
  /** Binary to run, default `php` (env PHP_INI_LINT_PHP overrides). */
  php?: string;
}

const PHP_BIN = process.env.PHP_INI_LINT_PHP || 'php';
const FPM_BIN = process.env.PHP_INI_LINT_PHP_FPM || 'php-fpm8.2';

let tmpDir: string | undefined;
let fileCounter = 0;

/** One temp dir for the whole run; removed at process exit. */
export function workDir(): string {
  if (!tmpDir) {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'php-ini-lint-diff-'));
    const dir = tmpDir;
    process.on('exit', () => {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        /* ignore */
      }
    });
  }
  return tmpDir;
}

function which(bin: string): boolean {
  const r = spawnSync(bin, ['-v'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

let phpAvail: boolean | undefined;
let fpmAvail: boolean | undefined;
export function phpAvailable(): boolean {
  if (phpAvail === undefined) phpAvail = which(PHP_BIN);
  return phpAvail;
}
export function fpmAvailable(): boolean {
  if (fpmAvail === undefined) fpmAvail = which(FPM_BIN);
  return fpmAvail;
}

export function phpVersion(): string {
  const r = spawnSync(PHP_BIN, ['-n', '-r', 'echo PHP_VERSION;'], { encoding: 'utf8' });
  return r.stdout.trim();
}

export function toBytes(text: string | Buffer, encoding: ByteEncoding = 'utf8'): Buffer {
  return Buffer.isBuffer(text) ? text : Buffer.from(text, encoding);
}

/** Decode file bytes the way the engine is given them: UTF-8 when valid, else latin1. */
export function decodeForEngine(bytes: Buffer): { text: string; encoding: ByteEncoding } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return { text, encoding: 'utf8' };
  } catch {
    return { text: bytes.toString('latin1'), encoding: 'latin1' };
  }
}

// The PHP side: keys arrive base64-encoded in a JSON file named by $argv[1]; values go back base64-encoded
// (PHP strings are bytes and json_encode rejects invalid UTF-8), arrays as [[key, value], ...] with the
// key's PHP type preserved (int vs string). A marker separates the payload from any startup warnings.
const SCRIPT = [
  'function e($v) {',
  '  if ($v === false) return false;',
  '  if (is_array($v)) { $r = []; foreach ($v as $k => $x) { $r[] = [is_int($k) ? "i:" . $k : "s:" . base64_encode($k), e($x)]; } return ["a" => $r]; }',
  '  return base64_encode((string)$v);',
  '}',
  '$keys = json_decode(file_get_contents($argv[1]), true);',
  '$o = ["loaded" => get_cfg_var("cfg_file_path"), "v" => []];',
  'foreach ($keys as $k) { $o["v"][] = e(get_cfg_var(base64_decode($k))); }',
  'echo "\\n@@PHP_INI_LINT_JSON@@", json_encode($o);',
].join('\n');

const MARKER = '@@PHP_INI_LINT_JSON@@';

/** Array keys come as `i:<decimal>` (int keys, as text so 64-bit values survive JSON) or `s:<base64>`. */
type Encoded = false | string | { a: [string, Encoded][] };

function decodeValue(v: Encoded, enc: ByteEncoding): CfgValue {
  if (v === false) return false;
  if (typeof v === 'string') return Buffer.from(v, 'base64').toString(enc);
  const entries = v.a.map(([k, x]): [{ int: boolean; key: string }, CfgArrayValue] => {
    const int = k.startsWith('i:');
    const key = int ? k.slice(2) : Buffer.from(k.slice(2), 'base64').toString(enc);
    return [{ int, key }, decodeValue(x, enc) as CfgArrayValue];
  });
  if (entries.every(([k], i) => k.int && k.key === String(i))) return entries.map(([, x]) => x);
  const obj: { [key: string]: CfgArrayValue } = {};
  for (const [k, x] of entries) setEntry(obj, k.key, x);
  return obj;
}

/** Parse `PHP:  <message> in <file> on line <N>` lines from stderr. */
export function parsePhpErrors(stderr: string, file: string): PhpError[] {
  const out: PhpError[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('PHP:  ')) continue;
    const suffix = new RegExp(` in ${escapeRe(file)} on line (\\d+)$`).exec(line);
    if (!suffix) {
      const m = / in (.*) on line (\d+)$/.exec(line);
      out.push({ message: m ? line.slice(6, m.index) : line.slice(6), line: m ? Number(m[2]) : -1 });
      continue;
    }
    out.push({ message: line.slice(6, suffix.index), line: Number(suffix[1]) });
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Write `content` to a temp ini file, run `php -n -c FILE -r <script> -- KEYSFILE` once, and return
 * get_cfg_var() for every key plus the syntax errors PHP printed.
 */
export function runPhp(content: string | Buffer, keys: string[], opts: RunPhpOptions = {}): PhpResult {
  const enc = opts.encoding ?? 'utf8';
  const dir = workDir();
  const n = ++fileCounter;
  const iniFile = path.join(dir, `case-${n}.ini`);
  const keysFile = path.join(dir, `case-${n}.keys.json`);
  fs.writeFileSync(iniFile, toBytes(content, enc));
  const uniq = [...new Set(keys)];
  fs.writeFileSync(keysFile, JSON.stringify(uniq.map((k) => Buffer.from(k, enc).toString('base64'))));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...(opts.env ?? {}) };
  // Run in the temp dir: a fuzzed `error_log = 1000` makes PHP write a log file relative to its cwd.
  const r = spawnSync(opts.php ?? PHP_BIN, ['-n', '-c', iniFile, '-r', SCRIPT, '--', keysFile], {
    cwd: dir,
    env,
    encoding: 'latin1',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  const stdout = r.stdout;
  const stderr = r.stderr;
  const at = stdout.lastIndexOf(MARKER);
  if (at < 0 && (/^Out of memory$/m.test(stderr) || r.signal)) {
    // PHP aborts at startup for some inputs: "Out of memory" for an array where a string is needed,
    // SIGSEGV for `k[PHP_INT_MAX] = a` followed by `k[] = b` (see php-facts).
    const values: Record<string, CfgValue> = {};
    for (const k of uniq) setEntry(values, k, false);
    const crashed = r.signal ?? stderr.trim().split('\n').pop();
    return { values, errors: parsePhpErrors(stderr, iniFile), stderr, stdout, crashed };
  }
  if (at < 0) {
    // Keep the files for inspection.
    throw new Error(
      `php produced no result (exit ${r.status}) for ${iniFile} = ${JSON.stringify(toBytes(content, enc).toString('latin1'))}` +
        `\nstdout: ${stdout}\nstderr: ${stderr}`,
    );
  }
  try {
    fs.unlinkSync(iniFile);
    fs.unlinkSync(keysFile);
  } catch {
    /* ignore */
  }
  const payload = JSON.parse(stdout.slice(at + MARKER.length)) as { loaded: string | false; v: Encoded[] };
  if (payload.loaded !== iniFile) {
    throw new Error(`php did not load the -c file (${iniFile}); cfg_file_path = ${String(payload.loaded)}`);
  }
  const values: Record<string, CfgValue> = {};
  uniq.forEach((k, i) => {
    setEntry(values, k, decodeValue(payload.v[i], enc));
  });
  return { values, errors: parsePhpErrors(stderr, iniFile), stderr, stdout: stdout.slice(0, at) };
}

// ---------------------------------------------------------------------------------------------- php-fpm

export interface FpmMessage {
  level: string; // ERROR, ALERT, WARNING, NOTICE
  /** From `[FILE:LINE] message`; undefined when the message has no location. */
  file?: string;
  line?: number;
  message: string;
}

export interface FpmResult {
  exitCode: number;
  /** ERROR and ALERT lines, in order (WARNING lines are in `messages`). */
  errors: FpmMessage[];
  messages: FpmMessage[];
  /** `PHP:  syntax error ...` lines (the ini parser's own message; the line is NOT the file line). */
  syntaxErrors: PhpError[];
  /** The pool file path used (for comparing file names in messages). */
  file: string;
  output: string;
}

/** A minimal valid configuration: `[global]` + pool `[www]`; `extra` is appended at the end of the pool. */
export function fpmWrapper(poolExtra = '', globalExtra = ''): string {
  const dir = workDir();
  return (
    '[global]\n' +
    `error_log = ${dir}/fpm-test.log\n` +
    `pid = ${dir}/fpm-test.pid\n` +
    globalExtra +
    '[www]\n' +
    'user = www-data\n' +
    'group = www-data\n' +
    `listen = ${dir}/fpm-test.sock\n` +
    'pm = dynamic\n' +
    'pm.max_children = 5\n' +
    'pm.start_servers = 2\n' +
    'pm.min_spare_servers = 1\n' +
    'pm.max_spare_servers = 3\n' +
    poolExtra
  );
}

/** Number of lines `fpmWrapper()` puts before `globalExtra` / before `poolExtra` (for expected line numbers). */
export const FPM_GLOBAL_EXTRA_LINE = 4;
export const FPM_POOL_EXTRA_LINE = 13;

export function parseFpmOutput(out: string): { messages: FpmMessage[]; syntaxErrors: PhpError[] } {
  const messages: FpmMessage[] = [];
  const syntaxErrors: PhpError[] = [];
  for (const raw of out.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('PHP:  ')) {
      syntaxErrors.push(...parsePhpErrors(line, 'Unknown'));
      continue;
    }
    const m = /^\[[^\]]*\] ([A-Z]+): (.*)$/.exec(line);
    if (!m) continue;
    const [, level, rest] = m;
    const loc = /^\[(.*):(\d+)\] (.*)$/.exec(rest);
    if (loc) messages.push({ level, file: loc[1], line: Number(loc[2]), message: loc[3] });
    else messages.push({ level, message: rest });
  }
  return { messages, syntaxErrors };
}

/** Write `text` as a pool file and run `php-fpm8.2 -n -t -y FILE`. */
export function runFpmTest(text: string | Buffer, opts: { env?: Record<string, string>; name?: string } = {}): FpmResult {
  const dir = workDir();
  const file = path.join(dir, opts.name ?? `fpm-${++fileCounter}.conf`);
  fs.writeFileSync(file, toBytes(text));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...(opts.env ?? {}) };
  const r = spawnSync(FPM_BIN, ['-n', '-t', '-y', file], { env, encoding: 'utf8', cwd: dir, timeout: 20000 });
  if (r.error) throw r.error;
  const output = (r.stderr ?? '') + (r.stdout ?? '');
  const { messages, syntaxErrors } = parseFpmOutput(output);
  return {
    exitCode: r.status ?? -1,
    errors: messages.filter((m) => m.level === 'ERROR' || m.level === 'ALERT'),
    messages,
    syntaxErrors,
    file,
    output,
  };
}
