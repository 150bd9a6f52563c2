import { checkBool } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'mail-add-x-header',
  title: 'mail.add_x_header should be Off, so mail does not reveal which script sent it',
  severity: 'hint',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'With mail.add_x_header on, every message sent through `mail()` carries an `X-PHP-Originating-Script` ' +
    'header holding the user ID PHP runs as and the name of the script, for example ' +
    '`X-PHP-Originating-Script: 33:contact.php` (checked with PHP 8.2). Recipients learn internals of the ' +
    'server; on shared hosting it helps tracing spam back to a script, which is why some hosts want it, so it ' +
    'is only a hint. It is off by default and in both shipped php.ini files.',
  sources: [{ title: 'PHP manual: mail.add_x_header', url: 'https://www.php.net/manual/en/mail.configuration.php#ini.mail.add-x-header' }],
  check(ctx) {
    checkBool(ctx, {
      directive: 'mail.add_x_header',
      bad: true,
      message: 'mail.add_x_header is {value}: every message sent with mail() carries an X-PHP-Originating-Script header with the user ID and the name of the sending script.',
      safe: true,
    });
  },
  cases: [
    {
      name: 'On is reported and turned Off',
      input: '[mail function]\nmail.add_x_header = On\n',
      expect: [
        {
          line: 2,
          message: 'mail.add_x_header is On: every message sent with mail() carries an X-PHP-Originating-Script header with the user ID and the name of the sending script.',
          severity: 'hint',
        },
      ],
      fixed: '[mail function]\nmail.add_x_header = Off\n',
    },
    { name: 'CRLF', input: 'mail.add_x_header=1\r\n', expect: [{ line: 1, message: /^mail\.add_x_header is 1: / }], fixed: 'mail.add_x_header=0\r\n' },
    { name: 'Off is fine; missing is fine (default Off)', input: '[mail function]\nmail.add_x_header = Off\n', expect: [] },
    { name: 'a .user.ini may set it (PHP_INI_PERDIR)', role: 'user-ini', input: 'mail.add_x_header = yes\n', expect: [{ line: 1, message: /is yes/ }], fixed: 'mail.add_x_header = no\n' },
    {
      name: 'a pool',
      role: 'fpm',
      input: '[www]\nphp_admin_value[mail.add_x_header] = 1\n',
      expect: [{ line: 2, message: /\(php_admin_value\[mail\.add_x_header\] in pool \[www\]\)$/ }],
      fixed: '[www]\nphp_admin_value[mail.add_x_header] = 0\n',
    },
  ],
};
