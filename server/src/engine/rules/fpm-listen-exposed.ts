import { FPM_DOCS, inPool, last, parseListen, poolViews, rawValue } from './_fpm';
import type { Rule } from './types';

// Verified with php-fpm 8.2.36 (`php-fpm8.2 -n -F -y pool.conf`, then `ss -ltn` and cgi-fcgi):
// - `listen = 19010` binds `*:19010` (all IPv6 and IPv4 addresses); `listen = 0.0.0.0:P` binds 0.0.0.0;
//   `listen = [::]:P` binds `*`; `127.0.0.1:P`, `localhost:P`, `[::1]:P` bind loopback only.
// - `listen = *:P` is not a wildcard: php-fpm hands `*` to getaddrinfo() as a host name.
// - A FastCGI client that reaches the port runs code of its choosing without any credentials:
//   `PHP_ADMIN_VALUE="allow_url_include = On\nauto_prepend_file = php://input"` plus a request body
//   `<?php ...` sent to 127.0.0.1:19000 with SCRIPT_FILENAME pointing at any existing .php file executed
//   the body.
// - `listen.allowed_clients = 10.9.9.9` made php-fpm drop a connection from 127.0.0.1.

export const rule: Rule = {
  id: 'fpm-listen-exposed',
  title: 'A TCP listen address on every interface needs listen.allowed_clients',
  severity: 'warning',
  scopes: ['fpm'],
  rationale:
    'FastCGI has no authentication. Whoever can open a connection to a php-fpm pool can name any PHP file ' +
    'on the machine as the script to run, and can pass `PHP_VALUE`/`PHP_ADMIN_VALUE` parameters that change ' +
    'any php.ini setting for that request: setting `auto_prepend_file = php://input` together with ' +
    '`allow_url_include = On` makes PHP execute code sent in the request body. A pool that listens on ' +
    '`0.0.0.0`, `[::]` or a bare port (which php-fpm binds on every address) is therefore remote code ' +
    'execution for anyone who can reach that port, unless `listen.allowed_clients` restricts the peers.\n\n' +
    'Listen on a Unix socket or on 127.0.0.1 when the web server runs on the same host. In containers a ' +
    'bare `listen = 9000` is common (the official Docker image does it) and the port is often not published, ' +
    'but every container on the same network can still connect, so a firewall or network policy must do the ' +
    'job that `listen.allowed_clients` would otherwise do.',
  sources: [
    { title: 'PHP manual: FPM configuration (listen, listen.allowed_clients)', url: `${FPM_DOCS}#listen` },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/PHP_Configuration_Cheat_Sheet.html' },
  ],
  check(ctx) {
    for (const view of poolViews(ctx)) {
      const listen = last(view, 'listen');
      if (!listen) continue;
      const addr = parseListen(listen.value);
      if (addr.kind !== 'tcp' || !addr.allInterfaces) continue;
      const allowed = last(view, 'listen.allowed_clients');
      if (allowed && allowed.value.trim() !== '') continue;
      const written = rawValue(ctx, listen);
      const where = addr.host === null ? 'every network address' : 'every network interface';
      const r = ctx.entryRange(listen);
      ctx.report({
        message:
          `listen = ${written}${inPool(view)} accepts FastCGI on ${where} and listen.allowed_clients is not set: ` +
          'anyone who can reach this port can make PHP run code of their choosing (FastCGI has no authentication). ' +
          'In a container whose port is not published this may be intended, but every container on the same network can still connect.',
        start: r.start,
        end: r.end,
        directive: 'listen',
        fixes: [
          {
            title: `Listen on 127.0.0.1:${addr.port} only`,
            edits: [ctx.replaceValue(listen, `127.0.0.1:${addr.port}`)],
            // A web server in another container or host would lose access.
            safe: false,
          },
        ],
      });
    }
  },
  cases: [
    {
      name: "a bare port (docker-library's docker.conf) listens on every address",
      role: 'fpm',
      input: '[www]\nclear_env = no\nlisten = 9000\n',
      expect: [
        {
          line: 3,
          message:
            'listen = 9000 in pool [www] accepts FastCGI on every network address and listen.allowed_clients is not set: anyone who can reach this port can make PHP run code of their choosing (FastCGI has no authentication). In a container whose port is not published this may be intended, but every container on the same network can still connect.',
        },
      ],
      quickFixed: '[www]\nclear_env = no\nlisten = 127.0.0.1:9000\n',
    },
    {
      name: "0.0.0.0 in a header-less pool fragment (laradock's xlaravel.pool.conf), CRLF",
      role: 'fpm',
      input: 'user = www-data\r\nlisten = 0.0.0.0:9000\r\npm = dynamic\r\n',
      expect: [{ line: 2, message: /^listen = 0\.0\.0\.0:9000 accepts FastCGI on every network interface and listen\.allowed_clients is not set: / }],
      quickFixed: 'user = www-data\r\nlisten = 127.0.0.1:9000\r\npm = dynamic\r\n',
    },
    {
      name: 'IPv6 [::] is every interface too; the last listen line decides',
      role: 'fpm',
      input: '[app]\nlisten = /run/php/app.sock\nlisten = "[::]:9001"\n',
      expect: [{ line: 3, message: /^listen = "\[::\]:9001" in pool \[app\] accepts FastCGI on every network interface/ }],
    },
    {
      name: 'listen.allowed_clients restricts the peers',
      role: 'fpm',
      input: '[www]\nlisten = 0.0.0.0:9000\nlisten.allowed_clients = 127.0.0.1,10.0.0.5\n',
      expect: [],
    },
    {
      name: 'an empty listen.allowed_clients accepts any address',
      role: 'fpm',
      input: '[www]\nlisten = 9000\nlisten.allowed_clients =\n',
      expect: [{ line: 2, message: /^listen = 9000 in pool \[www\] accepts FastCGI/ }],
    },
    {
      name: 'Unix sockets (with $pool, as archlinux.de writes them) and loopback addresses are fine',
      role: 'fpm',
      input: '[a]\nlisten = /run/php-fpm/$pool.socket\n[b]\nlisten = 127.0.0.1:9000\n[c]\nlisten = [::1]:9000\n[d]\nlisten = localhost:9000\n',
      expect: [],
    },
    {
      name: 'a specific address and "*:9000" (a host name for php-fpm 8.2, not a wildcard) are not reported',
      role: 'fpm',
      input: '[www]\nlisten = 10.0.0.5:9000\n[x]\nlisten = *:9000\n',
      expect: [],
    },
  ],
};
