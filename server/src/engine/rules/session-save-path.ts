import { iniLiteral, type LintContext, type PhpSetting } from '../lint';
import { OWASP_SESSION, PHP_SESSION_DOCS, where } from './_shared';
import { sameScope, written } from './_session';
import { PHPREDIS_SESSION, SHARED_DIRS, handlerOf, literalSecrets, normalizeDir, parseFilesPath, parseStore, rawValue } from './_storage';
import type { Rule } from './types';

const UNQUOTED = (intended: string, w: string, value: string) =>
  `session.save_path = ${intended}${w} is cut at the first ";": without quotes PHP reads the rest of the line as a comment, so the value is "${value}", a directory relative to PHP's working directory. Quote the whole value.`;
const EMPTY = (subject: string) =>
  `${subject}, so PHP stores session files in the system temporary directory (sys_temp_dir, else $TMPDIR, else /tmp), where other local users can usually list them and read session IDs from the file names. Set a dedicated directory.`;
const SHARED = (shown: string, dir: string) =>
  `session.save_path = ${shown} stores session files in ${dir}, which every local user can write to and list: others on the host can read session IDs from the file names and plant session files of their own. Use a dedicated directory owned by the PHP user with mode 0700 (or 0730).`;
const INSIDE = (shown: string, dir: string, base: string) =>
  `session.save_path = ${shown} stores session files in ${dir}, inside ${base}, where any local user can create directories: whoever creates ${dir} first owns it. Prefer a dedicated directory outside ${base}, owned by the PHP user with mode 0700 (or 0730).`;
const DEPTH_IS_MODE = (shown: string, first: string) =>
  `session.save_path = ${shown} has two parts, so PHP reads ${first} as the number of subdirectory levels, not as a file mode, and cannot store sessions. For a mode, write three parts: N;MODE;/path.`;
const TOO_DEEP = (shown: string, depth: number, sid: number) =>
  `session.save_path = ${shown} asks for ${depth} levels of subdirectories, but session IDs are only ${sid} characters long, so PHP cannot build the file path and sessions fail.`;
const MODE_INVALID = (shown: string, mode: string) =>
  `session.save_path = ${shown} asks for file mode ${mode}, which PHP refuses (it must be octal, at most 07777), so sessions cannot be started.`;
const MODE_UNUSABLE = (shown: string, mode: string) =>
  `session.save_path = ${shown} makes PHP create session files with mode ${mode}, which the PHP user itself cannot read and write, so every session is lost after the request that created it.`;
const MODE_LOOSE = (shown: string, mode: string, who: string) =>
  `session.save_path = ${shown} makes PHP create session files with mode ${mode}, so ${who} can read session data (less whatever the process umask removes). Use 0600, PHP's default.`;
const PLAIN_REDIS = (w: string, hosts: string, what: string) =>
  `session.save_path${w} connects to ${what} at ${hosts} without TLS, so session IDs and data cross the network in clear text and anyone on the path can read or alter them. Use tls:// addresses.`;
const PLAIN_MEMCACHED = (w: string, hosts: string) =>
  `session.save_path${w} connects to memcached at ${hosts}, so session IDs and data cross the network in clear text and anyone on the path can read or alter them. Keep the session store on this host (a Unix socket or 127.0.0.1) or on a network only your servers can reach.`;
const SECRET = (w: string) =>
  `session.save_path${w} holds the Redis password in clear text: anyone who can read this file, or a copy of it, can open the session store. Write \${REDIS_SESSION_AUTH} in its place and set that variable in PHP's environment; PHP expands it when it reads the file.`;

function octal(n: number): string {
  return '0' + n.toString(8).padStart(3, '0');
}

function hostList(hosts: string[]): string {
  const unique = [...new Set(hosts)];
  const head = unique.slice(0, 3).join(', ');
  return unique.length > 3 ? `${head} and ${unique.length - 3} more` : head;
}

/**
 * `session.save_path = 2;/var/lib/php/sessions` without quotes: PHP's INI scanner ends the value at `;`
 * (checked with PHP 8.2 and php-fpm 8.2 -tt: the value is "2"). Returns what the line meant to say and
 * where that text ends.
 */
function cutAtSemicolon(ctx: LintContext, s: PhpSetting): { intended: string; end: number } | undefined {
  const st = s.assignment.statement;
  // Only the N;path / N;MODE;path idiom: a bare number directly followed by `;`.
  if (st.valueEnd === undefined || !/^\d+$/.test(s.value)) return undefined;
  const next = st.tokens[st.valueEnd];
  const vr = ctx.valueRange(s.assignment);
  if (!next || next.kind !== 'comment' || next.start !== vr.end) return undefined;
  const comment = ctx.text.slice(next.start, next.end);
  const kept = comment.split(/\s+;/)[0].trimEnd();
  if (kept.length < 2) return undefined;
  return { intended: ctx.text.slice(vr.start, vr.end) + kept, end: next.start + kept.length };
}

