import { fpmStatusFor, getFpmDirective, suggestFpm, type FpmDirectiveInfo, type FpmScope } from '../catalog';
import type { Assignment } from '../model';
import { fpmBool } from '../values';
import { errorLines, FPM_DOCS, fpmLines, hashToSemicolonFix, lineRange, nameRange, rawValue, startsWithHash, usesEnvVariable, type FpmLine } from './_fpm';
import type { Fix, Rule } from './types';

// Every message mirrors `php-fpm8.2 -n -t -y FILE` (exit 78, "ERROR: [FILE:LINE] ..."), run on a minimal
// valid pool with one line added:
//   # foo / pm.max_children (no "=")  -> value is NULL for a ZEND_INI_PARSER_ENTRY
//   ### foo = bar                     -> unknown entry '### foo'
//   daemonize = no (in a pool)        -> unknown entry 'daemonize'; pm = static in [global] -> unknown entry 'pm'
//   Include = x / env = x / access.suppress_path = /x -> unknown entry '...'
//   PHP_VALUE[x] = 1 / Env[X] = 1 / foo[x] = 1       -> unknown directive '...' (array names are case-sensitive)
//   env[X] = 1 in [global]            -> Array are not allowed in the global section
//   php_value[] = 1 / env[] = x       -> You must provide a key for field 'php_value' / 'env'
//   env[X] = "" / env[X] = ${UNSET}   -> empty value          (php_value[x] = with no value is accepted)
//   access.suppress_path[k] = /x      -> Keys provided to field 'access.suppress_path' are ignored
//   access.suppress_path[] = ping     -> Values provided to field 'access.suppress_path' must begin with '/'
//   clear_env = Y / catch_workers_output = 2 -> unable to parse value for entry '...': invalid boolean value
//                                        (yes/no/on/off/true/false/1/0, "" and none are accepted)
//   request_terminate_timeout = 5x / abc -> ... unknown suffix used in time value; empty -> invalid time value
//                                        (-5, 1.5m and "10 s" are accepted: php-fpm looks at the last character)
//   listen.setfib = 1 (Linux)         -> unknown entry 'listen.setfib' (FreeBSD-only, SO_SETFIB)
//   LISTEN.MODE = 0660                -> accepted (table directives are case-insensitive)
// A header-less file that php-fpm.conf includes after [www] continues [www] (checked with -tt), so lines
// before the first section header are accepted in either scope.

const ARRAY_FIELDS = ['env', 'php_value', 'php_flag', 'php_admin_value', 'php_admin_flag'];
const HASH_TAIL = 'Comments start with ; (PHP 7.0 dropped # comments).';

function lookup(name: string, section: FpmLine['section']): { info?: FpmDirectiveInfo; other?: FpmDirectiveInfo } {
  const scalar = (i: FpmDirectiveInfo | undefined) => (i && i.type !== 'array' ? i : undefined);
  if (section === 'none') return { info: scalar(getFpmDirective(name, 'pool')) ?? scalar(getFpmDirective(name, 'global')) };
  const scope: FpmScope = section === 'global' ? 'global' : 'pool';
  const info = scalar(getFpmDirective(name, scope));
  return info ? { info } : { other: scalar(getFpmDirective(name, scope === 'global' ? 'pool' : 'global')) };
}

/** fpm_conf_set_time: empty is invalid; otherwise only the last character is checked. */
function timeError(value: string): string | undefined {
  if (value === '') return 'invalid time value';
  const last = value.charAt(value.length - 1);
  if ('smhd'.includes(last) || (last >= '0' && last <= '9')) return undefined;
  return 'unknown suffix used in time value';
}

