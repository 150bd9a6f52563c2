import { OWASP_PHP_CONFIG } from './_shared';
import { PHP_FILESYSTEM_INI, checkBool } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'allow-url-fopen',
  title: 'allow_url_fopen lets file functions fetch URLs; turn it off if the application does not need that',
  severity: 'information',
  scopes: ['main', 'fragment', 'fpm'],
  rationale:
    'With allow_url_fopen on (PHP’s default), `file_get_contents()`, `fopen()`, `file()`, `copy()`, ' +
    '`simplexml_load_file()` and every other function built on PHP streams accept `http://`, `ftp://` and ' +
    '`data://` as well as file names. Where a path comes from user input, that turns a file read into ' +
    'server-side request forgery (reaching internal services or cloud metadata endpoints) or into loading ' +
    'attacker-controlled content. It is also what allow_url_include needs to work.\n\n' +
    'Many applications download things this way, though, so the fix is offered as a quick fix only, and the ' +
    'finding is informational. Applications that fetch URLs can use the curl extension, which ' +
    'allow_url_fopen does not affect.',
  sources: [
    { title: 'PHP manual: allow_url_fopen', url: `${PHP_FILESYSTEM_INI}#ini.allow-url-fopen` },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: OWASP_PHP_CONFIG },
    { title: 'OWASP: Server-Side Request Forgery Prevention', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html' },
  ],
  check(ctx) {
    checkBool(ctx, {
      directive: 'allow_url_fopen',
      bad: true,
      message: 'allow_url_fopen is {value}: file functions such as file_get_contents() also fetch URLs, so a path taken from user input can become a request to internal services (SSRF).',
      missingMessage: 'allow_url_fopen is not set and defaults to On: file functions such as file_get_contents() also fetch URLs, so a path taken from user input can become a request to internal services (SSRF).',
      safe: false,
      near: ['allow_url_include'],
    });
  },
  cases: [
    {
      name: 'On is reported; the fix is a quick fix only',
      input: '[PHP]\nallow_url_fopen = On\n',
      expect: [
        {
          line: 2,
          message: 'allow_url_fopen is On: file functions such as file_get_contents() also fetch URLs, so a path taken from user input can become a request to internal services (SSRF).',
          severity: 'information',
        },
      ],
      quickFixed: '[PHP]\nallow_url_fopen = Off\n',
    },
    {
      name: 'CRLF',
      input: '[PHP]\r\nallow_url_fopen=1\r\n',
      expect: [{ line: 2, message: /^allow_url_fopen is 1: / }],
      quickFixed: '[PHP]\r\nallow_url_fopen=0\r\n',
    },
    { name: 'Off is fine', input: '[PHP]\nallow_url_fopen = Off\n', expect: [] },
    {
      name: 'missing from a main php.ini: PHP’s default is On',
      input: '[PHP]\nallow_url_include = Off\n',
      expect: [{ line: 1, message: /^allow_url_fopen is not set and defaults to On: / }],
      quickFixed: '[PHP]\nallow_url_include = Off\nallow_url_fopen = Off\n',
    },
    {
      name: 'a pool',
      role: 'fpm',
      input: '[www]\nphp_admin_flag[allow_url_fopen] = on\n',
      expect: [{ line: 2, message: /\(php_admin_flag\[allow_url_fopen\] in pool \[www\]\)$/ }],
      quickFixed: '[www]\nphp_admin_flag[allow_url_fopen] = Off\n',
    },
    { name: 'missing from a fragment', role: 'fragment', input: 'memory_limit = 1G\n', expect: [] },
  ],
};
