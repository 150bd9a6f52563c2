// The command-line front end: the same engine and settings as the editor, for CI.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ioMessage, lintJobs, readConfigFile, runWorkerIfAsked, WORKER_ARG, type Finding, type LintJob } from './cli-pool';
import {
  allRules,
  cfgVars,
  findProjectConfig,
  parse,
  parseProjectConfig,
  resolveOptions,
  ruleDocUrl,
  type Dialect,
  type ProjectConfig,
  type Severity,
  type UserSettings,
} from './engine';
import { effectiveConfigObject } from './engine/features/effective';

export { lastRun as lastPoolRun } from './cli-pool';

// The package's own version, found from out/server/src/ (a checkout) or dist/ (the bundle); looked up
// only when printed (worker threads load this file too).
let version: string | undefined;
const VERSION = (): string => (version ??= findVersion());
function findVersion(): string {
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'php-ini-lint') return String(pkg.version);
    } catch {
      // keep looking upwards
    }
  }
  return '0.0.0';
}

const LEVELS: Severity[] = ['hint', 'information', 'warning', 'error'];
const rank = (s: Severity) => LEVELS.indexOf(s);

const HELP = `Usage: php-ini-lint [options] <file|directory|glob>...

Finds security mistakes in php.ini, conf.d/*.ini, .user.ini and PHP-FPM pool files,
reading them exactly as PHP does.

Options:
  --format <text|json|sarif>   Output format (default: text)
  --php-version <X.Y>          Target PHP version (default: from the project file,
                               the path such as /etc/php/8.2/, else the newest stable)
  --profile <production|development>
  --no-https-only              The site is also served over plain HTTP (no Secure cookies)
  --threshold <level>          Report findings at or above: hint, information, warning,
                               error (default: information)
  --rule <id>=<level|off>      Override a rule's severity (repeatable)
  --dialect <php-ini|php-fpm>  Force the file type (default: .conf = php-fpm)
  --fix                        Write the safe fixes into the files, then report what is left
  --print-config <file>        Print what PHP will see: every key with its effective value
  --config <file>              Use this project file instead of searching for .php-ini-lint.ini
  --no-config                  Ignore project files
  --list-rules                 List the rules
  -v, --version                Print the version
  -h, --help                   Show this help

Exit codes: 0 no findings at or above the threshold, 1 findings, 2 usage or I/O error.
`;

class UsageError extends Error {}

interface Args {
  format: 'text' | 'json' | 'sarif';
  threshold: Severity;
  fix: boolean;
  printConfig?: string;
  config?: string;
  noConfig: boolean;
  dialect?: Dialect;
  overrides: UserSettings;
  targets: string[];
  listRules: boolean;
}

