import { compareVersions, defaultFor } from '../catalog';
import { PHP_SESSION_DOCS, where } from './_shared';
import { written } from './_session';
import type { Rule } from './types';

const TAGS = (shown: string) =>
  `session.trans_sid_tags = ${shown}: changing which tags carry transparent session IDs is deprecated as of PHP 8.4 and logs a deprecation notice, because session IDs in URLs are being phased out. Remove the line.`;
const HOSTS = (shown: string) =>
  `session.trans_sid_hosts = ${shown}: listing hosts whose links get the session ID is deprecated as of PHP 8.4 and logs a deprecation notice, because session IDs in URLs are being phased out. Remove the line.`;

const DEFAULT_TAGS = 'a=href,area=href,frame=src,form=';

export const rule: Rule = {
  id: 'session-trans-sid-settings',
  title: 'PHP 8.4 deprecates custom session.trans_sid_tags and any session.trans_sid_hosts',
  severity: 'information',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    '`session.trans_sid_tags` and `session.trans_sid_hosts` tune transparent session IDs: which HTML tags ' +
    'PHP rewrites to carry the ID, and which other hosts\' links get it too. Putting session IDs in URLs leaks ' +
    'them through logs, history and `Referer` headers, and PHP 8.4 started retiring the feature: it logs a ' +
    'deprecation notice when `session.trans_sid_tags` differs from its default ' +
    '(`a=href,area=href,frame=src,form=`) or `session.trans_sid_hosts` is not empty. With ' +
    '`session.use_trans_sid` off (see `session-use-trans-sid`) these lines do nothing, so removing them is the ' +
    'fix; it is offered rather than applied because a site that still uses transparent IDs would change ' +
    'behaviour.',
  sources: [
    { title: 'PHP manual: session.trans_sid_tags', url: `${PHP_SESSION_DOCS}#ini.session.trans-sid-tags` },
    { title: 'PHP manual: session.trans_sid_hosts', url: `${PHP_SESSION_DOCS}#ini.session.trans-sid-hosts` },
    { title: 'PHP RFC: Deprecate GET/POST sessions (PHP 8.4)', url: 'https://wiki.php.net/rfc/deprecate-get-post-sessions' },
  ],
  check(ctx) {
    if (compareVersions(ctx.phpVersion, '8.4') < 0) return;
    const defaultTags = defaultFor('session.trans_sid_tags', ctx.phpVersion) ?? DEFAULT_TAGS;
    const report = (directive: string, s: Parameters<typeof where>[0], message: string) => {
      const r = ctx.entryRange(s.assignment);
      ctx.report({
        message,
        start: r.start,
        end: r.end,
        directive,
        tags: ['deprecated'],
        fixes: [{ title: `Remove the ${directive} line`, edits: s.all.map((a) => ctx.removeLine(a)), safe: false }],
      });
    };
    // PHP 8.4 compares the whole string with the default (an exact match logs nothing).
    for (const s of ctx.settings('session.trans_sid_tags')) if (s.value !== defaultTags) report('session.trans_sid_tags', s, TAGS(written(ctx, s) + where(s)));
    for (const s of ctx.settings('session.trans_sid_hosts')) if (s.value !== '') report('session.trans_sid_hosts', s, HOSTS(written(ctx, s) + where(s)));
  },
  cases: [
    {
      name: 'PHP 8.4: custom tags',
      phpVersion: '8.4',
      input: '[Session]\nsession.trans_sid_tags = "a=href,form="\n',
      expect: [{ line: 2, message: TAGS('"a=href,form="'), severity: 'information' }],
      quickFixed: '[Session]\n',
    },
    {
      name: 'PHP 8.4: the shipped default value logs nothing',
      phpVersion: '8.4',
      input: '[Session]\nsession.trans_sid_tags = "a=href,area=href,frame=src,form="\nsession.trans_sid_hosts =\n',
      expect: [],
    },
    { name: 'PHP 8.2: not deprecated yet', input: '[Session]\nsession.trans_sid_hosts = "cdn.example"\n', expect: [] },
    {
      name: 'PHP 8.5: hosts, CRLF',
      phpVersion: '8.5',
      role: 'fragment',
      input: 'session.trans_sid_hosts = "cdn.example,static.example"\r\n',
      expect: [{ line: 1, message: HOSTS('"cdn.example,static.example"') }],
      quickFixed: '',
    },
    {
      name: 'PHP 8.4: a pool',
      phpVersion: '8.4',
      role: 'fpm',
      input: '[www]\nphp_value[session.trans_sid_tags] = "a=href"\n',
      expect: [{ line: 2, message: TAGS('"a=href" (php_value[session.trans_sid_tags] in pool [www])') }],
      quickFixed: '[www]\n',
    },
  ],
};
