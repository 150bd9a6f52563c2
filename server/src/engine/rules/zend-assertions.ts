import { PHP_CORE_INI, isProduction, phpSize, reportMissing, settingsHere, sizeBytes, valueFix, where, written } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'zend-assertions',
  title: 'zend.assertions should be -1 in production, so assert() calls are not even compiled',
  severity: 'information',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'zend.assertions decides what `assert()` does: 1 (PHP’s default) compiles and runs every assertion, and a ' +
    'failing one throws `AssertionError`; 0 compiles them but skips them at run time; -1 does not generate ' +
    'code for them at all, which is what `php.ini-production` ships. Assertions are development checks: in ' +
    'production they cost time, and an unexpected `AssertionError` becomes an error page or a message that ' +
    'may reach visitors.\n\n' +
    'PHP only accepts a switch to or from -1 while it starts up (checked with PHP 8.2: `ini_set()` fails with ' +
    '“zend.assertions may be completely enabled or disabled only in php.ini”, and a php-fpm pool’s ' +
    '`php_admin_value[zend.assertions] = -1` is silently ignored). So the fix writes -1 in php.ini and ' +
    'conf.d files, and 0 in pools and .user.ini files. Production only.',
  sources: [
    { title: 'PHP manual: zend.assertions', url: `${PHP_CORE_INI}#ini.zend.assertions` },
    { title: 'PHP manual: assert()', url: 'https://www.php.net/manual/en/function.assert.php' },
  ],
  check(ctx) {
    if (!isProduction(ctx)) return;
    const startup = ctx.options.role === 'main' || ctx.options.role === 'fragment';
    for (const s of settingsHere(ctx, 'zend.assertions')) {
      if (sizeBytes(phpSize(ctx, s.value)) <= 0n) continue;
      const r = ctx.entryRange(s.assignment);
      const value = written(ctx, s);
      const message = startup
        ? `zend.assertions is ${value}: every assert() in the code is compiled and executed in production, and a failing one throws AssertionError. Use -1 so PHP skips them entirely.`
        : `zend.assertions is ${value}: assert() calls are executed in production unless php.ini sets -1. Only php.ini can set -1; here 0 turns them off.`;
      ctx.report({ message: message + where(s), start: r.start, end: r.end, directive: 'zend.assertions', fixes: [valueFix(ctx, s, startup ? '-1' : '0', true)] });
    }
    reportMissing(ctx, {
      directive: 'zend.assertions',
      value: '-1',
      message: 'zend.assertions is not set and defaults to 1: every assert() in the code is compiled and executed in production.',
      safe: true,
      near: ['assert.active'],
      defaultIsBad: (d) => d !== null && Number.parseInt(d, 10) > 0,
    });
  },
  cases: [
    {
      name: '1 in a production php.ini (Debian’s php.ini-development value) becomes -1',
      input: '[PHP]\nzend.assertions = 1\n',
      expect: [
        {
          line: 2,
          message:
            'zend.assertions is 1: every assert() in the code is compiled and executed in production, and a failing one throws AssertionError. Use -1 so PHP skips them entirely.',
          severity: 'information',
        },
      ],
      fixed: '[PHP]\nzend.assertions = -1\n',
    },
    { name: '-1 and 0 are fine', input: '[PHP]\r\nzend.assertions = -1\r\n', expect: [] },
    { name: '0 is fine', role: 'fragment', input: 'zend.assertions = 0\n', expect: [] },
    {
      name: 'On is 1 (verified: PHP 8.2 runs the assertion); CRLF',
      role: 'fragment',
      input: 'zend.assertions = On\r\n',
      expect: [{ line: 1, message: /^zend\.assertions is On: every assert\(\)/ }],
      fixed: 'zend.assertions = -1\r\n',
    },
    {
      name: 'missing from a main php.ini: PHP’s default is 1',
      input: '[PHP]\nmemory_limit = 128M\n',
      expect: [{ line: 1, message: 'zend.assertions is not set and defaults to 1: every assert() in the code is compiled and executed in production.' }],
      fixed: '[PHP]\nmemory_limit = 128M\nzend.assertions = -1\n',
    },
    {
      name: 'a pool cannot set -1 (verified with php-fpm 8.2): the fix writes 0',
      role: 'fpm',
      input: '[www]\nphp_admin_value[zend.assertions] = 1\n',
      expect: [{ line: 2, message: 'zend.assertions is 1: assert() calls are executed in production unless php.ini sets -1. Only php.ini can set -1; here 0 turns them off. (php_admin_value[zend.assertions] in pool [www])' }],
      fixed: '[www]\nphp_admin_value[zend.assertions] = 0\n',
    },
    { name: 'development profile', profile: 'development', input: '[PHP]\nzend.assertions = 1\n', expect: [] },
  ],
};
