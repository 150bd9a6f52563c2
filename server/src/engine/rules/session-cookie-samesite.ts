import type { LintContext, PhpSetting } from '../lint';
import { iniBool } from '../values';
import { OWASP_SESSION, PHP_SESSION_DOCS, where } from './_shared';
import { MDN_SET_COOKIE, RFC6265BIS, canReportMissing, missingRange, relatedAt, sameScope, setBoolEdit, written } from './_session';
import type { Fix, Rule, TextEdit } from './types';

const D = 'session.cookie_samesite';
const LAX_FIX = 'Set session.cookie_samesite to "Lax"';

const EMPTY = (shown: string) =>
  `session.cookie_samesite is ${shown}: PHP sends the session cookie without a SameSite attribute, so each browser applies its own default (Chrome treats it as Lax, Firefox and Safari send it with cross-site requests), leaving cross-site request forgery open in some of them.`;
const BARE_NONE = (at: string) =>
  `session.cookie_samesite = None${at}: unquoted, None is PHP’s boolean off value, so PHP stores an empty string and sends no SameSite attribute at all, leaving each browser to its own default. Quote it ("None") if cross-site use is intended, otherwise use "Lax".`;
const NONE_NO_SECURE = (at: string, secure: string) =>
  `session.cookie_samesite is "None"${at} but ${secure}: browsers refuse a SameSite=None cookie that is not Secure, so the session cookie is dropped and sessions never stick.`;
const NONE = (shown: string) =>
  `session.cookie_samesite is ${shown}: browsers send the session cookie with requests that other sites trigger, so protection against cross-site request forgery rests entirely on the application; use "Lax" unless the site must work inside other sites.`;
const INVALID = (shown: string) =>
  `session.cookie_samesite is ${shown}: browsers only understand Strict, Lax and None and ignore any other SameSite value, so the cookie is treated as if it had no SameSite attribute.`;
const MISSING =
  'session.cookie_samesite is not set and PHP’s default is empty: the session cookie goes out without a SameSite attribute, so each browser applies its own default.';

/** The value is one unquoted boolean/null literal (`None`, `Off`, `On`, `null`...): its text, else undefined. */
function bareLiteral(ctx: LintContext, s: PhpSetting): string | undefined {
  const st = s.assignment.statement;
  if (st.valueStart === undefined || st.valueEnd === undefined) return undefined;
  const tokens = st.tokens.slice(st.valueStart, st.valueEnd).filter((t) => t.kind !== 'whitespace');
  if (tokens.length !== 1 || (tokens[0].kind !== 'bool' && tokens[0].kind !== 'null')) return undefined;
  return ctx.text.slice(tokens[0].start, tokens[0].end);
}

