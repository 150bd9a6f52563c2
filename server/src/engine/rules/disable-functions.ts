import type { LintContext, PhpSetting } from '../lint';
import { OWASP_PHP_CONFIG } from './_shared';
import { PHP_CORE_INI, insertNear, isLiteral, isProduction, missingRange, settingsHere, valueFix, where } from './_hardening';
import type { Rule } from './types';

/** The process-execution functions every PHP build has (ext/standard). */
const EXEC_FUNCTIONS = ['exec', 'passthru', 'shell_exec', 'system', 'proc_open', 'popen'];
const SUGGESTED = EXEC_FUNCTIONS.join(',');

/** How PHP splits the list (php_disable_functions): at spaces and commas only. */
function entries(value: string): string[] {
  return value.split(/[ ,]+/).filter(Boolean);
}

function list(names: string[]): string {
  const f = names.map((n) => `${n}()`);
  return f.length <= 1 ? f.join('') : `${f.slice(0, -1).join(', ')} and ${f[f.length - 1]}`;
}

function quoteList(names: string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}

/** Writes a list the way the line writes its value (quoted or bare). */
function listText(ctx: LintContext, s: PhpSetting, names: string[]): string {
  const r = ctx.valueRange(s.assignment);
  const quoted = ctx.text.slice(r.start, r.end).startsWith('"');
  const text = names.join(',');
  return quoted ? `"${text}"` : text;
}

