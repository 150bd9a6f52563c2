// Building blocks for the catalog rules (unknown-directive, removed-directive, deprecated-directive,
// not-yet-available, invalid-value, duplicate-directive): every php.ini directive line of a file,
// php-fpm's real precedence for php_value & co., and a few facts the catalog data does not carry.
// Files starting with `_` are not rules themselves.

import { allDirectives, getDirective, statusOf, type DeprecatedWhen, type DirectiveInfo, type DirectiveStatus } from '../catalog';
import type { LintContext } from '../lint';
import type { Severity } from './types';
import type { Assignment, FpmPhpArray, FpmPhpSetting, FpmPool, IniSpecialSection } from '../model';
import { ownEntry } from '../own';

/** One line that sets a php.ini directive: in php.ini (main scope or a [PATH=]/[HOST=] section) or in a pool. */
export interface IniLine {
  /** The directive name exactly as PHP looks it up (case and spaces kept). */
  name: string;
  value: string;
  assignment: Assignment;
  section?: IniSpecialSection;
  pool?: FpmPool;
  via?: FpmPhpArray;
  /** The directive's catalog entry, looked up once for all the rules that read this line. */
  info: DirectiveInfo | undefined;
  /** What the target PHP version makes of the directive. */
  status: DirectiveStatus;
}

function iniLine(name: string, value: string, assignment: Assignment, section: IniSpecialSection | undefined, pool: FpmPool | undefined, via: FpmPhpArray | undefined, phpVersion: string): IniLine {
  const info = getDirective(name);
  return { name, value, assignment, section, pool, via, info, status: statusOf(info, phpVersion) };
}

/** Names that load modules rather than set a directive; php.ini and php-fpm treat them specially. */
export function isModuleLoader(name: string): boolean {
  // Called for every line by several rules: most names cannot match by their length alone.
  if (name.length !== 9 && name.length !== 14) return false;
  const lower = name.toLowerCase();
  return lower === 'extension' || lower === 'zend_extension';
}

/** Keys starting with `#` are a PHP 5 style comment PHP 7+ no longer accepts: the hash-comment rule owns them. */
export function isHashKey(name: string): boolean {
  const c = name.charCodeAt(0);
  // 35 = '#'; only a name that starts with blanks needs trimming (a String's trimStart also skips Unicode spaces).
  return c === 35 || (c <= 32 || c >= 127 ? name.trimStart().startsWith('#') : false);
}

/**
 * Every line of this file that sets a php.ini directive, in file order. Module loaders and `#` keys are
 * left out. In a pool file, the `php_value`/`php_flag`/`php_admin_value`/`php_admin_flag` entries.
 */
export function iniLines(ctx: LintContext): IniLine[] {
  return ctx.memo('catalog:iniLines', () => collectIniLines(ctx));
}

function collectIniLines(ctx: LintContext): IniLine[] {
  const out: IniLine[] = [];
  const version = ctx.phpVersion;
  const ini = ctx.ini;
  if (ini) {
    // Most files have no [PATH=]/[HOST=] section: then no line needs looking up in one.
    const sections = ini.specialSections.length > 0;
    for (const a of ini.assignments) {
      if (isModuleLoader(a.name) || isHashKey(a.name)) continue;
      out.push(iniLine(a.name, a.value, a, sections ? ini.scopeOf.get(a) : undefined, undefined, undefined, version));
    }
  }
  const fpm = ctx.fpm;
  if (fpm) {
    for (const pool of fpm.pools) {
      for (const p of pool.php) {
        if (isModuleLoader(p.directive) || isHashKey(p.directive)) continue;
        out.push(iniLine(p.directive, p.value, p.assignment, undefined, pool, p.via, version));
      }
    }
  }
  return inFileOrder(out);
}

/**
 * Which php_value/php_flag/php_admin_* line php-fpm actually applies for each directive of a pool.
 * php-fpm prepends every entry to its list (fpm_conf_set_array), so within one list the FIRST line in
 * the file is applied last and wins; and it applies all php_admin_* entries after all php_value/php_flag
 * ones (fpm_php_apply_defines), so any admin line beats any non-admin line. Checked with php-fpm 8.2.
 */
export function poolWinners(pool: FpmPool): Map<string, FpmPhpSetting> {
  const won = new Map<string, FpmPhpSetting>();
  for (const p of pool.php) {
    const cur = won.get(p.directive);
    if (!cur || (p.admin && !cur.admin)) won.set(p.directive, p);
  }
  return won;
}

