import { OWASP_SESSION, PHP_SESSION_DOCS } from './_shared';
import { iniBool } from '../values';
import { PHP_SESSION_SECURITY, checkBool, sameScope } from './_session';
import type { Rule } from './types';

const IN_URLS = (shown: string) =>
  `session.use_cookies is ${shown}: PHP neither sends nor reads the session cookie, so the session ID can only travel in URLs and forms, where it leaks through Referer headers, logs and shared links.`;
const NOWHERE = (shown: string) =>
  `session.use_cookies is ${shown}: PHP neither sends nor reads the session cookie, and with session.use_only_cookies on it takes the ID from nowhere else, so every request starts a new, empty session.`;

export const rule: Rule = {
  id: 'session-use-cookies',
  title: 'session.use_cookies must be on, so the session ID travels in a cookie and not in URLs',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'With `session.use_cookies` off, PHP neither sets nor reads the session cookie. The only way left to ' +
    'carry the session ID from one request to the next is the URL or a form field, and an ID in a URL ends ' +
    'up in browser history, proxy and server logs, `Referer` headers sent to other sites, and links people ' +
    'copy and share. Anyone who sees it can take over the session. A cookie (with `HttpOnly`, `Secure` and ' +
    '`SameSite`) is the only transport PHP offers that keeps the ID out of those places. It is on by default.',
  sources: [
    { title: 'PHP manual: session.use_cookies', url: `${PHP_SESSION_DOCS}#ini.session.use-cookies` },
    { title: 'PHP manual: session management basics', url: PHP_SESSION_SECURITY },
    { title: 'OWASP Session Management Cheat Sheet: session ID exchange mechanism', url: OWASP_SESSION },
  ],
  check(ctx) {
    checkBool(ctx, {
      directive: 'session.use_cookies',
      want: true,
      message: (shown, s) => {
        // PHP 8.2, checked: use_cookies=0 + use_only_cookies=1 ignores both the cookie and ?PHPSESSID=
        // (a new ID every request); use_cookies=0 + use_only_cookies=0 takes the ID from the query string.
        const only = sameScope(ctx, s, 'session.use_only_cookies');
        return only.known && iniBool(only.value) ? NOWHERE(shown) : IN_URLS(shown);
      },
    });
  },
  cases: [
    {
      name: 'off in a main php.ini (use_only_cookies on by default): no session survives a request',
      input: '[Session]\nsession.use_cookies = 0 ; no cookies\n',
      expect: [{ line: 2, message: NOWHERE('0'), severity: 'warning' }],
      fixed: '[Session]\nsession.use_cookies = 1 ; no cookies\n',
    },
    {
      name: 'off with use_only_cookies off: the ID moves into URLs (PHP 8.2 took ?PHPSESSID=)',
      input: '[Session]\nsession.use_only_cookies = 0\nsession.use_cookies = 0\n',
      expect: [{ line: 3, message: IN_URLS('0') }],
      fixed: '[Session]\nsession.use_only_cookies = 0\nsession.use_cookies = 1\n',
    },
    {
      name: 'CRLF fragment, Off keeps the On/Off style; use_only_cookies unknown',
      role: 'fragment',
      input: 'session.name = SID\r\nsession.use_cookies = Off\r\n',
      expect: [{ line: 2, message: IN_URLS('Off') }],
      fixed: 'session.name = SID\r\nsession.use_cookies = On\r\n',
    },
    {
      name: 'an empty value is off (PHP 8.2: ini_get gives "")',
      role: 'fragment',
      input: 'session.use_cookies =\n',
      expect: [{ line: 1, message: IN_URLS('empty (off)') }],
      fixed: 'session.use_cookies = On\n',
    },
    { name: 'on is fine', input: 'session.use_cookies = 1\n', expect: [] },
    { name: 'missing from a main php.ini is fine: on by default', input: '[Session]\nsession.name = SID\n', expect: [] },
    {
      name: 'a pool that turns it off',
      role: 'fpm',
      input: '[www]\nphp_admin_flag[session.use_cookies] = off\n',
      expect: [{ line: 2, message: IN_URLS('off (php_admin_flag[session.use_cookies] in pool [www])') }],
      fixed: '[www]\nphp_admin_flag[session.use_cookies] = On\n',
    },
    {
      name: 'each pool is judged on its own',
      role: 'fpm',
      input: '[a]\nphp_value[session.use_cookies] = 1\n[b]\nphp_value[session.use_only_cookies] = 1\nphp_value[session.use_cookies] = 0\n',
      expect: [{ line: 5, message: NOWHERE('0 (php_value[session.use_cookies] in pool [b])') }],
      fixed: '[a]\nphp_value[session.use_cookies] = 1\n[b]\nphp_value[session.use_only_cookies] = 1\nphp_value[session.use_cookies] = 1\n',
    },
  ],
};
