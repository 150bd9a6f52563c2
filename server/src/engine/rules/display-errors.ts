import { OWASP_PHP_CONFIG } from './_shared';
import { PHP_ERRORFUNC_INI, boolFix, displayErrorsMode, isProduction, reportMissing, settingsHere, where, written } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'display-errors',
  title: 'display_errors must be Off in production, so visitors never see PHP’s error messages',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'With display_errors on, PHP prints every warning, notice and fatal error into the response. Those messages ' +
    'name absolute file paths, include paths, SQL fragments, function arguments and sometimes credentials from a ' +
    'failed connection string, which is exactly what an attacker needs to aim the next request. PHP’s built-in ' +
    'default is on, so a php.ini that does not set it shows errors.\n\n' +
    '`display_errors = stderr` is not a way out for web servers: PHP honours it only in the CLI, phpdbg and ' +
    'php-cgi, and in php-cgi only while html_errors is off. php-fpm and the Apache module print the errors ' +
    'into the page anyway (checked with php-fpm 8.2). ' +
    'Numbers are read as a single byte, so `2` means stderr and `256` means off.\n\n' +
    'Production only: with the `development` profile, showing errors is expected. Log them instead ' +
    '(`log_errors = On`).',
  sources: [
    { title: 'PHP manual: display_errors', url: `${PHP_ERRORFUNC_INI}#ini.display-errors` },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: OWASP_PHP_CONFIG },
  ],
  check(ctx) {
    if (!isProduction(ctx)) return;
    for (const s of settingsHere(ctx, 'display_errors')) {
      const mode = displayErrorsMode(s.value);
      if (mode === 'off') continue;
      const value = written(ctx, s);
      const message =
        mode === 'stderr'
          ? `display_errors is ${value}: only the CLI honours that (php-cgi too, with html_errors off); php-fpm and the Apache module print errors into the page for visitors to read.`
          : `display_errors is ${value}: PHP prints warnings and errors into the page, showing visitors file paths, queries and other internals.`;
      const r = ctx.entryRange(s.assignment);
      ctx.report({ message: message + where(s), start: r.start, end: r.end, directive: 'display_errors', fixes: [boolFix(ctx, s, false, true)] });
    }
    reportMissing(ctx, {
      directive: 'display_errors',
      value: 'Off',
      message: 'display_errors is not set and defaults to On: PHP prints warnings and errors into the page for visitors to read.',
      safe: true,
      near: ['error_reporting'],
      defaultIsBad: (d) => displayErrorsMode(d) !== 'off',
    });
  },
  cases: [
    {
      name: 'On is reported and turned Off',
      input: '[PHP]\ndisplay_errors = On\nlog_errors = On\n',
      expect: [{ line: 2, message: 'display_errors is On: PHP prints warnings and errors into the page, showing visitors file paths, queries and other internals.', severity: 'warning' }],
      fixed: '[PHP]\ndisplay_errors = Off\nlog_errors = On\n',
    },
    {
      name: 'stderr still reaches visitors under php-fpm (verified with php-fpm 8.2)',
      input: '[PHP]\r\ndisplay_errors = stderr\r\n',
      expect: [{ line: 2, message: 'display_errors is stderr: only the CLI honours that (php-cgi too, with html_errors off); php-fpm and the Apache module print errors into the page for visitors to read.' }],
      fixed: '[PHP]\r\ndisplay_errors = Off\r\n',
    },
    { name: 'Off is fine', input: '[PHP]\ndisplay_errors = Off\n', expect: [] },
    { name: '256 is a byte overflow: PHP reads it as 0 (off) (verified with PHP 8.2)', input: '[PHP]\ndisplay_errors = 256\n', expect: [] },
    { name: 'an empty value and unquoted None are off', input: '[PHP]\ndisplay_errors =\n', expect: [] },
    {
      name: 'a quoted "2" is stderr',
      role: 'fragment',
      input: 'display_errors = "2"\n',
      expect: [{ line: 1, message: /^display_errors is "2": only the CLI honours that/ }],
      fixed: 'display_errors = Off\n',
    },
    { name: 'the development profile expects errors on screen', profile: 'development', input: '[PHP]\ndisplay_errors = On\n', expect: [] },
    {
      name: 'missing from a main php.ini: PHP’s default is on; inserted after error_reporting',
      input: '[PHP]\nerror_reporting = E_ALL\nlog_errors = On\n',
      expect: [{ line: 1, message: 'display_errors is not set and defaults to On: PHP prints warnings and errors into the page for visitors to read.' }],
      fixed: '[PHP]\nerror_reporting = E_ALL\ndisplay_errors = Off\nlog_errors = On\n',
    },
    { name: 'missing from a fragment says nothing', role: 'fragment', input: 'log_errors = On\n', expect: [] },
    {
      name: 'a .user.ini can turn it on (PHP_INI_ALL)',
      role: 'user-ini',
      input: 'display_errors = 1\n',
      expect: [{ line: 1, message: /^display_errors is 1: / }],
      fixed: 'display_errors = 0\n',
    },
    {
      name: 'a pool with php_flag',
      role: 'fpm',
      input: '[www]\nphp_flag[display_errors] = on\nphp_admin_flag[log_errors] = on\n',
      expect: [{ line: 2, message: /^display_errors is on: .* \(php_flag\[display_errors\] in pool \[www\]\)$/ }],
      fixed: '[www]\nphp_flag[display_errors] = Off\nphp_admin_flag[log_errors] = on\n',
    },
  ],
};
