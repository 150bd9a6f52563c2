import { PHP_CORE_INI, describeBytes, phpSize, settingsHere, valueFix, where, written } from './_hardening';
import type { Rule } from './types';

/** PHP already uses about this much when it applies memory_limit at start-up (one 2 MiB chunk). */
const STARTUP_USAGE = 2n * 1024n * 1024n;

export const rule: Rule = {
  id: 'memory-limit',
  title: 'memory_limit must be a real limit: not -1, and not below what PHP itself needs',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    '`memory_limit = -1` removes the cap on how much memory one script may allocate. A slow memory leak, a ' +
    'huge upload parsed in memory or a request crafted to build a giant array then grows until the kernel’s ' +
    'out-of-memory killer ends something, possibly the database. With a limit, only that request fails. It is ' +
    'a normal choice for a CLI-only php.ini (Debian’s CLI php.ini uses it), not for php-fpm or the Apache ' +
    'module.\n\n' +
    'The opposite mistake is a limit PHP cannot apply: at start-up PHP already uses about 2M, and a smaller ' +
    'memory_limit (say `1K`, or `128` meant as megabytes) fails with “Failed to set memory limit”, so PHP ' +
    'keeps the previous limit (checked with PHP 8.2). Sizes PHP cannot parse at all are the `size-value` ' +
    'rule’s business.',
  sources: [
    { title: 'PHP manual: memory_limit', url: `${PHP_CORE_INI}#ini.memory-limit` },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/PHP_Configuration_Cheat_Sheet.html' },
  ],
  check(ctx) {
    for (const s of settingsHere(ctx, 'memory_limit')) {
      const q = phpSize(ctx, s.value, true);
      if (q.problem) continue; // size-value explains what PHP makes of it
      const r = ctx.entryRange(s.assignment);
      const value = written(ctx, s);
      if (q.value === (1n << 64n) - 1n) {
        ctx.report({
          message: `memory_limit is ${value}: there is no memory cap, so one request can use up all of the server’s memory. That suits a CLI-only php.ini, not php-fpm or Apache.` + where(s),
          start: r.start,
          end: r.end,
          directive: 'memory_limit',
          fixes: [valueFix(ctx, s, '128M', false, 'Set memory_limit to 128M (PHP’s default)')],
        });
      } else if (q.value < STARTUP_USAGE) {
        const bytes = describeBytes(q.value);
        const shown = bytes === s.value.trim() ? '' : ` (${bytes})`;
        ctx.report({
          message: `memory_limit is ${value}${shown}, less than PHP itself uses at start-up: PHP refuses it and keeps the previous limit.` + where(s),
          start: r.start,
          end: r.end,
          directive: 'memory_limit',
        });
      }
    }
  },
  cases: [
    {
      name: '-1 means no limit',
      input: '[PHP]\nmemory_limit = -1\n',
      expect: [
        {
          line: 2,
          message: 'memory_limit is -1: there is no memory cap, so one request can use up all of the server’s memory. That suits a CLI-only php.ini, not php-fpm or Apache.',
          severity: 'warning',
        },
      ],
      quickFixed: '[PHP]\nmemory_limit = 128M\n',
    },
    {
      name: 'quoted "-1" with CRLF',
      input: '[PHP]\r\nmemory_limit = "-1"\r\n',
      expect: [{ line: 2, message: /^memory_limit is "-1": there is no memory cap/ }],
      quickFixed: '[PHP]\r\nmemory_limit = 128M\r\n',
    },
    { name: 'a real limit is fine', input: '[PHP]\nmemory_limit = 256M\n', expect: [] },
    {
      name: 'too small to apply: PHP 8.2 warns “Failed to set memory limit” and keeps the old one',
      input: '[PHP]\nmemory_limit = 128\n',
      expect: [{ line: 2, message: 'memory_limit is 128 (128 bytes), less than PHP itself uses at start-up: PHP refuses it and keeps the previous limit.' }],
    },
    { name: 'zero is refused the same way', role: 'fragment', input: 'memory_limit = 0\n', expect: [{ line: 1, message: 'memory_limit is 0, less than PHP itself uses at start-up: PHP refuses it and keeps the previous limit.' }] },
    { name: 'an unparsable size is left to size-value', input: '[PHP]\nmemory_limit = 128MB\n', expect: [] },
    {
      name: 'a pool (magenx sets 728M: fine) and one without a limit',
      role: 'fpm',
      input: '[shop]\nphp_admin_value[memory_limit] = 728M\n[cron]\nphp_admin_value[memory_limit] = -1\n',
      expect: [{ line: 4, message: /no memory cap.* \(php_admin_value\[memory_limit\] in pool \[cron\]\)$/ }],
    },
    { name: 'a .user.ini may set it (PHP_INI_ALL)', role: 'user-ini', input: 'memory_limit=-1\n', expect: [{ line: 1, message: /^memory_limit is -1: / }] },
  ],
};
