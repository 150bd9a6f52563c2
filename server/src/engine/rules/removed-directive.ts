import { getDirective, statusFor } from '../catalog';
import type { LintContext } from '../lint';
import { iniBool, parseLeadingInt } from '../values';
import { atLeast, fatalWhenSet, fmtVersion, iniLinesWithStatus, MOVED_TO_PECL, reportObsoleteLine, shown, whereLine, writtenValue } from './_catalog';
import type { Rule, Severity } from './types';

/** What took a removed directive's place, in our words; version-aware where the successor changed too. */
function successor(name: string, version: string): string | undefined {
  const sidDeprecated = atLeast(version, '8.4');
  switch (name) {
    case 'session.hash_function':
      return sidDeprecated
        ? 'Session IDs now come straight from the operating system\'s random generator, so there is no hash to pick; PHP 8.4 also deprecated session.sid_length and session.sid_bits_per_character, so leave the ID format at its defaults.'
        : 'Session IDs now come straight from the operating system\'s random generator, so there is no hash to pick; their length and alphabet are set with session.sid_length and session.sid_bits_per_character.';
    case 'session.hash_bits_per_character':
      return sidDeprecated
        ? 'Its successor session.sid_bits_per_character is itself deprecated as of PHP 8.4: leave the ID alphabet at its default.'
        : 'Use session.sid_bits_per_character instead.';
    case 'session.entropy_file':
    case 'session.entropy_length':
      return 'Session IDs now always take their randomness from the operating system\'s random generator, so there is nothing to configure.';
    case 'mbstring.func_overload':
      return 'Call the mb_* functions directly where multibyte handling is needed.';
    case 'track_errors':
      return '$php_errormsg no longer exists: read the last error with error_get_last().';
    case 'register_globals':
      return 'Read request data from $_GET, $_POST and $_COOKIE instead.';
    case 'magic_quotes_gpc':
    case 'magic_quotes_runtime':
    case 'magic_quotes_sybase':
      return 'Escape data for where it goes instead (prepared statements for SQL).';
  }
  if (name === 'safe_mode' || name.startsWith('safe_mode_')) {
    return 'There is no successor: confine scripts with open_basedir, disable_functions and file-system permissions.';
  }
  const info = getDirective(name);
  const repl = info?.replacement;
  if (repl) {
    const s = statusFor(repl, version);
    if (s === 'ok' || s === 'deprecated') return `Use ${repl} instead.`;
  }
  return undefined;
}

/** The line changes nothing even on a PHP that still had the directive: it held its old default. */
function isOldDefault(name: string, value: string): boolean {
  const info = getDirective(name);
  if (!info) return false;
  if (value.trim() === '') return true;
  const def = info.default;
  if (def === null) return false;
  if (info.type === 'bool') return iniBool(value) === iniBool(def);
  if (info.type === 'int' && /^\s*[+-]?\d+\s*$/.test(value) && /^\s*[+-]?\d+\s*$/.test(def)) return parseLeadingInt(value) === parseLeadingInt(def);
  return value === def;
}

function lastOf<T>(list: T[] | undefined): T | undefined {
  return list && list.length ? list[list.length - 1] : undefined;
}

