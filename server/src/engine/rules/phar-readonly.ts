import { checkBool, isProduction } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'phar-readonly',
  title: 'phar.readonly should stay On in production, so scripts cannot create or change .phar archives',
  severity: 'warning',
  scopes: ['main', 'fragment'],
  rationale:
    'With phar.readonly on (the default), the Phar extension can read archives but not write them. Turned ' +
    'off, any script can build or modify `.phar` files, self-contained PHP applications that PHP will ' +
    'happily include and run, which gives an attacker with a foothold a convenient way to hide and persist ' +
    'code. Production servers have no reason to build phars; build them in CI or on a development machine.\n\n' +
    'Only php.ini and conf.d files can turn it off: PHP refuses to lower it after start-up, and a php-fpm ' +
    'pool’s `php_admin_value[phar.readonly] = 0` is ignored (checked with php-fpm 8.2), so pools and ' +
    '.user.ini files are not checked. Production only.',
  sources: [{ title: 'PHP manual: phar.readonly', url: 'https://www.php.net/manual/en/phar.configuration.php#ini.phar.readonly' }],
  check(ctx) {
    if (!isProduction(ctx)) return;
    checkBool(ctx, {
      directive: 'phar.readonly',
      bad: false,
      message: 'phar.readonly is {value}: scripts can create and modify .phar archives, which PHP can then load and run as code.',
      safe: true,
    });
  },
  cases: [
    {
      name: 'Off is reported and turned On',
      input: '[Phar]\nphar.readonly = Off\n',
      expect: [{ line: 2, message: 'phar.readonly is Off: scripts can create and modify .phar archives, which PHP can then load and run as code.', severity: 'warning' }],
      fixed: '[Phar]\nphar.readonly = On\n',
    },
    { name: 'CRLF, 0', role: 'fragment', input: 'phar.readonly=0\r\n', expect: [{ line: 1, message: /^phar\.readonly is 0: / }], fixed: 'phar.readonly=1\r\n' },
    { name: 'On is fine; missing is fine (default On)', input: '[Phar]\nphar.readonly = On\n', expect: [] },
    { name: 'building phars on a development machine is normal', profile: 'development', input: '[Phar]\nphar.readonly = Off\n', expect: [] },
  ],
};
