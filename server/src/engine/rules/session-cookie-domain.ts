import { OWASP_SESSION, PHP_SESSION_DOCS, where } from './_shared';
import { MDN_SET_COOKIE, RFC6265BIS, written } from './_session';
import type { Rule } from './types';

const D = 'session.cookie_domain';

const SHARED = (shown: string, domain: string) =>
  `session.cookie_domain is ${shown}: browsers send the session cookie to ${domain} and every subdomain of it, so any of those hosts (a forgotten test site, pages users control) can read the session or plant one of its own; leave it empty to keep the cookie on the host that set it.`;
const NOT_A_HOST = (shown: string) =>
  `session.cookie_domain is ${shown}, which is not a host name: browsers drop a cookie whose Domain does not match the site, so the session cookie is never stored and sessions never stick.`;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export const rule: Rule = {
  id: 'session-cookie-domain',
  title: 'session.cookie_domain is best left empty, so the session cookie stays on one host',
  severity: 'hint',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'When PHP sends no `Domain` attribute (the default, an empty `session.cookie_domain`), the browser returns ' +
    'the session cookie only to the exact host that set it. Naming a domain, with or without a leading dot, ' +
    'widens that to the domain and all of its subdomains. Every one of those hosts then receives the session ' +
    'ID, and any of them can set a cookie that the main site will accept, which opens the door to session ' +
    'fixation and theft from the weakest subdomain. Set it only when subdomains really must share one ' +
    'session. An empty value is the safest setting, not a missing one.\n\n' +
    'A value that is not a host name at all (a URL, a `host:port`) never matches the site, and browsers then ' +
    'discard the whole cookie.',
  sources: [
    { title: 'PHP manual: session.cookie_domain', url: `${PHP_SESSION_DOCS}#ini.session.cookie-domain` },
    { title: 'MDN: Set-Cookie, Domain', url: `${MDN_SET_COOKIE}#domaindomain-value` },
    { title: 'RFC 6265bis: the Domain attribute', url: RFC6265BIS },
    { title: 'OWASP Session Management Cheat Sheet: Domain and Path attributes', url: OWASP_SESSION },
  ],
  check(ctx) {
    for (const s of ctx.settings(D)) {
      const value = s.value.trim();
      if (value === '') continue;
      const r = ctx.entryRange(s.assignment);
      const shown = `${written(ctx, s)}${where(s)}`;
      const clear = { title: 'Clear session.cookie_domain (host-only cookie)', edits: [ctx.replaceValue(s.assignment, '""')], safe: false };
      if (/[\s/;,]|:/.test(value) && !/^\[[0-9a-f:.]+\]$/i.test(value)) {
        ctx.report({ message: NOT_A_HOST(shown), start: r.start, end: r.end, directive: D, severity: 'error', fixes: [clear] });
        continue;
      }
      // An IP address only ever matches itself: no subdomains to share with.
      if (IPV4.test(value) || value.startsWith('[')) continue;
      ctx.report({ message: SHARED(shown, value.replace(/^\.+/, '')), start: r.start, end: r.end, directive: D, fixes: [clear] });
    }
  },
  cases: [
    {
      name: 'a leading-dot domain covers every subdomain',
      input: '[Session]\nsession.cookie_domain = .example.com\n',
      expect: [{ line: 2, message: SHARED('.example.com', 'example.com'), severity: 'hint' }],
      quickFixed: '[Session]\nsession.cookie_domain = ""\n',
    },
    {
      name: 'so does the bare domain (CRLF, quoted)',
      input: 'session.cookie_domain = "example.com" ; shared with api.\r\n',
      expect: [{ line: 1, message: SHARED('"example.com"', 'example.com') }],
      quickFixed: 'session.cookie_domain = "" ; shared with api.\r\n',
    },
    { name: 'empty is the safest value, not a problem (iniscan flags it)', input: '[Session]\nsession.cookie_domain =\n', expect: [] },
    { name: 'missing from a main php.ini is fine', input: '[Session]\nsession.name = SID\n', expect: [] },
    { name: 'an IP address has no subdomains', role: 'fragment', input: 'session.cookie_domain = 192.0.2.10\n', expect: [] },
    {
      name: 'a URL is not a domain: the browser drops the cookie',
      role: 'fragment',
      input: 'session.cookie_domain = "https://www.example.com"\n',
      expect: [{ line: 1, message: NOT_A_HOST('"https://www.example.com"'), severity: 'error' }],
    },
    {
      name: 'host:port is not a domain either',
      role: 'fragment',
      input: 'session.cookie_domain = example.com:8443\n',
      expect: [{ line: 1, message: NOT_A_HOST('example.com:8443') }],
    },
    {
      name: 'a pool that shares the cookie with subdomains',
      role: 'fpm',
      input: '[shop]\nphp_value[session.cookie_domain] = .shop.example\n',
      expect: [{ line: 2, message: SHARED('.shop.example (php_value[session.cookie_domain] in pool [shop])', 'shop.example') }],
    },
  ],
};
