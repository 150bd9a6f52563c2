import { OWASP_SESSION, PHP_SESSION_DOCS, requireBool } from './_shared';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'session-use-strict-mode',
  title: 'session.use_strict_mode must be on, so PHP refuses session IDs it did not create',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'With strict mode off, PHP accepts any session ID a browser presents and starts a session under it. An ' +
    'attacker can plant a known ID in a victim’s browser (through a link, a subdomain or an injected cookie) ' +
    'and later ride the session the victim logs in with: session fixation. With strict mode on, PHP discards ' +
    'IDs that have no stored session and issues a fresh one. It has been off by default in every PHP release ' +
    'so far, so a php.ini that does not set it is exposed.',
  sources: [
    { title: 'PHP manual: session.use_strict_mode', url: `${PHP_SESSION_DOCS}#ini.session.use-strict-mode` },
    { title: 'PHP manual: session management basics (strict mode)', url: 'https://www.php.net/manual/en/features.session.security.management.php#features.session.security.management.non-adaptive-session' },
    { title: 'OWASP Session Management Cheat Sheet: session fixation', url: OWASP_SESSION },
  ],
  check(ctx) {
    requireBool(ctx, {
      directive: 'session.use_strict_mode',
      want: true,
      message: 'session.use_strict_mode is {value}: PHP will accept session IDs an attacker chose (session fixation).',
      missingMessage: 'session.use_strict_mode is not set and is off by default: PHP will accept session IDs an attacker chose.',
    });
  },
  cases: [
    {
      name: 'off is reported and fixed, keeping the comment',
      input: '[Session]\nsession.use_strict_mode = 0 ; default\n',
      expect: [{ line: 2, message: 'session.use_strict_mode is 0: PHP will accept session IDs an attacker chose (session fixation).' }],
      fixed: '[Session]\nsession.use_strict_mode = 1 ; default\n',
    },
    {
      name: 'Off keeps the On/Off style',
      input: 'session.use_strict_mode=Off\r\n',
      role: 'fragment',
      expect: [{ line: 1, message: /is Off/ }],
      fixed: 'session.use_strict_mode=On\r\n',
    },
    { name: 'on is fine', input: 'session.use_strict_mode = On\n', expect: [] },
    {
      name: 'missing from a main php.ini: inserted into [Session]',
      input: '[PHP]\nexpose_php = Off\n[Session]\nsession.name = SID\n[Other]\nx = 1\n',
      expect: [{ line: 3, message: /is not set and is off by default/ }],
      fixed: '[PHP]\nexpose_php = Off\n[Session]\nsession.name = SID\nsession.use_strict_mode = 1\n[Other]\nx = 1\n',
    },
    { name: 'missing from a conf.d fragment is normal', role: 'fragment', input: 'session.name = SID\n', expect: [] },
    {
      name: 'a pool that turns it off',
      dialect: 'php-fpm',
      role: 'fpm',
      input: '[www]\nphp_admin_value[session.use_strict_mode] = 0\n',
      expect: [{ line: 2, message: /is 0: .* \(php_admin_value\[session\.use_strict_mode\] in pool \[www\]\)/ }],
      fixed: '[www]\nphp_admin_value[session.use_strict_mode] = 1\n',
    },
    {
      name: 'an unquoted "yes" is on; a quoted "no" is a string PHP reads as 0',
      input: 'session.use_strict_mode = "no"\n',
      role: 'fragment',
      expect: [{ line: 1, message: /is "no"/ }],
      fixed: 'session.use_strict_mode = On\n',
    },
  ],
};