export const rule: Rule = {
  id: 'fpm-config-error',
  title: 'Lines that make php-fpm refuse to start',
  severity: 'error',
  scopes: ['fpm'],
  rationale:
    'php-fpm is strict where PHP is lenient: one unknown directive, a mistyped boolean or a comment written ' +
    'with `#` and it exits with status 78 ("failed to load configuration file") instead of starting, so a ' +
    'reload after an edit takes every site of the server down. The rule mirrors `php-fpm -t` for the checks ' +
    'it can make from one file: `#` lines (not comments since PHP 7.0: php-fpm reads `# text` as a setting ' +
    'without a value), unknown entries with a did-you-mean, pool settings in `[global]` and the reverse, ' +
    'arrays in `[global]`, `php_value[]` or `env[]` without a key, an empty `env[X]`, `access.suppress_path` ' +
    'with a key or without a leading `/`, invalid booleans and unknown time suffixes. The messages quote ' +
    'php-fpm’s own. Include globs that match nothing are fatal too, but depend on the file system and are ' +
    'not checked.',
  sources: [
    { title: 'PHP manual: FPM configuration', url: FPM_DOCS },
    { title: 'PHP 7.0 migration: # comments in INI files removed', url: 'https://www.php.net/manual/en/migration70.incompatible.php#migration70.incompatible.other.ini-comments' },
  ],
  check(ctx) {
    // Lines with a syntax error: php-fpm reports the syntax error first; the syntax-error rule covers them.
    const reportedLines = errorLines(ctx);
    const report = (line: FpmLine, message: string, range: { start: number; end: number }, fixes: Fix[] = [], directive: string | null = null, severity?: 'warning') => {
      const lineNo = ctx.lines.positionAt(range.start).line;
      if (reportedLines.has(lineNo)) return;
      reportedLines.add(lineNo);
      ctx.report({ message, start: range.start, end: range.end, directive, fixes, severity });
    };
    for (const line of fpmLines(ctx)) {
      const st = line.statement;
      const a = line.assignment;
      // `#` lines, with or without "=".
      if (startsWithHash(ctx, st)) {
        const what = !a
          ? 'reads it as a setting without a value and refuses to start ("value is NULL for a ZEND_INI_PARSER_ENTRY")'
          : a.offset === undefined
            ? `reads "${a.name}" as a setting name and refuses to start (unknown entry '${a.name}')`
            : line.section === 'global'
              ? `reads "${a.name}[${a.offset ?? ''}]" as an array setting and refuses to start ("Array are not allowed in the global section")`
              : `reads "${a.name}[${a.offset ?? ''}]" as an array setting and refuses to start (unknown directive '${a.name}')`;
        report(line, `A line starting with # is not a comment: php-fpm ${what}. ${HASH_TAIL}`, lineRange(ctx, st), [hashToSemicolonFix(ctx, st)]);
        continue;
      }
      if (!a) {
        report(line, `"${st.name}" has no "= value": php-fpm refuses to start ("value is NULL for a ZEND_INI_PARSER_ENTRY"). Give it a value, or comment it out with ;.`, lineRange(ctx, st));
        continue;
      }
      if (a.offset !== undefined) checkArray(line, a);
      else checkScalar(line, a);
    }

    function checkArray(line: FpmLine, a: Assignment): void {
      const r = ctx.entryRange(a);
      const field = a.name;
      const known = ARRAY_FIELDS.includes(field) || field === 'access.suppress_path';
      if (line.section === 'global') {
        report(line, `php-fpm refuses to start: ${field}[${a.offset ?? ''}] is in [global], where arrays are not allowed ("Array are not allowed in the global section"). Move it into a pool section.`, r, [], field);
        return;
      }
      if (!known) {
        const hint = suggestFpm(field, 1).filter((s) => ARRAY_FIELDS.includes(s) || s === 'access.suppress_path');
        report(line, `php-fpm refuses to start: unknown directive '${field}'${hint.length ? ` (names of [key] fields are case-sensitive). Did you mean ${hint[0]}?` : '. Only env, php_value, php_flag, php_admin_value, php_admin_flag and access.suppress_path take [key].'}`, r, hint.length ? [renameFix(a, hint[0])] : [], field);
        return;
      }
      if (field === 'access.suppress_path') {
        const info = getFpmDirective('access.suppress_path', 'pool');
        if (info?.since && fpmStatusFor('access.suppress_path', ctx.phpVersion, 'pool') === 'not-yet') {
          report(line, `php-fpm refuses to start: unknown directive 'access.suppress_path' (it was added in PHP ${shortVersion(info.since)}; this file targets PHP ${ctx.phpVersion}).`, r, [], field);
        } else if (a.offset) {
          report(line, "php-fpm refuses to start: Keys provided to field 'access.suppress_path' are ignored. Write access.suppress_path[] = /path.", r, [], field);
        } else if (!usesEnvVariable(ctx, a) && !a.value.startsWith('/')) {
          report(line, "php-fpm refuses to start: Values provided to field 'access.suppress_path' must begin with '/'.", r, [], field);
        }
        return;
      }
      if (!a.offset || a.offset.trim() === '') {
        report(line, `php-fpm refuses to start: You must provide a key for field '${field}'. Write ${field}[${field === 'env' ? 'NAME' : 'directive'}] = value.`, r, [], field);
        return;
      }
      if (field === 'env' && a.value === '' && !usesEnvVariable(ctx, a)) {
        report(line, `php-fpm refuses to start: env[${a.offset}] has an empty value ("empty value"). Give it a value or remove the line.`, r, [], field);
      }
    }

    function checkScalar(line: FpmLine, a: Assignment): void {
      if (a.name === 'include') return;
      const { info, other } = lookup(a.name, line.section);
      if (!info) {
        let message = `php-fpm refuses to start: unknown entry '${a.name}'`;
        let fixes: Fix[] = [];
        if (other) {
          message +=
            line.section === 'global'
              ? ` (${a.name} is a pool setting, not allowed in [global]; move it into a pool section such as [www]).`
              : ` (${a.name} is a [global] setting, not a pool setting).`;
        } else if (a.name.toLowerCase() === 'include') {
          message += ' (include is case-sensitive: write include).';
          fixes = [renameFix(a, 'include')];
        } else {
          const hint = suggestFpm(a.name, 3).filter((s) => lookup(s, line.section).info);
          message += hint.length ? `. Did you mean ${hint.join(', ')}?` : '.';
          if (hint.length) fixes = hint.map((h) => renameFix(a, h));
        }
        report(line, message, ctx.entryRange(a), fixes, a.name);
        return;
      }
      if (info.platform === 'SO_SETFIB') {
        report(line, `${a.name} exists only where php-fpm is built with SO_SETFIB (FreeBSD); php-fpm on Linux refuses to start (unknown entry '${a.name}').`, ctx.entryRange(a), [], a.name, 'warning');
        return;
      }
      if (info.since && fpmStatusFor(info.name, ctx.phpVersion, info.scope) === 'not-yet') {
        report(line, `php-fpm refuses to start: unknown entry '${a.name}' (it was added in PHP ${shortVersion(info.since)}; this file targets PHP ${ctx.phpVersion}).`, ctx.entryRange(a), [], a.name);
        return;
      }
      if (usesEnvVariable(ctx, a)) return;
      if (info.type === 'bool' && fpmBool(a.value) === undefined) {
        report(line, `php-fpm refuses to start: unable to parse value for entry '${a.name}': invalid boolean value (${rawValue(ctx, a)}). Use yes or no (on/off, true/false and 1/0 work too).`, ctx.entryRange(a), [], a.name);
        return;
      }
      if (info.type === 'time') {
        const err = timeError(a.value);
        if (err) report(line, `php-fpm refuses to start: unable to parse value for entry '${a.name}': ${err}. Use a number of seconds, optionally followed by s, m, h or d.`, ctx.entryRange(a), [], a.name);
      }
    }

    function renameFix(a: Assignment, to: string): Fix {
      const n = nameRange(a);
      return { title: `Change to ${to}`, edits: [{ start: n.start, end: n.end, newText: to }], safe: false };
    }
  },
  cases: [
    {
      name: "pothi's ### comment lines: fatal, fixed to ; (also the line PHP splits at a tab)",
      role: 'fpm',
      input: '### To catch the output of PHP in log\ncatch_workers_output = yes\n###\t\tand to avoid session error\n',
      expect: [
        {
          line: 1,
          message:
            'A line starting with # is not a comment: php-fpm reads it as a setting without a value and refuses to start ("value is NULL for a ZEND_INI_PARSER_ENTRY"). Comments start with ; (PHP 7.0 dropped # comments).',
        },
        { line: 3, message: /^A line starting with # is not a comment: php-fpm reads it as a setting without a value/ },
      ],
      fixed: ';## To catch the output of PHP in log\ncatch_workers_output = yes\n;##\t\tand to avoid session error\n',
    },
    {
      name: 'a commented-out directive written with # is an unknown entry (CRLF, indented)',
      role: 'fpm',
      input: '[www]\r\n  #listen = 127.0.0.1:9000\r\nlisten = /run/php.sock\r\n',
      expect: [
        {
          line: 2,
          message: "A line starting with # is not a comment: php-fpm reads \"#listen\" as a setting name and refuses to start (unknown entry '#listen'). Comments start with ; (PHP 7.0 dropped # comments).",
        },
      ],
      fixed: '[www]\r\n  ;listen = 127.0.0.1:9000\r\nlisten = /run/php.sock\r\n',
    },
    {
      name: 'a # line with [key]: unknown directive in a pool, an array in [global]',
      role: 'fpm',
      input: '[global]\n#php_value[x] = 1\n[www]\n#php_value[x] = 1\n',
      expect: [
        { line: 2, message: /reads "#php_value\[x\]" as an array setting and refuses to start \("Array are not allowed in the global section"\)/ },
        { line: 4, message: /reads "#php_value\[x\]" as an array setting and refuses to start \(unknown directive '#php_value'\)/ },
      ],
      fixed: '[global]\n;php_value[x] = 1\n[www]\n;php_value[x] = 1\n',
    },
    {
      name: 'unknown entries, with did-you-mean (offered, never applied)',
      role: 'fpm',
      input: '[www]\npm.max_childs = 5\nfoo = 1\nLISTEN.MODE = 0660\n',
      expect: [
        { line: 2, message: "php-fpm refuses to start: unknown entry 'pm.max_childs'. Did you mean pm.max_children?" },
        { line: 3, message: "php-fpm refuses to start: unknown entry 'foo'." },
      ],
      quickFixed: '[www]\npm.max_children = 5\nfoo = 1\nLISTEN.MODE = 0660\n',
    },
    {
      name: 'pool settings in [global], global settings in a pool, and arrays in [global]',
      role: 'fpm',
      input: '[global]\npid = /run/php-fpm.pid\npm = static\nenv[X] = 1\n[www]\ndaemonize = no\ninclude = /etc/php/pool.d/*.conf\nInclude = x\n',
      expect: [
        { line: 3, message: "php-fpm refuses to start: unknown entry 'pm' (pm is a pool setting, not allowed in [global]; move it into a pool section such as [www])." },
        { line: 4, message: 'php-fpm refuses to start: env[X] is in [global], where arrays are not allowed ("Array are not allowed in the global section"). Move it into a pool section.' },
        { line: 6, message: "php-fpm refuses to start: unknown entry 'daemonize' (daemonize is a [global] setting, not a pool setting)." },
        { line: 8, message: "php-fpm refuses to start: unknown entry 'Include' (include is case-sensitive: write include)." },
      ],
    },
    {
      name: 'array fields: missing keys, empty env, unknown names, access.suppress_path',
      role: 'fpm',
      input:
        '[www]\nphp_value[] = 1\nenv[EMPTY] = ""\nenv[FROM_ENV] = ${HOME}\nPHP_VALUE[memory_limit] = 1M\nenv = x\naccess.suppress_path[k] = /x\naccess.suppress_path[] = ping\naccess.suppress_path[] = /ping\nphp_value[x] =\n',
      expect: [
        { line: 2, message: "php-fpm refuses to start: You must provide a key for field 'php_value'. Write php_value[directive] = value." },
        { line: 3, message: 'php-fpm refuses to start: env[EMPTY] has an empty value ("empty value"). Give it a value or remove the line.' },
        { line: 5, message: "php-fpm refuses to start: unknown directive 'PHP_VALUE' (names of [key] fields are case-sensitive). Did you mean php_value?" },
        { line: 6, message: "php-fpm refuses to start: unknown entry 'env'." },
        { line: 7, message: "php-fpm refuses to start: Keys provided to field 'access.suppress_path' are ignored. Write access.suppress_path[] = /path." },
        { line: 8, message: "php-fpm refuses to start: Values provided to field 'access.suppress_path' must begin with '/'." },
      ],
    },
    {
      name: 'booleans and time values as php-fpm parses them',
      role: 'fpm',
      input:
        '[www]\nclear_env = Y\ncatch_workers_output = "yes"\ndecorate_workers_output = none\nrequest_terminate_timeout = 5x\nrequest_slowlog_timeout =\npm.process_idle_timeout = 10s;\nrequest_terminate_timeout = 1.5m\n',
      expect: [
        { line: 2, message: "php-fpm refuses to start: unable to parse value for entry 'clear_env': invalid boolean value (Y). Use yes or no (on/off, true/false and 1/0 work too)." },
        { line: 5, message: "php-fpm refuses to start: unable to parse value for entry 'request_terminate_timeout': unknown suffix used in time value. Use a number of seconds, optionally followed by s, m, h or d." },
        { line: 6, message: /^php-fpm refuses to start: unable to parse value for entry 'request_slowlog_timeout': invalid time value\./ },
      ],
    },
    {
      name: 'version- and platform-dependent directives',
      role: 'fpm',
      phpVersion: '7.4',
      input: '[www]\npm.max_spawn_rate = 16\naccess.suppress_path[] = /ping\nlisten.setfib = 1\n',
      expect: [
        { line: 2, message: "php-fpm refuses to start: unknown entry 'pm.max_spawn_rate' (it was added in PHP 8.1; this file targets PHP 7.4)." },
        { line: 3, message: "php-fpm refuses to start: unknown directive 'access.suppress_path' (it was added in PHP 8.2; this file targets PHP 7.4)." },
        { line: 4, message: /^listen\.setfib exists only where php-fpm is built with SO_SETFIB/, severity: 'warning' },
      ],
    },
    {
      name: 'a header-less fragment accepts pool and global settings; a bare key without # has no fix',
      role: 'fpm',
      input: 'user = www-data\nlisten = 0.0.0.0:9000\nenv[DB] = $DB\nerror_log = /proc/self/fd/2\npm.max_children\n',
      expect: [{ line: 5, message: '"pm.max_children" has no "= value": php-fpm refuses to start ("value is NULL for a ZEND_INI_PARSER_ENTRY"). Give it a value, or comment it out with ;.' }],
    },
    {
      name: 'a valid pool',
      role: 'fpm',
      input:
        '[global]\nerror_log = /var/log/php-fpm.log\ninclude = /etc/php/8.2/fpm/pool.d/*.conf\n[www]\nuser = www-data\nlisten = /run/php/$pool.sock\npm = dynamic\npm.max_children = 5\nclear_env = no\nphp_admin_value[disable_functions] = exec\nenv[PATH] = /usr/bin:/bin\naccess.suppress_path[] = /ping\n',
      expect: [],
    },
  ],
};

function shortVersion(v: string): string {
  return v.replace(/\.0$/, '');
}
