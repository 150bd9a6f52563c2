// Generators for the property tests: php.ini files and PHP-FPM pool files built from REAL constructs
// (session.* and hardening directives with good and bad values in every spelling PHP accepts, quotes,
// comments, sections, duplicates, line-ending mixes, BOM, ${VAR}, constants and expressions, pools with
// listen / php_value[...] / php_admin_flag[...]), plus a mutation layer that inserts arbitrary characters.
// Not a test file itself: fix-safety.test.ts and never-executes.test.ts import it.

import fc from 'fast-check';
import type { Dialect, LintOptions, RuleScope } from '../../server/src/engine';

/** Runs and seed: bounded by default so CI stays fast; PHP_INI_LINT_FUZZ_RUNS scales every property up. */
export const FUZZ_SEED = Number(process.env.PHP_INI_LINT_FUZZ_SEED || 20260601);
const RUNS_ENV = Number(process.env.PHP_INI_LINT_FUZZ_RUNS || 0);
/** `base` runs normally; with PHP_INI_LINT_FUZZ_RUNS=N, N runs (scaled by `base / 100`, at least `base`). */
export function runs(base: number): number {
  if (!RUNS_ENV) return base;
  return Math.max(base, Math.round((RUNS_ENV * base) / 100));
}

/** Environment given to the engine (options.env) and to PHP alike, so `${VAR}` means the same on both sides. */
export const FUZZ_ENV: Record<string, string> = {
  HOME: '/root',
  VAR: 'On',
  OFF: 'Off',
  SID: '__Host-SID',
  EMPTY: '',
  SAVE: '/var/lib/php/sessions',
  SITE: 'Lax',
};

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

// ------------------------------------------------------------------------------------------ values

/** Boolean spellings, good and bad: every way php.ini lets you write on/off (and some it does not). */
export const BOOL_VALUES = [
  'On', 'on', 'ON', 'Off', 'off', 'OFF', '1', '0', '"1"', '"0"', "'1'", "'0'", 'yes', 'no', 'Yes', 'NO', 'true', 'false',
  'TRUE', 'False', 'None', 'none', '"None"', "'None'", 'null', 'NULL', '""', "''", '', '"On"', '"off"', '"yes"', '2', '-1',
  '01', ' 1', '${VAR}', '${OFF}', '"${VAR}"', '${EMPTY}', '${UNSET}', 'E_ALL', '1 ; trailing', 'On;x', 'Off ; On',
];

const SAMESITE_VALUES = [
  'Lax', 'Strict', 'None', '"Lax"', "'Lax'", '"Strict"', "'Strict'", '"None"', "'None'", 'lax', 'strict', 'none', '"lax"', '""',
  '', 'Nonex', '"Lax ; x"', '${SITE}', 'Off', 'On', '1', 'Lax ; comment',
];

const NUMBERS = ['0', '1', '-1', '2', '4', '5', '6', '16', '22', '26', '32', '48', '64', '100', '1000', '1440', '3600', '86400', '0x10', '010', '1.5', '"32"', "'48'", '9999999999'];
const SIZES = ['128M', '256M', '2M', '8M', '1G', '-1', '512K', '"64M"', '1g', '10 M', '100MB', 'abc', '0'];
const PATHS = ['${__proto__}', '/tmp', '"/var/lib/php/sessions"', "'5;/var/lib/php'", '"N;/var/lib/php/sessions"', '"2;0600;/tmp"', '/var/lib/php/sessions', '""', '', '${SAVE}', '"${HOME}/sess"', 'C:\\tmp'];
const STRINGS = [
  'PHPSESSID', 'SID', '"__Host-SID"', '__Secure-SID', '${SID}', '"my session"', 'nocache', 'private', 'public', 'private_no_expire', '"nocache"',
  'example.com', '".example.com"', '""', "''", 'files', 'redis', 'php_serialize', 'php', '"a=href,area=href,frame=src,form="', 'https://example.com',
  'PHP_VERSION', 'PHP_OS', 'PHP_EOL', 'E_ALL', 'sha512', '/dev/urandom', '${constructor}', '"${toString}"',
];
const ERROR_LEVELS = ['E_ALL', 'E_ALL & ~E_DEPRECATED & ~E_STRICT', 'E_ALL | E_STRICT', '~E_ALL', '(E_ALL)', 'E_ALL & ~E_NOTICE', '-1', '32767', 'E_ERROR | E_WARNING', '0', 'E_ALL & ~(E_NOTICE|E_DEPRECATED)', '"E_ALL"'];
const FUNCTION_LISTS = ['exec,passthru,shell_exec,system', '"exec, system, proc_open, popen"', '', '""', 'none', 'pcntl_exec'];