function parseArgs(argv: string[]): Args | 'help' | 'version' {
  const args: Args = { format: 'text', threshold: 'information', fix: false, noConfig: false, overrides: {}, targets: [], listRules: false };
  const rules: Record<string, Severity | 'off'> = {};
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline: string | undefined;
    if (a.startsWith('--') && a.includes('=')) {
      inline = a.slice(a.indexOf('=') + 1);
      a = a.slice(0, a.indexOf('='));
    }
    const value = () => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '-h':
      case '--help':
        return 'help';
      case '-v':
      case '--version':
        return 'version';
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`unknown format "${v}" (use text, json or sarif)`);
        args.format = v;
        break;
      }
      case '--php-version': {
        const v = value();
        if (!/^\d+\.\d+$/.test(v)) throw new UsageError(`--php-version takes a version like 8.2, not "${v}"`);
        args.overrides.phpVersion = v;
        break;
      }
      case '--profile': {
        const v = value();
        if (v !== 'production' && v !== 'development') throw new UsageError(`--profile is production or development, not "${v}"`);
        args.overrides.profile = v;
        break;
      }
      case '--https-only':
        args.overrides.httpsOnly = true;
        break;
      case '--no-https-only':
        args.overrides.httpsOnly = false;
        break;
      case '--threshold':
      case '--severity': {
        const v = value() as Severity;
        if (!LEVELS.includes(v)) throw new UsageError(`--threshold is one of ${LEVELS.join(', ')}`);
        args.threshold = v;
        break;
      }
      case '--rule': {
        const m = /^([a-z0-9-]+)=(error|warning|information|hint|off)$/.exec(value());
        if (!m) throw new UsageError('--rule takes <rule-id>=<error|warning|information|hint|off>');
        if (!allRules.some((r) => r.id === m[1])) throw new UsageError(`unknown rule "${m[1]}" (see --list-rules)`);
        rules[m[1]] = m[2] as Severity | 'off';
        break;
      }
      case '--dialect': {
        const v = value();
        if (v !== 'php-ini' && v !== 'php-fpm') throw new UsageError('--dialect is php-ini or php-fpm');
        args.dialect = v;
        break;
      }
      case '--fix':
        args.fix = true;
        break;
      case '--print-config':
        args.printConfig = value();
        break;
      case '--config':
        args.config = value();
        break;
      case '--no-config':
        args.noConfig = true;
        break;
      case '--list-rules':
        args.listRules = true;
        break;
      case '--':
        args.targets.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        args.targets.push(a);
    }
  }
  if (Object.keys(rules).length) args.overrides.rules = rules;
  return args;
}

// ---------------------------------------------------------------------------------------------
// Finding files

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

/** What a directory's absolute path says about the files in it. */
interface DirHints {
  /** Under conf.d, php.d, mods-available or a php* directory: its .ini files are PHP's. */
  ini: boolean;
  /** Under php-fpm.d or pool.d: its .conf files are pools. */
  pools: boolean;
  mentionsPhp: boolean;
}

function dirHints(dir: string): DirHints {
  const d = `${dir.replace(/\\/g, '/')}/`;
  return {
    ini: /\/(conf\.d|php\.d|mods-available)\//.test(d) || /\/php[^/]*\//i.test(d),
    pools: /\/(php-fpm\.d|pool\.d)\//.test(d),
    mentionsPhp: /php/i.test(d),
  };
}