/** Sorts lines by position, unless they already are (php.ini's assignments, one pool's lines). */
function inFileOrder(lines: IniLine[]): IniLine[] {
  for (let i = 1; i < lines.length; i++) {
    if (lines[i - 1].assignment.index > lines[i].assignment.index) return lines.sort((x, y) => x.assignment.index - y.assignment.index);
  }
  return lines;
}

/** The lines of one status other than 'ok', in file order. */
type ByStatus = Record<Exclude<DirectiveStatus, 'ok'>, IniLine[]>;

function byStatus(lines: IniLine[]): ByStatus {
  const out: ByStatus = { removed: [], deprecated: [], 'not-yet': [], unknown: [] };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.status !== 'ok') out[l.status].push(l);
  }
  return out;
}

/**
 * iniLines() whose directive has this status for the target PHP. Each catalog rule wants one status,
 * and nearly every line is 'ok': sorting them once spares each rule a pass over every line.
 */
export function iniLinesWithStatus(ctx: LintContext, status: Exclude<DirectiveStatus, 'ok'>): IniLine[] {
  return ctx.memo('catalog:iniLinesByStatus', () => byStatus(iniLines(ctx)))[status];
}

/** effectiveLines() whose directive has this status, as iniLinesWithStatus(). */
export function effectiveLinesWithStatus(ctx: LintContext, status: Exclude<DirectiveStatus, 'ok'>): IniLine[] {
  return ctx.memo('catalog:effectiveLinesByStatus', () => byStatus(effectiveLines(ctx)))[status];
}

/** The line that decides each directive: php.ini's main scope, each special section, each pool. */
export function effectiveLines(ctx: LintContext): IniLine[] {
  return ctx.memo('catalog:effectiveLines', () => collectEffectiveLines(ctx));
}

function collectEffectiveLines(ctx: LintContext): IniLine[] {
  // The deciding lines are some of iniLines(): pick them out, sharing those lines (and their catalog lookups).
  // Marked by statement index: a Set of lines would cost more than the lines it saves.
  const decisive = new Uint8Array(ctx.doc.statements.length);
  const ini = ctx.ini;
  if (ini) {
    const scopes: Array<Map<string, { value: unknown; assignments: Assignment[] }>> = [ini.main, ...ini.specialSections.map((s) => s.settings)];
    for (const map of scopes) {
      for (const setting of map.values()) {
        if (typeof setting.value === 'string') decisive[setting.assignments[setting.assignments.length - 1].index] = 1;
      }
    }
  }
  const fpm = ctx.fpm;
  if (fpm) {
    for (const pool of fpm.pools) {
      for (const p of poolWinners(pool).values()) decisive[p.assignment.index] = 1;
    }
  }
  return iniLines(ctx).filter((l) => decisive[l.assignment.index] === 1);
}

/** ` (php_value[x] in pool [www])` for pool lines, ` (in [PATH=/srv])` for special sections, else ''. */
export function whereLine(l: IniLine): string {
  if (l.pool) return ` (${l.via}[${l.name}] in pool [${l.pool.name}])`;
  if (l.section) return ` (in [${l.section.kind === 'path' ? 'PATH' : 'HOST'}=${l.section.key}])`;
  return '';
}

/** The directive name's own text: the key in php.ini, the `[...]` offset in a pool. */
export function nameRange(ctx: LintContext, a: Assignment): { start: number; end: number } {
  const st = a.statement;
  if (a.offset !== undefined && ctx.fpm) {
    const toks = st.tokens.filter((t) => t.kind === 'offset');
    if (toks.length) return { start: toks[0].start, end: toks[toks.length - 1].end };
  }
  return ctx.keyRange(a);
}

/** The value as written in the file (quotes included), for messages. */
export function writtenValue(ctx: LintContext, a: Assignment): string {
  const r = ctx.valueRange(a);
  return ctx.text.slice(r.start, r.end);
}

/** Quotes a value for a message unless it already carries its own quotes. */
export function shown(raw: string): string {
  if (raw === '') return '(empty)';
  if (/^".*"$/s.test(raw) || /^'.*'$/s.test(raw)) return raw;
  return `"${raw}"`;
}

/** A directive name for a message: bare, or JSON-quoted when it holds spaces or odd characters. */
export function nameText(name: string): string {
  return /^[A-Za-z0-9_.\-]+$/.test(name) ? name : JSON.stringify(name);
}

/** "7.1.0" → "7.1"; "8.2.4" stays. */
export function fmtVersion(v: string): string {
  return v.replace(/^(\d+\.\d+)\.0$/, '$1');
}

