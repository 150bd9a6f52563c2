import { iniBool } from '../values';
import { PHP_CORE_INI, reportMissing, settingsHere, valueFix, where, written } from './_hardening';
import type { Rule } from './types';

/** Extensions php-fpm may legitimately run as PHP. */
const PHP_EXTENSIONS = /^\.(php\d?|phar|phtml)$/i;

export const rule: Rule = {
  id: 'cgi-fix-pathinfo',
  title: 'cgi.fix_pathinfo should be 0, so PHP never runs a file the request did not name as the script',
  severity: 'information',
  scopes: ['main', 'fragment', 'fpm'],
  rationale:
    'With cgi.fix_pathinfo = 1 (PHP’s default), php-fpm and php-cgi treat a script path that does not exist ' +
    'as “script + PATH_INFO” and walk back to the longest part that is a file. A web server that hands every ' +
    'URL ending in `.php` to PHP (the classic nginx `location ~ \\.php$` without `try_files`) then turns ' +
    '`/uploads/photo.jpg/x.php` into running the uploaded `photo.jpg` as PHP code.\n\n' +
    'php-fpm has a second lock: `security.limit_extensions` (PHP extensions only, by default) refuses to run ' +
    'the fallback file, answering “Access denied” (checked with php-fpm 8.2; with `.jpg` added to ' +
    'limit_extensions the image runs). That is why this rule only informs, and only hints when the directive ' +
    'is simply absent, and why it warns when a pool both enables fix_pathinfo and widens limit_extensions. ' +
    'php-cgi has no such lock. Setting 0 is the fix nginx recommends; applications that rely on PATH_INFO keep ' +
    'working when the web server splits the path itself (`fastcgi_split_path_info`), so the fix is offered as ' +
    'a quick fix only.',
  sources: [
    { title: 'PHP manual: cgi.fix_pathinfo', url: `${PHP_CORE_INI}#ini.cgi.fix-pathinfo` },
    { title: 'nginx: common pitfalls, passing uncontrolled requests to PHP', url: 'https://www.nginx.com/resources/wiki/start/topics/tutorials/config_pitfalls/#passing-uncontrolled-requests-to-php' },
    { title: 'PHP manual: php-fpm configuration (security.limit_extensions)', url: 'https://www.php.net/manual/en/install.fpm.configuration.php' },
  ],
  check(ctx) {
    for (const s of settingsHere(ctx, 'cgi.fix_pathinfo')) {
      if (!iniBool(s.value)) continue;
      const r = ctx.entryRange(s.assignment);
      const value = written(ctx, s);
      const limits = s.pool?.directives.get('security.limit_extensions');
      const limit = limits?.[limits.length - 1];
      const extra = limit ? limit.value.split(/\s+/).filter((e) => e && !PHP_EXTENSIONS.test(e)) : [];
      if (limit && (extra.length || limit.value.trim() === '')) {
        const allows = extra.length ? `allows ${extra.join(' ')}` : 'is empty';
        ctx.report({
          message: `cgi.fix_pathinfo is ${value} and security.limit_extensions ${allows} in this pool: a request such as /uploads/photo.jpg/x.php runs the uploaded file as PHP.` + where(s),
          start: r.start,
          end: r.end,
          directive: 'cgi.fix_pathinfo',
          severity: 'warning',
          related: [{ ...ctx.entryRange(limit), message: 'security.limit_extensions is set here' }],
          fixes: [valueFix(ctx, s, '0', false)],
        });
        continue;
      }
      ctx.report({
        message:
          `cgi.fix_pathinfo is ${value}: for a request such as /uploads/photo.jpg/x.php, PHP falls back to /uploads/photo.jpg and runs it as a script. php-fpm refuses that while security.limit_extensions keeps its default; php-cgi does not.` +
          where(s),
        start: r.start,
        end: r.end,
        directive: 'cgi.fix_pathinfo',
        fixes: [valueFix(ctx, s, '0', false)],
      });
    }
    reportMissing(ctx, {
      directive: 'cgi.fix_pathinfo',
      value: '0',
      message:
        'cgi.fix_pathinfo is not set and defaults to 1: for a request such as /uploads/photo.jpg/x.php, PHP falls back to /uploads/photo.jpg and runs it as a script, unless php-fpm’s security.limit_extensions stops it.',
      severity: 'hint',
      safe: false,
      near: ['cgi.force_redirect', 'user_dir', 'doc_root'],
      defaultIsBad: (d) => d !== null && iniBool(d),
    });
  },
  cases: [
    {
      name: 'explicit 1 is reported; 0 is a quick fix',
      input: '[PHP]\ncgi.fix_pathinfo=1\n',
      expect: [
        {
          line: 2,
          message:
            'cgi.fix_pathinfo is 1: for a request such as /uploads/photo.jpg/x.php, PHP falls back to /uploads/photo.jpg and runs it as a script. php-fpm refuses that while security.limit_extensions keeps its default; php-cgi does not.',
          severity: 'information',
        },
      ],
      quickFixed: '[PHP]\ncgi.fix_pathinfo=0\n',
    },
    { name: '0 is fine', input: '[PHP]\r\ncgi.fix_pathinfo = 0\r\n', expect: [] },
    {
      name: 'missing from a main php.ini: a hint (every stock php.ini leaves it commented out); CRLF',
      input: '[PHP]\r\n;cgi.fix_pathinfo=1\r\ndoc_root =\r\n',
      expect: [{ line: 1, message: /^cgi\.fix_pathinfo is not set and defaults to 1: /, severity: 'hint' }],
      quickFixed: '[PHP]\r\n;cgi.fix_pathinfo=1\r\ndoc_root =\r\ncgi.fix_pathinfo = 0\r\n',
    },
    { name: 'missing from a fragment', role: 'fragment', input: 'memory_limit = 256M\n', expect: [] },
    {
      name: 'a pool that enables it and lets .jpg run as PHP (verified with php-fpm 8.2: the image runs)',
      role: 'fpm',
      input: '[www]\nsecurity.limit_extensions = .php .jpg\nphp_admin_value[cgi.fix_pathinfo] = 1\n',
      expect: [{ line: 3, message: 'cgi.fix_pathinfo is 1 and security.limit_extensions allows .jpg in this pool: a request such as /uploads/photo.jpg/x.php runs the uploaded file as PHP. (php_admin_value[cgi.fix_pathinfo] in pool [www])', severity: 'warning' }],
      quickFixed: '[www]\nsecurity.limit_extensions = .php .jpg\nphp_admin_value[cgi.fix_pathinfo] = 0\n',
    },
    { name: 'a pool that turns it off (magenx)', role: 'fpm', input: '[www]\nphp_admin_value[cgi.fix_pathinfo] = 0\n', expect: [] },
  ],
};