function checkFiles(ctx: LintContext, s: PhpSetting): void {
  const r = ctx.entryRange(s.assignment);
  const w = where(s);
  const shown = written(ctx, s) + w;
  const report = (message: string, severity?: 'error' | 'warning' | 'information', fixes?: Parameters<typeof ctx.report>[0]['fixes']) =>
    ctx.report({ message, start: r.start, end: r.end, directive: 'session.save_path', severity, fixes });

  const cut = cutAtSemicolon(ctx, s);
  if (cut) {
    const start = ctx.valueRange(s.assignment).start;
    const quoted = iniLiteral(cut.intended);
    report(UNQUOTED(cut.intended, w, s.value), 'error', [
      // Not safe: the intended N;path layout needs its subdirectories to exist.
      { title: `Quote the value: ${quoted}`, edits: [{ start, end: cut.end, newText: quoted }], safe: false },
    ]);
    return;
  }
  if (s.value === '') {
    const shownEmpty = written(ctx, s);
    const subject = shownEmpty === '' || shownEmpty === '""' ? `session.save_path is empty${w}` : `session.save_path = ${shownEmpty}${w} is read as empty`;
    if (!rawValue(ctx, s).includes('${')) report(EMPTY(subject), 'information');
    return;
  }

  const p = parseFilesPath(s.value);
  if (p.parts.length === 2 && /^0[0-7]{3}$/.test(p.parts[0].trim())) {
    // mod_files.c: with two parts the first is the depth (checked with PHP 8.2: "0666;/path" fails with
    // "Failed to create session data file path").
    const value = `0;${p.parts[0].trim()};${p.path}`;
    report(DEPTH_IS_MODE(shown, p.parts[0].trim()), 'error', [
      { title: `Change to ${iniLiteral(value)}`, edits: [ctx.replaceValue(s.assignment, iniLiteral(value))], safe: false },
    ]);
    return;
  }
  const sidText = sameScope(ctx, s, 'session.sid_length').value.trim();
  const sidLength = /^\d+$/.test(sidText) && +sidText >= 22 && +sidText <= 256 ? +sidText : 32;
  if (p.parts.length > 1 && p.depth >= sidLength) {
    // ps_files_path_create() gives up when the ID is not longer than the depth.
    report(TOO_DEEP(shown, p.depth, sidLength), 'error');
    return;
  }
  if (p.mode !== undefined) {
    const mode = Number.isNaN(p.mode) ? 0 : p.mode;
    if (mode < 0 || mode > 0o7777) {
      report(MODE_INVALID(shown, (p.modeText ?? '').trim()), 'error');
      return;
    }
    const fixed = `${p.parts[0]};0600;${p.path}`;
    const fix = { title: `Use mode 0600: ${iniLiteral(fixed)}`, edits: [ctx.replaceValue(s.assignment, iniLiteral(fixed))], safe: false };
    if ((mode & 0o600) !== 0o600) {
      report(MODE_UNUSABLE(shown, octal(mode)), 'error', [fix]);
    } else if (mode & 0o077) {
      // Not safe: a looser mode is sometimes deliberate (another user's clean-up job reading the files).
      report(MODE_LOOSE(shown, octal(mode), mode & 0o007 ? 'every local user' : "other users in the files' group"), undefined, [fix]);
    }
  }

  const dir = normalizeDir(p.path);
  for (const base of SHARED_DIRS) {
    if (dir === base) return report(SHARED(shown, dir));
    if (dir.startsWith(base + '/')) return report(INSIDE(shown, dir, base), 'information');
  }
}

function checkNetwork(ctx: LintContext, s: PhpSetting, handler: string): void {
  const r = ctx.entryRange(s.assignment);
  const w = where(s);
  const cfg = parseStore(handler, rawValue(ctx, s));
  const plain = cfg.servers.filter((x) => !x.local && !x.unknownHost && !x.encrypted && x.host !== '');
  if (plain.length) {
    const hosts = hostList(plain.map((x) => x.host));
    const message =
      handler === 'redis' ? PLAIN_REDIS(w, hosts, 'Redis') : handler === 'rediscluster' ? PLAIN_REDIS(w, hosts, 'the Redis cluster') : PLAIN_MEMCACHED(w, hosts);
    ctx.report({ message, start: r.start, end: r.end, directive: 'session.save_path' });
  }
  if ((handler === 'redis' || handler === 'rediscluster') && literalSecrets(cfg).length) {
    ctx.report({ message: SECRET(w), start: r.start, end: r.end, directive: 'session.save_path' });
  }
}

