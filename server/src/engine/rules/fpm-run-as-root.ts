import { FPM_DOCS, inPool, last, poolViews, rawValue } from './_fpm';
import type { Rule } from './types';

// Verified with php-fpm 8.2.36, as root:
// - `php-fpm8.2 -n -t -y` ACCEPTS user = root, user = 0, group = root and group = 0 ("test is successful").
// - Starting it (`php-fpm8.2 -n -F -y`) fails for user = root, user = 0 and for user = nobody with
//   group = root: "ERROR: [pool www] please specify user and group other than root", exit 78.
// - With `-R` (--allow-to-run-as-root) it starts, and a script reading /proc/self/status shows Uid 0/Gid 0.
// - Started as an unprivileged user, php-fpm logs "'user' directive is ignored when FPM is not running as
//   root" and runs the workers as that user.

function isRoot(value: string): boolean {
  const v = value.trim();
  // php-fpm reads an all-digit value as a numeric id.
  return v === 'root' || /^0+$/.test(v);
}

export const rule: Rule = {
  id: 'fpm-run-as-root',
  title: 'Pool workers must not run as root',
  severity: 'error',
  scopes: ['fpm'],
  rationale:
    'The `user` and `group` of a pool are the identity every PHP script of that pool runs with. As root, a ' +
    'single file-upload bug, injection or vulnerable plugin gives an attacker the whole machine instead of ' +
    'one site’s files. php-fpm protects against this itself: started as root, it refuses to start a pool ' +
    'whose user or group is root ("please specify user and group other than root") unless it is run with ' +
    '`--allow-to-run-as-root` (`-R`). Note that `php-fpm -t` does not check this, so a configuration can pass ' +
    'the test and then fail to start, which tempts people to add `-R`. Give each pool an unprivileged user ' +
    'such as `www-data`, ideally one per site.',
  sources: [
    { title: 'PHP manual: FPM configuration (user, group)', url: `${FPM_DOCS}#user` },
    { title: 'PHP manual: FastCGI Process Manager (FPM)', url: 'https://www.php.net/manual/en/install.fpm.php' },
  ],
  check(ctx) {
    for (const view of poolViews(ctx)) {
      for (const name of ['user', 'group'] as const) {
        const a = last(view, name);
        if (!a || !isRoot(a.value)) continue;
        const r = ctx.entryRange(a);
        ctx.report({
          message:
            `${name} = ${rawValue(ctx, a)}${inPool(view)}: php-fpm started as root refuses to start this pool ("please specify user and group other than root") ` +
            'unless run with --allow-to-run-as-root (-R), and then every PHP script runs as root. php-fpm -t does not detect this.',
          start: r.start,
          end: r.end,
          directive: name,
        });
      }
    }
  },
  cases: [
    {
      name: 'user = root',
      role: 'fpm',
      input: '[www]\nuser = root\ngroup = www-data\nlisten = /run/php/www.sock\n',
      expect: [
        {
          line: 2,
          message:
            'user = root in pool [www]: php-fpm started as root refuses to start this pool ("please specify user and group other than root") unless run with --allow-to-run-as-root (-R), and then every PHP script runs as root. php-fpm -t does not detect this.',
        },
      ],
    },
    {
      name: 'numeric ids and a root group are refused too (CRLF)',
      role: 'fpm',
      input: '[www]\r\nuser = 0\r\ngroup = root\r\n',
      expect: [
        { line: 2, message: /^user = 0 in pool \[www\]: php-fpm started as root refuses/ },
        { line: 3, message: /^group = root in pool \[www\]: / },
      ],
    },
    {
      name: 'in a header-less pool fragment; the last line decides',
      role: 'fpm',
      input: 'user = www-data\nuser = "root"\n',
      expect: [{ line: 2, message: /^user = "root": php-fpm started as root refuses/ }],
    },
    {
      name: 'an unprivileged user is fine, as is a name that merely contains root',
      role: 'fpm',
      input: '[www]\nuser = www-data\ngroup = www-data\n[b]\nuser = rootless\ngroup = 1000\n',
      expect: [],
    },
  ],
};