function check(ctx: LintContext): void {
  const version = ctx.phpVersion;
  const ini = ctx.ini;
  for (const l of iniLinesWithStatus(ctx, 'removed')) {
    const info = l.info;
    if (!info?.removed) continue;
    const removedIn = fmtVersion(info.removed);
    const raw = writtenValue(ctx, l.assignment);
    const where = whereLine(l);
    const next = successor(l.name, version);
    // PHP still looks these up in the configuration hash at start-up; php.ini and conf.d files feed that
    // hash, .user.ini files, [PATH=] sections and pool overrides do not.
    const inCfgHash = !!ini && !l.section && l.assignment.offset === undefined && (ctx.options.role === 'main' || ctx.options.role === 'fragment');
    const decides = inCfgHash && lastOf(ini.main.get(l.name)?.assignments) === l.assignment;
    let severity: Severity = 'warning';
    let message: string;
    let explain = true;
    if (decides && fatalWhenSet(l.name, version) && parseLeadingInt(l.value) !== 0) {
      severity = 'error';
      message = `${l.name} was removed in PHP ${removedIn}, and PHP ${version} refuses to start while it is set to ${shown(raw)}: "Directive '${l.name}' is no longer available in PHP".`;
    } else if (inCfgHash && fatalWhenSet(l.name, version)) {
      severity = 'information';
      message = `${l.name} was removed in PHP ${removedIn}: PHP ${version} ignores it as long as the value that applies is 0 or off, but refuses to start when php.ini turns it on. Delete the line.`;
    } else if (info.extension && MOVED_TO_PECL[info.extension] === info.removed) {
      severity = 'information';
      message = `${l.name} belongs to the ${info.extension} extension, which PHP stopped shipping in ${removedIn}: it only takes effect when ${info.extension} is installed from PECL${where}.`;
      explain = false;
    } else if (isOldDefault(l.name, l.value)) {
      severity = 'hint';
      explain = false;
      message = `${l.name} was removed in PHP ${removedIn}, so PHP ${version} ignores this line${where}; it only repeated the old default and can go.`;
    } else {
      message = `${l.name} was removed in PHP ${removedIn}, so PHP ${version} ignores this line and its value ${shown(raw)} is lost${where}.`;
    }
    if (next && explain) message += ` ${next}`;
    reportObsoleteLine(ctx, l.assignment, l.name, message, severity);
  }
}