/** Directives with the values worth trying for each. */
const SESSION_BOOL = [
  'session.cookie_secure', 'session.cookie_httponly', 'session.use_strict_mode', 'session.use_only_cookies', 'session.use_cookies',
  'session.use_trans_sid', 'session.auto_start', 'session.lazy_write', 'session.upload_progress.enabled', 'session.upload_progress.cleanup',
  'session.cookie_partitioned',
];
const SESSION_NUM = ['session.sid_length', 'session.sid_bits_per_character', 'session.gc_probability', 'session.gc_divisor', 'session.gc_maxlifetime', 'session.cookie_lifetime', 'session.cache_expire', 'session.upload_progress.freq', 'session.hash_bits_per_character', 'session.entropy_length'];
const SESSION_STR = ['session.name', 'session.cache_limiter', 'session.cookie_domain', 'session.cookie_path', 'session.referer_check', 'session.save_handler', 'session.serialize_handler', 'session.trans_sid_tags', 'session.trans_sid_hosts', 'session.hash_function', 'session.entropy_file', 'session.upload_progress.name'];
const HARDEN_BOOL = [
  'expose_php', 'display_errors', 'display_startup_errors', 'log_errors', 'html_errors', 'allow_url_fopen', 'allow_url_include', 'file_uploads',
  'enable_dl', 'cgi.fix_pathinfo', 'mail.add_x_header', 'short_open_tag', 'assert.active', 'track_errors', 'register_globals', 'magic_quotes_gpc',
  'safe_mode', 'sql.safe_mode', 'ignore_repeated_errors', 'zend.exception_ignore_args', 'mysqli.allow_local_infile', 'opcache.validate_timestamps',
  'register_argc_argv',
];
const HARDEN_NUM = ['memory_limit', 'upload_max_filesize', 'post_max_size', 'max_execution_time', 'max_input_time', 'max_input_vars', 'zend.assertions', 'log_errors_max_len', 'max_file_uploads', 'precision'];
const HARDEN_STR = ['error_log', 'variables_order', 'request_order', 'upload_tmp_dir', 'default_charset', 'doc_root', 'user_dir', 'date.timezone', 'sys_temp_dir', 'include_path'];
/** Directives whose values can stop the oracle script itself from running; only used when PHP is not consulted. */
const DANGEROUS = ['disable_functions', 'disable_classes', 'open_basedir', 'auto_prepend_file', 'auto_append_file', 'extension', 'zend_extension'];
/** Look-alikes and unknown names (typos, wrong case, vendor keys). */
const UNKNOWN = ['session.cookie_secur', 'Session.cookie_secure', 'SESSION.COOKIE_HTTPONLY', 'display_error', 'x.custom', 'foo', 'my key', 'a-b', 'session', 'session.'];

export const KNOWN_DIRECTIVES = [...SESSION_BOOL, ...SESSION_NUM, ...SESSION_STR, 'session.cookie_samesite', ...HARDEN_BOOL, ...HARDEN_NUM, ...HARDEN_STR, 'error_reporting'];

