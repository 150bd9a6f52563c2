// The command-line front end: the same engine and settings as the editor, for CI.

import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  allRules,
  cfgVars,
  decode,
  encode,
  findProjectConfig,
  fixAll,
  lint,
  looksBinary,
  parse,
  parseProjectConfig,
  resolveOptions,
  ruleDocUrl,
  type Diagnostic,
  type Dialect,
  type ProjectConfig,
  type ResolvedOptions,
  type Severity,
  type UserSettings,
} from './engine';
import { effectiveConfigObject } from './engine/features/effective';

// The package's own version, found from out/server/src/ (a checkout) or dist/ (the bundle).
const VERSION: string = (() => {
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'php-ini-lint') return String(pkg.version);
    } catch {
      // keep looking upwards
    }
  }
  return '0.0.0';
})();

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

/** In a directory walk, only files that look like PHP or PHP-FPM configs are picked up. */
function looksLikePhpConfig(file: string): boolean {
  const p = file.replace(/\\/g, '/');
  const name = path.basename(p);
  if (name === '.user.ini' || /^php[^/]*\.ini(-[a-z.]+)?$/i.test(name) || /^php\.ini-/.test(name)) return true;
  if (/\.ini$/i.test(name)) return /\/(conf\.d|php\.d|mods-available)\//.test(p) || /\/php[^/]*\//i.test(p);
  if (/\.conf$/i.test(name)) return name === 'php-fpm.conf' || /\/(php-fpm\.d|pool\.d)\//.test(p) || (name === 'www.conf' && /php/i.test(p));
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

function walk(dir: string, out: string[], depth = 0): void {
  if (depth > 32) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, out, depth + 1);
    } else if (e.isFile()) out.push(p);
  }
}

interface Target {
  file: string;
  /** Named explicitly on the command line (so it is linted whatever its name). */
  explicit: boolean;
}

