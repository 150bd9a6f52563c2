import { iniBool } from '../values';
import { OWASP_PHP_CONFIG } from './_shared';
import { PHP_FILESYSTEM_INI, boolFix, phpAtLeast, settingsHere, sibling, where, written } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'allow-url-include',
  title: 'allow_url_include must be Off: include and require must not load code from URLs',
  severity: 'error',
  scopes: ['main', 'fragment', 'fpm'],
  rationale:
    'With allow_url_include on, `include`, `require` and `auto_prepend_file` accept stream URLs such as ' +
    '`http://`, `ftp://`, `data://` and `php://input`. A single include whose path an attacker can influence ' +
    'then runs code the attacker hosts, or the body of the attacker’s own request: remote code execution. No ' +
    'modern application needs it.\n\n' +
    'It only works together with allow_url_fopen (with that off, PHP 8.2 refuses the URL wrappers for includes ' +
    'too), so the rule lowers the severity to a warning when the same file or pool turns allow_url_fopen off. ' +
    'PHP 7.4 deprecated the directive and prints a deprecation notice at start-up whenever it is enabled. It is ' +
    '`PHP_INI_SYSTEM`, yet a php-fpm pool can still enable it, even with a plain `php_value` (checked with ' +
    'php-fpm 8.2).',
  sources: [
    { title: 'PHP manual: allow_url_include', url: `${PHP_FILESYSTEM_INI}#ini.allow-url-include` },
    { title: 'PHP manual: remote files', url: 'https://www.php.net/manual/en/features.remote-files.php' },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: OWASP_PHP_CONFIG },
  ],
  check(ctx) {
    const deprecated = phpAtLeast(ctx, '7.4');
    const note = deprecated ? ' PHP has deprecated this directive since 7.4.' : '';
    for (const s of settingsHere(ctx, 'allow_url_include')) {
      if (!iniBool(s.value)) continue;
      const fopen = sibling(ctx, s, 'allow_url_fopen');
      const inert = fopen !== undefined && !iniBool(fopen.value);
      const value = written(ctx, s);
      const message = inert
        ? `allow_url_include is ${value}: allow_url_fopen is off here, which still blocks URL includes, but turning it on would let include and require run code from URLs.${note}`
        : `allow_url_include is ${value}: include and require accept URLs such as http:// and data://, so one include with a path from user input becomes remote code execution.${note}`;
      const r = ctx.entryRange(s.assignment);
      ctx.report({
        message: message + where(s),
        start: r.start,
        end: r.end,
        directive: 'allow_url_include',
        severity: inert ? 'warning' : undefined,
        tags: deprecated ? ['deprecated'] : undefined,
        fixes: [boolFix(ctx, s, false, true)],
      });
    }
  },
  cases: [
    {
      name: 'On is an error, deprecated since 7.4, fixed to Off',
      input: '[PHP]\nallow_url_include = On\n',
      expect: [
        {
          line: 2,
          message:
            'allow_url_include is On: include and require accept URLs such as http:// and data://, so one include with a path from user input becomes remote code execution. PHP has deprecated this directive since 7.4.',
          severity: 'error',
        },
      ],
      fixed: '[PHP]\nallow_url_include = Off\n',
    },
    {
      name: 'CRLF; with allow_url_fopen off in the same file it is inert for now (verified: data:// refused)',
      input: '[PHP]\r\nallow_url_fopen = Off\r\nallow_url_include = 1\r\n',
      expect: [{ line: 3, message: /^allow_url_include is 1: allow_url_fopen is off here, which still blocks URL includes/, severity: 'warning' }],
      fixed: '[PHP]\r\nallow_url_fopen = Off\r\nallow_url_include = 0\r\n',
    },
    { name: 'Off is fine (and PHP’s default)', input: '[PHP]\nallow_url_include = Off\n', expect: [] },
    { name: 'missing is fine', input: '[PHP]\nallow_url_fopen = Off\n', expect: [] },
    {
      name: 'PHP 7.3 and older: no deprecation note',
      phpVersion: '7.3',
      role: 'fragment',
      input: 'allow_url_include = yes\n',
      expect: [{ line: 1, message: 'allow_url_include is yes: include and require accept URLs such as http:// and data://, so one include with a path from user input becomes remote code execution.' }],
      fixed: 'allow_url_include = no\n',
    },
    {
      name: 'a pool enabling it with php_value still works (verified with php-fpm 8.2)',
      role: 'fpm',
      input: '[www]\nphp_value[allow_url_include] = On\n',
      expect: [{ line: 2, message: /becomes remote code execution\. PHP has deprecated this directive since 7\.4\. \(php_value\[allow_url_include\] in pool \[www\]\)$/ }],
      fixed: '[www]\nphp_value[allow_url_include] = 0\n',
    },
  ],
};
