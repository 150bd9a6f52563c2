import { compareVersions } from '../catalog';
import type { LintContext, PhpSetting } from '../lint';
import { OWASP_SESSION, PHP_SESSION_DOCS, where } from './_shared';
import { PHP_SESSION_SECURITY, duration, sameScope, seconds, written } from './_session';
import { handlerOf } from './_storage';
import type { Rule } from './types';

const DAY = 86400;

const LONG = (shown: string, n: number) =>
  `session.gc_maxlifetime = ${shown} lets a session live for ${duration(n)} after its last use: a stolen or forgotten session ID stays valid that long. Keep it as short as the application allows (PHP's default is 1440 seconds).`;
const NO_GC = (shown: string) =>
  `session.gc_probability = ${shown}: PHP never deletes old session files itself, and it keeps accepting an expired session as long as its file exists. Debian's PHP packages (also used by Ubuntu) run sessionclean from /etc/cron.d/php or the phpsessionclean timer for this; elsewhere, schedule a clean-up job yourself.`;
const DIVISOR_EVERY = (shown: string) =>
  `session.gc_divisor = ${shown}: PHP then runs session garbage collection at every session start, scanning all stored sessions on each request (PHP 8.4 and later refuse the value).`;
const DIVISOR_REJECTED = (shown: string, fallback: string) =>
  `session.gc_divisor = ${shown} is refused by PHP 8.4 and later, which warn and keep ${fallback}.`;
const PROBABILITY_REJECTED = (shown: string, fallback: string) =>
  `session.gc_probability = ${shown} is refused by PHP 8.4 and later, which warn and keep ${fallback}.`;

/** What PHP keeps when it refuses a value: the built-in default at start-up, the php.ini value at run time. */
function fallback(ctx: LintContext, s: PhpSetting, def: string): string {
  return s.pool || ctx.options.role === 'user-ini' ? 'the value from php.ini' : `the default, ${def}`;
}

