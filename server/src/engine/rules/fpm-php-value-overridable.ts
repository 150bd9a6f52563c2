import { getDirective } from '../catalog';
import type { FpmPhpSetting } from '../model';
import { iniBool } from '../values';
import { inPool, isOff, nameRange, PHP_CONFIG_CHANGES, PHP_CONFIG_MODES, PHP_USER_INI, poolViews, rawValue } from './_fpm';
import type { Rule } from './types';
import { ownEntry } from '../own';

// Verified with php-fpm 8.2.36 (`php-fpm8.2 -n -F -y pool.conf`, script run through cgi-fcgi, with
// DOCUMENT_ROOT set so that .user.ini files are read):
// - php_value[display_errors] = 0, php_value[memory_limit] = 64M (PHP_INI_ALL): ini_set() changed both
//   (to 1 and 512M), and a .user.ini in the document root changed them too.
// - php_value[upload_max_filesize] = 1M, php_value[max_input_vars] = 500 (PHP_INI_PERDIR): ini_set()
//   returned false, but .user.ini raised them to 50M and 3000.
// - php_admin_value[post_max_size] = 2M, php_admin_value[memory_limit] = 100M: neither ini_set() nor
//   .user.ini could change them.
// - php_value with PHP_INI_SYSTEM directives (allow_url_fopen, expose_php, disable_functions, file_uploads,
//   cgi.fix_pathinfo, ...) took effect and ini_set() could not change them: php-fpm writes pool values
//   straight into PHP's master settings (fpm_php.c), so for SYSTEM directives php_value is as strong as
//   php_admin_value. They are not reported.
// - php_value[open_basedir] = /tmp/x: ini_set('open_basedir', '/') returned false and `open_basedir = /`
//   in .user.ini left it at /tmp/x (it can only be narrowed at run time). Not reported either.

type Kind = 'security' | 'limit' | 'perdir-security';

interface Watched {
  kind: Kind;
  /** Only a protective value is worth locking; an insecure one is other rules' business. */
  protective: (value: string) => boolean;
}

const on = (v: string) => iniBool(v);
const off = (v: string) => isOff(v);
const any = () => true;

const WATCHED: Record<string, Watched> = {
  display_errors: { kind: 'security', protective: off },
  display_startup_errors: { kind: 'security', protective: off },
  log_errors: { kind: 'security', protective: on },
  'zend.exception_ignore_args': { kind: 'security', protective: on },
  'session.use_strict_mode': { kind: 'security', protective: on },
  'session.cookie_httponly': { kind: 'security', protective: on },
  'session.cookie_secure': { kind: 'security', protective: on },
  'session.use_only_cookies': { kind: 'security', protective: on },
  'session.use_trans_sid': { kind: 'security', protective: off },
  'session.cookie_samesite': { kind: 'security', protective: (v) => /^\s*(lax|strict)\s*$/i.test(v) },
  memory_limit: { kind: 'limit', protective: any },
  max_execution_time: { kind: 'limit', protective: any },
  max_input_time: { kind: 'limit', protective: any },
  max_input_vars: { kind: 'limit', protective: any },
  max_input_nesting_level: { kind: 'limit', protective: any },
  upload_max_filesize: { kind: 'limit', protective: any },
  post_max_size: { kind: 'limit', protective: any },
  max_file_uploads: { kind: 'limit', protective: any },
  auto_prepend_file: { kind: 'perdir-security', protective: (v) => v.trim() !== '' },
  auto_append_file: { kind: 'perdir-security', protective: (v) => v.trim() !== '' },
};

