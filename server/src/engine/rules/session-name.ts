import type { PhpSetting } from '../lint';
import { iniBool } from '../values';
import { OWASP_SESSION, PHP_SESSION_DOCS, where } from './_shared';
import { MDN_SET_COOKIE, RFC6265BIS, canReportMissing, missingRange, sameScope, setBoolEdit, written } from './_session';
import type { Fix, RelatedLocation, Rule, TextEdit } from './types';

const D = 'session.name';

/** PHP's is_numeric_string (PHP 8: leading and trailing whitespace allowed). */
const NUMERIC = /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/;
/** SESSION_FORBIDDEN_CHARS in ext/session/session.c. */
const FORBIDDEN = /[=,;.[ \t\r\n\v\f]/;
const CHAR_NAMES: Record<string, string> = { ' ': 'a space', '\t': 'a tab', '\r': 'a carriage return', '\n': 'a line break', '\v': 'a vertical tab', '\f': 'a form feed' };

const FINGERPRINT = (shown: string) =>
  `session.name is ${shown}, PHP’s default, so the cookie name tells every visitor that the site runs PHP; a neutral name reveals less.`;
const MISSING = 'session.name is not set, so the session cookie is called PHPSESSID, which tells every visitor that the site runs PHP.';
const REJECTED = (shown: string, kept: string) =>
  `session.name is ${shown}: PHP rejects an empty or numeric session name with a warning at startup and keeps ${kept}.`;
const BAD_CHAR = (shown: string, c: string) =>
  `session.name is ${shown}, which contains ${c}: PHP never sends a session cookie whose name contains = , ; . [ or whitespace (PHP 8.2 warns and sends none, so sessions do not persist).`;
const NEEDS = { host: 'be Secure, have Path=/ and no Domain', secure: 'be Secure' };
const PREFIX = (shown: string, prefix: string, host: boolean, problems: string[]) =>
  `session.name is ${shown}, but a ${prefix} cookie must ${host ? NEEDS.host : NEEDS.secure}, and here ${list(problems)}: browsers drop the cookie, so sessions never stick.`;

function list(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

interface Problem {
  text: string;
  secure?: boolean;
  related?: RelatedLocation;
  edit?: TextEdit;
}

export const rule: Rule = {
  id: 'session-name',
  title: 'session.name should not advertise PHP, and must be a name browsers and PHP accept',
  severity: 'hint',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'The session cookie is called `PHPSESSID` unless `session.name` says otherwise, which tells anyone looking ' +
    'at the cookies which platform to probe. Changing it is cheap but only hides a detail, so this is a hint.\n\n' +
    'Some names do real harm. PHP refuses an empty or purely numeric name and keeps the previous one, and it ' +
    'will not send a cookie whose name contains `=`, `,`, `;`, `.`, `[` or whitespace (PHP 8.2 warns on every ' +
    '`session_start()` and sends no cookie at all). The cookie prefixes are promises the browser enforces: a ' +
    'name starting with `__Secure-` is only stored when the cookie is `Secure`, and `__Host-` additionally ' +
    'needs `Path=/` and no `Domain`. PHP sends the name regardless, so a prefixed name with the wrong cookie ' +
    'settings loses every session. When the prefixes fit, they are a good choice: `__Host-` pins the cookie to ' +
    'one host over HTTPS, so no subdomain can overwrite it.',
  sources: [
    { title: 'PHP manual: session.name', url: `${PHP_SESSION_DOCS}#ini.session.name` },
    { title: 'MDN: Set-Cookie, cookie prefixes', url: `${MDN_SET_COOKIE}#cookie_prefixes` },
    { title: 'RFC 6265bis: cookie name prefixes', url: RFC6265BIS },
    { title: 'OWASP Session Management Cheat Sheet: session ID name fingerprinting', url: OWASP_SESSION },
  ],
  check(ctx) {
    const settings = ctx.settings(D);
    for (const s of settings) {
      const r = ctx.entryRange(s.assignment);
      const shown = `${written(ctx, s) || 'empty'}${where(s)}`;
      const v = s.value;
      const report = (message: string, severity: 'error' | 'hint', fixes: Fix[] = [], related: RelatedLocation[] = []) =>
        ctx.report({ message, start: r.start, end: r.end, directive: D, severity, fixes, related });

      if (v === '' || NUMERIC.test(v)) {
        // PHP 8.2: `session.name = 123` -> "Warning: PHP Startup: session.name "123" cannot be numeric or empty", ini_get gives PHPSESSID.
        const kept = !s.pool && ctx.isMainIni ? 'PHPSESSID' : 'the name it had before (PHPSESSID unless php.ini sets another)';
        report(REJECTED(shown, kept), 'error');
        continue;
      }
      const bad = FORBIDDEN.exec(v);
      if (bad) {
        report(BAD_CHAR(shown, CHAR_NAMES[bad[0]] ?? `"${bad[0]}"`), 'error');
        continue;
      }
      if (v.toUpperCase() === 'PHPSESSID') {
        report(FINGERPRINT(shown), 'hint');
        continue;
      }
      const prefix = /^__(host|secure)-/i.exec(v);
      if (!prefix) continue;
      const host = prefix[1].toLowerCase() === 'host';
      const problems = prefixProblems(s, host);
      if (!problems.length) continue;
      const edits = problems.flatMap((p) => (p.edit ? [p.edit] : []));
      const fixes: Fix[] = [];
      if (problems.length === 1 && problems[0].secure && edits.length === 1) {
        // The cookie is dropped today; turning Secure on cannot break anything that works now.
        // It changes another directive than the one reported, so it stays a quick fix the user chooses.
        fixes.push({ title: 'Turn on session.cookie_secure', edits, safe: false });
      } else if (edits.length === problems.length) {
        fixes.push({ title: `Make the session cookie fit the ${prefix[0]} prefix`, edits, safe: false });
      }
      report(
        PREFIX(shown, prefix[0], host, problems.map((p) => p.text)),
        'error',
        fixes,
        problems.flatMap((p) => (p.related ? [p.related] : [])),
      );
    }
    if (!settings.length && canReportMissing(ctx)) {
      const r = missingRange(ctx);
      ctx.report({ message: MISSING, start: r.start, end: r.end, directive: D, severity: 'hint' });
    }

    function prefixProblems(s: PhpSetting, host: boolean): Problem[] {
      const out: Problem[] = [];
      const rel = (p: PhpSetting | undefined, message: string): RelatedLocation | undefined => {
        if (!p) return undefined;
        const r = ctx.entryRange(p.assignment);
        return { start: r.start, end: r.end, message };
      };
      const secure = sameScope(ctx, s, 'session.cookie_secure');
      if (secure.known && !iniBool(secure.value)) {
        out.push({
          secure: true,
          text: secure.setting ? 'session.cookie_secure is off' : 'session.cookie_secure is not set (off by default)',
          related: rel(secure.setting, 'session.cookie_secure is off here'),
          edit: setBoolEdit(ctx, secure, 'session.cookie_secure', true),
        });
      }
      if (!host) return out;
      const path = sameScope(ctx, s, 'session.cookie_path');
      // PHP appends the value after `path=`; the old `/; SameSite=...` trick still yields Path=/.
      if (path.known && path.value.split(';')[0].trim() !== '/') {
        const w = path.setting ? written(ctx, path.setting) || 'empty' : `"${path.value}"`;
        out.push({
          text: `session.cookie_path is ${w}`,
          related: rel(path.setting, 'session.cookie_path is set here'),
          edit: path.setting ? ctx.replaceValue(path.setting.assignment, '/') : undefined,
        });
      }
      const domain = sameScope(ctx, s, 'session.cookie_domain');
      if (domain.known && domain.value.trim() !== '') {
        out.push({
          text: `session.cookie_domain is ${domain.setting ? written(ctx, domain.setting) : `"${domain.value}"`}`,
          related: rel(domain.setting, 'session.cookie_domain is set here'),
          edit: domain.setting ? ctx.replaceValue(domain.setting.assignment, '""') : undefined,
        });
      }
      return out;
    }
  },
  cases: [
    {
      name: 'PHPSESSID fingerprints PHP: a quiet hint without a fix',
      input: '[Session]\nsession.name = PHPSESSID\n',
      expect: [{ line: 2, message: FINGERPRINT('PHPSESSID'), severity: 'hint' }],
    },
    {
      name: 'missing from a main php.ini: the default PHPSESSID applies',
      input: '[Session]\r\nsession.use_strict_mode = 1\r\n',
      expect: [{ line: 1, message: MISSING, severity: 'hint' }],
    },
    { name: 'a neutral name is fine', input: '[Session]\nsession.name = SID\n', expect: [] },
    { name: 'missing from a fragment is normal', role: 'fragment', input: 'session.use_strict_mode = 1\n', expect: [] },
    {
      name: 'numeric: PHP 8.2 warns at startup and keeps PHPSESSID',
      input: 'session.name = 12345\n',
      expect: [{ line: 1, message: REJECTED('12345', 'PHPSESSID'), severity: 'error' }],
    },
    {
      name: '"1e3" is numeric to PHP too',
      role: 'fragment',
      input: 'session.name = "1e3"\n',
      expect: [{ line: 1, message: REJECTED('"1e3"', 'the name it had before (PHPSESSID unless php.ini sets another)') }],
    },
    {
      name: 'a dot: PHP 8.2 warns in session_start() and sends no cookie',
      input: 'session.name = my.app\n',
      expect: [{ line: 1, message: BAD_CHAR('my.app', '"."'), severity: 'error' }],
    },
    {
      name: 'a space, quoted',
      input: 'session.name = "my app"\n',
      expect: [{ line: 1, message: BAD_CHAR('"my app"', 'a space') }],
    },
    { name: 'a hyphen is fine (PHP 8.2 sends my-app=...)', input: 'session.name = my-app\n', expect: [] },
    {
      name: '__Host- with everything in place is fine',
      input: '[Session]\nsession.name = "__Host-SID"\nsession.cookie_secure = 1\nsession.cookie_path = /\nsession.cookie_domain =\n',
      expect: [],
    },
    {
      name: '__Host- in a main php.ini that relies on defaults: Secure is off by default; the quick fix inserts it',
      input: '[Session]\nsession.name = "__Host-SID"\n',
      expect: [
        {
          line: 2,
          message: PREFIX('"__Host-SID"', '__Host-', true, ['session.cookie_secure is not set (off by default)']),
          severity: 'error',
        },
      ],
      quickFixed: '[Session]\nsession.name = "__Host-SID"\nsession.cookie_secure = 1\n',
    },
    {
      name: '__Secure- with cookie_secure off in the file (CRLF): the quick fix turns it on',
      input: '[Session]\r\nsession.cookie_secure = Off\r\nsession.name = __Secure-SID\r\n',
      expect: [{ line: 3, message: PREFIX('__Secure-SID', '__Secure-', false, ['session.cookie_secure is off']) }],
      quickFixed: '[Session]\r\nsession.cookie_secure = On\r\nsession.name = __Secure-SID\r\n',
    },
    {
      name: '__Host- with a Domain and a sub-path: all problems named, the fix is a quick fix only',
      input: '[Session]\nsession.name = "__Host-SID"\nsession.cookie_secure = 1\nsession.cookie_path = /app\nsession.cookie_domain = .example.com\n',
      expect: [
        {
          line: 2,
          message: PREFIX('"__Host-SID"', '__Host-', true, ['session.cookie_path is /app', 'session.cookie_domain is .example.com']),
        },
      ],
      quickFixed: '[Session]\nsession.name = "__Host-SID"\nsession.cookie_secure = 1\nsession.cookie_path = /\nsession.cookie_domain = ""\n',
    },
    {
      name: 'prefixes are matched case-insensitively, as current browsers do',
      input: '[Session]\nsession.cookie_secure = 0\nsession.name = __host-sid\n',
      expect: [{ line: 3, message: PREFIX('__host-sid', '__host-', true, ['session.cookie_secure is off']) }],
      quickFixed: '[Session]\nsession.cookie_secure = 1\nsession.name = __host-sid\n',
    },
    {
      name: 'the old "/; SameSite=..." path trick still sends Path=/',
      input: '[Session]\nsession.name = __Host-SID\nsession.cookie_secure = 1\nsession.cookie_path = "/; SameSite=Strict"\n',
      expect: [],
    },
    { name: 'a fragment that only sets the name cannot tell', role: 'fragment', input: 'session.name = __Host-SID\n', expect: [] },
    {
      name: 'a pool whose own cookie_secure breaks its __Secure- name',
      role: 'fpm',
      input: '[app]\nphp_admin_value[session.name] = __Secure-APP\nphp_admin_flag[session.cookie_secure] = off\n',
      expect: [{ line: 2, message: PREFIX('__Secure-APP (php_admin_value[session.name] in pool [app])', '__Secure-', false, ['session.cookie_secure is off']) }],
      quickFixed: '[app]\nphp_admin_value[session.name] = __Secure-APP\nphp_admin_flag[session.cookie_secure] = On\n',
    },
    {
      name: 'a pool that keeps PHPSESSID',
      role: 'fpm',
      input: '[www]\nphp_value[session.name] = PHPSESSID\n',
      expect: [{ line: 2, message: FINGERPRINT('PHPSESSID (php_value[session.name] in pool [www])'), severity: 'hint' }],
    },
  ],
};