export const rule: Rule = {
  id: 'disable-functions',
  title: 'disable_functions should block the shell-command functions, and every name in it must be one PHP can match',
  severity: 'information',
  scopes: ['main', 'fragment', 'fpm'],
  rationale:
    'disable_functions removes functions from PHP before any script runs. The ones that matter most are those ' +
    'that start other programs: `exec()`, `system()`, `passthru()`, `shell_exec()` (and the backtick operator), ' +
    '`proc_open()` and `popen()`. An attacker who gets code or an upload executed calls them first, and most ' +
    'web applications never need them. PHP’s default is an empty list; the rule suggests those six ' +
    'when a production php.ini leaves it empty, and names the ones a partial list leaves out. Both are ' +
    'advice, not a guarantee: FFI, `mail()` with extra parameters and other extensions remain, so ' +
    'open_basedir and operating-system permissions still matter. php-fpm pools may add functions with ' +
    '`php_admin_value[disable_functions]` (added to php.ini’s list, checked with php-fpm 8.2), so a pool ' +
    'that lists only some of them is not reported.\n\n' +
    'Two mistakes silently disable nothing, and these are reported as warnings everywhere: PHP splits the list ' +
    'only at commas and spaces (a tab or a semicolon makes the whole rest one bogus name), and it matches names ' +
    'case-sensitively against its lower-case function table, so `EXEC` leaves `exec()` working (both checked ' +
    'with PHP 8.2).',
  sources: [
    { title: 'PHP manual: disable_functions', url: `${PHP_CORE_INI}#ini.disable-functions` },
    { title: 'PHP manual: program execution functions', url: 'https://www.php.net/manual/en/ref.exec.php' },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: OWASP_PHP_CONFIG },
  ],
  check(ctx) {
    const settings = settingsHere(ctx, 'disable_functions');
    for (const s of settings) {
      const names = entries(s.value);
      const r = ctx.entryRange(s.assignment);
      const broken = names.filter((n) => !/^[a-z0-9_\\]+$/.test(n));
      if (broken.length) {
        const fixed = [...new Set(names.flatMap((n) => n.toLowerCase().split(/[\s,;|]+/)).filter((n) => /^[a-z0-9_\\]+$/.test(n)))];
        ctx.report({
          message:
            `disable_functions contains ${quoteList(broken)}, which ${broken.length === 1 ? 'disables' : 'disable'} nothing: PHP splits the list only at commas and spaces and matches lower-case function names exactly.` +
            where(s),
          start: r.start,
          end: r.end,
          directive: 'disable_functions',
          severity: 'warning',
          fixes: isLiteral(ctx, s) && fixed.length ? [valueFix(ctx, s, listText(ctx, s, fixed), true, `Write disable_functions as ${fixed.join(',')}`)] : [],
        });
      }
      if (broken.length || s.pool || !isProduction(ctx)) continue;
      const valid = new Set(names.filter((n) => /^[a-z0-9_\\]+$/.test(n)));
      if (valid.size === 0) {
        const message = ctx.isMainIni
          ? `disable_functions is empty: scripts can run shell commands with ${list(EXEC_FUNCTIONS)}. If the application does not need them, disable them here or per pool with php_admin_value.`
          : `disable_functions is emptied here, replacing any list from php.ini: scripts can run shell commands with ${list(EXEC_FUNCTIONS)}.`;
        ctx.report({
          message,
          start: r.start,
          end: r.end,
          directive: 'disable_functions',
          fixes: [valueFix(ctx, s, SUGGESTED, false, `Disable ${SUGGESTED}`)],
        });
        continue;
      }
      const missing = EXEC_FUNCTIONS.filter((f) => !valid.has(f));
      if (valid.size && missing.length) {
        const extended = [...names.filter((n) => valid.has(n)), ...missing];
        ctx.report({
          message: `disable_functions leaves ${list(missing)} enabled: like the functions it lists, ${missing.length === 1 ? 'it runs' : 'they run'} shell commands.`,
          start: r.start,
          end: r.end,
          directive: 'disable_functions',
          fixes: isLiteral(ctx, s) ? [valueFix(ctx, s, listText(ctx, s, [...new Set(extended)]), false, `Also disable ${missing.join(', ')}`)] : [],
        });
      }
    }
    if (!settings.length && ctx.isMainIni && !ctx.doc.errors.length && ctx.doc.truncatedAt === undefined && isProduction(ctx) && !ctx.fpm) {
      const { start, end } = missingRange(ctx);
      ctx.report({
        message: `disable_functions is not set: scripts can run shell commands with ${list(EXEC_FUNCTIONS)}. If the application does not need them, disable them here or per pool with php_admin_value.`,
        start,
        end,
        directive: 'disable_functions',
        fixes: [{ title: `Disable ${SUGGESTED}`, edits: [insertNear(ctx, 'disable_functions', SUGGESTED, ['serialize_precision', 'unserialize_callback_func', 'precision'])], safe: false }],
      });
    }
  },
  cases: [
    {
      name: 'empty in a production php.ini: advice with a quick fix',
      input: '[PHP]\ndisable_functions =\n',
      expect: [
        {
          line: 2,
          message:
            'disable_functions is empty: scripts can run shell commands with exec(), passthru(), shell_exec(), system(), proc_open() and popen(). If the application does not need them, disable them here or per pool with php_admin_value.',
          severity: 'information',
        },
      ],
      quickFixed: '[PHP]\ndisable_functions = exec,passthru,shell_exec,system,proc_open,popen\n',
    },
    {
      name: 'upper case and a semicolon disable nothing (verified with PHP 8.2); fixed safely; CRLF',
      input: '[PHP]\r\ndisable_functions = "EXEC,system;passthru,shell_exec,proc_open,popen"\r\n',
      expect: [
        { line: 2, message: 'disable_functions contains "EXEC" and "system;passthru", which disable nothing: PHP splits the list only at commas and spaces and matches lower-case function names exactly.', severity: 'warning' },
      ],
      fixed: '[PHP]\r\ndisable_functions = "exec,system,passthru,shell_exec,proc_open,popen"\r\n',
    },
    {
      name: 'a partial list: names what is left',
      input: '[PHP]\ndisable_functions = "exec,system,phpinfo"\n',
      expect: [{ line: 2, message: 'disable_functions leaves passthru(), shell_exec(), proc_open() and popen() enabled: like the functions it lists, they run shell commands.', severity: 'information' }],
      quickFixed: '[PHP]\ndisable_functions = "exec,system,phpinfo,passthru,shell_exec,proc_open,popen"\n',
    },
    { name: 'all six, spaces as separators', input: '[PHP]\ndisable_functions = exec passthru shell_exec system proc_open popen pcntl_exec\n', expect: [] },
    {
      name: 'not set in a main php.ini',
      input: '[PHP]\nprecision = 14\n',
      expect: [{ line: 1, message: /^disable_functions is not set: scripts can run shell commands/ }],
      quickFixed: '[PHP]\nprecision = 14\ndisable_functions = exec,passthru,shell_exec,system,proc_open,popen\n',
    },
    {
      name: 'a fragment that empties the list',
      role: 'fragment',
      input: 'disable_functions = None\n',
      expect: [{ line: 1, message: /^disable_functions is emptied here, replacing any list from php\.ini/ }],
    },
    { name: 'development profile: no advice', profile: 'development', input: '[PHP]\ndisable_functions =\n', expect: [] },
    {
      name: 'pools add to php.ini’s list: a pool listing the six (archlinux.de) is fine',
      role: 'fpm',
      input: '[www]\nphp_admin_value[disable_functions] = exec,passthru,proc_open,shell_exec,system,popen\n[api]\nphp_admin_value[disable_functions] = exec\n',
      expect: [],
    },
    {
      name: 'a pool with a tab-separated list disables nothing',
      role: 'fpm',
      input: '[www]\nphp_admin_value[disable_functions] = "exec\tsystem"\n',
      expect: [{ line: 2, message: 'disable_functions contains "exec\tsystem", which disables nothing: PHP splits the list only at commas and spaces and matches lower-case function names exactly. (php_admin_value[disable_functions] in pool [www])' }],
      fixed: '[www]\nphp_admin_value[disable_functions] = "exec,system"\n',
    },
  ],
};
