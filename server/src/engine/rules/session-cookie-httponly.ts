import { OWASP_SESSION, PHP_SESSION_DOCS } from './_shared';
import { MDN_SET_COOKIE, checkBool } from './_session';
import type { Rule } from './types';

const MESSAGE = (shown: string) =>
  `session.cookie_httponly is ${shown}: scripts running in the page can read the session cookie, so a single XSS flaw is enough to steal sessions.`;
const MISSING =
  'session.cookie_httponly is not set and PHP’s default is off: scripts running in the page can read the session cookie, so a single XSS flaw is enough to steal sessions.';

export const rule: Rule = {
  id: 'session-cookie-httponly',
  title: 'session.cookie_httponly must be on, so scripts in the page cannot read the session cookie',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'A cookie marked `HttpOnly` is sent with requests as usual but is hidden from `document.cookie` and other ' +
    'script APIs. Without the flag, any script that manages to run in the page (through an XSS hole, a ' +
    'compromised third-party script or a malicious browser extension’s content script) can read the session ' +
    'ID and send it elsewhere, and the attacker then owns the session from their own machine. PHP’s default ' +
    'has been off, and the stock php.ini files leave it empty, so a php.ini has to turn it on.',
  sources: [
    { title: 'PHP manual: session.cookie_httponly', url: `${PHP_SESSION_DOCS}#ini.session.cookie-httponly` },
    { title: 'MDN: Set-Cookie, HttpOnly', url: `${MDN_SET_COOKIE}#httponly` },
    { title: 'OWASP Session Management Cheat Sheet: HttpOnly attribute', url: OWASP_SESSION },
  ],
  check(ctx) {
    checkBool(ctx, { directive: 'session.cookie_httponly', want: true, message: MESSAGE, missingMessage: MISSING });
  },
  cases: [
    {
      name: 'the stock php.ini leaves it empty: off (PHP 8.2 sends no HttpOnly)',
      input: '[Session]\nsession.cookie_httponly =\nsession.cookie_samesite =\n',
      expect: [{ line: 2, message: MESSAGE('empty (off)') }],
      fixed: '[Session]\nsession.cookie_httponly = On\nsession.cookie_samesite =\n',
    },
    {
      name: 'missing from a main php.ini: inserted into [Session]',
      input: '[PHP]\nexpose_php = Off\n[Session]\nsession.name = SID\n[Other]\nx = 1\n',
      expect: [{ line: 3, message: MISSING }],
      fixed: '[PHP]\nexpose_php = Off\n[Session]\nsession.name = SID\nsession.cookie_httponly = 1\n[Other]\nx = 1\n',
    },
    {
      name: 'CRLF, missing: the inserted line keeps CRLF',
      input: '[Session]\r\nsession.name = SID\r\n',
      expect: [{ line: 1, message: MISSING }],
      fixed: '[Session]\r\nsession.name = SID\r\nsession.cookie_httponly = 1\r\n',
    },
    { name: 'on is fine', input: 'session.cookie_httponly = On\n', expect: [] },
    { name: 'a quoted "1" is on', input: 'session.cookie_httponly = "1"\n', expect: [] },
    { name: 'an unknown word ("enabled", off to PHP) is left to invalid-value', role: 'fragment', input: 'session.cookie_httponly = enabled\n', expect: [] },
    { name: 'missing from a conf.d fragment is normal', role: 'fragment', input: 'session.name = SID\n', expect: [] },
    {
      name: 'off in a fragment keeps the style',
      role: 'fragment',
      input: 'session.cookie_httponly = false\n',
      expect: [{ line: 1, message: MESSAGE('false') }],
      fixed: 'session.cookie_httponly = true\n',
    },
    {
      name: 'a pool that turns it off',
      role: 'fpm',
      input: '[www]\r\nphp_admin_value[session.cookie_httponly] = 0\r\n',
      expect: [{ line: 2, message: MESSAGE('0 (php_admin_value[session.cookie_httponly] in pool [www])') }],
      fixed: '[www]\r\nphp_admin_value[session.cookie_httponly] = 1\r\n',
    },
  ],
};