/** The pre-7.3 workaround `session.cookie_path = "/; SameSite=Strict"` still adds the attribute. */
function samesiteViaPath(ctx: LintContext, s: PhpSetting | undefined): boolean {
  const path = sameScope(ctx, s, 'session.cookie_path');
  return path.known && /;\s*samesite\s*=\s*(strict|lax|none)\s*(;|$)/i.test(path.value);
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

function setTo(ctx: LintContext, s: PhpSetting, value: string, extra: TextEdit[] = [], title = `Set session.cookie_samesite to "${value}"`): Fix {
  return { title, edits: [ctx.replaceValue(s.assignment, `"${value}"`), ...extra], safe: false };
}

export const rule: Rule = {
  id: 'session-cookie-samesite',
  title: 'session.cookie_samesite should be "Lax" or "Strict", written so PHP actually sends it',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'The `SameSite` attribute tells the browser whether to attach the session cookie to requests that another ' +
    'site starts: `Strict` never does, `Lax` only for top-level navigations such as following a link, and ' +
    '`None` always. With `Lax` or `Strict`, a forged form post from another site arrives without the session, ' +
    'which blunts cross-site request forgery. When PHP sends no attribute, browsers disagree: Chrome applies ' +
    '`Lax`, while Firefox and Safari keep sending the cookie cross-site.\n\n' +
    'Two traps are specific to php.ini. An unquoted `None` is one of PHP’s boolean literals and means off, so ' +
    '`session.cookie_samesite = None` stores an empty string and PHP sends no attribute at all; `SameSite=None` ' +
    'needs the quoted `"None"`. And browsers reject `SameSite=None` on a cookie without `Secure`, so that ' +
    'combination loses the session cookie entirely. Values other than Strict, Lax and None are ignored by ' +
    'browsers.',
  sources: [
    { title: 'PHP manual: session.cookie_samesite', url: `${PHP_SESSION_DOCS}#ini.session.cookie-samesite` },
    { title: 'PHP manual: parse_ini_string (none is one of the reserved boolean words)', url: 'https://www.php.net/manual/en/function.parse-ini-string.php' },
    { title: 'MDN: Set-Cookie, SameSite', url: `${MDN_SET_COOKIE}#samesitesamesite-value` },
    { title: 'RFC 6265bis: the SameSite attribute', url: RFC6265BIS },
    { title: 'OWASP Session Management Cheat Sheet: SameSite attribute', url: OWASP_SESSION },
  ],
  check(ctx) {
    const settings = ctx.settings(D);
    for (const s of settings) {
      const r = ctx.entryRange(s.assignment);
      const w = written(ctx, s);
      const at = where(s);
      const bare = bareLiteral(ctx, s);
      const value = s.value.trim();
      const lower = value.toLowerCase();
      const secure = sameScope(ctx, s, 'session.cookie_secure');
      const secureOff = secure.known && !iniBool(secure.value);
      const securePart = secure.setting ? 'session.cookie_secure is off' : 'session.cookie_secure is not set and defaults to off';
      const report = (message: string, severity: 'error' | 'warning' | 'information', fixes: Fix[], related = relatedAt(ctx, undefined, '')) =>
        ctx.report({ message, start: r.start, end: r.end, directive: D, severity, fixes, related });

      if (value === '') {
        if (bare && /^none$/i.test(bare)) {
          // PHP 8.2: `session.cookie_samesite = None` -> ini_get() gives "" and Set-Cookie has no SameSite.
          const secureEdit = secureOff ? setBoolEdit(ctx, secure, 'session.cookie_secure', true) : undefined;
          const noneTitle = secureEdit
            ? 'Write "None" in quotes and turn on session.cookie_secure'
            : secureOff
              ? 'Write "None" in quotes (SameSite=None also needs session.cookie_secure on)'
              : 'Write "None" in quotes';
          report(BARE_NONE(at), 'warning', [setTo(ctx, s, 'Lax', [], LAX_FIX), setTo(ctx, s, 'None', secureEdit ? [secureEdit] : [], noneTitle)]);
          continue;
        }
        if (samesiteViaPath(ctx, s)) continue;
        const shown = w === '' || w === '""' ? `empty${at}` : s.value === '' ? `${w}${at}, which PHP stores as an empty string` : `${w}${at}`;
        report(EMPTY(shown), 'warning', [setTo(ctx, s, 'Lax', [], LAX_FIX)]);
        continue;
      }
      if (lower === 'lax' || lower === 'strict') continue;
      if (lower === 'none') {
        if (secureOff) {
          const edit = setBoolEdit(ctx, secure, 'session.cookie_secure', true);
          // The cookie is already lost; Secure cannot make that worse on an HTTPS site.
          const fixes: Fix[] = edit ? [{ title: 'Turn on session.cookie_secure', edits: [edit], safe: ctx.options.httpsOnly }] : [];
          fixes.push(setTo(ctx, s, 'Lax', [], LAX_FIX));
          report(NONE_NO_SECURE(at, securePart), 'error', fixes, relatedAt(ctx, secure.setting, 'session.cookie_secure is off here'));
        } else {
          report(NONE(`${w}${at}`), 'information', [setTo(ctx, s, 'Lax', [], LAX_FIX)]);
        }
        continue;
      }
      const shown = bare ? `${w}${at}, which PHP stores as "${s.value}"` : `${w}${at}`;
      const best = ['Strict', 'Lax', 'None'].map((v) => [v, distance(lower, v.toLowerCase())] as const).sort((a, b) => a[1] - b[1])[0];
      const suggestion = best[1] <= 2 && lower.length > 1 ? best[0] : 'Lax';
      report(INVALID(shown), 'error', [setTo(ctx, s, suggestion)]);
    }
    if (settings.length || !canReportMissing(ctx) || samesiteViaPath(ctx, undefined)) return;
    const r = missingRange(ctx);
    ctx.report({
      message: MISSING,
      start: r.start,
      end: r.end,
      directive: D,
      severity: 'information',
      fixes: [{ title: 'Add session.cookie_samesite = "Lax"', edits: [ctx.insertDirective(D, '"Lax"', 'Session')], safe: false }],
    });
  },
  cases: [
    {
      name: 'unquoted None is boolean off: no SameSite at all (PHP 8.2: ini_get gives "", no attribute sent)',
      input: '[Session]\nsession.cookie_secure = 1\nsession.cookie_samesite = None\n',
      expect: [{ line: 3, message: BARE_NONE(''), severity: 'warning' }],
      quickFixed: '[Session]\nsession.cookie_secure = 1\nsession.cookie_samesite = "Lax"\n',
    },
    {
      name: 'unquoted None with cookie_secure off: the quoted-None fix also turns on Secure',
      input: '[Session]\r\nsession.cookie_samesite = None ; cross-site\r\nsession.cookie_secure = 0\r\n',
      expect: [{ line: 2, message: BARE_NONE('') }],
      quickFixed: '[Session]\r\nsession.cookie_samesite = "Lax" ; cross-site\r\nsession.cookie_secure = 0\r\n',
    },
    {
      name: 'quoted "None" without Secure: browsers drop the cookie; turning Secure on is safe on an HTTPS site',
      input: '[Session]\nsession.cookie_samesite = "None"\nsession.cookie_secure = Off\n',
      expect: [{ line: 2, message: NONE_NO_SECURE('', 'session.cookie_secure is off'), severity: 'error' }],
      fixed: '[Session]\nsession.cookie_samesite = "None"\nsession.cookie_secure = On\n',
    },
    {
      name: 'quoted "None" in a main php.ini without cookie_secure: the default is off, so Secure is inserted',
      input: '[Session]\nsession.cookie_samesite = "none"\n',
      expect: [{ line: 2, message: NONE_NO_SECURE('', 'session.cookie_secure is not set and defaults to off'), severity: 'error' }],
      fixed: '[Session]\nsession.cookie_samesite = "none"\nsession.cookie_secure = 1\n',
    },
    {
      name: 'quoted "None" with httpsOnly off: still an error, but the fix is a quick fix only',
      httpsOnly: false,
      input: '[Session]\nsession.cookie_samesite = "None"\nsession.cookie_secure = 0\n',
      expect: [{ line: 2, message: /^session\.cookie_samesite is "None" but session\.cookie_secure is off: / }],
      quickFixed: '[Session]\nsession.cookie_samesite = "None"\nsession.cookie_secure = 1\n',
    },
    {
      name: 'quoted "None" with Secure: works, but CSRF protection is up to the application',
      input: 'session.cookie_secure = 1\nsession.cookie_samesite = "None"\n',
      expect: [{ line: 2, message: NONE('"None"'), severity: 'information' }],
    },
    {
      name: 'a quoted "None" in a fragment: cookie_secure unknown, information only',
      role: 'fragment',
      input: 'session.cookie_samesite = "None"\n',
      expect: [{ line: 1, message: NONE('"None"'), severity: 'information' }],
    },
    {
      name: 'empty, as in the stock php.ini',
      input: '[Session]\nsession.cookie_samesite =\n',
      expect: [{ line: 2, message: EMPTY('empty'), severity: 'warning' }],
      quickFixed: '[Session]\nsession.cookie_samesite = "Lax"\n',
    },
    {
      name: 'Off is stored as an empty string too',
      role: 'fragment',
      input: 'session.cookie_samesite = Off\n',
      expect: [{ line: 1, message: EMPTY('Off, which PHP stores as an empty string') }],
    },
    { name: 'Strict is fine', input: 'session.cookie_samesite = "Strict"\n', expect: [] },
    { name: 'Lax is fine unquoted and in any case (PHP 8.2 sends SameSite=lax)', input: 'session.cookie_samesite = lax\n', expect: [] },
    {
      name: 'an unknown value is ignored by browsers (PHP 8.2 sends it as is: SameSite=foo)',
      input: 'session.cookie_samesite = "Stict"\n',
      expect: [{ line: 1, message: INVALID('"Stict"'), severity: 'error' }],
      quickFixed: 'session.cookie_samesite = "Strict"\n',
    },
    {
      name: 'On becomes "1"',
      input: 'session.cookie_samesite = On\n',
      expect: [{ line: 1, message: INVALID('On, which PHP stores as "1"') }],
      quickFixed: 'session.cookie_samesite = "Lax"\n',
    },
    {
      name: 'missing from a main php.ini: information, with an insert quick fix',
      input: '[Session]\nsession.name = SID\n',
      expect: [{ line: 1, message: MISSING, severity: 'information' }],
      quickFixed: '[Session]\nsession.name = SID\nsession.cookie_samesite = "Lax"\n',
    },
    { name: 'missing from a fragment is normal', role: 'fragment', input: 'session.name = SID\n', expect: [] },
    {
      name: 'the old cookie_path workaround still sends SameSite: no false alarm',
      input: '[Session]\nsession.cookie_path = "/; SameSite=Strict"\n',
      expect: [],
    },
    {
      name: 'a pool with unquoted None (php-fpm 8.2 -tt shows an empty php_value)',
      role: 'fpm',
      input: '[www]\nphp_value[session.cookie_samesite] = None\n',
      expect: [{ line: 2, message: BARE_NONE(' (php_value[session.cookie_samesite] in pool [www])') }],
      quickFixed: '[www]\nphp_value[session.cookie_samesite] = "Lax"\n',
    },
    {
      name: 'a pool with quoted "None" and cookie_secure off in the same pool',
      role: 'fpm',
      input: '[www]\nphp_admin_value[session.cookie_samesite] = "None"\nphp_admin_flag[session.cookie_secure] = off\n',
      expect: [{ line: 2, message: NONE_NO_SECURE(' (php_admin_value[session.cookie_samesite] in pool [www])', 'session.cookie_secure is off') }],
      fixed: '[www]\nphp_admin_value[session.cookie_samesite] = "None"\nphp_admin_flag[session.cookie_secure] = On\n',
    },
  ],
};