export function atLeast(target: string, release: string): boolean {
  const t = target.split('.').map((x) => parseInt(x, 10) || 0);
  const r = release.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(t.length, r.length); i++) {
    const d = (t[i] ?? 0) - (r[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** First name segments with catalogued directives: whether any of them is bundled with PHP. */
let namespaces: Map<string, boolean> | undefined;
export function catalogNamespaces(): Map<string, boolean> {
  if (namespaces) return namespaces;
  namespaces = new Map();
  for (const d of allDirectives()) {
    const dot = d.name.indexOf('.');
    if (dot <= 0) continue;
    const ns = d.name.slice(0, dot);
    namespaces.set(ns, (namespaces.get(ns) ?? false) || d.bundled);
  }
  return namespaces;
}

// ---------------------------------------------------------------------------------------------
// Facts the catalog data lacks. Each is checked against PHP 8.2 or cited; report additions upstream.

/**
 * Real directives missing from the catalog: never reported as unknown.
 * zend.dlopen_deepbind: active in php-src's php.ini-production (corpus php-src-0043ad37); the release
 * that introduced it is not established here, so it is only exempted, not given a version.
 */
export const CATALOG_MISSING: ReadonlySet<string> = new Set(['zend.dlopen_deepbind']);

/**
 * When PHP really raises the deprecation, where the catalog says `always` but PHP 8.2 is more precise:
 * - auto_detect_line_endings: `= 1` prints "auto_detect_line_endings is deprecated", `= 0` prints nothing.
 * - filter.default: `= unsafe_raw` (the default) is silent, `= special_chars` prints the deprecation.
 * - track_errors (deprecated 7.2, removed 8.0): main.c checks it with cfg_get_long(), so only a non-zero
 *   value triggers "Directive 'track_errors' is deprecated" on 7.2–7.4.
 * - report_memleaks (8.5): only turning it off is deprecated (php-src PR #19481, as stated in PR #19502);
 *   so `report_memleaks = On` (what php-src's own php.ini-* said before PR #19502) is not reported.
 */
export const DEPRECATED_WHEN_OVERRIDES: Readonly<Record<string, DeprecatedWhen>> = {
  auto_detect_line_endings: 'on',
  'filter.default': 'changed',
  track_errors: 'on',
  report_memleaks: 'off',
};

export function deprecatedWhen(name: string): DeprecatedWhen {
  return ownEntry(DEPRECATED_WHEN_OVERRIDES, name) ?? getDirective(name)?.deprecatedWhen ?? 'always';
}

/**
 * Removed directives PHP still looks for at start-up (main.c, php_module_startup): set to a non-zero
 * number in php.ini, each stops PHP with `Fatal error: Directive '%s' is no longer available in PHP`.
 * Verified for every name with PHP 8.2 (`php -n -c f.ini`, exit status 1). Value → first PHP with the check.
 */
const FATAL_WHEN_SET: Readonly<Record<string, string>> = {
  allow_call_time_pass_reference: '5.4',
  define_syslog_variables: '5.4',
  'highlight.bg': '5.4',
  magic_quotes_gpc: '5.4',
  magic_quotes_runtime: '5.4',
  magic_quotes_sybase: '5.4',
  register_globals: '5.4',
  register_long_arrays: '5.4',
  safe_mode: '5.4',
  safe_mode_gid: '5.4',
  safe_mode_include_dir: '5.4',
  safe_mode_exec_dir: '5.4',
  safe_mode_allowed_env_vars: '5.4',
  safe_mode_protected_env_vars: '5.4',
  'zend.ze1_compatibility_mode': '5.4',
  asp_tags: '7.0',
  track_errors: '8.0',
};

export function fatalWhenSet(name: string, phpVersion: string): boolean {
  const from = ownEntry(FATAL_WHEN_SET, name);
  return from !== undefined && atLeast(phpVersion, from);
}

/**
 * Extensions PHP stopped shipping but that live on in PECL with the same directives: the catalog marks
 * their directives removed, yet they work wherever the PECL build is installed. Per the PHP manual's
 * migration guides: mcrypt moved to PECL in 7.2, interbase in 7.4, imap and oci8 in 8.4.
 */
export const MOVED_TO_PECL: Readonly<Record<string, string>> = {
  mcrypt: '7.2.0',
  interbase: '7.4.0',
  imap: '8.4.0',
  oci8: '8.4.0',
};

/**
 * Xdebug 2 settings that Xdebug 3 dropped or renamed (https://xdebug.org/docs/upgrade_guide).
 * Xdebug is not in the catalog, so these would otherwise pass silently.
 */
export const XDEBUG2: Readonly<Record<string, string>> = {
  'xdebug.auto_trace': 'use xdebug.mode=trace with xdebug.start_with_request=yes',
  'xdebug.collect_includes': 'file names are now always included, so drop it',
  'xdebug.collect_params': 'parameters are now always shown, so drop it',
  'xdebug.collect_vars': 'it has no replacement, so drop it',
  'xdebug.coverage_enable': 'use xdebug.mode=coverage',
  'xdebug.default_enable': 'use xdebug.mode=develop',
  'xdebug.extended_info': 'Xdebug now turns this on by itself when needed, so drop it',
  'xdebug.gc_stats_enable': 'use xdebug.mode=gcstats',
  'xdebug.gc_stats_output_dir': 'use xdebug.output_dir',
  'xdebug.overload_var_dump': 'var_dump() is now overloaded whenever xdebug.mode includes develop, so drop it',
  'xdebug.profiler_enable': 'use xdebug.mode=profile',
  'xdebug.profiler_enable_trigger': 'use xdebug.mode=profile with xdebug.start_with_request=trigger',
  'xdebug.profiler_enable_trigger_value': 'use xdebug.trigger_value',
  'xdebug.profiler_output_dir': 'use xdebug.output_dir',
  'xdebug.remote_addr_header': 'use xdebug.client_discovery_header',
  'xdebug.remote_autostart': 'use xdebug.start_with_request=yes (with xdebug.mode=debug)',
  'xdebug.remote_connect_back': 'use xdebug.discover_client_host',
  'xdebug.remote_enable': 'use xdebug.mode=debug',
  'xdebug.remote_handler': 'only the DBGp protocol is left, so drop it',
  'xdebug.remote_host': 'use xdebug.client_host',
  'xdebug.remote_log': 'use xdebug.log',
  'xdebug.remote_log_level': 'use xdebug.log_level',
  'xdebug.remote_mode': 'its "jit" mode became xdebug.start_upon_error=yes',
  'xdebug.remote_port': 'use xdebug.client_port (the default port moved from 9000 to 9003)',
};

/**
 * Directives where turning a boolean ON is the hardened choice: a value fix that switches one of these
 * on may run in fix-all. Turning on anything else (expose_php, allow_url_fopen, display_errors...) could
 * weaken a site, so those fixes stay quick fixes.
 */
export const HARDENING_ON: ReadonlySet<string> = new Set([
  'session.cookie_secure',
  'session.cookie_httponly',
  'session.use_strict_mode',
  'session.use_only_cookies',
  'session.use_cookies',
  'log_errors',
  'cgi.force_redirect',
  'opcache.validate_permission',
  'opcache.validate_root',
  'phar.readonly',
  'phar.require_hash',
  'sqlite3.defensive',
  'zend.exception_ignore_args',
]);

/**
 * Enumerations the catalog does not carry (its types stop at bool/int/string). Only values PHP itself
 * matches are listed; compared case-insensitively because PHP does (strcasecmp).
 */
export interface EnumInfo {
  /** Values PHP accepts, lower-case (compared case-insensitively, as PHP does). */
  values: readonly string[];
  /** The value a near-miss most likely meant, when fixing it to that value is safe (it only hardens). */
  safeTarget?: string;
  /** What happens with an unknown value, for the message. */
  effect: string;
}

export const ENUMS: Readonly<Record<string, EnumInfo>> = {
  // ext/session: php, php_binary and php_serialize are built in; igbinary and msgpack register themselves
  // when loaded. An unknown name makes every session_start() fail (verified with PHP 8.2 and `php -S`:
  // 'Cannot find session serialization handler "phpp" - session startup failed'; "PHP" in capitals works).
  // No fix is safe: another handler cannot read sessions stored by the intended one.
  // session.cache_limiter is not here: the session-cache-limiter rule reports unknown values.
  'session.serialize_handler': {
    values: ['php', 'php_binary', 'php_serialize', 'igbinary', 'msgpack'],
    effect: 'every session_start() fails with "Cannot find session serialization handler", unless an extension you load registers that name',
  },
};

/** A line whose directive is deprecated or gone: tagged deprecated, with removing the line as a quick fix. */
export function reportObsoleteLine(ctx: LintContext, a: Assignment, name: string, message: string, severity?: Severity): void {
  const r = ctx.entryRange(a);
  ctx.report({
    message,
    severity,
    start: r.start,
    end: r.end,
    directive: name,
    tags: ['deprecated'],
    fixes: [{ title: `Remove the ${name} line`, edits: [ctx.removeLine(a)], safe: false }],
  });
}