function valueFor(directive: string, oracleSafe: boolean): fc.Arbitrary<string> {
  const mix = (primary: readonly string[]) =>
    fc.oneof({ weight: 8, arbitrary: pick(primary) }, { weight: 1, arbitrary: pick(BOOL_VALUES) }, { weight: 1, arbitrary: pick([...NUMBERS, ...STRINGS]) });
  if (directive === 'session.cookie_samesite') return mix(SAMESITE_VALUES);
  if (SESSION_BOOL.includes(directive) || HARDEN_BOOL.includes(directive)) return mix(BOOL_VALUES);
  if (directive === 'error_reporting') return mix(ERROR_LEVELS);
  if (directive === 'session.save_path') return mix(PATHS);
  if (directive === 'memory_limit' && oracleSafe) return pick(['128M', '256M', '-1', '"512M"', '1G', '"-1"', '2G']);
  if (HARDEN_NUM.includes(directive)) return mix(SIZES.concat(NUMBERS));
  if (SESSION_NUM.includes(directive)) return mix(NUMBERS);
  if (directive === 'disable_functions' || directive === 'disable_classes') return pick(FUNCTION_LISTS);
  if (directive === 'open_basedir') return pick(['/var/www:/tmp', '"/var/www"', '', 'none']);
  if (directive === 'extension' || directive === 'zend_extension') return pick(['/tmp/evil.so', 'opcache', 'redis.so', '"xdebug"']);
  if (directive === 'auto_prepend_file' || directive === 'auto_append_file') return pick(['/tmp/x.php', '""', '', 'none']);
  return mix([...STRINGS, ...PATHS]);
}

// ------------------------------------------------------------------------------------------ lines

const EQ = [' = ', '=', ' =', '= ', '\t=\t', '  =  '];
const LEAD = ['', '', '', '', ' ', '\t'];
const TRAIL = ['', '', '', '', ' ', ' ; comment', ';c', '\t; On', ' ; session.cookie_secure = On', ' ;', ' # not a comment'];

/** Removed directives PHP 8 refuses to start with when they are on ("Directive '...' is no longer available"). */
const FATAL_WHEN_ON = ['register_globals', 'magic_quotes_gpc', 'safe_mode', 'track_errors'];

function directiveLine(oracleSafe: boolean): fc.Arbitrary<string> {
  const hardenBool = oracleSafe ? HARDEN_BOOL.filter((d) => !FATAL_WHEN_ON.includes(d)) : HARDEN_BOOL;
  const names = fc.oneof(
    { weight: 6, arbitrary: pick([...SESSION_BOOL, 'session.cookie_samesite', 'session.cookie_samesite']) },
    { weight: 3, arbitrary: pick([...SESSION_NUM, ...SESSION_STR, 'session.save_path']) },
    { weight: 4, arbitrary: pick([...hardenBool, 'error_reporting']) },
    { weight: 2, arbitrary: pick([...HARDEN_NUM, ...HARDEN_STR]) },
    { weight: oracleSafe ? 0 : 1, arbitrary: pick(DANGEROUS) },
    { weight: 1, arbitrary: pick(UNKNOWN) },
  );
  return names.chain((name) =>
    fc.tuple(pick(LEAD), pick(EQ), valueFor(name, oracleSafe), pick(TRAIL)).map(([l, e, v, t]) => `${l}${name}${e}${v}${t}`),
  );
}

const SECTIONS = ['[PHP]', '[Session]', '[session]', '[ Session ]', '[Session] ; cookies', '[mail function]', '[opcache]', '[Date]', '[PATH=/var/www/html]', '[HOST=example.com]', '[Assertion]'];
const COMMENTS = [
  '; comment', ';', ';;;;;;;;;;;;;;;;;;;', '; session.cookie_secure = On', ';session.cookie_httponly = 1', '   ; indented "quoted" (x)',
  '; php-ini-lint-disable-next-line session-cookie-secure', '; php-ini-lint-disable', '; php-ini-lint-enable', '; php-ini-lint-disable-line',
  '; php-ini-lint-disable-next-line no-such-rule', '; ${HOME} [a] = b', '# hash comment', '# session.cookie_secure = Off',
];
const BROKEN = ['session.cookie_secure = E_ALL)', 'x.b = (1', 'session.name = "open', '= v', 'on = 1', '[unclosed', 'display_errors = On Off', 'barekey', 'session.cookie_secure'];

