import { OWASP_PHP_CONFIG } from './_shared';
import { PHP_CORE_INI, checkBool } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'expose-php',
  title: 'expose_php should be Off, so responses do not announce the exact PHP version',
  severity: 'hint',
  scopes: ['main', 'fragment', 'fpm'],
  rationale:
    'With expose_php on, every response PHP produces carries an `X-Powered-By: PHP/8.2.36` header. It does not ' +
    'open a hole by itself, but it tells every scanner exactly which release runs the site, so known bugs of ' +
    'that release can be tried first and outdated servers are easy to find in bulk. PHP turns it on by default; ' +
    '`php.ini-production` from php-src still ships it on, Debian switches it off. It is a `PHP_INI_SYSTEM` ' +
    'directive: php.ini, a conf.d file or a php-fpm pool (`php_value` works there too) can set it, a `.user.ini` ' +
    'cannot.',
  sources: [
    { title: 'PHP manual: expose_php', url: `${PHP_CORE_INI}#ini.expose-php` },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: OWASP_PHP_CONFIG },
  ],
  check(ctx) {
    checkBool(ctx, {
      directive: 'expose_php',
      bad: true,
      message: 'expose_php is {value}: every PHP response carries an X-Powered-By header with the exact PHP version.',
      missingMessage: 'expose_php is not set and defaults to On: every PHP response carries an X-Powered-By header with the exact PHP version.',
      safe: true,
      near: ['zend.exception_string_param_max_len', 'zend.exception_ignore_args', 'disable_classes', 'disable_functions'],
    });
  },
  cases: [
    {
      name: 'On is reported and turned Off, keeping the comment',
      input: '[PHP]\nexpose_php = On ; shows the version\n',
      expect: [{ line: 2, message: 'expose_php is On: every PHP response carries an X-Powered-By header with the exact PHP version.', severity: 'hint' }],
      fixed: '[PHP]\nexpose_php = Off ; shows the version\n',
    },
    {
      name: 'CRLF and the 1/0 style are kept',
      input: '[PHP]\r\nexpose_php=1\r\n',
      expect: [{ line: 2, message: /^expose_php is 1: / }],
      fixed: '[PHP]\r\nexpose_php=0\r\n',
    },
    { name: 'Off is fine', input: '[PHP]\nexpose_php = Off\n', expect: [] },
    {
      name: 'missing from a main php.ini (PHP’s default is On): added next to a related directive',
      input: '[PHP]\ndisable_functions =\nmemory_limit = 128M\n',
      expect: [{ line: 1, message: 'expose_php is not set and defaults to On: every PHP response carries an X-Powered-By header with the exact PHP version.' }],
      fixed: '[PHP]\ndisable_functions =\nexpose_php = Off\nmemory_limit = 128M\n',
    },
    { name: 'missing from a conf.d fragment says nothing', role: 'fragment', input: 'memory_limit = 256M\n', expect: [] },
    {
      name: 'a pool can set it, even with php_value (verified with php-fpm 8.2: the header disappears)',
      role: 'fpm',
      input: '[www]\nphp_admin_flag[expose_php] = on\n',
      expect: [{ line: 2, message: 'expose_php is on: every PHP response carries an X-Powered-By header with the exact PHP version. (php_admin_flag[expose_php] in pool [www])' }],
      fixed: '[www]\nphp_admin_flag[expose_php] = Off\n',
    },
    {
      name: 'a quoted "off" is a string PHP reads as 0: fine',
      input: '[PHP]\nexpose_php = "off"\n',
      expect: [],
    },
  ],
};
