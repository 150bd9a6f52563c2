// php-fpm acceptance facts: what `php-fpm8.2 -n -t -y FILE` says about pool snippets.
// The engine's fpm diagnostics API is not defined yet, so this is a data table (FPM_CASES) plus a helper
// (fpmOracle) that runs the oracle. fpm.test.ts asserts the oracle facts; rule tests can import this
// module (it registers no tests) and compare their diagnostics with `expect`.

import { FPM_GLOBAL_EXTRA_LINE, FPM_POOL_EXTRA_LINE, fpmWrapper, runFpmTest, workDir } from './php';

export interface FpmExpectation {
  /** 0 = `test is successful`, 78 = configuration error. */
  exitCode: number;
  /**
   * The first ERROR/ALERT line. `line` is the file line from `[FILE:LINE]` (undefined when the message has
   * no location). The temp file path inside messages is replaced by `<file>`.
   */
  error?: { message: string; line?: number };
  /** A `PHP:  syntax error, ... in Unknown on line N` line (N counts within the ONE line fpm parsed). */
  syntaxError?: { message: string; line: number };
}

export interface FpmCase {
  id: string;
  title: string;
  /** Full file text. Built with fpmWrapper() for most cases. */
  text: () => string;
  env?: Record<string, string>;
  expect: FpmExpectation;
}

const pool = (extra: string) => () => fpmWrapper(extra);
const global = (extra: string) => () => fpmWrapper('', extra);
/** File line of the n-th (1-based) line of the pool / global extra text. */
const P = (n = 1) => FPM_POOL_EXTRA_LINE + n - 1;
const G = (n = 1) => FPM_GLOBAL_EXTRA_LINE + n - 1;
const FAILED = (msg: string, line?: number): FpmExpectation => ({
  exitCode: 78,
  error: line === undefined ? { message: msg } : { message: msg, line },
});