export function iniLineArb(oracleSafe: boolean): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 14, arbitrary: directiveLine(oracleSafe) },
    { weight: 3, arbitrary: pick(SECTIONS) },
    { weight: 3, arbitrary: pick(COMMENTS) },
    { weight: 2, arbitrary: fc.constant('') },
    { weight: oracleSafe ? 0 : 1, arbitrary: pick(BROKEN) },
  );
}

// ------------------------------------------------------------------------------------------ pools

const FPM_LINES = [
  'listen = 127.0.0.1:9000', 'listen = 0.0.0.0:9000', 'listen = 9000', 'listen = [::]:9000', 'listen = /run/php/php8.2-fpm.sock', 'listen = "/run/php/x.sock"',
  'listen = localhost:9001', 'listen.mode = 0666', 'listen.mode = 0660', 'listen.mode = 0777', 'listen.owner = www-data', 'listen.group = www-data',
  'listen.allowed_clients = 127.0.0.1', 'listen.backlog = 511', 'user = www-data', 'user = root', 'group = root', 'group = www-data', 'pm = dynamic', 'pm = static', 'pm = ondemand',
  'pm.max_children = 5', 'pm.start_servers = 2', 'pm.min_spare_servers = 1', 'pm.max_spare_servers = 3', 'pm.max_requests = 500', 'clear_env = no', 'clear_env = yes',
  'clear_env = Off', 'clear_env = "no"', 'security.limit_extensions = .php', 'security.limit_extensions = .php .html', 'security.limit_extensions = .php .phar .phtml',
  'security.limit_extensions = ', 'catch_workers_output = yes', 'decorate_workers_output = no', 'chdir = /', 'env[PATH] = /usr/local/bin:/usr/bin:/bin', 'env[DB_PASSWORD] = hunter2',
  'env[HOSTNAME] = $HOSTNAME', 'env[API_KEY] = ${API_KEY}', 'env[X] = ${__proto__}', 'env[TMP] = /tmp', 'access.log = /var/log/fpm-access.log', 'slowlog = /var/log/slow.log',
  'request_slowlog_timeout = 5s', 'request_terminate_timeout = 30s', 'pm.status_path = /status', 'ping.path = /ping', 'rlimit_files = 1024', 'process.dumpable = yes',
];
const FPM_GLOBAL_ONLY = ['daemonize = no', 'log_level = notice', 'emergency_restart_threshold = 10', 'process_control_timeout = 10s'];
const POOL_SECTIONS = ['[www]', '[www]', '[pool2]', '[global]', '[ www ]', '[www] ; main pool'];
const PHP_ARRAYS = ['php_value', 'php_flag', 'php_admin_value', 'php_admin_flag'];
const FPM_COMMENTS = ['; comment', ';', '; php_admin_flag[expose_php] = off', '; php-ini-lint-disable-next-line fpm-listen-exposed', '; include = /etc/*'];
const FPM_INCLUDES = ['include = /etc/*', 'include=/dev/zero', 'include = ../../../*', 'include = /etc/php/8.2/fpm/pool.d/*.conf'];

/** Boolean spellings php-fpm accepts in php_flag / php_admin_flag (others make php-fpm refuse the file). */
const FPM_FLAG_VALUES = ['on', 'off', 'On', 'Off', '1', '0', 'yes', 'no', 'true', 'false', '"1"', '"0"', 'None', '"on"'];

