import { compareVersions } from '../catalog';
import { OWASP_SESSION, PHP_SESSION_DOCS, where } from './_shared';
import { written } from './_session';
import type { Rule } from './types';

const WEAK = (shown: string, value: string) =>
  `session.referer_check = ${shown} is weak protection: PHP only drops the session ID when a Referer header is present and does not contain "${value}" anywhere, so requests without a Referer pass, and so does any Referer that merely mentions it (in another site's path or query).`;
const DEPRECATED = ' The setting is also deprecated as of PHP 8.4.';

export const rule: Rule = {
  id: 'session-referer-check',
  title: 'Do not rely on session.referer_check: the Referer header is optional and easy to fake',
  severity: 'information',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'With `session.referer_check` set, PHP discards the incoming session ID when the request has a ' +
    '`Referer` header that does not contain the configured text. It is a substring test and it only runs ' +
    'when the header is there: browsers leave it out under many `Referrer-Policy` settings and privacy ' +
    'tools, scripts can send whatever they like, and a page on another site whose URL contains the text ' +
    'passes. It neither stops session fixation nor cross-site request forgery reliably; use ' +
    '`session.use_strict_mode`, `SameSite` cookies and CSRF tokens instead. PHP 8.4 deprecates the setting, ' +
    'which this rule notes on the same finding (there is no separate deprecation report for it).',
  sources: [
    { title: 'PHP manual: session.referer_check', url: `${PHP_SESSION_DOCS}#ini.session.referer-check` },
    { title: 'PHP RFC: Deprecate GET/POST sessions (PHP 8.4)', url: 'https://wiki.php.net/rfc/deprecate-get-post-sessions' },
    { title: 'MDN: Referer header', url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Referer' },
    { title: 'OWASP Session Management Cheat Sheet', url: OWASP_SESSION },
  ],
  check(ctx) {
    const php84 = compareVersions(ctx.phpVersion, '8.4') >= 0;
    for (const s of ctx.settings('session.referer_check')) {
      if (s.value === '') continue;
      const r = ctx.entryRange(s.assignment);
      ctx.report({
        message: WEAK(written(ctx, s) + where(s), s.value) + (php84 ? DEPRECATED : ''),
        start: r.start,
        end: r.end,
        directive: 'session.referer_check',
        tags: php84 ? ['deprecated'] : undefined,
        // On 8.4+ removing the deprecated line is the way out; offered only, it changes request handling.
        fixes: php84 ? [{ title: 'Remove the session.referer_check line', edits: s.all.map((a) => ctx.removeLine(a)), safe: false }] : undefined,
      });
    }
  },
  cases: [
    {
      name: 'a host name is a weak check',
      input: '[Session]\nsession.referer_check = example.com\n',
      expect: [{ line: 2, message: WEAK('example.com', 'example.com'), severity: 'information' }],
    },
    { name: 'empty, as shipped, is not reported', input: '[Session]\nsession.referer_check =\n', expect: [] },
    { name: 'quoted empty is not reported either', role: 'fragment', input: 'session.referer_check = ""\r\n', expect: [] },
    {
      name: 'PHP 8.4: the same finding notes the deprecation; removal is offered',
      phpVersion: '8.4',
      input: '[Session]\r\nsession.referer_check = "https://shop.example"\r\n',
      expect: [{ line: 2, message: WEAK('"https://shop.example"', 'https://shop.example') + DEPRECATED }],
      quickFixed: '[Session]\r\n',
    },
    {
      name: 'a pool',
      role: 'fpm',
      input: '[www]\nphp_value[session.referer_check] = intranet\n',
      expect: [{ line: 2, message: WEAK('intranet (php_value[session.referer_check] in pool [www])', 'intranet') }],
    },
  ],
};