/** In a directory walk, only files that look like PHP or PHP-FPM configs are picked up. */
function looksLikePhpConfig(name: string, dir: DirHints): boolean {
  if (name === '.user.ini' || /^php[^/]*\.ini(-[a-z.]+)?$/i.test(name) || /^php\.ini-/.test(name)) return true;
  if (/\.ini$/i.test(name)) return dir.ini;
  if (/\.conf$/i.test(name)) return name === 'php-fpm.conf' || dir.pools || (name === 'www.conf' && dir.mentionsPhp);
  return false;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += glob[i + 2] === '/' ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += glob.slice(i, end + 1);
        i = end;
      }
    } else re += /[.+^${}()|\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`);
}

/** A file to lint: its path as given on the command line (or found under one given there), resolved. */
interface Target {
  file: string;
  /** `file` resolved against the working directory. */
  abs: string;
  /** The directory of `abs`. */
  dir: string;
}

/** A file found by walk(), with its name in `dir`. */
interface Found extends Target {
  name: string;
}

/**
 * What path.join(dir, name) gives for every name in `dir`, less the name itself. Children are then
 * built by concatenation: readdir names hold no separator and are never `.` or `..`, so the result is
 * already normalized, and a run over thousands of files does not normalize each path twice over.
 */
const childPrefix = (dir: string): string => path.join(dir, 'x').slice(0, -1);

/** Regular files under `dir` (display path) and `absDir` (the same directory, resolved). */
function walk(dir: string, absDir: string, out: Found[], depth = 0): void {
  if (depth > 32) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  const prefix = childPrefix(dir);
  const absPrefix = childPrefix(absDir);
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(prefix + e.name, absPrefix + e.name, out, depth + 1);
    } else if (e.isFile()) out.push({ file: prefix + e.name, abs: absPrefix + e.name, dir: absDir, name: e.name });
  }
}

/** Array.prototype.sort()'s default order (UTF-16 code units), by display path. */
const byFile = (a: Found, b: Found): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

function expandTargets(targets: string[], errors: string[]): Target[] {
  const out: Target[] = [];
  for (const t of targets) {
    if (/[*?[]/.test(t)) {
      const abs = path.resolve(t).replace(/\\/g, '/');
      const firstMagic = abs.search(/[*?[]/);
      const base = abs.slice(0, abs.lastIndexOf('/', firstMagic)) || '/';
      const re = globToRegExp(abs);
      const files: Found[] = [];
      walk(base, base, files);
      const matched = files.filter((f) => re.test(f.abs.replace(/\\/g, '/'))).sort(byFile);
      if (!matched.length) errors.push(`${t}: no files match`);
      for (const f of matched) out.push(f);
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(t);
    } catch (err) {
      errors.push(`${t}: ${ioMessage(err)}`);
      continue;
    }
    if (stat.isDirectory()) {
      const files: Found[] = [];
      walk(t, path.resolve(t), files);
      // Judge by the absolute path: `php-ini-lint conf.d` run from /etc/php/8.2/fpm names no parent.
      const hints = new Map<string, DirHints>();
      const hintsFor = (dir: string): DirHints => {
        let h = hints.get(dir);
        if (h === undefined) hints.set(dir, (h = dirHints(dir)));
        return h;
      };
      const picked = files.filter((f) => looksLikePhpConfig(f.name, hintsFor(f.dir))).sort(byFile);
      if (!picked.length) errors.push(`${t}: no php.ini or PHP-FPM files found in this directory`);
      for (const f of picked) out.push(f);
    } else {
      const abs = path.resolve(t);
      out.push({ file: t, abs, dir: path.dirname(abs) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/**
 * The project files of a run: the nearest .php-ini-lint.ini above each file (looked up once per
 * directory), each read once. A file's problems are reported before the first readable file that uses it.
 */
class Projects {
  readonly configs: Array<ProjectConfig | undefined> = [];
  readonly problems: string[][] = [];
  private readonly byPath = new Map<string, number>();
  private readonly byDir = new Map<string, string | undefined>();
  private readonly exists = new Map<string, boolean>();
  private readonly existsCached = (p: string) => {
    let e = this.exists.get(p);
    if (e === undefined) this.exists.set(p, (e = fs.existsSync(p)));
    return e;
  };

  constructor(private readonly args: Args) {}

  /** Index into configs for the files in `dir` (an absolute path), or -1. */
  indexFor(dir: string): number {
    if (this.args.noConfig) return -1;
    let cfgPath = this.args.config;
    if (cfgPath === undefined) {
      if (this.byDir.has(dir)) cfgPath = this.byDir.get(dir);
      else this.byDir.set(dir, (cfgPath = findProjectConfig(dir, this.existsCached)));
    }
    if (!cfgPath) return -1;
    let index = this.byPath.get(cfgPath);
    if (index === undefined) {
      let cfg: ProjectConfig | undefined;
      const problems: string[] = [];
      try {
        cfg = parseProjectConfig(fs.readFileSync(cfgPath, 'utf8'), cfgPath);
        for (const p of cfg.problems) problems.push(`${cfgPath}: ${p}`);
      } catch (err) {
        problems.push(`${cfgPath}: ${ioMessage(err)}`);
      }
      index = this.configs.push(cfg) - 1;
      this.problems.push(problems);
      this.byPath.set(cfgPath, index);
    }
    return index;
  }
}

interface FileResult {
  file: string;
  findings: Finding[];
  fixed?: number;
}

function projectConfig(projects: Projects, abs: string, errors: string[]): ProjectConfig | undefined {
  const i = projects.indexFor(path.dirname(abs));
  if (i < 0) return undefined;
  errors.push(...projects.problems[i]);
  return projects.configs[i];
}

/** Lints the files (on several threads when there are many) and puts results and errors in file order. */
function lintTargets(targets: Target[], args: Args, errors: string[]): FileResult[] {
  const projects = new Projects(args);
  const jobs: LintJob[] = targets.map((t) => ({ file: t.file, abs: t.abs, project: projects.indexFor(t.dir) }));
  const outcomes = lintJobs(jobs, projects.configs, { overrides: args.overrides, dialect: args.dialect, minRank: rank(args.threshold), fix: args.fix }, __filename);
  const reported = new Set<number>();
  const results: FileResult[] = [];
  for (let i = 0; i < outcomes.length; i++) {
    const o = outcomes[i];
    const { file, project } = jobs[i];
    if (o.internal !== undefined) throw new Error(o.internal); // reported as an internal error, as before
    if (o.readError !== undefined) {
      errors.push(`${file}: ${o.readError}`);
      continue;
    }
    if (project >= 0 && !reported.has(project)) {
      reported.add(project);
      errors.push(...projects.problems[project]);
    }
    if (o.writeError !== undefined) errors.push(`${file}: cannot write fixes: ${o.writeError}`);
    else results.push({ file, findings: o.findings!, fixed: o.fixed });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Output

const useColor = () => process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, s: string) => (useColor() ? `\x1b[${code}m${s}\x1b[0m` : s);
const SEV_COLOR: Record<Severity, string> = { error: '31', warning: '33', information: '36', hint: '2' };

function formatText(results: FileResult[]): string {
  let out = '';
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const r of results) {
    if (r.fixed) out += `${r.file}: applied ${r.fixed} fix${r.fixed === 1 ? '' : 'es'}\n`;
    if (!r.findings.length) continue;
    out += `${paint('4', r.file)}\n`;
    for (const d of r.findings) {
      counts[d.severity]++;
      const pos = `${d.startLine + 1}:${d.startChar + 1}`;
      out += `  ${pos.padEnd(8)} ${paint(SEV_COLOR[d.severity], d.severity.padEnd(11))} ${d.message}  ${paint('2', d.rule)}\n`;
    }
    out += '\n';
  }
  const total = counts.error + counts.warning + counts.information + counts.hint;
  if (total === 0) return out + `No problems found in ${results.length} file${results.length === 1 ? '' : 's'}.\n`;
  const parts = (Object.keys(counts) as Severity[]).filter((k) => counts[k]).map((k) => `${counts[k]} ${k === 'information' ? 'info' : k}${counts[k] === 1 || k === 'information' ? '' : 's'}`);
  return out + `${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')}) in ${results.length} file${results.length === 1 ? '' : 's'}.\n`;
}

function jsonFindings(results: FileResult[]) {
  return results.flatMap((r) =>
    r.findings.map((d) => ({
      file: r.file,
      line: d.startLine + 1,
      column: d.startChar + 1,
      endLine: d.endLine + 1,
      endColumn: d.endChar + 1,
      severity: d.severity,
      rule: d.rule,
      directive: d.directive,
      message: d.message,
    })),
  );
}

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: repository-relative URIs, utf16 columns. No
 * fingerprints of our own: GitHub derives stable ones from the file content, which survive line shifts.
 */
function formatSarif(results: FileResult[]) {
  const used = [...new Set(results.flatMap((r) => r.findings.map((d) => d.rule)))].sort();
  const ruleIndex = new Map(used.map((id, i) => [id, i]));
  const level = (s: Severity) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const cwd = process.cwd();
  const rel = (f: string) => {
    const r = path.relative(cwd, path.resolve(f)).split(path.sep).join('/');
    return r.startsWith('..') ? `file://${path.resolve(f).split(path.sep).join('/')}` : r;
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'php-ini-lint',
            version: VERSION(),
            semanticVersion: VERSION(),
            informationUri: 'https://github.com/php-ini-lint/php-ini-lint',
            rules: used.map((id) => {
              const rule = allRules.find((r) => r.id === id);
              return {
                id,
                name: id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
                shortDescription: { text: rule?.title ?? id },
                fullDescription: { text: rule?.rationale ?? rule?.title ?? id },
                helpUri: ruleDocUrl(id),
                help: { text: rule ? `${rule.rationale}\n\n${rule.sources.map((s) => `${s.title}: ${s.url}`).join('\n')}` : id },
                defaultConfiguration: { level: level(rule?.severity ?? 'warning') },
                properties: { tags: ['security', 'php', 'configuration'] },
              };
            }),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${cwd.split(path.sep).join('/')}/` } },
        results: results.flatMap((r) => {
          const uri = rel(r.file);
          return r.findings.map((d) => ({
            ruleId: d.rule,
            ruleIndex: ruleIndex.get(d.rule),
            level: level(d.severity),
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
                  region: {
                    startLine: d.startLine + 1,
                    startColumn: d.startChar + 1,
                    endLine: d.endLine + 1,
                    endColumn: Math.max(d.endChar + 1, d.startLine === d.endLine ? d.startChar + 2 : 1),
                  },
                },
              },
            ],
          }));
        }),
      },
    ],
  };
}

function listRules(): string {
  const w = Math.max(...allRules.map((r) => r.id.length));
  return allRules.map((r) => `${r.id.padEnd(w)}  ${r.severity.padEnd(11)}  ${r.title}`).join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** Runs the CLI and returns the exit code (never throws). */
export function main(argv: string[], io: CliIO = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }): number {
  try {
    const args = parseArgs(argv);
    if (args === 'help') {
      io.stdout(HELP);
      return 0;
    }
    if (args === 'version') {
      io.stdout(`${VERSION()}\n`);
      return 0;
    }
    if (args.listRules) {
      io.stdout(listRules());
      return 0;
    }
    const errors: string[] = [];
    if (args.printConfig !== undefined) {
      let decoded;
      try {
        decoded = readConfigFile(args.printConfig);
      } catch (err) {
        io.stderr(`php-ini-lint: ${args.printConfig}: ${ioMessage(err)}\n`);
        return 2;
      }
      const abs = path.resolve(args.printConfig);
      const options = resolveOptions(abs, {}, projectConfig(new Projects(args), abs, errors), { ...args.overrides, dialect: args.dialect });
      const doc = parse(decoded.text, { dialect: options.dialect, phpVersion: options.phpVersion });
      // php.ini: exactly get_cfg_var()'s view; a pool file: global and per-pool values as php-fpm applies them.
      const out = doc.model.dialect === 'php-ini' ? cfgVars(doc) : effectiveConfigObject(doc, options, args.printConfig);
      io.stdout(JSON.stringify(out, null, 2) + '\n');
      for (const e of errors) io.stderr(`php-ini-lint: ${e}\n`);
      return 0;
    }
    if (!args.targets.length) throw new UsageError('no files given');
    const targets = expandTargets(args.targets, errors);
    const results = lintTargets(targets, args, errors);
    if (args.format === 'json') io.stdout(JSON.stringify(jsonFindings(results), null, 2) + '\n');
    else if (args.format === 'sarif') io.stdout(JSON.stringify(formatSarif(results), null, 2) + '\n');
    else if (results.length) io.stdout(formatText(results));
    for (const e of errors) io.stderr(`php-ini-lint: ${e}\n`);
    if (errors.length) return 2;
    return results.some((r) => r.findings.length) ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`php-ini-lint: ${err.message}\nRun php-ini-lint --help for usage.\n`);
      return 2;
    }
    io.stderr(`php-ini-lint: internal error: ${(err as Error).message}\n`);
    return 2;
  }
}

// This same file is the script of the CLI's worker threads (see cli-pool.ts), bundled or not.
if (process.argv.includes(WORKER_ARG)) {
  const { isMainThread, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  if (!isMainThread) runWorkerIfAsked(workerData);
}