function phpOverrideLine(fpmValid: boolean): fc.Arbitrary<string> {
  const names = fc.oneof(
    { weight: 5, arbitrary: pick([...SESSION_BOOL, 'session.cookie_samesite']) },
    { weight: 2, arbitrary: pick([...SESSION_NUM, ...SESSION_STR, 'session.save_path']) },
    { weight: 3, arbitrary: pick([...HARDEN_BOOL, 'error_reporting', 'disable_functions', 'open_basedir', 'memory_limit', 'error_log']) },
    { weight: 1, arbitrary: pick(UNKNOWN.filter((u) => !/[\s\]]/.test(u))) },
  );
  return fc.tuple(pick(PHP_ARRAYS), names, pick([' = ', '=', ' =']), pick(['', '', ' ; c'])).chain(([arr, name, eq, trail]) => {
    const flag = arr.endsWith('flag');
    const value = fpmValid && flag ? pick(FPM_FLAG_VALUES) : fpmValid ? valueFor(name, false).filter((v) => v.trim() !== '' && !/^(""|'')$/.test(v)) : valueFor(name, false);
    return value.map((v) => `${arr}[${name}]${eq}${v}${trail}`);
  });
}

/**
 * Pool lines. `fpmValid` keeps to what php-fpm -t accepts inside the [www] pool (no [global]-only
 * directives or other pools that would need their own user/listen, php_flag values php-fpm can read), so
 * the oracle comparison has originals to compare.
 */
export function poolLineArb(withIncludes: boolean, fpmValid = false): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: phpOverrideLine(fpmValid) },
    { weight: 8, arbitrary: pick(FPM_LINES) },
    { weight: fpmValid ? 0 : 1, arbitrary: pick(FPM_GLOBAL_ONLY) },
    { weight: 2, arbitrary: fpmValid ? pick(['[www]', '[www] ; main pool']) : pick(POOL_SECTIONS) },
    { weight: 2, arbitrary: pick(FPM_COMMENTS) },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: withIncludes ? 1 : 0, arbitrary: pick(FPM_INCLUDES) },
  );
}

// ------------------------------------------------------------------------------------------ files

export type EolMode = '\n' | '\r\n' | '\r' | 'mixed';

export interface GenFile {
  lines: string[];
  eol: EolMode;
  mix: string[];
  finalEol: boolean;
  bom: boolean;
  /** Index pairs [from, to]: line `from` is copied again after line `to` (explicit duplicates). */
  dups: Array<[number, number]>;
  /** [position (scaled into the text), inserted text] applied after rendering. */
  mutations: Array<[number, string]>;
}

export function render(f: GenFile): string {
  const lines = [...f.lines];
  for (const [from, to] of f.dups) {
    if (!lines.length) break;
    lines.splice((to % lines.length) + 1, 0, lines[from % lines.length]);
  }
  let out = '';
  lines.forEach((l, i) => {
    const eol = f.eol === 'mixed' ? f.mix[i % f.mix.length] : f.eol;
    out += l + (i < lines.length - 1 || f.finalEol ? eol : '');
  });
  if (f.bom) out = '\uFEFF' + out;
  for (const [pos, ins] of f.mutations) {
    const at = out.length ? pos % (out.length + 1) : 0;
    out = out.slice(0, at) + ins + out.slice(at);
  }
  return out;
}

/** Characters a mutation inserts: syntax PHP cares about, control bytes, and any code point. */
const MUTATION = fc.oneof(
  { weight: 4, arbitrary: pick(['\0', '\r', '\n', '\r\n', '"', "'", '$', '${', '{', '}', '(', ')', ';', '=', '[', ']', '\\', '~', '|', '&', '!', '^', '#', ' ', '\t', '\v', '\f', '\x1a', '\uFEFF', '\u00e9', '\u2028', '\u0085', 'On', 'None', '"None"', '${HOME}', 'E_ALL', '\ud800']) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 4 }) },
);

export interface FileShape {
  line: fc.Arbitrary<string>;
  maxLines: number;
  /** Weight (out of 10) of files that get mutations. */
  mutate: number;
  bom?: boolean;
}

