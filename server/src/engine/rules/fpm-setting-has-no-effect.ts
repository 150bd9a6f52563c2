import { getDirective, getFpmDirective, type DirectiveInfo } from '../catalog';
import type { LintContext } from '../lint';
import { FPM_ARRAYS, type Assignment, type FpmPhpSetting } from '../model';
import { iniLines, iniLinesWithStatus } from './_catalog';
import { FPM_DOCS, inPool, isOn, PHP_CONFIG_MODES, PHP_USER_INI, poolViews, rawValue } from './_fpm';
import type { Rule } from './types';
import { ownEntry } from '../own';

// Everything below was checked with PHP 8.2.36 for real.
//
// (a) Pools (`php-fpm8.2 -n -F -y pool.conf -d zend_extension=opcache`, script run through cgi-fcgi):
//   php-fpm applies php_value/php_flag/php_admin_* in each worker after it forks from the master
//   (fpm_php_init_child). That works for PHP_INI_SYSTEM directives too: php_value[allow_url_fopen] = 0
//   disabled the http:// wrapper, php_flag[expose_php] = off removed X-Powered-By, php_value[disable_functions]
//   = exec removed exec(), php_value[cgi.fix_pathinfo] = 0 denied a PATH_INFO request. So "SYSTEM directive
//   through php_value" is NOT a no-op and is not reported. What a pool cannot change is what the master
//   reads once at start-up, before it forks:
//   - opcache.memory_consumption = 32 in a pool: ini_get() says 32, opcache_get_status() free_memory 119M
//     (the master's 128M); with -d opcache.memory_consumption=32 free_memory was 23M.
//   - opcache.interned_strings_buffer = 4, opcache.max_accelerated_files = 100000, opcache.jit_buffer_size
//     = 32M in a pool: buffer 8M, max_cached_keys 16229, jit buffer 0 (the master's); with -d: 4M, 130987, 32M.
//   - opcache.preload in a pool: the class it declares was not loaded and there were no
//     preload_statistics; with -d it was. opcache.preload_user in a pool with -d opcache.preload as root:
//     the master died with 'Fatal Error "opcache.preload_user" has not been defined'.
//   - opcache.file_cache in a pool: nothing was ever written to the directory.
//   - opcache.enable = 1 in a pool while php.ini has 0: ini_get() stays 0 and OPcache stays off (it can
//     only be switched off at run time; = 0 in a pool did disable it).
//   - zend_extension in a pool: "Unable to set php_admin_value 'zend_extension'" (only visible with
//     catch_workers_output = yes); only `extension` is special-cased by php-fpm.
// (b) php.ini: `php-fpm8.2 -c rt.ini` with request_terminate_timeout = 1 in rt.ini: a 3-second script
//   finished, ini_get('request_terminate_timeout') === false (only get_cfg_var sees it). The same line in
//   the pool killed it after 1 s.
// (c) .user.ini (DOCUMENT_ROOT set): expose_php, allow_url_fopen, disable_functions, file_uploads,
//   upload_tmp_dir (all PHP_INI_SYSTEM) were silently ignored; upload_max_filesize, short_open_tag,
//   max_input_vars (PERDIR) and display_errors, memory_limit (ALL) applied. `extension = calendar` and
//   `zend_extension = opcache` there loaded nothing. request_terminate_timeout there is ignored as well.

interface StartupOnly {
  /** Only some values do nothing (opcache.enable can be turned off per pool, not on). */
  when?: (value: string) => boolean;
  why: string;
}

const OPCACHE_AT_START = 'OPcache reads it once when the php-fpm master starts, before any pool setting applies, so ini_get() shows the pool value while the master’s stays in force';

const STARTUP_ONLY: Record<string, StartupOnly> = {
  'opcache.memory_consumption': { why: OPCACHE_AT_START },
  'opcache.interned_strings_buffer': { why: OPCACHE_AT_START },
  'opcache.max_accelerated_files': { why: OPCACHE_AT_START },
  'opcache.jit_buffer_size': { why: OPCACHE_AT_START },
  'opcache.file_cache': { why: OPCACHE_AT_START },
  'opcache.preload': { why: 'preloading happens once in the php-fpm master at start-up, before any pool setting applies, so nothing is preloaded for this pool' },
  'opcache.preload_user': { why: 'preloading happens once in the php-fpm master at start-up, before any pool setting applies' },
  'opcache.enable': { when: isOn, why: 'a pool can switch OPcache off but not on; it runs only if php.ini enables it' },
  zend_extension: { why: 'php-fpm loads only extension= from a pool; zend extensions must be loaded from php.ini' },
};

const FPM_ARRAY_NAMES = new Set<string>(FPM_ARRAYS);