export const rule: Rule = {
  id: 'session-gc',
  title: 'Expired sessions must really expire: short session.gc_maxlifetime and working garbage collection',
  severity: 'information',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'PHP has no other notion of session expiry than garbage collection: `session.gc_maxlifetime` is how long ' +
    'an untouched session is kept, and the files handler keeps serving a session whose file still exists, ' +
    'however old. A long lifetime therefore means a stolen session ID stays usable for that long; the manual ' +
    'recommends the smallest value the application can live with.\n\n' +
    'With `session.gc_probability = 0`, PHP never runs that collection for the files handler, so nothing ' +
    'expires unless an outside job deletes old files. Debian ships such a job (sessionclean, run from ' +
    '`/etc/cron.d/php` or the `phpsessionclean` systemd timer) and sets the probability to 0 on purpose; ' +
    'on other systems nobody does. Redis and memcached expire sessions by themselves, so this part only ' +
    'concerns the files handler. A `session.gc_divisor` of 0 makes PHP before 8.4 collect on every session ' +
    'start; PHP 8.4 refuses it.',
  sources: [
    { title: 'PHP manual: session.gc_maxlifetime', url: `${PHP_SESSION_DOCS}#ini.session.gc-maxlifetime` },
    { title: 'PHP manual: session.gc_probability', url: `${PHP_SESSION_DOCS}#ini.session.gc-probability` },
    { title: 'PHP manual: session.gc_divisor', url: `${PHP_SESSION_DOCS}#ini.session.gc-divisor` },
    { title: 'PHP manual: session management basics (expiration)', url: PHP_SESSION_SECURITY },
    { title: 'OWASP Session Management Cheat Sheet: session expiration', url: OWASP_SESSION },
  ],
  check(ctx) {
    const php84 = compareVersions(ctx.phpVersion, '8.4') >= 0;

    for (const s of ctx.settings('session.gc_maxlifetime')) {
      const n = seconds(s.value);
      if (n <= DAY) continue;
      const r = ctx.entryRange(s.assignment);
      ctx.report({ message: LONG(written(ctx, s) + where(s), n), start: r.start, end: r.end, directive: 'session.gc_maxlifetime' });
    }

    for (const s of ctx.settings('session.gc_probability')) {
      const n = seconds(s.value);
      const r = ctx.entryRange(s.assignment);
      if (php84 && n < 0) {
        // ext/session (8.4+): OnUpdateSessionGcProbability refuses negative values.
        ctx.report({ message: PROBABILITY_REJECTED(written(ctx, s) + where(s), fallback(ctx, s, '1')), start: r.start, end: r.end, directive: 'session.gc_probability', severity: 'warning' });
        continue;
      }
      // php_session_gc(): collection runs only when gc_probability > 0 (checked with PHP 8.2: a
      // 10-day-old file was still accepted with gc_probability = 0, even with strict mode on).
      if (n > 0 || handlerOf(ctx, s).name !== 'files') continue;
      ctx.report({ message: NO_GC(written(ctx, s) + where(s)), start: r.start, end: r.end, directive: 'session.gc_probability' });
    }

    for (const s of ctx.settings('session.gc_divisor')) {
      const n = seconds(s.value);
      if (n > 0) continue;
      const r = ctx.entryRange(s.assignment);
      const shown = written(ctx, s) + where(s);
      if (php84) {
        ctx.report({ message: DIVISOR_REJECTED(shown, fallback(ctx, s, '100')), start: r.start, end: r.end, directive: 'session.gc_divisor', severity: 'warning' });
        continue;
      }
      // Before 8.4, nrand = divisor * random = 0 < probability: collection on every start (checked
      // with PHP 8.2: an expired file was deleted at each of three runs with gc_divisor = 0).
      const prob = sameScope(ctx, s, 'session.gc_probability');
      if (prob.known && seconds(prob.value) <= 0) continue;
      ctx.report({ message: DIVISOR_EVERY(shown), start: r.start, end: r.end, directive: 'session.gc_divisor' });
    }
  },
  cases: [
    {
      name: 'a week of lifetime is reported',
      input: '[Session]\nsession.gc_maxlifetime = 604800\n',
      expect: [{ line: 2, message: LONG('604800', 604800), severity: 'information' }],
    },
    { name: 'exactly one day is accepted', input: '[Session]\nsession.gc_maxlifetime = 86400\n', expect: [] },
    {
      name: 'PHP 8.2 reads K/M/G on integer settings: 2M seconds is 24 days',
      input: 'session.gc_maxlifetime = 2M\r\n',
      role: 'fragment',
      expect: [{ line: 1, message: /= 2M lets a session live for 2097152 seconds after its last use/ }],
    },
    {
      name: "Debian's gc_probability = 0 with the files handler: explained, not alarmed",
      input: '[Session]\nsession.save_handler = files\nsession.gc_probability = 0\nsession.gc_divisor = 1000\n',
      expect: [{ line: 3, message: NO_GC('0'), severity: 'information' }],
    },
    {
      name: 'gc_probability = 0 with Redis is fine: Redis expires keys itself',
      input: '[Session]\nsession.save_handler = redis\nsession.save_path = "tcp://127.0.0.1:6379"\nsession.gc_probability = 0\n',
      expect: [],
    },
    {
      name: 'a pool that switches collection off for the default files handler',
      role: 'fpm',
      input: '[www]\r\nphp_value[session.gc_probability] = 0\r\nphp_admin_value[session.gc_maxlifetime] = 1209600\r\n',
      expect: [
        { line: 2, message: NO_GC('0 (php_value[session.gc_probability] in pool [www])') },
        { line: 3, message: LONG('1209600 (php_admin_value[session.gc_maxlifetime] in pool [www])', 1209600) },
      ],
    },
    {
      name: 'gc_divisor = 0 on PHP 8.2: collection on every session start (checked with PHP 8.2)',
      input: '[Session]\nsession.gc_probability = 1\nsession.gc_divisor = 0\n',
      expect: [{ line: 3, message: DIVISOR_EVERY('0'), severity: 'information' }],
    },
    {
      name: 'gc_divisor = 0 with gc_probability = 0: no collection at all, reported once',
      input: '[Session]\nsession.gc_probability = 0\nsession.gc_divisor = 0\n',
      expect: [{ line: 2, message: NO_GC('0') }],
    },
    {
      name: 'gc_divisor = 0 on PHP 8.4: refused, the default 100 stays',
      phpVersion: '8.4',
      input: '[Session]\nsession.gc_divisor = 0\n',
      expect: [{ line: 2, message: DIVISOR_REJECTED('0', 'the default, 100'), severity: 'warning' }],
    },
    {
      name: 'gc_divisor = 0 in a pool on PHP 8.4: refused, php.ini value stays',
      phpVersion: '8.4',
      role: 'fpm',
      input: '[www]\nphp_value[session.gc_divisor] = 0\n',
      expect: [{ line: 2, message: DIVISOR_REJECTED('0 (php_value[session.gc_divisor] in pool [www])', 'the value from php.ini'), severity: 'warning' }],
    },
    {
      name: 'negative gc_probability on PHP 8.4 is refused',
      phpVersion: '8.4',
      role: 'fragment',
      input: 'session.gc_probability = -1\n',
      expect: [{ line: 1, message: PROBABILITY_REJECTED('-1', 'the default, 1'), severity: 'warning' }],
    },
    {
      name: 'the shipped php.ini values are fine',
      input: '[Session]\nsession.gc_probability = 1\nsession.gc_divisor = 1000\nsession.gc_maxlifetime = 1440\n',
      expect: [],
    },
  ],
};