export const rule: Rule = {
  id: 'removed-directive',
  title: 'Directives removed from the target PHP version have no effect',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'When PHP drops a directive it usually drops it silently: the line stays in php.ini, looks like it does ' +
    'something, and PHP ignores it. That matters when the line was there for security. The session ID ' +
    'settings removed in PHP 7.1 (`session.hash_function`, `session.entropy_length`, ...) are the classic case: ' +
    'the randomness now always comes from the operating system, and the ID format moved to other directives ' +
    '(which PHP 8.4 in turn deprecated).\n\n' +
    'A handful of ancient directives are worse: `safe_mode`, `register_globals`, `magic_quotes_gpc` and a few ' +
    'others (plus `track_errors` since PHP 8.0) are still looked up at start-up, and if php.ini sets one to a ' +
    'non-zero value PHP stops with a fatal error. A removed line that merely repeats its old default is ' +
    'reported as a hint: it can simply go.',
  sources: [
    { title: 'PHP manual: list of php.ini directives (Changelog column)', url: 'https://www.php.net/manual/en/ini.list.php' },
    { title: 'PHP manual: backward incompatible changes in PHP 7.1 (session ID settings)', url: 'https://www.php.net/manual/en/migration71.incompatible.php' },
    { title: 'PHP manual: backward incompatible changes in PHP 8.0', url: 'https://www.php.net/manual/en/migration80.incompatible.php' },
    { title: 'PHP manual: deprecated features in PHP 8.4 (session.sid_length, session.sid_bits_per_character)', url: 'https://www.php.net/manual/en/migration84.deprecated.php' },
  ],
  check,
  cases: [
    {
      name: 'a 7.1 session removal on 8.2 points to the sid_* directives',
      input: '[Session]\nsession.hash_function = sha256\n',
      expect: [{ line: 2, severity: 'warning', message: 'session.hash_function was removed in PHP 7.1, so PHP 8.2 ignores this line and its value "sha256" is lost. Session IDs now come straight from the operating system\'s random generator, so there is no hash to pick; their length and alphabet are set with session.sid_length and session.sid_bits_per_character.' }],
      quickFixed: '[Session]\n',
    },
    {
      name: 'on 8.4 the successors are deprecated too',
      phpVersion: '8.4',
      input: 'session.hash_bits_per_character = 5\r\nsession.entropy_length = 32\r\n',
      expect: [
        { line: 1, message: 'session.hash_bits_per_character was removed in PHP 7.1, so PHP 8.4 ignores this line and its value "5" is lost. Its successor session.sid_bits_per_character is itself deprecated as of PHP 8.4: leave the ID alphabet at its default.' },
        { line: 2, message: 'session.entropy_length was removed in PHP 7.1, so PHP 8.4 ignores this line and its value "32" is lost. Session IDs now always take their randomness from the operating system\'s random generator, so there is nothing to configure.' },
      ],
      quickFixed: 'session.entropy_length = 32\r\n',
    },
    {
      name: 'on 7.0 the 7.1 removals still exist',
      phpVersion: '7.0',
      input: 'session.hash_function = 1\nsession.entropy_file = /dev/urandom\n',
      expect: [],
    },
    {
      name: 'safe_mode = On stops PHP from starting (verified: Fatal error, exit 1)',
      input: 'safe_mode = On\nregister_globals = Off\n',
      expect: [
        { line: 1, severity: 'error', message: 'safe_mode was removed in PHP 5.4, and PHP 8.2 refuses to start while it is set to "On": "Directive \'safe_mode\' is no longer available in PHP". There is no successor: confine scripts with open_basedir, disable_functions and file-system permissions.' },
        { line: 2, severity: 'information', message: 'register_globals was removed in PHP 5.4: PHP 8.2 ignores it as long as the value that applies is 0 or off, but refuses to start when php.ini turns it on. Delete the line. Read request data from $_GET, $_POST and $_COOKIE instead.' },
      ],
    },
    {
      name: 'track_errors is fatal from 8.0 on; a pool override is merely ignored',
      role: 'fpm',
      input: '[www]\nphp_flag[track_errors] = on\n',
      expect: [{ line: 2, severity: 'warning', message: 'track_errors was removed in PHP 8.0, so PHP 8.2 ignores this line and its value "on" is lost (php_flag[track_errors] in pool [www]). $php_errormsg no longer exists: read the last error with error_get_last().' }],
      quickFixed: '[www]\n',
    },
    {
      name: 'a removed line holding its old default is a hint (laradock php8.2.ini)',
      input: 'mysqli.reconnect = Off\nmbstring.func_overload = 0\n',
      expect: [
        { line: 1, severity: 'hint', message: 'mysqli.reconnect was removed in PHP 8.2, so PHP 8.2 ignores this line; it only repeated the old default and can go.' },
        { line: 2, severity: 'hint', message: 'mbstring.func_overload was removed in PHP 8.0, so PHP 8.2 ignores this line; it only repeated the old default and can go.' },
      ],
    },
    {
      name: 'disable_classes is gone in 8.5 but fine in 8.4',
      phpVersion: '8.5',
      input: 'disable_classes = ReflectionClass\n',
      expect: [{ line: 1, message: 'disable_classes was removed in PHP 8.5, so PHP 8.5 ignores this line and its value "ReflectionClass" is lost.' }],
    },
    { name: 'disable_classes on 8.4', phpVersion: '8.4', input: 'disable_classes = ReflectionClass\n', expect: [] },
    {
      name: 'unbundled extensions live on in PECL: information only (oci8 and imap left PHP in 8.4)',
      phpVersion: '8.4',
      input: 'oci8.privileged_connect = On\nimap.enable_insecure_rsh = 0\n',
      expect: [
        { line: 1, severity: 'information', message: 'oci8.privileged_connect belongs to the oci8 extension, which PHP stopped shipping in 8.4: it only takes effect when oci8 is installed from PECL.' },
        { line: 2, severity: 'information', message: 'imap.enable_insecure_rsh belongs to the imap extension, which PHP stopped shipping in 8.4: it only takes effect when imap is installed from PECL.' },
      ],
    },
  ],
};
