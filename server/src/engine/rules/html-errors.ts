import { PHP_ERRORFUNC_INI, checkBool, displayErrorsMode, isProduction, valueInScope } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'html-errors',
  title: 'html_errors should stay On wherever display_errors is on, or error messages reach the page unescaped',
  severity: 'information',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'This rule looks at html_errors from the opposite side to what people expect. With html_errors on (PHP’s ' +
    'default, which both shipped php.ini files keep), PHP HTML-escapes the text of built-in warnings ' +
    'before printing them. With html_errors off it prints them raw. A warning often quotes its input: ' +
    '`fopen($_GET["f"])` with `f=<script>…</script>` produces a message containing that script tag. Under ' +
    'php-fpm 8.2 with display_errors on, that is reflected cross-site scripting once html_errors is off.\n\n' +
    'The rule reports html_errors off only where display_errors is on in the same php.ini or pool; turning ' +
    'display_errors off (see `display-errors`) is the real fix. Production only. The CLI always forces ' +
    'html_errors off, which is harmless there.',
  sources: [
    { title: 'PHP manual: html_errors', url: `${PHP_ERRORFUNC_INI}#ini.html-errors` },
    { title: 'PHP manual: display_errors', url: `${PHP_ERRORFUNC_INI}#ini.display-errors` },
  ],
  check(ctx) {
    if (!isProduction(ctx)) return;
    checkBool(ctx, {
      directive: 'html_errors',
      bad: false,
      message:
        'html_errors is {value} while display_errors is on: PHP prints its error messages into the page without escaping them, so text a visitor controls (a file name, a parameter) can inject markup or script.',
      safe: true,
      when: (s) => {
        const d = valueInScope(ctx, s, 'display_errors');
        return d !== undefined && displayErrorsMode(d) !== 'off';
      },
    });
  },
  cases: [
    {
      name: 'Off with display_errors On: escaping lost (verified with php-fpm 8.2)',
      input: '[PHP]\ndisplay_errors = On\nhtml_errors = Off\n',
      expect: [
        {
          line: 3,
          message:
            'html_errors is Off while display_errors is on: PHP prints its error messages into the page without escaping them, so text a visitor controls (a file name, a parameter) can inject markup or script.',
          severity: 'information',
        },
      ],
      fixed: '[PHP]\ndisplay_errors = On\nhtml_errors = On\n',
    },
    {
      name: 'display_errors missing from a main php.ini defaults to on; CRLF',
      input: '[PHP]\r\nhtml_errors = 0\r\n',
      expect: [{ line: 2, message: /^html_errors is 0 while display_errors is on/ }],
      fixed: '[PHP]\r\nhtml_errors = 1\r\n',
    },
    { name: 'html_errors On is the safe side', input: '[PHP]\ndisplay_errors = On\nhtml_errors = On\n', expect: [] },
    { name: 'nothing is displayed: html_errors does not matter', input: '[PHP]\ndisplay_errors = Off\nhtml_errors = Off\n', expect: [] },
    { name: 'a fragment that leaves display_errors alone', role: 'fragment', input: 'html_errors = Off\n', expect: [] },
    { name: 'development profile', profile: 'development', input: '[PHP]\ndisplay_errors = On\nhtml_errors = Off\n', expect: [] },
    {
      name: 'a pool that displays errors without escaping',
      role: 'fpm',
      input: '[www]\nphp_flag[display_errors] = on\nphp_flag[html_errors] = off\n',
      expect: [{ line: 3, message: /\(php_flag\[html_errors\] in pool \[www\]\)$/ }],
      fixed: '[www]\nphp_flag[display_errors] = on\nphp_flag[html_errors] = On\n',
    },
  ],
};