export function fileArb(shape: FileShape): fc.Arbitrary<GenFile> {
  return fc.record({
    lines: fc.array(shape.line, { minLength: 1, maxLength: shape.maxLines }),
    eol: pick<EolMode>(['\n', '\n', '\r\n', '\r', 'mixed']),
    mix: fc.array(pick(['\n', '\r\n', '\r']), { minLength: 1, maxLength: 6 }),
    finalEol: fc.boolean(),
    bom: shape.bom === false ? fc.constant(false) : fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    dups: fc.array(fc.tuple(fc.nat(64), fc.nat(64)), { maxLength: 2 }),
    mutations: fc.oneof(
      { weight: 10 - shape.mutate, arbitrary: fc.constant([] as Array<[number, string]>) },
      { weight: shape.mutate, arbitrary: fc.array(fc.tuple(fc.nat(1 << 20), MUTATION), { minLength: 1, maxLength: 4 }) },
    ),
  });
}

// ------------------------------------------------------------------------------------------ options

export interface LintCase {
  text: string;
  dialect: Dialect;
  options: LintOptions;
}

const VERSIONS = ['7.4', '8.0', '8.1', '8.2', '8.2', '8.2', '8.3', '8.4', '8.5'];

export function optionsArb(role: RuleScope | fc.Arbitrary<RuleScope>, version?: string): fc.Arbitrary<LintOptions> {
  return fc.record({
    phpVersion: version ? fc.constant(version) : pick(VERSIONS),
    profile: pick(['production', 'development'] as const),
    httpsOnly: fc.boolean(),
    role: typeof role === 'string' ? fc.constant(role) : role,
    env: fc.constant(FUZZ_ENV),
  });
}

/** php.ini-dialect cases: main php.ini, conf.d fragment or .user.ini. */
export function iniCaseArb(opts: { oracleSafe?: boolean; mutate?: number; version?: string; maxLines?: number } = {}): fc.Arbitrary<LintCase> {
  const file = fileArb({ line: iniLineArb(!!opts.oracleSafe), maxLines: opts.maxLines ?? 22, mutate: opts.mutate ?? 3 });
  const role = fc.oneof({ weight: 6, arbitrary: fc.constant<RuleScope>('main') }, { weight: 2, arbitrary: fc.constant<RuleScope>('fragment') }, { weight: 2, arbitrary: fc.constant<RuleScope>('user-ini') });
  return fc.tuple(file, optionsArb(role, opts.version)).map(([f, options]) => ({ text: render(f), dialect: 'php-ini' as const, options }));
}

/** Pool files (php-fpm dialect). Most start with a pool header, as real pool files do. */
export function poolCaseArb(opts: { includes?: boolean; mutate?: number; version?: string; maxLines?: number; fpmValid?: boolean } = {}): fc.Arbitrary<LintCase> {
  const line = poolLineArb(opts.includes ?? true, opts.fpmValid);
  const file = fileArb({ line, maxLines: opts.maxLines ?? 18, mutate: opts.mutate ?? 3 });
  const header = fc.oneof({ weight: 4, arbitrary: opts.fpmValid ? fc.constant('[www]') : pick(['[www]', '[www]', '[app]', '[global]']) }, { weight: 1, arbitrary: fc.constant('') });
  return fc.tuple(header, file, optionsArb('fpm', opts.version)).map(([h, f, options]) => {
    const g = h ? { ...f, lines: [h, ...f.lines] } : f;
    return { text: render(g), dialect: 'php-fpm' as const, options };
  });
}

/** Shows a case so it can be pasted into regressions.test.ts. */
export function showCase(c: LintCase): string {
  const { env: _env, ...opts } = c.options;
  void _env;
  return `text: ${JSON.stringify(c.text)}\n  dialect: ${c.dialect}, options: ${JSON.stringify(opts)}`;
}
