import { PHP_SESSION_DOCS } from './_shared';
import { checkBool } from './_session';
import type { Rule } from './types';

const MESSAGE = (shown: string) =>
  `session.lazy_write is ${shown}: PHP writes the whole session back after every request even when nothing changed, which means more storage writes and lock contention, and with save handlers that do not lock, a request that changed nothing can overwrite what a parallel request just saved.`;

export const rule: Rule = {
  id: 'session-lazy-write',
  title: 'session.lazy_write should stay on, so unchanged sessions are not rewritten',
  severity: 'information',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'With `session.lazy_write` on (the default since PHP 7.0), PHP only writes session data back when it ' +
    'changed and otherwise just refreshes the timestamp. Turning it off makes every request rewrite the ' +
    'session: more I/O on the session store, longer lock hold times, and with handlers that do not lock ' +
    '(phpredis and memcached can run without locking) a slow request that only read the session can replace ' +
    'data a parallel request saved in the meantime. Turning it back on changes nothing else, so the fix is ' +
    'applied automatically.',
  sources: [
    { title: 'PHP manual: session.lazy_write', url: `${PHP_SESSION_DOCS}#ini.session.lazy-write` },
    { title: 'PHP manual: SessionUpdateTimestampHandlerInterface', url: 'https://www.php.net/manual/en/class.sessionupdatetimestamphandlerinterface.php' },
  ],
  check(ctx) {
    checkBool(ctx, { directive: 'session.lazy_write', want: true, message: (shown) => MESSAGE(shown) });
  },
  cases: [
    {
      name: 'off is reported and fixed',
      input: '[Session]\nsession.lazy_write = Off\n',
      expect: [{ line: 2, message: MESSAGE('Off'), severity: 'information' }],
      fixed: '[Session]\nsession.lazy_write = On\n',
    },
    { name: 'on is fine', input: '[Session]\nsession.lazy_write = 1\n', expect: [] },
    { name: 'absent: on by default', input: '[Session]\nsession.name = SID\n', expect: [] },
    {
      name: 'empty value is off, CRLF kept',
      role: 'fragment',
      input: 'session.lazy_write =\r\n',
      expect: [{ line: 1, message: MESSAGE('empty (off)') }],
      fixed: 'session.lazy_write = On\r\n',
    },
    {
      name: 'a pool that turns it off',
      role: 'fpm',
      input: '[www]\nphp_admin_value[session.lazy_write] = 0\n',
      expect: [{ line: 2, message: MESSAGE('0 (php_admin_value[session.lazy_write] in pool [www])') }],
      fixed: '[www]\nphp_admin_value[session.lazy_write] = 1\n',
    },
  ],
};
