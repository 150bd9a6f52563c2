import type { LintContext } from '../lint';
import { fmtVersion, iniLinesWithStatus, whereLine } from './_catalog';
import type { Rule } from './types';

function check(ctx: LintContext): void {
  const version = ctx.phpVersion;
  for (const l of iniLinesWithStatus(ctx, 'not-yet')) {
    const since = l.info?.since;
    if (!since) continue;
    const r = ctx.entryRange(l.assignment);
    ctx.report({
      message: `${l.name} only exists from PHP ${fmtVersion(since)} on: PHP ${version} does not know it and ignores this line${whereLine(l)}.`,
      start: r.start,
      end: r.end,
      directive: l.name,
    });
  }
}

export const rule: Rule = {
  id: 'not-yet-available',
  title: 'Directives newer than the target PHP version have no effect',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'A directive introduced in a later PHP release is just an unknown name to an older PHP: it starts without ' +
    'a warning and the setting is not applied. A php.ini copied from a newer server, or written from the ' +
    'current manual, can therefore look hardened while running with the defaults, for example ' +
    '`session.cookie_partitioned` (PHP 8.5) on PHP 8.4, or `session.cookie_samesite` (PHP 7.3) on PHP 7.2.\n\n' +
    'If the file really targets a newer PHP, set the target version in the project settings instead.',
  sources: [
    { title: 'PHP manual: list of php.ini directives (Changelog column)', url: 'https://www.php.net/manual/en/ini.list.php' },
    { title: 'PHP manual: session configuration', url: 'https://www.php.net/manual/en/session.configuration.php' },
  ],
  check,
  cases: [
    {
      name: 'session.cookie_partitioned on 8.4',
      phpVersion: '8.4',
      input: '[Session]\nsession.cookie_partitioned = 1\n',
      expect: [{ line: 2, severity: 'warning', message: 'session.cookie_partitioned only exists from PHP 8.5 on: PHP 8.4 does not know it and ignores this line.' }],
    },
    { name: 'session.cookie_partitioned on 8.5', phpVersion: '8.5', input: 'session.cookie_partitioned = 1\n', expect: [] },
    {
      name: 'max_memory_limit on 8.4 (CRLF)',
      phpVersion: '8.4',
      input: 'memory_limit = 128M\r\nmax_memory_limit = 512M\r\n',
      expect: [{ line: 2, message: 'max_memory_limit only exists from PHP 8.5 on: PHP 8.4 does not know it and ignores this line.' }],
    },
    {
      name: 'a pool override on an old PHP',
      role: 'fpm',
      phpVersion: '7.2',
      input: '[www]\nphp_admin_value[session.cookie_samesite] = Strict\n',
      expect: [{ line: 2, message: 'session.cookie_samesite only exists from PHP 7.3 on: PHP 7.2 does not know it and ignores this line (php_admin_value[session.cookie_samesite] in pool [www]).' }],
    },
    {
      name: 'a patch-level addition counts for its minor version (mail.mixed_lf_and_crlf, 8.2.4)',
      input: 'mail.mixed_lf_and_crlf = Off\n',
      expect: [],
    },
    {
      name: 'mail.mixed_lf_and_crlf on 8.1',
      phpVersion: '8.1',
      input: 'mail.mixed_lf_and_crlf = Off\n',
      expect: [{ line: 1, message: 'mail.mixed_lf_and_crlf only exists from PHP 8.2.4 on: PHP 8.1 does not know it and ignores this line.' }],
    },
  ],
};
