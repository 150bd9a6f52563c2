import { PHP_CORE_INI, checkBool } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'register-argc-argv',
  title: 'register_argc_argv should be Off, so web requests cannot pass command-line arguments',
  severity: 'information',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'With register_argc_argv on (PHP’s default), PHP fills `$_SERVER["argv"]` and `$_SERVER["argc"]` in web ' +
    'requests too, from the query string split at `+`: a request for `script.php?a+b` gives the script the ' +
    'arguments `a` and `b` (checked with php-fpm 8.2; the `$argv` global stays unset there). Command-line tools that end up reachable through the ' +
    'web, or through a file-inclusion bug, then take their arguments from anyone; PEAR’s `pearcmd.php`, ' +
    'present in many Docker images without a php.ini, is the well-known case that turns such a bug into ' +
    'writing arbitrary files. Both shipped php.ini files turn it off.\n\n' +
    'The CLI is not affected: it always registers its arguments whatever php.ini says (checked with PHP 8.2), ' +
    'so the fix is safe.',
  sources: [
    { title: 'PHP manual: register_argc_argv', url: `${PHP_CORE_INI}#ini.register-argc-argv` },
    { title: 'PHP manual: $argv', url: 'https://www.php.net/manual/en/reserved.variables.argv.php' },
  ],
  check(ctx) {
    checkBool(ctx, {
      directive: 'register_argc_argv',
      bad: true,
      message: 'register_argc_argv is {value}: in web requests PHP fills $_SERVER["argv"] from the query string, so command-line scripts reachable through the web (such as PEAR’s pearcmd.php) take arguments from anyone.',
      missingMessage: 'register_argc_argv is not set and defaults to On: in web requests PHP fills $_SERVER["argv"] from the query string, so command-line scripts reachable through the web (such as PEAR’s pearcmd.php) take arguments from anyone.',
      safe: true,
      near: ['request_order', 'variables_order'],
    });
  },
  cases: [
    {
      name: 'On is reported and turned Off',
      input: '[PHP]\nregister_argc_argv = On\n',
      expect: [
        {
          line: 2,
          message: 'register_argc_argv is On: in web requests PHP fills $_SERVER["argv"] from the query string, so command-line scripts reachable through the web (such as PEAR’s pearcmd.php) take arguments from anyone.',
          severity: 'information',
        },
      ],
      fixed: '[PHP]\nregister_argc_argv = Off\n',
    },
    { name: 'Off is fine', input: '[PHP]\r\nregister_argc_argv = Off\r\n', expect: [] },
    {
      name: 'missing from a main php.ini (default On): inserted after variables_order; CRLF',
      input: '[PHP]\r\nvariables_order = "GPCS"\r\nauto_globals_jit = On\r\n',
      expect: [{ line: 1, message: /^register_argc_argv is not set and defaults to On: / }],
      fixed: '[PHP]\r\nvariables_order = "GPCS"\r\nregister_argc_argv = Off\r\nauto_globals_jit = On\r\n',
    },
    { name: 'a .user.ini may set it (PHP_INI_PERDIR)', role: 'user-ini', input: 'register_argc_argv = 1\n', expect: [{ line: 1, message: /is 1/ }], fixed: 'register_argc_argv = 0\n' },
    {
      name: 'a pool',
      role: 'fpm',
      input: '[www]\nphp_flag[register_argc_argv] = on\n',
      expect: [{ line: 2, message: /\(php_flag\[register_argc_argv\] in pool \[www\]\)$/ }],
      fixed: '[www]\nphp_flag[register_argc_argv] = Off\n',
    },
  ],
};
