import { OWASP_SESSION, PHP_SESSION_DOCS } from './_shared';
import { checkBool } from './_session';
import type { Rule } from './types';

const MESSAGE = (shown: string) =>
  `session.auto_start is ${shown}: PHP opens a session on every request before any application code runs, so the application cannot configure it first (save handler, cookie flags, strict mode), and objects stored in the session come back as __PHP_Incomplete_Class.`;

export const rule: Rule = {
  id: 'session-auto-start',
  title: 'session.auto_start must be off, so the application configures its session before starting it',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'With `session.auto_start` on, PHP starts the session during request start-up, before the first line of ' +
    'the application runs. Session settings cannot be changed once a session is active, so everything the ' +
    'application would set up first (a custom save handler, cookie flags, strict mode, a fresh ID after ' +
    'login) is too late or has to be redone; every request, including those from bots, also creates and ' +
    'stores a session. Classes are not loaded yet at that point, so objects kept in the session are ' +
    'restored as `__PHP_Incomplete_Class`.\n\n' +
    'The quick fix turns it off, but it is not applied automatically: an application written for ' +
    '`auto_start = 1` may never call `session_start()` and would lose its sessions.',
  sources: [
    { title: 'PHP manual: session.auto_start', url: `${PHP_SESSION_DOCS}#ini.session.auto-start` },
    { title: 'PHP manual: session_start()', url: 'https://www.php.net/manual/en/function.session-start.php' },
    { title: 'OWASP Session Management Cheat Sheet', url: OWASP_SESSION },
  ],
  check(ctx) {
    checkBool(ctx, {
      directive: 'session.auto_start',
      want: false,
      message: (shown) => MESSAGE(shown),
      // Not safe: an application that relies on it may never call session_start() itself.
      safe: false,
    });
  },
  cases: [
    {
      name: 'on is reported; the fix is offered, not applied (checked with php-fpm 8.2: an object came back as __PHP_Incomplete_Class)',
      input: '[Session]\nsession.auto_start = 1\n',
      expect: [{ line: 2, message: MESSAGE('1'), severity: 'warning' }],
      quickFixed: '[Session]\nsession.auto_start = 0\n',
    },
    { name: 'off, as shipped, is fine', input: '[Session]\nsession.auto_start = 0\n', expect: [] },
    { name: 'absent: off by default', input: '[Session]\nsession.name = SID\n', expect: [] },
    {
      name: 'On keeps the On/Off style, CRLF',
      role: 'fragment',
      input: 'session.auto_start = On\r\n',
      expect: [{ line: 1, message: MESSAGE('On') }],
      quickFixed: 'session.auto_start = Off\r\n',
    },
    {
      name: 'a pool that turns it on (PHP_INI_PERDIR: php_flag works)',
      role: 'fpm',
      input: '[www]\nphp_flag[session.auto_start] = on\n',
      expect: [{ line: 2, message: MESSAGE('on (php_flag[session.auto_start] in pool [www])') }],
      quickFixed: '[www]\nphp_flag[session.auto_start] = Off\n',
    },
  ],
};