export const rule: Rule = {
  id: 'session-save-path',
  title: 'Session storage must be private: no shared temporary directory, loose file modes, clear-text network or written-out passwords',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'Whoever can read the session store can take over every session in it. With the files handler the file ' +
    'names are the session IDs, so a directory other local users can list (`/tmp`, `/var/tmp`, `/dev/shm`) ' +
    'hands them out, and a directory they can write to lets them plant sessions. Use a directory owned by the ' +
    'PHP user with mode 0700 (or 0730 so a group can add but not list). The `N;MODE;/path` form sets the mode ' +
    'of new session files; anything looser than 0600 makes the data readable by others. It must be quoted: ' +
    'an unquoted `;` starts a comment, so `session.save_path = 2;/var/lib/php/sessions` is read as `2`.\n\n' +
    'With Redis or memcached the store is a network service. A plain `tcp://` (or bare `host:port`) ' +
    'connection to another host carries every session in clear text, so use `tls://` with phpredis or keep ' +
    'the store on a Unix socket or loopback. A password written into `session.save_path` (`auth=…`) is ' +
    'readable by anyone who can read the file; PHP expands `${VAR}` from the environment when it reads ' +
    'php.ini and pool files, so the secret can stay out of the file. An empty `session.save_path` is only ' +
    'reported when written out: distributions compile in their own default (Debian: `/var/lib/php/sessions`).',
  sources: [
    { title: 'PHP manual: session.save_path', url: `${PHP_SESSION_DOCS}#ini.session.save-path` },
    { title: 'PHP manual: session.save_handler', url: `${PHP_SESSION_DOCS}#ini.session.save-handler` },
    { title: 'phpredis: PHP session handler', url: PHPREDIS_SESSION },
    { title: 'PHP manual: parse_ini_file (values, comments and ${VAR} expansion)', url: 'https://www.php.net/manual/en/function.parse-ini-file.php' },
    { title: 'OWASP Session Management Cheat Sheet', url: OWASP_SESSION },
  ],
  check(ctx) {
    for (const s of ctx.settings('session.save_path')) {
      const handler = handlerOf(ctx, s).name;
      if (handler === 'files') checkFiles(ctx, s);
      else if (handler === 'redis' || handler === 'rediscluster' || handler === 'memcached' || handler === 'memcache') checkNetwork(ctx, s, handler);
    }
  },
  cases: [
    {
      name: '/tmp is shared with every local user',
      input: '[Session]\nsession.save_path = "/tmp"\n',
      expect: [{ line: 2, message: SHARED('"/tmp"', '/tmp'), severity: 'warning' }],
    },
    {
      name: 'a directory inside /dev/shm, written N;path',
      role: 'fragment',
      input: 'session.save_path = "2;/dev/shm/php-sessions/"\r\n',
      expect: [{ line: 1, message: INSIDE('"2;/dev/shm/php-sessions/"', '/dev/shm/php-sessions', '/dev/shm'), severity: 'information' }],
    },
    { name: "Debian's and remi's directories are fine", input: '[Session]\nsession.save_path = "/var/lib/php/sessions"\n', expect: [] },
    {
      name: 'remi www.conf and pothi pool values are fine',
      role: 'fpm',
      input: '[www]\nphp_value[session.save_handler] = files\nphp_value[session.save_path]    = /var/lib/php/session\n[wp]\nphp_admin_value[session.save_path] = "/home/tbn/php/sessions"\n',
      expect: [],
    },
    {
      name: 'a pool that puts sessions in /var/tmp',
      role: 'fpm',
      input: '[www]\r\nphp_admin_value[session.save_path] = /var/tmp/\r\n',
      expect: [{ line: 2, message: SHARED('/var/tmp/ (php_admin_value[session.save_path] in pool [www])', '/var/tmp') }],
    },
    {
      name: 'unquoted N;path is cut at the ";" (checked with PHP 8.2 and php-fpm 8.2 -tt: the value is "2")',
      input: '[Session]\nsession.save_path = 2;/var/lib/php/sessions ; two levels\n',
      expect: [{ line: 2, message: UNQUOTED('2;/var/lib/php/sessions', '', '2'), severity: 'error' }],
      quickFixed: '[Session]\nsession.save_path = "2;/var/lib/php/sessions" ; two levels\n',
    },
    {
      name: 'mode 0666 makes session files readable by everyone (checked with PHP 8.2: 0644 after umask 022)',
      input: '[Session]\nsession.save_path = "1;0666;/var/lib/php/sessions"\n',
      expect: [{ line: 2, message: MODE_LOOSE('"1;0666;/var/lib/php/sessions"', '0666', 'every local user') }],
      quickFixed: '[Session]\nsession.save_path = "1;0600;/var/lib/php/sessions"\n',
    },
    {
      name: 'group-readable mode, written without the leading 0 (strtol base 8)',
      role: 'fragment',
      input: 'session.save_path = "0;640;/srv/sessions"\n',
      expect: [{ line: 1, message: MODE_LOOSE('"0;640;/srv/sessions"', '0640', "other users in the files' group") }],
    },
    {
      name: 'a mode that is not octal becomes 0: PHP cannot reopen its own files (checked as user nobody)',
      role: 'fragment',
      input: 'session.save_path = "0;abc;/srv/sessions"\n',
      expect: [{ line: 1, message: MODE_UNUSABLE('"0;abc;/srv/sessions"', '0000'), severity: 'error' }],
    },
    {
      name: 'a mode above 07777 is refused (checked with PHP 8.2)',
      role: 'fragment',
      input: 'session.save_path = "0;77777;/srv/sessions"\n',
      expect: [{ line: 1, message: MODE_INVALID('"0;77777;/srv/sessions"', '77777'), severity: 'error' }],
    },
    {
      name: 'MODE;path is read as depth;path (checked with PHP 8.2)',
      role: 'fragment',
      input: 'session.save_path = "0600;/srv/sessions"\n',
      expect: [{ line: 1, message: DEPTH_IS_MODE('"0600;/srv/sessions"', '0600'), severity: 'error' }],
      quickFixed: 'session.save_path = "0;0600;/srv/sessions"\n',
    },
    {
      name: 'more levels than the session ID has characters',
      role: 'fragment',
      input: 'session.save_path = "40;/srv/sessions"\n',
      expect: [{ line: 1, message: TOO_DEEP('"40;/srv/sessions"', 40, 32), severity: 'error' }],
    },
    { name: 'a path with an adjacent comment is left alone', role: 'fragment', input: 'session.save_path = /srv/sessions;old\n', expect: [] },
    {
      name: 'written-out empty value: the system temporary directory (checked with PHP 8.2: files land in $TMPDIR)',
      input: '[Session]\nsession.save_path = ""\n',
      expect: [{ line: 2, message: EMPTY('session.save_path is empty'), severity: 'information' }],
    },
    { name: 'absent from php.ini: not reported, the default depends on the build', input: '[Session]\nsession.save_handler = files\n', expect: [] },
    {
      name: 'Redis over tcp:// to another host, with the password in the file',
      input: '[Session]\nsession.save_handler = redis\nsession.save_path = "tcp://10.0.0.5:6379?auth=s3cret&database=2"\n',
      expect: [
        { line: 3, message: PLAIN_REDIS('', '10.0.0.5', 'Redis'), severity: 'warning' },
        { line: 3, message: SECRET(''), severity: 'warning' },
      ],
    },
    {
      name: 'Redis on loopback or a Unix socket, TLS elsewhere, password from the environment: fine',
      input:
        '[Session]\nsession.save_handler = redis\nsession.save_path = "tcp://127.0.0.1:6379?weight=1, unix:///run/redis.sock, tls://cache.internal:6380?auth=${REDIS_PASS}"\n',
      expect: [],
    },
    {
      name: 'several servers: the clear-text ones are named; auth[] user and password',
      role: 'fpm',
      input:
        '[www]\nphp_value[session.save_handler] = redis\nphp_value[session.save_path] = "tcp://localhost:6379, redis-a:6379, tcp://[2001:db8::1]:6379?auth[]=app&auth[]=pw"\n',
      expect: [
        { line: 3, message: PLAIN_REDIS(' (php_value[session.save_path] in pool [www])', 'redis-a, 2001:db8::1', 'Redis') },
        { line: 3, message: SECRET(' (php_value[session.save_path] in pool [www])') },
      ],
    },
    {
      name: 'a Redis cluster with plain seeds',
      role: 'fragment',
      input: 'session.save_handler = rediscluster\r\nsession.save_path = "seed[]=10.0.1.1:7000&seed[]=tls://10.0.1.2:7000&timeout=2"\r\n',
      expect: [{ line: 2, message: PLAIN_REDIS('', '10.0.1.1', 'the Redis cluster') }],
    },
    {
      name: 'memcached on another host',
      role: 'fragment',
      input: 'session.save_handler = memcached\nsession.save_path = "PERSISTENT=app 10.1.2.3:11211, 127.0.0.1:11211"\n',
      expect: [{ line: 2, message: PLAIN_MEMCACHED('', '10.1.2.3') }],
    },
  ],
};