export const rule: Rule = {
  id: 'fpm-php-value-overridable',
  title: 'Security settings a pool enforces should use php_admin_value/php_admin_flag',
  severity: 'information',
  scopes: ['fpm'],
  rationale:
    'A pool can set php.ini directives in two ways. `php_value`/`php_flag` set a default that the ' +
    'application may change again: a `PHP_INI_ALL` directive with `ini_set()` or a `.user.ini` file, a ' +
    '`PHP_INI_PERDIR` one with a `.user.ini` file in any directory of the site. `php_admin_value`/' +
    '`php_admin_flag` lock the value, so neither can. When the pool turns `display_errors` off, forces ' +
    'secure session cookies or caps upload sizes as a policy, a plugin or a compromised script can undo a ' +
    '`php_value` with one line.\n\n' +
    'The rule reports protective values of error display, session hardening, resource limits and ' +
    '`auto_prepend_file`. The fix renames the key; it is applied automatically for the error and session ' +
    'settings, and only offered for limits and prepend files, which applications legitimately adjust (a ' +
    'large import raising `memory_limit`, a `.user.ini` that loads a web application firewall). ' +
    '`PHP_INI_SYSTEM` directives such as `disable_functions` or `allow_url_fopen` are not reported: php-fpm ' +
    'applies them with either key and scripts can never change them.',
  sources: [
    { title: 'PHP manual: how to change configuration settings (php_value vs php_admin_value)', url: PHP_CONFIG_CHANGES },
    { title: 'PHP manual: where a configuration setting may be set (INI modes)', url: PHP_CONFIG_MODES },
    { title: 'PHP manual: .user.ini files', url: PHP_USER_INI },
  ],
  check(ctx) {
    for (const view of poolViews(ctx)) {
      const locked = new Set(view.php.filter((p) => p.admin).map((p) => p.directive));
      const effective = new Map<string, FpmPhpSetting>();
      for (const p of view.php) if (!p.admin) effective.set(p.directive, p);
      for (const p of effective.values()) {
        const w = ownEntry(WATCHED, p.directive);
        // php-fpm applies every php_admin_* after every php_value/php_flag, so one anywhere in the pool wins.
        if (!w || locked.has(p.directive) || !w.protective(p.value)) continue;
        const mode = getDirective(p.directive)?.changeable;
        if (mode !== 'PHP_INI_ALL' && mode !== 'PHP_INI_PERDIR') continue;
        const admin = p.via === 'php_flag' ? 'php_admin_flag' : 'php_admin_value';
        const how = mode === 'PHP_INI_ALL' ? 'the application can change it back with ini_set() or a .user.ini file' : 'a .user.ini file in the site can change it back (ini_set() cannot)';
        const r = ctx.entryRange(p.assignment);
        const n = nameRange(p.assignment);
        ctx.report({
          message: `${p.via}[${p.directive}] = ${rawValue(ctx, p.assignment) || '(empty)'}${inPool(view)}: ${how}. Use ${admin} to enforce it.`,
          start: r.start,
          end: r.end,
          directive: p.directive,
          fixes: [{ title: `Use ${admin}[${p.directive}]`, edits: [{ start: n.start, end: n.end, newText: admin }], safe: w.kind === 'security' && mode === 'PHP_INI_ALL' }],
        });
      }
    }
  },
  cases: [
    {
      name: 'display_errors off with php_flag: locked by fix-all',
      role: 'fpm',
      input: '[www]\nphp_flag[display_errors] = off\nphp_admin_flag[log_errors] = on\n',
      expect: [
        {
          line: 2,
          message: 'php_flag[display_errors] = off in pool [www]: the application can change it back with ini_set() or a .user.ini file. Use php_admin_flag to enforce it.',
          severity: 'information',
        },
      ],
      fixed: '[www]\nphp_admin_flag[display_errors] = off\nphp_admin_flag[log_errors] = on\n',
    },
    {
      name: 'session hardening with php_value, CRLF, spacing and comment kept',
      role: 'fpm',
      input: '[www]\r\nphp_value[session.cookie_secure]   = 1 ; https only\r\nphp_value[session.cookie_samesite] = Strict\r\n',
      expect: [
        { line: 2, message: /^php_value\[session\.cookie_secure\] = 1 in pool \[www\]: the application can change it back/ },
        { line: 3, message: /^php_value\[session\.cookie_samesite\] = Strict in pool \[www\]/ },
      ],
      fixed: '[www]\r\nphp_admin_value[session.cookie_secure]   = 1 ; https only\r\nphp_admin_value[session.cookie_samesite] = Strict\r\n',
    },
    {
      name: 'PERDIR limits: .user.ini can override; the fix is only offered',
      role: 'fpm',
      input: '[www]\nphp_value[upload_max_filesize] = 1M\n',
      expect: [
        {
          line: 2,
          message: 'php_value[upload_max_filesize] = 1M in pool [www]: a .user.ini file in the site can change it back (ini_set() cannot). Use php_admin_value to enforce it.',
        },
      ],
      quickFixed: '[www]\nphp_admin_value[upload_max_filesize] = 1M\n',
    },
    {
      name: 'memory_limit in a header-less fragment: offered, not applied (apps raise it on purpose)',
      role: 'fpm',
      input: 'php_value[memory_limit] = 128M\n',
      expect: [{ line: 1, message: /^php_value\[memory_limit\] = 128M: the application can change it back with ini_set\(\)/ }],
      quickFixed: 'php_admin_value[memory_limit] = 128M\n',
    },
    {
      name: "SYSTEM directives, open_basedir, remi's session.save_path and insecure values are not reported",
      role: 'fpm',
      input:
        '[www]\nphp_value[allow_url_fopen] = 0\nphp_flag[expose_php] = off\nphp_value[disable_functions] = exec\nphp_value[open_basedir] = /srv\nphp_value[session.save_handler] = files\nphp_value[session.save_path] = /var/lib/php/session\nphp_flag[display_errors] = on\n',
      expect: [],
    },
    {
      name: 'a php_admin_value for the same directive anywhere in the pool locks it',
      role: 'fpm',
      input: '[www]\nphp_admin_flag[display_errors] = off\nphp_flag[display_errors] = off\n[other]\nphp_flag[display_errors] = off\n',
      expect: [{ line: 5, message: /^php_flag\[display_errors\] = off in pool \[other\]/ }],
      fixed: '[www]\nphp_admin_flag[display_errors] = off\nphp_flag[display_errors] = off\n[other]\nphp_admin_flag[display_errors] = off\n',
    },
  ],
};
