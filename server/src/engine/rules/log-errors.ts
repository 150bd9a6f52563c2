import { OWASP_PHP_CONFIG } from './_shared';
import { PHP_ERRORFUNC_INI, checkBool, isProduction } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'log-errors',
  title: 'log_errors should be On in production, so PHP’s errors are recorded somewhere',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'Once display_errors is off (as it must be in production), log_errors is the only place PHP’s warnings ' +
    'and fatal errors go. With it off they vanish: a failing payment hook, a broken deploy or someone probing ' +
    'the application for injection points leaves no trace in any log. PHP’s built-in default is off (checked ' +
    'with php-fpm 8.2 and no php.ini); both php.ini files that ship with PHP turn it on. Where the messages go ' +
    'is `error_log` (the web server’s or php-fpm’s log when it is empty). Production only.',
  sources: [
    { title: 'PHP manual: log_errors', url: `${PHP_ERRORFUNC_INI}#ini.log-errors` },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: OWASP_PHP_CONFIG },
  ],
  check(ctx) {
    if (!isProduction(ctx)) return;
    checkBool(ctx, {
      directive: 'log_errors',
      bad: false,
      message: 'log_errors is {value}: PHP writes its errors to no log, so failures and probing leave no trace.',
      missingMessage: 'log_errors is not set and defaults to Off: PHP writes its errors to no log, so failures and probing leave no trace.',
      safe: true,
      near: ['display_startup_errors', 'display_errors', 'error_reporting'],
    });
  },
  cases: [
    {
      name: 'Off is reported and turned On',
      input: '[PHP]\nlog_errors = Off\n',
      expect: [{ line: 2, message: 'log_errors is Off: PHP writes its errors to no log, so failures and probing leave no trace.', severity: 'warning' }],
      fixed: '[PHP]\nlog_errors = On\n',
    },
    {
      name: 'CRLF, 0/1 style, inline comment kept',
      input: '[PHP]\r\nlog_errors=0 ; quiet\r\n',
      expect: [{ line: 2, message: /^log_errors is 0: / }],
      fixed: '[PHP]\r\nlog_errors=1 ; quiet\r\n',
    },
    { name: 'On is fine', input: '[PHP]\nlog_errors = On\n', expect: [] },
    { name: 'unquoted None is empty, so off', role: 'fragment', input: 'log_errors = None\n', expect: [{ line: 1, message: /^log_errors is None: / }], fixed: 'log_errors = On\n' },
    {
      name: 'missing from a main php.ini (default Off): inserted after display_errors',
      input: '[PHP]\ndisplay_errors = Off\nmemory_limit = 128M\n',
      expect: [{ line: 1, message: 'log_errors is not set and defaults to Off: PHP writes its errors to no log, so failures and probing leave no trace.' }],
      fixed: '[PHP]\ndisplay_errors = Off\nlog_errors = On\nmemory_limit = 128M\n',
    },
    { name: 'the development profile does not insist', profile: 'development', input: '[PHP]\nlog_errors = Off\n', expect: [] },
    {
      name: 'a pool that turns it off with php_admin_flag',
      role: 'fpm',
      input: '[www]\nphp_admin_flag[log_errors] = off\n',
      expect: [{ line: 2, message: 'log_errors is off: PHP writes its errors to no log, so failures and probing leave no trace. (php_admin_flag[log_errors] in pool [www])' }],
      fixed: '[www]\nphp_admin_flag[log_errors] = On\n',
    },
    { name: 'a pool that turns it on (remi’s www.conf)', role: 'fpm', input: '[www]\nphp_admin_flag[log_errors] = on\n', expect: [] },
  ],
};
