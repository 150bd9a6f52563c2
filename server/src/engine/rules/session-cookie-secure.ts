import { OWASP_SESSION, PHP_SESSION_DOCS } from './_shared';
import { MDN_SET_COOKIE, checkBool } from './_session';
import type { Rule } from './types';

const MESSAGE = (shown: string) =>
  `session.cookie_secure is ${shown}: browsers also send the session cookie over plain HTTP, where anyone on the network path can read it and take over the session.`;
const MISSING =
  'session.cookie_secure is not set and PHP’s default is off: browsers also send the session cookie over plain HTTP, where anyone on the network path can read it.';

export const rule: Rule = {
  id: 'session-cookie-secure',
  title: 'session.cookie_secure must be on for a site served over HTTPS only',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'A cookie without the `Secure` attribute is sent on `http://` requests too. Even an HTTPS-only site ' +
    'gets those: a typed address, an old bookmark or a link an attacker plants makes the browser try plain ' +
    'HTTP first, and the session cookie goes out in clear text before any redirect to HTTPS, readable by ' +
    'anyone on the same Wi-Fi or network path. With `session.cookie_secure` on, the browser only sends the ' +
    'cookie over HTTPS. PHP’s default is off. This rule follows the `httpsOnly` option (on by default): turn ' +
    'the option off for sites that really serve sessions over plain HTTP, where a Secure cookie would never ' +
    'come back.',
  sources: [
    { title: 'PHP manual: session.cookie_secure', url: `${PHP_SESSION_DOCS}#ini.session.cookie-secure` },
    { title: 'MDN: Set-Cookie, Secure', url: `${MDN_SET_COOKIE}#secure` },
    { title: 'OWASP Session Management Cheat Sheet: Secure attribute', url: OWASP_SESSION },
  ],
  check(ctx) {
    if (!ctx.options.httpsOnly) return;
    checkBool(ctx, { directive: 'session.cookie_secure', want: true, message: MESSAGE, missingMessage: MISSING });
  },
  cases: [
    {
      name: 'off is reported and fixed',
      input: '[Session]\nsession.cookie_secure = 0\n',
      expect: [{ line: 2, message: MESSAGE('0'), severity: 'warning' }],
      fixed: '[Session]\nsession.cookie_secure = 1\n',
    },
    {
      name: 'missing from a main php.ini (the stock file only has it commented out)',
      input: '[Session]\n;session.cookie_secure =\nsession.name = SID\n',
      expect: [{ line: 1, message: MISSING }],
      fixed: '[Session]\n;session.cookie_secure =\nsession.name = SID\nsession.cookie_secure = 1\n',
    },
    {
      name: 'CRLF fragment with Off',
      role: 'fragment',
      input: 'session.cookie_secure = Off\r\n',
      expect: [{ line: 1, message: MESSAGE('Off') }],
      fixed: 'session.cookie_secure = On\r\n',
    },
    { name: 'on is fine', input: 'session.cookie_secure = 1\n', expect: [] },
    { name: 'httpsOnly off: a plain-HTTP site cannot use Secure, nothing to report', httpsOnly: false, input: 'session.cookie_secure = 0\n', expect: [] },
    { name: 'httpsOnly off: missing is not reported either', httpsOnly: false, input: '[Session]\nsession.name = SID\n', expect: [] },
    {
      name: 'a pool that turns it off',
      role: 'fpm',
      input: '[www]\nphp_admin_flag[session.cookie_secure] = Off\n',
      expect: [{ line: 2, message: MESSAGE('Off (php_admin_flag[session.cookie_secure] in pool [www])') }],
      fixed: '[www]\nphp_admin_flag[session.cookie_secure] = On\n',
    },
    { name: 'a pool that does not set it inherits php.ini: nothing to say', role: 'fpm', input: '[www]\nphp_value[session.name] = SID\n', expect: [] },
  ],
};
