import { iniBool } from '../values';
import { boolFix, settingsHere, valueFix, where, written } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'ffi-enable',
  title: 'ffi.enable should stay "preload": FFI in every script means native code beyond PHP’s restrictions',
  severity: 'warning',
  scopes: ['main', 'fragment', 'fpm'],
  rationale:
    'FFI lets PHP code load C libraries and call their functions directly. With `ffi.enable = preload` ' +
    '(the default) that is only possible in the CLI and in files loaded through `opcache.preload`, where ' +
    'the administrator chose the code. With `ffi.enable = On` (or any other true value) every script may ' +
    'do it, which steps around everything PHP enforces: `FFI::cdef("int system(const char *);")` runs shell ' +
    'commands whatever disable_functions says, and C file functions ignore open_basedir.\n\n' +
    'PHP compares “preload” case-insensitively and reads anything else as a boolean. A php-fpm pool can also ' +
    'enable it, even through `php_value` (checked with php-fpm 8.2). Applications that really use FFI at run ' +
    'time break without it, so the fix back to preload is offered as a quick fix only.',
  sources: [
    { title: 'PHP manual: ffi.enable', url: 'https://www.php.net/manual/en/ffi.configuration.php#ini.ffi.enable' },
    { title: 'PHP manual: FFI security', url: 'https://www.php.net/manual/en/ffi.setup.php' },
  ],
  check(ctx) {
    for (const s of settingsHere(ctx, 'ffi.enable')) {
      if (s.value.toLowerCase() === 'preload' || !iniBool(s.value)) continue;
      const r = ctx.entryRange(s.assignment);
      ctx.report({
        message: `ffi.enable is ${written(ctx, s)}: every script may load C libraries and call native functions through FFI, which bypasses disable_functions and open_basedir.` + where(s),
        start: r.start,
        end: r.end,
        directive: 'ffi.enable',
        // php-fpm only accepts boolean words in php_flag/php_admin_flag: there the fix can only say Off.
        fixes: [s.via?.endsWith('flag') ? boolFix(ctx, s, false, false) : valueFix(ctx, s, 'preload', false)],
      });
    }
  },
  cases: [
    {
      name: 'On is reported; back to preload as a quick fix',
      input: '[ffi]\nffi.enable = On\n',
      expect: [{ line: 2, message: 'ffi.enable is On: every script may load C libraries and call native functions through FFI, which bypasses disable_functions and open_basedir.', severity: 'warning' }],
      quickFixed: '[ffi]\nffi.enable = preload\n',
    },
    { name: '"true" (php.ini-production’s comment lists it) with CRLF', input: '[ffi]\r\nffi.enable = "true"\r\n', expect: [{ line: 2, message: /^ffi\.enable is "true": / }], quickFixed: '[ffi]\r\nffi.enable = preload\r\n' },
    { name: 'preload (any case) and false are fine', input: '[ffi]\nffi.enable = PRELOAD\n', expect: [] },
    { name: 'Off is fine', role: 'fragment', input: 'ffi.enable = Off\n', expect: [] },
    {
      name: 'php_admin_flag takes only booleans in php-fpm: the quick fix writes Off there',
      role: 'fpm',
      input: '[www]\nphp_admin_flag[ffi.enable] = on\n',
      expect: [{ line: 2, message: /^ffi\.enable is on: / }],
      quickFixed: '[www]\nphp_admin_flag[ffi.enable] = Off\n',
    },
    {
      name: 'a pool turning it on with php_value (verified with php-fpm 8.2)',
      role: 'fpm',
      input: '[www]\nphp_value[ffi.enable] = 1\n',
      expect: [{ line: 2, message: /\(php_value\[ffi\.enable\] in pool \[www\]\)$/ }],
      quickFixed: '[www]\nphp_value[ffi.enable] = preload\n',
    },
  ],
};
