import { OWASP_SESSION, PHP_SESSION_DOCS, where } from './_shared';
import { written } from './_session';
import type { Fix, Rule } from './types';

const PUBLIC = (shown: string) =>
  `session.cache_limiter = ${shown} marks pages that use a session as "Cache-Control: public": a shared proxy or CDN may store one user's page and serve it to others.`;
const PRIVATE = (shown: string) =>
  `session.cache_limiter = ${shown} lets browsers keep pages that use a session for session.cache_expire minutes ("Cache-Control: private"): on a shared computer the next person can open them from the cache, even after logout.`;
const EMPTY = (subject: string) =>
  `${subject}: PHP sends no caching headers on pages that use a session, so whether they are cached depends on the web server and the application.`;

/** `session.cache_limiter is empty`, or `session.cache_limiter = none is read as empty` for PHP's null words. */
function emptySubject(shown: string, w: string): string {
  return shown === '' || shown === '""' || shown === "''" ? `session.cache_limiter is empty${w}` : `session.cache_limiter = ${shown}${w} is read as empty`;
}
const UNKNOWN = (shown: string) =>
  `session.cache_limiter = ${shown} is not a value PHP knows, so it silently sends no caching headers on pages that use a session. Use nocache.`;

/** The names php_session_cache_limiter() looks up, case-insensitively (ext/session/session.c). */
const KNOWN = ['nocache', 'public', 'private', 'private_no_expire'];

export const rule: Rule = {
  id: 'session-cache-limiter',
  title: 'Pages that use a session must not be cacheable: session.cache_limiter = nocache',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'When a script starts a session, PHP adds caching headers chosen by `session.cache_limiter`. The default, ' +
    '`nocache`, forbids storing the page (`Cache-Control: no-store, no-cache, must-revalidate`), which is what ' +
    'pages showing one user\'s data need. `public` allows shared caches (proxies, CDNs) to keep the page and ' +
    'hand it to other visitors; `private` and `private_no_expire` let the browser keep it for ' +
    '`session.cache_expire` minutes, where the next user of a shared computer can find it. An empty value ' +
    'makes PHP send no caching headers at all, and so does a value PHP does not know (such as `no-cache`).\n\n' +
    'Replacing `public` or an unknown value with `nocache` is applied automatically: it restores PHP\'s ' +
    'default, and scripts that want caching for a page can still call `session_cache_limiter()`. Replacing ' +
    '`private` is only offered, since some sites choose it on purpose for pages without sensitive data.',
  sources: [
    { title: 'PHP manual: session.cache_limiter', url: `${PHP_SESSION_DOCS}#ini.session.cache-limiter` },
    { title: 'PHP manual: session_cache_limiter()', url: 'https://www.php.net/manual/en/function.session-cache-limiter.php' },
    { title: 'OWASP Session Management Cheat Sheet: web content caching', url: OWASP_SESSION },
    { title: 'MDN: Cache-Control', url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Cache-Control' },
  ],
  check(ctx) {
    for (const s of ctx.settings('session.cache_limiter')) {
      // strcasecmp on the exact string: a quoted " public " is unknown to PHP.
      const v = s.value.toLowerCase();
      if (v === 'nocache') continue;
      const r = ctx.entryRange(s.assignment);
      const shown = written(ctx, s) + where(s);
      const toNocache = (safe: boolean): Fix => ({ title: 'Set session.cache_limiter to nocache', edits: [ctx.replaceValue(s.assignment, 'nocache')], safe });
      const report = (message: string, fix: Fix, severity?: 'information') =>
        ctx.report({ message, start: r.start, end: r.end, directive: 'session.cache_limiter', severity, fixes: [fix] });
      if (s.value === '') report(EMPTY(emptySubject(written(ctx, s), where(s))), toNocache(false), 'information');
      else if (v === 'public') report(PUBLIC(shown), toNocache(true));
      else if (v === 'private' || v === 'private_no_expire') report(PRIVATE(shown), toNocache(false));
      else if (!KNOWN.includes(v)) report(UNKNOWN(shown), toNocache(true));
    }
  },
  cases: [
    {
      name: 'public is fixed to nocache (checked with php-fpm 8.2: "Cache-Control: public, max-age=10800")',
      input: '[Session]\nsession.cache_limiter = public\n',
      expect: [{ line: 2, message: PUBLIC('public'), severity: 'warning' }],
      fixed: '[Session]\nsession.cache_limiter = nocache\n',
    },
    {
      name: 'private_no_expire: offered, not applied',
      role: 'fragment',
      input: 'session.cache_limiter = private_no_expire\r\n',
      expect: [{ line: 1, message: PRIVATE('private_no_expire') }],
      quickFixed: 'session.cache_limiter = nocache\r\n',
    },
    { name: 'nocache, any case, is fine', input: '[Session]\nsession.cache_limiter = NoCache\n', expect: [] },
    { name: 'absent: nocache by default', input: '[Session]\nsession.name = SID\n', expect: [] },
    {
      name: 'empty: no headers at all (checked with php-fpm 8.2)',
      input: '[Session]\nsession.cache_limiter = ""\n',
      expect: [{ line: 2, message: EMPTY('session.cache_limiter is empty'), severity: 'information' }],
    },
    {
      name: 'unquoted none is PHP\'s empty value',
      role: 'fragment',
      input: 'session.cache_limiter = none\n',
      expect: [{ line: 1, message: EMPTY('session.cache_limiter = none is read as empty'), severity: 'information' }],
      quickFixed: 'session.cache_limiter = nocache\n',
    },
    {
      name: 'an unknown value also sends nothing (checked with php-fpm 8.2: "bogus")',
      input: '[Session]\nsession.cache_limiter = no-cache\n',
      expect: [{ line: 2, message: UNKNOWN('no-cache'), severity: 'warning' }],
      fixed: '[Session]\nsession.cache_limiter = nocache\n',
    },
    {
      name: 'a pool that makes session pages public (matched case-insensitively, like PHP)',
      role: 'fpm',
      input: '[www]\nphp_value[session.cache_limiter] = "Public"\n',
      expect: [{ line: 2, message: PUBLIC('"Public" (php_value[session.cache_limiter] in pool [www])') }],
      fixed: '[www]\nphp_value[session.cache_limiter] = nocache\n',
    },
  ],
};