/** One php.ini line: php-fpm syntax, a php-fpm setting, or (in a .user.ini) a PHP_INI_SYSTEM directive. */
function checkIniLine(ctx: LintContext, a: Assignment, info: DirectiveInfo | undefined, userIni: boolean): void {
  if (a.offset !== undefined && FPM_ARRAY_NAMES.has(a.name)) {
    const example = a.name.startsWith('php_') && a.offset ? ` Write ${a.offset} = ... here, or move the line to the pool configuration.` : ' Move it to the pool configuration.';
    ctx.report({
      message: `${a.name}[${a.offset ?? ''}] is php-fpm pool syntax: PHP does not apply it from ${userIni ? 'a .user.ini' : 'a php.ini'} file.${example}`,
      ...ctx.entryRange(a),
      directive: a.name,
      tags: ['unnecessary'],
    });
    return;
  }
  if (a.offset !== undefined) return;
  // A php.ini directive first: most lines are one, and then the php-fpm catalog has no say.
  const fpmInfo = info ? undefined : getFpmDirective(a.name);
  if (fpmInfo && fpmInfo.type !== 'array') {
    ctx.report({
      message: `${a.name} is a php-fpm ${fpmInfo.scope === 'global' ? 'setting (php-fpm.conf, [global])' : 'pool setting'}: PHP ignores it in ${userIni ? 'a .user.ini' : 'a php.ini'} file, so it has no effect here. Set it in the ${fpmInfo.scope === 'global' ? 'php-fpm configuration' : 'pool configuration (e.g. www.conf)'}.`,
      ...ctx.entryRange(a),
      directive: a.name,
      tags: ['unnecessary'],
    });
    return;
  }
  if (!userIni || info?.changeable !== 'PHP_INI_SYSTEM') return;
  ctx.report({
    message: `${a.name} cannot be set in .user.ini (it is PHP_INI_SYSTEM), so PHP skips this line silently. Set it in php.ini or in the pool with php_admin_value.`,
    ...ctx.entryRange(a),
    directive: a.name,
    tags: ['unnecessary'],
  });
}

