import { parseQuantity } from '../values';
import { OWASP_SESSION, PHP_SESSION_DOCS, where } from './_shared';
import { PHP_SESSION_SECURITY, catalogDefault, duration, relatedAt, sameScope, seconds, written } from './_session';
import type { Rule } from './types';

const D = 'session.cookie_lifetime';
const GC = 'session.gc_maxlifetime';

const PERSISTENT = (shown: string, life: number) =>
  `session.cookie_lifetime is ${shown}: the browser keeps the session cookie on disk for ${duration(life)}, even after it is closed, so whoever uses that browser or its cookie store next still has the session; 0 keeps it only until the browser closes.`;
const OUTLIVES = (shown: string, life: number, gc: string) =>
  `session.cookie_lifetime is ${shown}, longer than ${gc}: PHP may delete an idle session long before the cookie expires, so the longer cookie keeps nobody logged in, and raising gc_maxlifetime to match only keeps abandoned sessions valid on the server.`;
const NEGATIVE = (shown: string) =>
  `session.cookie_lifetime is ${shown}: PHP rejects a negative lifetime with a warning and keeps the previous value.`;

export const rule: Rule = {
  id: 'session-cookie-lifetime',
  title: 'session.cookie_lifetime should be 0, and never longer than session.gc_maxlifetime',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'With `session.cookie_lifetime = 0` the session cookie lives in memory and disappears when the browser ' +
    'closes. Any other value gives it an expiry date, so the browser writes it to disk and presents it again ' +
    'days later, to whoever sits at that browser or copies its profile. Long-lived logins are better built as a ' +
    'separate “remember me” token the application can revoke.\n\n' +
    'The cookie lifetime also does not make a session last longer. The session data on the server is ' +
    'discarded once it has been idle for `session.gc_maxlifetime` seconds (1440 by default) whenever garbage ' +
    'collection runs. A cookie that outlives that only points at a session that is gone, and the usual ' +
    'reaction, raising `gc_maxlifetime` to match, keeps every abandoned session usable on the server for that ' +
    'long. This rule compares the two in the same scope (php.ini, or the same pool, where a pool that does not ' +
    'set `gc_maxlifetime` is compared with PHP’s default).',
  sources: [
    { title: 'PHP manual: session.cookie_lifetime', url: `${PHP_SESSION_DOCS}#ini.session.cookie-lifetime` },
    { title: 'PHP manual: session.gc_maxlifetime', url: `${PHP_SESSION_DOCS}#ini.session.gc-maxlifetime` },
    { title: 'PHP manual: session management basics (cookie_lifetime=0)', url: PHP_SESSION_SECURITY },
    { title: 'OWASP Session Management Cheat Sheet: session expiration', url: OWASP_SESSION },
  ],
  check(ctx) {
    for (const s of ctx.settings(D)) {
      const r = ctx.entryRange(s.assignment);
      const shown = `${written(ctx, s) || 'empty'}${where(s)}`;
      const life = seconds(s.value);
      const toZero = { title: 'Set session.cookie_lifetime to 0', edits: [ctx.replaceValue(s.assignment, '0')], safe: false };
      if (life < 0) {
        // PHP 8.2: `session.cookie_lifetime = -5` -> ini_get() gives "0" in a php.ini with nothing else.
        ctx.report({ message: NEGATIVE(shown), start: r.start, end: r.end, directive: D, severity: 'error', fixes: [toZero] });
        continue;
      }
      if (life === 0) continue;
      const gc = sameScope(ctx, s, GC);
      let gcSeconds: number | undefined;
      let gcText = '';
      if (gc.setting) {
        gcSeconds = seconds(gc.value);
        gcText = `session.gc_maxlifetime (${written(ctx, gc.setting)})`;
      } else {
        const def = catalogDefault(GC, ctx.phpVersion);
        if (def !== undefined) {
          gcSeconds = seconds(def);
          gcText = gc.fromDefault
            ? `session.gc_maxlifetime, which is not set and defaults to ${def}`
            : `session.gc_maxlifetime, which is not set here (PHP’s default is ${def})`;
        }
      }
      if (gcSeconds !== undefined && gcSeconds > 0 && life > gcSeconds) {
        ctx.report({
          message: OUTLIVES(shown, life, gcText),
          start: r.start,
          end: r.end,
          directive: D,
          related: relatedAt(ctx, gc.setting, 'session.gc_maxlifetime is set here'),
          fixes: [toZero],
        });
        continue;
      }
      // "2h", "1d": PHP keeps the leading number (checked: 2h gives Max-Age=2); invalid-value reports that.
      if (parseQuantity(s.value)?.error) continue;
      ctx.report({ message: PERSISTENT(shown, life), start: r.start, end: r.end, directive: D, severity: 'information', fixes: [toZero] });
    }
  },
  cases: [
    {
      name: 'a day-long cookie with the default gc_maxlifetime in a main php.ini',
      input: '[Session]\nsession.cookie_lifetime = 86400\n',
      expect: [{ line: 2, message: OUTLIVES('86400', 86400, 'session.gc_maxlifetime, which is not set and defaults to 1440'), severity: 'warning' }],
      quickFixed: '[Session]\nsession.cookie_lifetime = 0\n',
    },
    {
      name: 'outlives the gc_maxlifetime set in the same file (CRLF); related points at it',
      input: '[Session]\r\nsession.gc_maxlifetime = 1440\r\nsession.cookie_lifetime = 7200\r\n',
      expect: [{ line: 3, message: /^session\.cookie_lifetime is 7200, longer than session\.gc_maxlifetime \(1440\): / }],
      quickFixed: '[Session]\r\nsession.gc_maxlifetime = 1440\r\nsession.cookie_lifetime = 0\r\n',
    },
    {
      name: 'persistent but within gc_maxlifetime: information',
      input: '[Session]\nsession.cookie_lifetime = 3600\nsession.gc_maxlifetime = 7200\n',
      expect: [{ line: 2, message: PERSISTENT('3600', 3600), severity: 'information' }],
    },
    {
      name: 'K/M/G suffixes count as PHP 8.2 reads them (1k = 1024 seconds, checked: Max-Age=1024)',
      input: 'session.cookie_lifetime = 1k\nsession.gc_maxlifetime = 2k\n',
      expect: [{ line: 1, message: /^session\.cookie_lifetime is 1k: the browser keeps the session cookie on disk for 1024 seconds, / }],
    },
    {
      name: '"h" is not a unit: PHP 8.2 reads 2h as 2 seconds (checked: Max-Age=2); left to invalid-value',
      role: 'fragment',
      input: 'session.cookie_lifetime = 2h\n',
      expect: [],
    },
    {
      name: 'but a garbled value that still outlives gc_maxlifetime is reported',
      input: 'session.gc_maxlifetime = 1440\nsession.cookie_lifetime = 86400s\n',
      expect: [{ line: 2, message: /^session\.cookie_lifetime is 86400s, longer than session\.gc_maxlifetime \(1440\): / }],
    },
    { name: '0 is fine', input: 'session.cookie_lifetime = 0\nsession.gc_maxlifetime = 60\n', expect: [] },
    { name: 'missing from a main php.ini is fine: 0 by default', input: '[Session]\nsession.gc_maxlifetime = 60\n', expect: [] },
    {
      name: 'negative: PHP 8.2 rejects it and keeps 0',
      input: 'session.cookie_lifetime = -5\n',
      expect: [{ line: 1, message: NEGATIVE('-5'), severity: 'error' }],
    },
    {
      name: 'a pool with a long cookie and no gc_maxlifetime of its own: compared with the default',
      role: 'fpm',
      input: '[www]\nphp_value[session.cookie_lifetime] = 604800\n',
      expect: [
        {
          line: 2,
          message: OUTLIVES('604800 (php_value[session.cookie_lifetime] in pool [www])', 604800, 'session.gc_maxlifetime, which is not set here (PHP’s default is 1440)'),
        },
      ],
    },
    {
      name: 'a pool that raises both: persistent, information',
      role: 'fpm',
      input: '[www]\nphp_value[session.gc_maxlifetime] = 86400\nphp_value[session.cookie_lifetime] = 86400\n',
      expect: [{ line: 3, message: /^session\.cookie_lifetime is 86400 \(php_value\[session\.cookie_lifetime\] in pool \[www\]\): the browser keeps the session cookie on disk for 86400 seconds \(1 day\)/, severity: 'information' }],
    },
    {
      name: 'another pool’s gc_maxlifetime does not count',
      role: 'fpm',
      input: '[a]\nphp_value[session.gc_maxlifetime] = 86400\n[b]\nphp_value[session.cookie_lifetime] = 7200\n',
      expect: [{ line: 4, message: /longer than session\.gc_maxlifetime, which is not set here/, severity: 'warning' }],
    },
  ],
};
