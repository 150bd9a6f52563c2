import { statusFor } from '../catalog';
import { iniBool } from '../values';
import { PHP_SESSION_DOCS, where } from './_shared';
import { MDN_SET_COOKIE, relatedAt, sameScope, setBoolEdit, shownBool } from './_session';
import type { Fix, Rule } from './types';

const D = 'session.cookie_partitioned';

const NO_SECURE = (shown: string, secure: string) =>
  `session.cookie_partitioned is ${shown} but ${secure}: PHP refuses to send a Partitioned cookie that is not Secure (browsers would reject it too), so session_start() fails with a warning whenever a new session cookie is due.`;

export const rule: Rule = {
  id: 'session-cookie-partitioned',
  title: 'session.cookie_partitioned (PHP 8.5+) needs session.cookie_secure on',
  severity: 'error',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'PHP 8.5 added `session.cookie_partitioned`, which marks the session cookie `Partitioned` (CHIPS): when ' +
    'the site is embedded in another one, the browser keeps a separate cookie jar per top-level site instead of ' +
    'refusing third-party cookies outright. Browsers only accept `Partitioned` together with `Secure`, and ' +
    'PHP checks the same thing itself: with `session.cookie_secure` off, `session_start()` emits a warning and ' +
    'fails instead of sending the cookie, so no new session can start. Earlier PHP versions do not know the ' +
    'directive at all (reported by the unknown-directive check, not here).',
  sources: [
    { title: 'PHP manual: session.cookie_partitioned', url: `${PHP_SESSION_DOCS}#ini.session.cookie-partitioned` },
    { title: 'MDN: Set-Cookie, Partitioned', url: `${MDN_SET_COOKIE}#partitioned` },
    { title: 'MDN: Cookies Having Independent Partitioned State (CHIPS)', url: 'https://developer.mozilla.org/en-US/docs/Web/Privacy/Guides/Third-party_cookies/Partitioned_cookies' },
  ],
  check(ctx) {
    // Before 8.5 PHP ignores the line (with an unknown-directive finding from another rule).
    if (statusFor(D, ctx.phpVersion) === 'not-yet') return;
    for (const s of ctx.settings(D)) {
      if (!iniBool(s.value)) continue;
      const secure = sameScope(ctx, s, 'session.cookie_secure');
      if (!secure.known || iniBool(secure.value)) continue;
      const r = ctx.entryRange(s.assignment);
      const edit = setBoolEdit(ctx, secure, 'session.cookie_secure', true);
      // The session cannot start at all now; Secure cannot make an HTTPS site worse.
      const fixes: Fix[] = edit ? [{ title: 'Turn on session.cookie_secure', edits: [edit], safe: ctx.options.httpsOnly }] : [];
      ctx.report({
        message: NO_SECURE(`${shownBool(ctx, s)}${where(s)}`, secure.setting ? 'session.cookie_secure is off' : 'session.cookie_secure is not set and defaults to off'),
        start: r.start,
        end: r.end,
        directive: D,
        related: relatedAt(ctx, secure.setting, 'session.cookie_secure is off here'),
        fixes,
      });
    }
  },
  cases: [
    {
      name: 'PHP 8.5: partitioned without Secure fails session_start() (php-src session_partitioned test)',
      phpVersion: '8.5',
      input: '[Session]\nsession.cookie_secure = 0\nsession.cookie_partitioned = 1\n',
      expect: [{ line: 3, message: NO_SECURE('1', 'session.cookie_secure is off'), severity: 'error' }],
      fixed: '[Session]\nsession.cookie_secure = 1\nsession.cookie_partitioned = 1\n',
    },
    {
      name: 'PHP 8.5, CRLF, cookie_secure missing from the main php.ini: the default is off, Secure is inserted',
      phpVersion: '8.5',
      input: '[Session]\r\nsession.cookie_partitioned = On\r\n',
      expect: [{ line: 2, message: NO_SECURE('On', 'session.cookie_secure is not set and defaults to off') }],
      fixed: '[Session]\r\nsession.cookie_partitioned = On\r\nsession.cookie_secure = 1\r\n',
    },
    { name: 'PHP 8.5 with Secure is fine', phpVersion: '8.5', input: 'session.cookie_secure = On\nsession.cookie_partitioned = On\n', expect: [] },
    { name: 'PHP 8.5 partitioned off is fine', phpVersion: '8.5', input: 'session.cookie_partitioned = 0\n', expect: [] },
    { name: 'PHP 8.2 does not know the directive: left to the unknown-directive check', phpVersion: '8.2', input: 'session.cookie_partitioned = 1\n', expect: [] },
    { name: 'a fragment cannot tell what cookie_secure is', phpVersion: '8.5', role: 'fragment', input: 'session.cookie_partitioned = 1\n', expect: [] },
    {
      name: 'httpsOnly off: still broken, but the fix is a quick fix only',
      phpVersion: '8.5',
      httpsOnly: false,
      input: 'session.cookie_secure = Off\nsession.cookie_partitioned = On\n',
      expect: [{ line: 2, message: /^session\.cookie_partitioned is On but session\.cookie_secure is off: / }],
      quickFixed: 'session.cookie_secure = On\nsession.cookie_partitioned = On\n',
    },
    {
      name: 'a pool that sets both',
      phpVersion: '8.5',
      role: 'fpm',
      input: '[www]\nphp_value[session.cookie_partitioned] = 1\nphp_value[session.cookie_secure] = 0\n',
      expect: [{ line: 2, message: NO_SECURE('1 (php_value[session.cookie_partitioned] in pool [www])', 'session.cookie_secure is off') }],
      fixed: '[www]\nphp_value[session.cookie_partitioned] = 1\nphp_value[session.cookie_secure] = 1\n',
    },
  ],
};