export const rule: Rule = {
  id: 'fpm-setting-has-no-effect',
  title: 'Settings placed where PHP never applies them',
  severity: 'warning',
  scopes: ['fpm', 'main', 'fragment', 'user-ini'],
  rationale:
    'Some settings are accepted without a word and then do nothing, which is worse than an error: the file ' +
    'looks hardened or tuned and is not.\n\n' +
    '- **In a pool**, `php_value`/`php_admin_value` are applied in each worker after it starts. Directives ' +
    'that PHP reads only once when the php-fpm master starts (OPcache’s memory sizes, `opcache.preload`, ' +
    '`opcache.file_cache`, turning OPcache on, `zend_extension`) keep the master’s value, even though ' +
    '`ini_get()` shows the pool’s. Set them in php.ini. (Other `PHP_INI_SYSTEM` directives such as ' +
    '`disable_functions` or `allow_url_fopen` do work from a pool.)\n' +
    '- **In php.ini**, php-fpm pool directives such as `request_terminate_timeout` or `pm.max_children`, and ' +
    'pool syntax such as `php_admin_value[...]`, are stored and ignored: php-fpm reads them only from its ' +
    'own configuration files.\n' +
    '- **In `.user.ini`**, `PHP_INI_SYSTEM` directives (`disable_functions`, `allow_url_fopen`, ' +
    '`expose_php`, `extension`...) are skipped silently: per-directory files may only change `PHP_INI_PERDIR` ' +
    'and `PHP_INI_ALL` settings.',
  sources: [
    { title: 'PHP manual: where a configuration setting may be set (INI modes)', url: PHP_CONFIG_MODES },
    { title: 'PHP manual: .user.ini files', url: PHP_USER_INI },
    { title: 'PHP manual: FPM configuration', url: FPM_DOCS },
    { title: 'PHP manual: OPcache runtime configuration', url: 'https://www.php.net/manual/en/opcache.configuration.php' },
    { title: 'php-src issue #9722: FPM accepts opcache.preload in a pool but does not preload', url: 'https://github.com/php/php-src/issues/9722' },
  ],
  check(ctx) {
    if (ctx.fpm) {
      for (const view of poolViews(ctx)) {
        // The deciding line per directive: php-fpm applies all php_admin_* after all php_value/php_flag.
        const effective = new Map<string, FpmPhpSetting>();
        for (const p of view.php) if (!p.admin) effective.set(p.directive, p);
        for (const p of view.php) if (p.admin) effective.set(p.directive, p);
        for (const p of effective.values()) {
          const s = ownEntry(STARTUP_ONLY, p.directive);
          if (!s || (s.when && !s.when(p.value))) continue;
          const r = ctx.entryRange(p.assignment);
          ctx.report({
            message: `${p.via}[${p.directive}] = ${rawValue(ctx, p.assignment) || '(empty)'}${inPool(view)} has no effect: ${s.why}. Set it in php.ini.`,
            start: r.start,
            end: r.end,
            directive: p.directive,
            tags: ['unnecessary'],
          });
        }
      }
      return;
    }
    const ini = ctx.ini;
    if (!ini) return;
    if (ctx.options.role !== 'user-ini') {
      // Only a name the php.ini catalog does not know can be php-fpm pool syntax or a php-fpm setting
      // (module loaders and `#` keys, which iniLines() leaves out, are neither).
      for (const l of iniLinesWithStatus(ctx, 'unknown')) checkIniLine(ctx, l.assignment, undefined, false);
      return;
    }
    // A .user.ini also skips what it cannot set: every line needs its catalog entry. iniLines() holds
    // these same assignments in the same order, with their entries, except module loaders and `#` keys:
    // walk both, and look only those up.
    const lines = iniLines(ctx);
    let k = 0;
    for (const a of ini.assignments) {
      const line = lines[k]?.assignment === a ? lines[k++] : undefined;
      checkIniLine(ctx, a, line ? line.info : getDirective(a.name), true);
    }
  },
  cases: [
    {
      name: "per-pool OPcache preload (as archlinux.de's pools set it) does nothing",
      role: 'fpm',
      input: '[www]\nphp_admin_value[disable_functions] = exec\nphp_admin_value[opcache.preload] = "/srv/app/preload.php"\n',
      expect: [
        {
          line: 3,
          message:
            'php_admin_value[opcache.preload] = "/srv/app/preload.php" in pool [www] has no effect: preloading happens once in the php-fpm master at start-up, before any pool setting applies, so nothing is preloaded for this pool. Set it in php.ini.',
        },
      ],
    },
    {
      name: 'OPcache sizes, turning OPcache on, and zend_extension in a pool (CRLF)',
      role: 'fpm',
      input: '[www]\r\nphp_value[opcache.memory_consumption] = 256\r\nphp_admin_flag[opcache.enable] = on\r\nphp_admin_flag[opcache.enable_cli] = off\r\nphp_admin_value[zend_extension] = xdebug\r\nphp_admin_flag[opcache.enable] = off\r\n',
      expect: [
        { line: 2, message: /^php_value\[opcache\.memory_consumption\] = 256 in pool \[www\] has no effect: OPcache reads it once when the php-fpm master starts/ },
        { line: 5, message: /^php_admin_value\[zend_extension\] = xdebug in pool \[www\] has no effect: php-fpm loads only extension= from a pool/ },
      ],
    },
    {
      name: 'opcache.enable = 1 in a pool cannot turn OPcache on',
      role: 'fpm',
      input: 'php_admin_value[opcache.enable] = 1\n',
      expect: [{ line: 1, message: 'php_admin_value[opcache.enable] = 1 has no effect: a pool can switch OPcache off but not on; it runs only if php.ini enables it. Set it in php.ini.' }],
    },
    {
      name: 'SYSTEM directives through php_value DO work in a pool, and so do extension= and opcache.enable = 0',
      role: 'fpm',
      input: '[www]\nphp_value[allow_url_fopen] = 0\nphp_flag[expose_php] = off\nphp_value[disable_functions] = exec\nphp_admin_value[extension] = redis\nphp_admin_value[opcache.enable] = 0\n',
      expect: [],
    },
    {
      name: "request_terminate_timeout in a conf.d file (laradock's laravel.ini)",
      role: 'fragment',
      input: 'memory_limit = 256M\nrequest_terminate_timeout=600\n',
      expect: [
        {
          line: 2,
          message: 'request_terminate_timeout is a php-fpm pool setting: PHP ignores it in a php.ini file, so it has no effect here. Set it in the pool configuration (e.g. www.conf).',
        },
      ],
    },
    {
      name: 'pool syntax and global fpm settings in php.ini; error_log and syslog.ident are php.ini directives too (CRLF)',
      input: '[PHP]\r\nphp_admin_value[memory_limit] = 128M\r\npm.max_children = 5\r\nerror_log = /var/log/php.log\r\nsyslog.ident = php\r\nemergency_restart_threshold = 10\r\n',
      expect: [
        { line: 2, message: 'php_admin_value[memory_limit] is php-fpm pool syntax: PHP does not apply it from a php.ini file. Write memory_limit = ... here, or move the line to the pool configuration.' },
        { line: 3, message: /^pm\.max_children is a php-fpm pool setting: PHP ignores it in a php\.ini file/ },
        { line: 6, message: /^emergency_restart_threshold is a php-fpm setting \(php-fpm\.conf, \[global\]\): PHP ignores it .* Set it in the php-fpm configuration\.$/ },
      ],
    },
    {
      name: '.user.ini: SYSTEM directives are skipped, PERDIR and ALL ones apply',
      role: 'user-ini',
      input: 'upload_max_filesize = 50M\nexpose_php = Off\ndisable_functions = exec\ndisplay_errors = Off\nextension = redis\n',
      expect: [
        {
          line: 2,
          message: 'expose_php cannot be set in .user.ini (it is PHP_INI_SYSTEM), so PHP skips this line silently. Set it in php.ini or in the pool with php_admin_value.',
        },
        { line: 3, message: /^disable_functions cannot be set in \.user\.ini/ },
        { line: 5, message: /^extension cannot be set in \.user\.ini/ },
      ],
    },
    {
      name: 'SYSTEM directives in a main php.ini are of course fine',
      input: 'expose_php = Off\ndisable_functions = exec\n',
      expect: [],
    },
  ],
};
