import { OWASP_PHP_CONFIG } from './_shared';
import { PHP_ERRORFUNC_INI, checkBool, displayErrorsMode, isProduction, valueInScope } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'display-startup-errors',
  title: 'display_startup_errors should be Off in production when display_errors may be on',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'Errors raised before a script runs, while PHP reads the request, are only printed when both ' +
    'display_errors and display_startup_errors are on. Examples are an oversized POST body ("POST ' +
    'Content-Length of … exceeds the limit") or a failing upload directory, and their messages can contain ' +
    'paths. PHP 8.0 turned display_startup_errors on by default.\n\n' +
    'On its own the directive prints nothing: with display_errors off, PHP shows no startup errors either ' +
    '(checked with php-fpm 8.2), so this rule stays quiet when the same file or pool turns display_errors off. ' +
    'It does not report a missing display_startup_errors either, because then display_errors is what matters ' +
    'and the `display-errors` rule reports it. Production only.',
  sources: [
    { title: 'PHP manual: display_startup_errors', url: `${PHP_ERRORFUNC_INI}#ini.display-startup-errors` },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: OWASP_PHP_CONFIG },
  ],
  check(ctx) {
    if (!isProduction(ctx)) return;
    const known = (s: Parameters<typeof valueInScope>[1]) => valueInScope(ctx, s, 'display_errors');
    checkBool(ctx, {
      directive: 'display_startup_errors',
      bad: true,
      message: 'display_startup_errors is {value} and display_errors is on: errors raised while PHP reads a request (such as an oversized POST body) are printed into the page as well.',
      safe: true,
      when: (s) => {
        const d = known(s);
        return d !== undefined && displayErrorsMode(d) !== 'off';
      },
    });
    checkBool(ctx, {
      directive: 'display_startup_errors',
      bad: true,
      severity: 'information',
      message: 'display_startup_errors is {value}: wherever display_errors is on as well, errors raised while PHP reads a request (such as an oversized POST body) are printed into the page.',
      safe: true,
      when: (s) => known(s) === undefined,
    });
  },
  cases: [
    {
      name: 'On together with display_errors On',
      input: '[PHP]\ndisplay_errors = On\ndisplay_startup_errors = On\n',
      expect: [{ line: 3, message: 'display_startup_errors is On and display_errors is on: errors raised while PHP reads a request (such as an oversized POST body) are printed into the page as well.', severity: 'warning' }],
      fixed: '[PHP]\ndisplay_errors = On\ndisplay_startup_errors = Off\n',
    },
    {
      name: 'display_errors missing from a main php.ini defaults to on',
      input: '[PHP]\r\ndisplay_startup_errors = 1\r\n',
      expect: [{ line: 2, message: /^display_startup_errors is 1 and display_errors is on: / }],
      fixed: '[PHP]\r\ndisplay_startup_errors = 0\r\n',
    },
    {
      name: 'with display_errors Off it prints nothing (verified with php-fpm 8.2): not reported',
      input: '[PHP]\ndisplay_errors = Off\ndisplay_startup_errors = On\n',
      expect: [],
    },
    {
      name: 'a fragment that does not set display_errors: information',
      role: 'fragment',
      input: 'display_startup_errors = On\n',
      expect: [{ line: 1, message: /^display_startup_errors is On: wherever display_errors is on as well/, severity: 'information' }],
      fixed: 'display_startup_errors = Off\n',
    },
    { name: 'missing is left to display-errors', input: '[PHP]\ndisplay_errors = On\n', expect: [] },
    { name: 'development profile: not reported', profile: 'development', input: '[PHP]\ndisplay_errors = On\ndisplay_startup_errors = On\n', expect: [] },
    {
      name: 'a pool that turns both on',
      role: 'fpm',
      input: '[www]\nphp_value[display_errors] = 1\nphp_value[display_startup_errors] = 1\n[api]\nphp_value[display_errors] = 0\nphp_value[display_startup_errors] = 1\n',
      expect: [{ line: 3, message: /and display_errors is on: .* \(php_value\[display_startup_errors\] in pool \[www\]\)$/ }],
      fixed: '[www]\nphp_value[display_errors] = 1\nphp_value[display_startup_errors] = 0\n[api]\nphp_value[display_errors] = 0\nphp_value[display_startup_errors] = 1\n',
    },
  ],
};
