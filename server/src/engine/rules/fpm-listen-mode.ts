import { parseMode } from '../values';
import { FPM_DOCS, inPool, last, parseListen, poolViews, rawValue } from './_fpm';
import type { Rule } from './types';

// Verified with php-fpm 8.2.36 running as root (`php-fpm8.2 -n -F -y pool.conf`, pool user nobody) and
// `cgi-fcgi -bind -connect /tmp/fpmlab/www.sock` run as another user (nobody):
// - listen.mode = 0666 and 0662: the other user's request ran; 0664 and 0660: "Could not connect"
//   (connecting to a Unix socket needs write permission, so only the "others: write" bit matters).
// - without listen.owner/listen.group the socket belongs to the user that started php-fpm (root:root),
//   mode 0660, so tightening the mode can lock a web server out unless owner, group or ACLs name it.

export const rule: Rule = {
  id: 'fpm-listen-mode',
  title: 'A pool’s Unix socket must not be writable by every local user',
  severity: 'warning',
  scopes: ['fpm'],
  rationale:
    'Connecting to a Unix socket requires write permission on it. With `listen.mode = 0666` (or any mode ' +
    'that gives "others" write access) every local account — other sites on a shared host, a compromised ' +
    'service, a shell user — can talk FastCGI to the pool, run any PHP file as the pool’s user and pass ' +
    '`PHP_VALUE`/`PHP_ADMIN_VALUE` settings of their choosing. The default mode is 0660: give the web server ' +
    'access through `listen.owner`/`listen.group` (or `listen.acl_users`/`listen.acl_groups`) instead.\n\n' +
    'The fix removes the "others" bits. It is applied automatically only when the file names the owner, ' +
    'group or ACL users of the socket; otherwise the socket belongs to the user php-fpm was started as ' +
    '(normally root), and tightening the mode would lock the web server out.',
  sources: [
    { title: 'PHP manual: FPM configuration (listen.owner, listen.group, listen.mode)', url: `${FPM_DOCS}#listen-owner` },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/PHP_Configuration_Cheat_Sheet.html' },
  ],
  check(ctx) {
    for (const view of poolViews(ctx)) {
      const mode = last(view, 'listen.mode');
      if (!mode) continue;
      const listen = last(view, 'listen');
      // listen.mode only matters for a Unix socket; with no listen line here (a fragment), assume one.
      if (listen && parseListen(listen.value).kind !== 'unix') continue;
      const bits = parseMode(mode.value);
      if (bits === undefined || (bits & 0o002) === 0) continue;
      const written = rawValue(ctx, mode);
      const digits = mode.value.trim();
      const tightened = (bits & ~0o007).toString(8).padStart(digits.length === 4 ? 4 : 3, '0');
      const named = ['listen.owner', 'listen.group', 'listen.acl_users', 'listen.acl_groups'].some((d) => (last(view, d)?.value ?? '').trim() !== '');
      const r = ctx.entryRange(mode);
      ctx.report({
        message:
          `listen.mode = ${written}${inPool(view)} lets every local user connect to the pool's socket, and so run PHP code as the pool's user. ` +
          `Use ${tightened} and give the web server access with listen.owner/listen.group or listen.acl_users.`,
        start: r.start,
        end: r.end,
        directive: 'listen.mode',
        fixes: [{ title: `Set listen.mode = ${tightened}`, edits: [ctx.replaceValue(mode, tightened)], safe: named }],
      });
    }
  },
  cases: [
    {
      name: '0666 with an owner and group named: fixed to 0660',
      role: 'fpm',
      input: '[www]\nlisten = /run/php/www.sock\nlisten.owner = www-data\nlisten.group = www-data\nlisten.mode = 0666 ; let nginx in\n',
      expect: [
        {
          line: 5,
          message:
            "listen.mode = 0666 in pool [www] lets every local user connect to the pool's socket, and so run PHP code as the pool's user. Use 0660 and give the web server access with listen.owner/listen.group or listen.acl_users.",
        },
      ],
      fixed: '[www]\nlisten = /run/php/www.sock\nlisten.owner = www-data\nlisten.group = www-data\nlisten.mode = 0660 ; let nginx in\n',
    },
    {
      name: 'no owner or group: the socket is root’s, so the fix is offered but not applied on save (CRLF)',
      role: 'fpm',
      input: '[www]\r\nlisten = /run/php/www.sock\r\nlisten.mode = 777\r\n',
      expect: [{ line: 3, message: /^listen\.mode = 777 in pool \[www\] lets every local user connect.* Use 770 and/ }],
      quickFixed: '[www]\r\nlisten = /run/php/www.sock\r\nlisten.mode = 770\r\n',
    },
    {
      name: 'ACL users count as naming who may connect; quoted values keep working',
      role: 'fpm',
      input: '[www]\nlisten = /run/php/www.sock\nlisten.acl_users = nginx\nlisten.mode = "0662"\n',
      expect: [{ line: 4, message: /^listen\.mode = "0662" in pool \[www\]/ }],
      fixed: '[www]\nlisten = /run/php/www.sock\nlisten.acl_users = nginx\nlisten.mode = 0660\n',
    },
    {
      name: '0660, and 0664 (read without write cannot connect) are fine',
      role: 'fpm',
      input: '[a]\nlisten = /run/a.sock\nlisten.mode = 0660\n[b]\nlisten = /run/b.sock\nlisten.mode = 0664\n',
      expect: [],
    },
    {
      name: 'a TCP pool ignores listen.mode',
      role: 'fpm',
      input: '[www]\nlisten = 127.0.0.1:9000\nlisten.mode = 0666\n',
      expect: [],
    },
  ],
};
