import { defaultFor, statusFor } from '../catalog';
import type { LintContext } from '../lint';
import { iniBool } from '../values';
import { deprecatedWhen, effectiveLinesWithStatus, fmtVersion, reportObsoleteLine, shown, whereLine, writtenValue } from './_catalog';
import type { Rule } from './types';

/**
 * Deprecations another rule already reports with their security context; reporting them here too
 * would say the same thing twice on the same line.
 * - session.*: the session rules explain what each of these values exposes (8.4 deprecations).
 * - allow_url_include: the hardening rule reports it as a remote-code-inclusion risk.
 */
const OWNED_ELSEWHERE: ReadonlySet<string> = new Set([
  'session.sid_length',
  'session.sid_bits_per_character',
  'session.use_only_cookies',
  'session.use_trans_sid',
  'session.referer_check',
  'session.trans_sid_tags',
  'session.trans_sid_hosts',
  'allow_url_include',
]);

function check(ctx: LintContext): void {
  const version = ctx.phpVersion;
  for (const l of effectiveLinesWithStatus(ctx, 'deprecated')) {
    if (OWNED_ELSEWHERE.has(l.name)) continue;
    const info = l.info;
    if (!info?.deprecated) continue;
    const since = fmtVersion(info.deprecated);
    const when = deprecatedWhen(l.name);
    const where = whereLine(l);
    const raw = writtenValue(ctx, l.assignment);
    let message: string;
    switch (when) {
      case 'on':
        if (!iniBool(l.value)) continue;
        message = `Turning ${l.name} on is deprecated as of PHP ${since}${where}.`;
        break;
      case 'off':
        if (iniBool(l.value)) continue;
        message = `Turning ${l.name} off is deprecated as of PHP ${since}${where}.`;
        break;
      case 'non-empty':
        if (l.value === '') continue;
        message = `Giving ${l.name} a value (${shown(raw)}) is deprecated as of PHP ${since}${where}.`;
        break;
      case 'changed': {
        const def = defaultFor(l.name, version);
        const same = info.type === 'bool' && def != null ? iniBool(def) === iniBool(l.value) : (def ?? '') === l.value;
        if (same) continue;
        message = `Changing ${l.name} from its default${def ? ` "${def}"` : ''} is deprecated as of PHP ${since}${where}.`;
        break;
      }
      default:
        message = `${l.name} is deprecated as of PHP ${since}${where}.`;
    }
    if (info.replacement) {
      const s = statusFor(info.replacement, version);
      if (s === 'ok' || s === 'deprecated') message += ` Use ${info.replacement} instead.`;
    }
    reportObsoleteLine(ctx, l.assignment, l.name, message);
  }
}

export const rule: Rule = {
  id: 'deprecated-directive',
  title: 'Deprecated directives will disappear in a later PHP version',
  severity: 'information',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'A deprecated directive still works on the target PHP version, but it is scheduled for removal, and ' +
    'once removed PHP will silently ignore it (see `removed-directive`). Some deprecations only concern ' +
    'certain values: PHP 8.1 deprecates turning `auto_detect_line_endings` on and changing `filter.default`, ' +
    'PHP 8.3 the `assert.*` settings in favour of `zend.assertions`, PHP 8.5 turning `report_memleaks` off. The rule reports only the values PHP ' +
    'itself objects to, and only on the line that decides the value.\n\n' +
    'The deprecated session settings of PHP 8.4 and `allow_url_include` are left to the session and ' +
    'hardening rules, which explain their security impact.',
  sources: [
    { title: 'PHP manual: list of php.ini directives (Changelog column)', url: 'https://www.php.net/manual/en/ini.list.php' },
    { title: 'PHP manual: deprecated features in PHP 8.1', url: 'https://www.php.net/manual/en/migration81.deprecated.php' },
    { title: 'PHP manual: deprecated features in PHP 8.3', url: 'https://www.php.net/manual/en/migration83.deprecated.php' },
    { title: 'PHP manual: deprecated features in PHP 8.4', url: 'https://www.php.net/manual/en/migration84.deprecated.php' },
  ],
  check,
  cases: [
    {
      name: 'turning auto_detect_line_endings on (PHP 8.2 prints "auto_detect_line_endings is deprecated")',
      input: 'auto_detect_line_endings = On\n',
      expect: [{ line: 1, message: 'Turning auto_detect_line_endings on is deprecated as of PHP 8.1.', severity: 'information' }],
      quickFixed: '',
    },
    { name: 'auto_detect_line_endings off is silent in PHP 8.2', input: 'auto_detect_line_endings = Off\n', expect: [] },
    { name: 'before 8.1 it is not deprecated', phpVersion: '8.0', input: 'auto_detect_line_endings = On\n', expect: [] },
    {
      name: 'filter.default: only a changed value is deprecated (CRLF)',
      input: 'filter.default = unsafe_raw\r\n[PATH=/srv/legacy]\r\nfilter.default = special_chars\r\n',
      expect: [{ line: 3, message: 'Changing filter.default from its default "unsafe_raw" is deprecated as of PHP 8.1 (in [PATH=/srv/legacy]).' }],
      quickFixed: 'filter.default = unsafe_raw\r\n[PATH=/srv/legacy]\r\n',
    },
    {
      name: 'assert.* on 8.3 names the replacement; not on 8.2',
      phpVersion: '8.3',
      input: 'assert.active = 1\nzend.assertions = -1\n',
      expect: [{ line: 1, message: 'assert.active is deprecated as of PHP 8.3. Use zend.assertions instead.' }],
    },
    { name: 'assert.* on 8.2', input: 'assert.active = 1\n', expect: [] },
    {
      name: 'a pool: only the line php-fpm applies (the first php_value) is reported',
      role: 'fpm',
      input: '[www]\nphp_value[iconv.internal_encoding] = UTF-8\nphp_value[iconv.internal_encoding] = ISO-8859-1\n',
      expect: [{ line: 2, message: 'iconv.internal_encoding is deprecated as of PHP 5.6 (php_value[iconv.internal_encoding] in pool [www]).' }],
    },
    {
      name: 'session 8.4 deprecations and allow_url_include belong to other rules',
      phpVersion: '8.4',
      input: 'session.sid_length = 48\nsession.use_trans_sid = 1\nallow_url_include = On\n',
      expect: [],
    },
    {
      name: 'register_argc_argv: only turning it on is deprecated in 8.5',
      phpVersion: '8.5',
      input: 'register_argc_argv = On\n',
      expect: [{ line: 1, message: 'Turning register_argc_argv on is deprecated as of PHP 8.5.' }],
    },
    { name: 'register_argc_argv off on 8.5', phpVersion: '8.5', input: 'register_argc_argv = Off\n', expect: [] },
    {
      name: 'report_memleaks: only turning it off is deprecated in 8.5 (php-src\'s own php.ini says On)',
      phpVersion: '8.5',
      input: 'report_memleaks = On\n[PATH=/srv/tests]\nreport_memleaks = Off\n',
      expect: [{ line: 3, message: 'Turning report_memleaks off is deprecated as of PHP 8.5 (in [PATH=/srv/tests]).' }],
    },
  ],
};
