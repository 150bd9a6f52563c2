import { iniBool } from '../values';
import { OWASP_SESSION, PHP_SESSION_DOCS } from './_shared';
import { PHP_SESSION_SECURITY, checkBool, sameScope } from './_session';
import type { Rule } from './types';

const ACTIVE = (shown: string) =>
  `session.use_trans_sid is ${shown}: PHP writes the session ID into the links and forms of every page it outputs, so it ends up in URLs, browser history, Referer headers and server logs.`;
const DORMANT = (shown: string) =>
  `session.use_trans_sid is ${shown} but does nothing while session.use_only_cookies is on; turn it off so that relaxing use_only_cookies later does not start putting session IDs into URLs.`;

export const rule: Rule = {
  id: 'session-use-trans-sid',
  title: 'session.use_trans_sid must be off, so PHP never rewrites links to carry the session ID',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'Transparent session IDs make PHP rewrite the relative links and forms in a page so that they carry ' +
    '`PHPSESSID=…`. The ID then appears in the address bar, in bookmarks and browser history, in server and ' +
    'proxy logs and in the `Referer` header sent to other sites, and whoever copies the URL copies the ' +
    'session. PHP only does this while `session.use_only_cookies` is off, so with the default the setting is ' +
    'dormant, but it is one changed line away from leaking IDs. PHP 8.4 deprecated enabling it.',
  sources: [
    { title: 'PHP manual: session.use_trans_sid', url: `${PHP_SESSION_DOCS}#ini.session.use-trans-sid` },
    { title: 'PHP manual: session management basics', url: PHP_SESSION_SECURITY },
    { title: 'PHP RFC: Deprecate GET/POST sessions (PHP 8.4)', url: 'https://wiki.php.net/rfc/deprecate-get-post-sessions' },
    { title: 'OWASP Session Management Cheat Sheet: session ID exchange mechanism', url: OWASP_SESSION },
  ],
  check(ctx) {
    // PHP only rewrites URLs when use_trans_sid is on AND use_only_cookies is off (APPLY_TRANS_SID in
    // ext/session/session.c; checked with PHP 8.2: no rewriting while use_only_cookies = 1).
    const dormant = (s: Parameters<typeof sameScope>[1]) => {
      const only = sameScope(ctx, s, 'session.use_only_cookies');
      return only.known && iniBool(only.value);
    };
    checkBool(ctx, {
      directive: 'session.use_trans_sid',
      want: false,
      message: (shown, s) => (dormant(s) ? DORMANT(shown) : ACTIVE(shown)),
      severity: (s) => (dormant(s) ? 'information' : undefined),
    });
  },
  cases: [
    {
      name: 'on with use_only_cookies off: IDs go into URLs (checked with PHP 8.2)',
      input: '[Session]\nsession.use_only_cookies = 0\nsession.use_trans_sid = 1\n',
      expect: [{ line: 3, message: ACTIVE('1'), severity: 'warning' }],
      fixed: '[Session]\nsession.use_only_cookies = 0\nsession.use_trans_sid = 0\n',
    },
    {
      name: 'on while use_only_cookies is on by default: dormant, information only',
      input: '[Session]\nsession.use_trans_sid = On\n',
      expect: [{ line: 2, message: DORMANT('On'), severity: 'information' }],
      fixed: '[Session]\nsession.use_trans_sid = Off\n',
    },
    {
      name: 'PHP 8.4: enabling it is deprecated',
      phpVersion: '8.4',
      role: 'fragment',
      input: 'session.use_trans_sid = 1\r\n',
      expect: [{ line: 1, message: `${ACTIVE('1')} Enabling it is deprecated as of PHP 8.4.`, severity: 'warning' }],
      fixed: 'session.use_trans_sid = 0\r\n',
    },
    { name: 'off is fine', input: 'session.use_trans_sid = 0\n', expect: [] },
    { name: 'off is fine on PHP 8.4 too', phpVersion: '8.4', input: 'session.use_trans_sid = Off\n', expect: [] },
    { name: 'missing from a main php.ini is fine: off by default', input: '[Session]\nsession.name = SID\n', expect: [] },
    {
      name: 'a pool that turns it on, use_only_cookies unknown (from php.ini)',
      role: 'fpm',
      input: '[www]\nphp_flag[session.use_trans_sid] = on\n',
      expect: [{ line: 2, message: ACTIVE('on (php_flag[session.use_trans_sid] in pool [www])') }],
      fixed: '[www]\nphp_flag[session.use_trans_sid] = Off\n',
    },
    {
      name: 'a pool that also keeps use_only_cookies on: dormant',
      role: 'fpm',
      input: '[www]\nphp_flag[session.use_only_cookies] = on\nphp_flag[session.use_trans_sid] = on\n',
      expect: [{ line: 3, message: DORMANT('on (php_flag[session.use_trans_sid] in pool [www])'), severity: 'information' }],
      fixed: '[www]\nphp_flag[session.use_only_cookies] = on\nphp_flag[session.use_trans_sid] = Off\n',
    },
  ],
};
