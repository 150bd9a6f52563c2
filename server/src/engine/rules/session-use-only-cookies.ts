import { OWASP_SESSION, PHP_SESSION_DOCS } from './_shared';
import { PHP_SESSION_SECURITY, checkBool } from './_session';
import type { Rule } from './types';

const MESSAGE = (shown: string) =>
  `session.use_only_cookies is ${shown}: PHP also takes a session ID from the query string or a POST field, so a crafted link can plant a known ID (session fixation), and IDs in URLs leak through Referer headers, logs and shared links.`;

export const rule: Rule = {
  id: 'session-use-only-cookies',
  title: 'session.use_only_cookies must be on, so PHP ignores session IDs in URLs and forms',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'When `session.use_only_cookies` is off, PHP looks for the session ID in `$_GET` and `$_POST` as well as ' +
    'in the cookie. Two things follow. An attacker can send a victim a link that carries an ID of the ' +
    'attacker’s choosing and later use the session the victim logs in with (session fixation). And IDs that ' +
    'sit in URLs are copied into browser history, server and proxy logs, and the `Referer` header of every ' +
    'request to another site, where anyone who reads them can take the session over. It is on by default; PHP ' +
    '8.4 deprecated turning it off.',
  sources: [
    { title: 'PHP manual: session.use_only_cookies', url: `${PHP_SESSION_DOCS}#ini.session.use-only-cookies` },
    { title: 'PHP manual: session management basics', url: PHP_SESSION_SECURITY },
    { title: 'PHP RFC: Deprecate GET/POST sessions (PHP 8.4)', url: 'https://wiki.php.net/rfc/deprecate-get-post-sessions' },
    { title: 'OWASP Session Management Cheat Sheet: session ID exchange mechanism', url: OWASP_SESSION },
  ],
  check(ctx) {
    checkBool(ctx, { directive: 'session.use_only_cookies', want: true, message: MESSAGE });
  },
  cases: [
    {
      name: 'off is reported and fixed (PHP 8.2: not deprecated yet)',
      input: '[Session]\nsession.use_only_cookies = 0\n',
      expect: [{ line: 2, message: MESSAGE('0'), severity: 'warning' }],
      fixed: '[Session]\nsession.use_only_cookies = 1\n',
    },
    {
      name: 'PHP 8.4: turning it off is deprecated as well',
      phpVersion: '8.4',
      input: '[Session]\nsession.use_only_cookies = Off\n',
      expect: [{ line: 2, message: `${MESSAGE('Off')} Turning it off is deprecated as of PHP 8.4.` }],
      fixed: '[Session]\nsession.use_only_cookies = On\n',
    },
    {
      name: 'CRLF fragment, an unquoted None is off',
      role: 'fragment',
      input: '; sessions\r\nsession.use_only_cookies = None\r\n',
      expect: [{ line: 2, message: MESSAGE('None') }],
      fixed: '; sessions\r\nsession.use_only_cookies = On\r\n',
    },
    { name: 'on is fine', input: 'session.use_only_cookies = On\n', expect: [] },
    { name: 'on is fine on PHP 8.4 too', phpVersion: '8.4', input: 'session.use_only_cookies = 1\n', expect: [] },
    { name: 'missing from a main php.ini is fine: on by default', input: '[Session]\nsession.name = SID\n', expect: [] },
    {
      name: 'a pool that turns it off, PHP 8.5',
      role: 'fpm',
      phpVersion: '8.5',
      input: '[www]\nphp_value[session.use_only_cookies] = 0\n',
      expect: [
        {
          line: 2,
          message: `${MESSAGE('0 (php_value[session.use_only_cookies] in pool [www])')} Turning it off is deprecated as of PHP 8.4.`,
        },
      ],
      fixed: '[www]\nphp_value[session.use_only_cookies] = 1\n',
    },
  ],
};