export const FPM_CASES: FpmCase[] = [
  { id: 'T12a', title: 'the minimal [global] + [www] wrapper is valid', text: pool(''), expect: { exitCode: 0 } },
  { id: 'F.semicolon-comment', title: '`;` comment lines are fine', text: pool('; comment\n   ; indented\n'), expect: { exitCode: 0 } },
  {
    id: 'T12o',
    title: '`#` comment line in a pool is fatal: value is NULL for a ZEND_INI_PARSER_ENTRY',
    text: pool('# hash comment\n'),
    expect: FAILED('value is NULL for a ZEND_INI_PARSER_ENTRY', P()),
  },
  {
    id: 'F.hash-line-global',
    title: '`#` comment line in [global] is fatal too',
    text: () => '[global]\n# hash\n[www]\nuser = www-data\ngroup = www-data\nlisten = /tmp/x.sock\npm = static\npm.max_children = 1\n',
    expect: FAILED('value is NULL for a ZEND_INI_PARSER_ENTRY', 2),
  },
  {
    id: 'F.hash-line-eq',
    title: '`# key = value` is an unknown entry named `# key`',
    text: pool('# pm.max_children = 10\n'),
    expect: FAILED("unknown entry '# pm.max_children'", P()),
  },
  {
    id: 'F.hash-line-paren',
    title: '`# note (x)`: NULL entry error first, then the syntax error (line counted within the line)',
    text: pool('# note (x)\n'),
    expect: { exitCode: 78, error: { message: 'value is NULL for a ZEND_INI_PARSER_ENTRY', line: P() }, syntaxError: { message: "syntax error, unexpected '('", line: 1 } },
  },
  {
    id: 'F.hash-line-crlf',
    title: '`#` line in a CRLF file',
    text: () => fpmWrapper('').replace(/\n/g, '\r\n') + '# x\r\n',
    expect: FAILED('value is NULL for a ZEND_INI_PARSER_ENTRY', P()),
  },
  { id: 'F.bare-key', title: 'a bare key (no `=`) is fatal like `#` lines', text: pool('pm.max_children\n'), expect: FAILED('value is NULL for a ZEND_INI_PARSER_ENTRY', P()) },
  {
    id: 'T12k',
    title: 'php_value[] with no key',
    text: pool('php_value[] = 1\n'),
    expect: FAILED("You must provide a key for field 'php_value'", P()),
  },
  { id: 'T12j', title: '`env[X] =` empty value', text: pool('env[X] =\n'), expect: FAILED('empty value', P()) },
  { id: 'F.env-empty-quoted', title: '`env[X] = ""` is empty too', text: pool('env[X] = ""\n'), expect: FAILED('empty value', P()) },
  {
    id: 'F.env-ref-env',
    title: '`env[Y] = ${X}` does not see env[X] (empty value)',
    text: pool('env[X] = 1\nenv[Y] = ${X}\n'),
    expect: FAILED('empty value', P(2)),
  },
  {
    id: 'T12l',
    title: 'arrays are not allowed in [global]',
    text: global('env[X] = 1\n'),
    expect: FAILED('Array are not allowed in the global section', G()),
  },
  { id: 'T12b', title: 'unknown pool entry', text: pool('pm.max_childs = 5\n'), expect: FAILED("unknown entry 'pm.max_childs'", P()) },
  { id: 'T12m', title: 'a pool directive in [global] is unknown', text: global('pm = static\n'), expect: FAILED("unknown entry 'pm'", G()) },
  {
    id: 'T12h',
    title: 'invalid boolean `clear_env = maybe`',
    text: pool('clear_env = maybe\n'),
    expect: FAILED("unable to parse value for entry 'clear_env': invalid boolean value", P()),
  },
  { id: 'T12g', title: 'On / yes / "yes" are valid booleans', text: pool('clear_env = On\ncatch_workers_output = yes\ndecorate_workers_output = "no"\n'), expect: { exitCode: 0 } },
  {
    id: 'F.php-flag-bad',
    title: 'php_flag[x] = maybe',
    text: pool('php_flag[display_errors] = maybe\n'),
    expect: FAILED("error while parsing 'php_flag[display_errors]' : invalid boolean value", P()),
  },
  { id: 'F.php-admin-empty', title: 'php_admin_value[x] = (empty) is accepted', text: pool('php_admin_value[memory_limit] =\n'), expect: { exitCode: 0 } },
  {
    id: 'F.time-suffixes',
    title: 'time suffixes s/m/h/d',
    text: () => fpmWrapper('request_terminate_timeout = 2h\npm.process_idle_timeout = 1d\nrequest_slowlog_timeout = 1m\nslowlog = /tmp/slow.log\n', 'process_control_timeout = 2h\n'),
    expect: { exitCode: 0 },
  },
  {
    id: 'T12q',
    title: 'unknown time suffix',
    text: pool('pm.process_idle_timeout = 10x\n'),
    expect: FAILED("unable to parse value for entry 'pm.process_idle_timeout': unknown suffix used in time value", P()),
  },
  {
    id: 'T12r',
    title: 'access.suppress_path[] ok, access.suppress_path[k] rejected',
    text: pool('access.suppress_path[] = /ping\naccess.suppress_path[k] = /x\n'),
    expect: FAILED("Keys provided to field 'access.suppress_path' are ignored", P(2)),
  },
  { id: 'F.pool-var', title: '`$pool` in listen and access.log', text: pool('listen = /tmp/$pool.sock\naccess.log = /tmp/$pool.access.log\n'), expect: { exitCode: 0 } },
  {
    id: 'T12s',
    title: 'include glob that matches nothing is fatal',
    text: global('include = /nonexistent-php-ini-lint/*.conf\n'),
    expect: FAILED(`Unable to globalize '/nonexistent-php-ini-lint/*.conf' (ret=2) from <file> at line ${G()}.`),
  },
  {
    id: 'T12d',
    title: 'missing pm',
    text: () => fpmWrapper('').replace('pm = dynamic\n', ''),
    expect: FAILED('[pool www] the process manager is missing (static, dynamic or ondemand)'),
  },
  {
    id: 'T12e',
    title: 'invalid pm value',
    text: () => fpmWrapper('').replace('pm = dynamic', 'pm = sometimes'),
    expect: FAILED("unable to parse value for entry 'pm': invalid process manager (static, dynamic or ondemand)", 8),
  },
  {
    id: 'T12f',
    title: 'pm.start_servers outside [min_spare, max_spare]',
    text: () => fpmWrapper('').replace('pm.start_servers = 2', 'pm.start_servers = 9'),
    expect: FAILED('[pool www] pm.start_servers(9) must not be less than pm.min_spare_servers(1) and not greater than pm.max_spare_servers(3)'),
  },
  {
    id: 'T12i',
    title: 'env[], php_value[], php_flag[], php_admin_value[], php_admin_flag[] with keys',
    text: pool('env[PATH] = /usr/bin:/bin\nenv[HOSTNAME] = $HOSTNAME\nphp_value[memory_limit] = 64M\nphp_flag[display_errors] = off\nphp_admin_value[error_log] = /tmp/www-err.log\nphp_admin_flag[log_errors] = on\n'),
    expect: { exitCode: 0 },
  },
  { id: 'T12n', title: '${VAR} from the environment', text: pool('pm.max_children = ${FPM_KIDS}\n'), env: { FPM_KIDS: '7' }, expect: { exitCode: 0 } },
  { id: 'T12c', title: 'directive names are case-insensitive', text: pool('PM = static\nPM.Max_Children = 7\n'), expect: { exitCode: 0 } },
  { id: 'T12u', title: 'a duplicate directive is fine (last wins)', text: pool('pm.max_children = 9\n'), expect: { exitCode: 0 } },
  {
    id: 'T12t',
    title: 'no pool section',
    text: () => `[global]\nerror_log = ${workDir()}/fpm-test.log\n`,
    expect: FAILED('No pool defined. at least one pool section must be specified in config file'),
  },
  {
    id: 'T12p',
    title: 'syntax error: "in Unknown on line N" where N is within the single line fpm parsed',
    text: pool('listen.mode = (0660\n'),
    expect: { exitCode: 78, error: { message: "failed to load configuration file '<file>'" }, syntaxError: { message: "syntax error, unexpected END_OF_LINE, expecting '^' or '|' or '&' or ')'", line: 2 } },
  },
  {
    id: 'F.multiline-quote',
    title: 'fpm parses line by line: a multi-line "..." is an unterminated string',
    text: pool('listen.owner = "www\ndata"\n'),
    expect: { exitCode: 78, syntaxError: { message: "syntax error, unexpected end of file, expecting TC_DOLLAR_CURLY or TC_QUOTED_STRING or '\"'", line: 2 } },
  },
  {
    id: 'F.dollar-eol',
    title: 'fpm parses line by line: `a$` at end of line does not swallow the next line',
    text: pool('listen.owner = a$\nb\n'),
    expect: FAILED('value is NULL for a ZEND_INI_PARSER_ENTRY', P(2)),
  },
  {
    id: 'F.cr-only',
    title: 'CR-only line endings: the whole file is ONE fpm line (errors report line 1)',
    text: () => fpmWrapper('').replace(/\n/g, '\r') + 'pm.max_childs = 5\r',
    expect: FAILED("unknown entry 'pm.max_childs'", 1),
  },
  { id: 'F.bool-key', title: '`on = 1` is a syntax error', text: pool('on = 1\n'), expect: { exitCode: 78, syntaxError: { message: 'syntax error, unexpected BOOL_TRUE', line: 1 } } },
  { id: 'F.nul-in-line', title: 'a NUL byte hides the rest of the line from fpm', text: pool('pm.max_childs\0 = 5\n'), expect: { exitCode: 0 } },
];

export interface FpmOracleResult extends FpmExpectation {
  output: string;
}

/** Run php-fpm on a case and reduce its output to the shape of FpmExpectation. */
export function fpmOracle(c: FpmCase): FpmOracleResult {
  const r = runFpmTest(c.text(), { env: c.env });
  const clean = (m: string) => m.split(r.file).join('<file>');
  const e = r.errors[0];
  const out: FpmOracleResult = { exitCode: r.exitCode, output: clean(r.output) };
  if (e) out.error = e.line === undefined ? { message: clean(e.message) } : { message: clean(e.message), line: e.line };
  if (r.syntaxErrors[0]) out.syntaxError = { message: r.syntaxErrors[0].message, line: r.syntaxErrors[0].line };
  return out;
}