function expandTargets(targets: string[], errors: string[]): Target[] {
  const out: Target[] = [];
  for (const t of targets) {
    if (/[*?[]/.test(t)) {
      const abs = path.resolve(t).replace(/\\/g, '/');
      const firstMagic = abs.search(/[*?[]/);
      const base = abs.slice(0, abs.lastIndexOf('/', firstMagic)) || '/';
      const re = globToRegExp(abs);
      const files: string[] = [];
      walk(base, files);
      const matched = files.filter((f) => re.test(f.replace(/\\/g, '/'))).sort();
      if (!matched.length) errors.push(`${t}: no files match`);
      for (const f of matched) out.push({ file: f, explicit: true });
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
      const files: string[] = [];
      walk(t, files);
      const picked = files.filter(looksLikePhpConfig).sort();
      if (!picked.length) errors.push(`${t}: no php.ini or PHP-FPM files found in this directory`);
      for (const f of picked) out.push({ file: f, explicit: false });
    } else out.push({ file: t, explicit: true });
  }
  return out;
}

function ioMessage(err: unknown): string {
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

// ---------------------------------------------------------------------------------------------

const projectCache = new Map<string, ProjectConfig | undefined>();
function projectFor(file: string, args: Args, errors: string[]): ProjectConfig | undefined {
  if (args.noConfig) return undefined;
  const cfgPath = args.config ?? findProjectConfig(path.dirname(path.resolve(file)), (p) => fs.existsSync(p));
  if (!cfgPath) return undefined;
  if (projectCache.has(cfgPath)) return projectCache.get(cfgPath);
  let cfg: ProjectConfig | undefined;
  try {
    cfg = parseProjectConfig(fs.readFileSync(cfgPath, 'utf8'), cfgPath);
    for (const p of cfg.problems) errors.push(`${cfgPath}: ${p}`);
  } catch (err) {
    errors.push(`${cfgPath}: ${ioMessage(err)}`);
  }
  projectCache.set(cfgPath, cfg);
  return cfg;
}

interface FileResult {
  file: string;
  options: ResolvedOptions;
  diagnostics: Diagnostic[];
  fixed?: number;
}

function readConfigFile(file: string): { text: string; encoding: 'utf8' | 'latin1' } {
  const st = fs.statSync(file);
  if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  const bytes = fs.readFileSync(file);
  if (looksBinary(bytes)) throw new Error('looks like a binary file, not a configuration file');
  return decode(bytes);
}

function lintFile(t: Target, args: Args, errors: string[]): FileResult | undefined {
  let decoded;
  try {
    decoded = readConfigFile(t.file);
  } catch (err) {
    errors.push(`${t.file}: ${ioMessage(err)}`);
    return undefined;
  }
  const options = resolveOptions(path.resolve(t.file), {}, projectFor(t.file, args, errors), { ...args.overrides, dialect: args.dialect });
  let doc = parse(decoded.text, { dialect: options.dialect, phpVersion: options.phpVersion });
  let fixed: number | undefined;
  if (args.fix) {
    const result = fixAll(doc, options);
    if (result.text !== decoded.text) {
      try {
        fs.writeFileSync(t.file, encode({ text: result.text, encoding: decoded.encoding }));
      } catch (err) {
        errors.push(`${t.file}: cannot write fixes: ${ioMessage(err)}`);
        return undefined;
      }
      doc = parse(result.text, { dialect: options.dialect, phpVersion: options.phpVersion });
      fixed = result.applied;
    }
  }
  const diagnostics = lint(doc, options).filter((d) => rank(d.severity) >= rank(args.threshold));
  return { file: t.file, options, diagnostics, fixed };
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
    if (!r.diagnostics.length) continue;
    out += `${paint('4', r.file)}\n`;
    for (const d of r.diagnostics) {
      counts[d.severity]++;
      const pos = `${d.range.start.line + 1}:${d.range.start.character + 1}`;
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
    r.diagnostics.map((d) => ({
      file: r.file,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
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
  const used = [...new Set(results.flatMap((r) => r.diagnostics.map((d) => d.rule)))].sort();
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
            version: VERSION,
            semanticVersion: VERSION,
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
        results: results.flatMap((r) =>
          r.diagnostics.map((d) => ({
            ruleId: d.rule,
            ruleIndex: ruleIndex.get(d.rule),
            level: level(d.severity),
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: rel(r.file), uriBaseId: '%SRCROOT%' },
                  region: {
                    startLine: d.range.start.line + 1,
                    startColumn: d.range.start.character + 1,
                    endLine: d.range.end.line + 1,
                    endColumn: Math.max(d.range.end.character + 1, d.range.start.line === d.range.end.line ? d.range.start.character + 2 : 1),
                  },
                },
              },
            ],
          })),
        ),
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
      io.stdout(`${VERSION}\n`);
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
      const options = resolveOptions(path.resolve(args.printConfig), {}, projectFor(args.printConfig, args, errors), { ...args.overrides, dialect: args.dialect });
      const doc = parse(decoded.text, { dialect: options.dialect, phpVersion: options.phpVersion });
      // php.ini: exactly get_cfg_var()'s view; a pool file: global and per-pool values as php-fpm applies them.
      const out = doc.model.dialect === 'php-ini' ? cfgVars(doc) : effectiveConfigObject(doc, options, args.printConfig);
      io.stdout(JSON.stringify(out, null, 2) + '\n');
      for (const e of errors) io.stderr(`php-ini-lint: ${e}\n`);
      return 0;
    }
    if (!args.targets.length) throw new UsageError('no files given');
    const targets = expandTargets(args.targets, errors);
    const results: FileResult[] = [];
    for (const t of targets) {
      const r = lintFile(t, args, errors);
      if (r) results.push(r);
    }
    if (args.format === 'json') io.stdout(JSON.stringify(jsonFindings(results), null, 2) + '\n');
    else if (args.format === 'sarif') io.stdout(JSON.stringify(formatSarif(results), null, 2) + '\n');
    else if (results.length) io.stdout(formatText(results));
    for (const e of errors) io.stderr(`php-ini-lint: ${e}\n`);
    if (errors.length) return 2;
    return results.some((r) => r.diagnostics.length) ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`php-ini-lint: ${err.message}\nRun php-ini-lint --help for usage.\n`);
      return 2;
    }
    io.stderr(`php-ini-lint: internal error: ${(err as Error).message}\n`);
    return 2;
  }
}
