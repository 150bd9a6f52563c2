import { getFpmDirective, knownExtensionPrefixes, statusFor, suggest } from '../catalog';
import type { LintContext } from '../lint';
import { CATALOG_MISSING, catalogNamespaces, iniLinesWithStatus, nameRange, nameText, whereLine, XDEBUG2, type IniLine } from './_catalog';
import type { Rule } from './types';
import { ownEntry } from '../own';

/** Case and `-`/`_` do not count as a typo: PHP still would not match, but the intent is certain. */
function fold(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes('-') ? lower.replace(/-/g, '_') : lower;
}

function available(name: string, version: string): boolean {
  const s = statusFor(name, version);
  return s === 'ok' || s === 'deprecated';
}

function orList(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function check(ctx: LintContext): void {
  const version = ctx.phpVersion;
  const prefixes = knownExtensionPrefixes();
  const namespaces = catalogNamespaces();
  for (const l of iniLinesWithStatus(ctx, 'unknown')) {
    if (CATALOG_MISSING.has(l.name)) continue;
    report(ctx, l, version, prefixes, namespaces);
  }
}

function report(ctx: LintContext, l: IniLine, version: string, prefixes: ReadonlySet<string>, namespaces: Map<string, boolean>): void {
  const r = nameRange(ctx, l.assignment);
  const name = nameText(l.name);
  const where = whereLine(l);
  const base = { start: r.start, end: r.end, directive: l.name };

  const xdebug = l.name.startsWith('xdebug.') ? ownEntry(XDEBUG2, l.name) : undefined;
  if (xdebug) {
    const php8 = parseInt(version, 10) >= 8 ? ' (Xdebug 2 never ran on PHP 8)' : '';
    ctx.report({ ...base, severity: 'hint', message: `${name} is an Xdebug 2 setting that Xdebug 3 no longer reads${php8}; ${xdebug}${where}.` });
    return;
  }

  const guesses = suggest(l.name, 3).filter((n) => available(n, version));
  const folded = guesses.length ? fold(l.name.trim()) : '';
  const exact = guesses.find((n) => fold(n) === folded);
  if (exact) {
    const why = exact.toLowerCase() === l.name.trim().toLowerCase() && exact !== l.name.trim()
      ? 'PHP matches directive names case-sensitively'
      : l.name !== l.name.trim()
        ? 'PHP keeps trailing spaces inside the brackets as part of the name'
        : 'PHP only knows the spelling with underscores';
    ctx.report({
      ...base,
      message: `${name} is not a directive: ${why}, so this line sets nothing${where}. Did you mean ${exact}?`,
      fixes: [{ title: `Rename to ${exact}`, edits: [{ start: r.start, end: r.end, newText: exact }], safe: false }],
    });
    return;
  }

  const fpmName = getFpmDirective(l.name);
  // php-fpm names and pool syntax (php_admin_value[...]) in php.ini: fpm-setting-has-no-effect explains those.
  if (fpmName && !l.pool) return;
  if (fpmName && !fpmName.array && l.pool) {
    ctx.report({ ...base, message: `${name} is a php-fpm pool setting, not a php.ini directive, so ${l.via}[${l.name}] does nothing${where}. Write it as a plain pool line: ${l.name} = ${l.value}.` });
    return;
  }

  const dot = l.name.indexOf('.');
  const ns = dot > 0 ? l.name.slice(0, dot) : null;
  const bundledNs = ns === null || namespaces.get(ns) === true;
  if (ns !== null && !prefixes.has(ns)) {
    // A namespace nobody we know uses: normally another extension's, left alone, unless it is a known
    // namespace misspelt in front of an exact directive name (sesion.cookie_secure).
    const rest = fold(l.name.slice(dot));
    const fixed = guesses.filter((g) => g.includes('.') && fold(g.slice(g.indexOf('.'))) === rest);
    if (!fixed.length) return;
    ctx.report({
      ...base,
      message: `PHP ${version} has no directive named ${name}, so this line sets nothing${where}. Did you mean ${orList(fixed)}?`,
      fixes: fixed.map((g) => ({ title: `Rename to ${g}`, edits: [{ start: r.start, end: r.end, newText: g }], safe: false })),
    });
    return;
  }
  if (!bundledNs) {
    // A namespace we only know a few PECL directives of (or none): the extension may well define this
    // name, so at most a hint when one of its catalogued names is a typo away.
    const same = guesses.filter((g) => g.startsWith(`${ns}.`));
    if (same.length) ctx.report({ ...base, severity: 'hint', message: `${name} is not in our catalog of ${ns} directives${where}. Did you mean ${orList(same)}?` });
    return;
  }
  if (guesses.length) {
    ctx.report({
      ...base,
      message: `PHP ${version} has no directive named ${name}, so this line sets nothing${where}. Did you mean ${orList(guesses)}?`,
      fixes: guesses.map((g) => ({ title: `Rename to ${g}`, edits: [{ start: r.start, end: r.end, newText: g }], safe: false })),
    });
    return;
  }
  ctx.report({ ...base, severity: 'information', message: `PHP ${version} has no directive named ${name}, so this line sets nothing${where}.` });
}

export const rule: Rule = {
  id: 'unknown-directive',
  title: 'Every directive name must be one PHP knows, spelled exactly',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'PHP stores any key it reads from php.ini, but only the exact, case-sensitive names that PHP or a loaded ' +
    'extension registered ever take effect. A typo such as `session.cookie_http_only`, or `SESSION.NAME` in ' +
    'capitals, produces no warning at start-up: the setting silently keeps its default, and a hardening line ' +
    'you can see in the file is not actually in force. The same goes for `php_value[...]` in a pool, where ' +
    'even a trailing space inside the brackets becomes part of the name.\n\n' +
    'Names from extensions we have no catalog for (`newrelic.*`, `xdebug.*`, ...) are left alone, except for ' +
    'Xdebug 2 settings that Xdebug 3 renamed or dropped, which get a hint. Directives that exist in another ' +
    'PHP version are reported by `removed-directive` and `not-yet-available` instead.',
  sources: [
    { title: 'PHP manual: list of php.ini directives', url: 'https://www.php.net/manual/en/ini.list.php' },
    { title: 'PHP manual: the configuration file', url: 'https://www.php.net/manual/en/configuration.file.php' },
    { title: 'PHP manual: FPM configuration (php_value, php_admin_value)', url: 'https://www.php.net/manual/en/install.fpm.configuration.php' },
    { title: 'Xdebug: upgrading from Xdebug 2 to 3', url: 'https://xdebug.org/docs/upgrade_guide' },
  ],
  check,
  cases: [
    {
      name: 'a typo gets a "did you mean" and a rename quick fix',
      input: '[Session]\nsession.cookie_http_only = 1\n',
      expect: [{ line: 2, message: 'PHP 8.2 has no directive named session.cookie_http_only, so this line sets nothing. Did you mean session.cookie_httponly?', severity: 'warning' }],
      quickFixed: '[Session]\nsession.cookie_httponly = 1\n',
    },
    {
      name: 'capitals: PHP names are case-sensitive (CRLF kept by the rename)',
      input: 'SESSION.NAME = __Host-SID\r\nsession.cookie_secure = 1\r\n',
      role: 'fragment',
      expect: [{ line: 1, message: 'SESSION.NAME is not a directive: PHP matches directive names case-sensitively, so this line sets nothing. Did you mean session.name?' }],
      quickFixed: 'session.name = __Host-SID\r\nsession.cookie_secure = 1\r\n',
    },
    {
      name: 'a dash instead of an underscore',
      input: 'session.cookie-secure = 1\n',
      expect: [{ line: 1, message: 'session.cookie-secure is not a directive: PHP only knows the spelling with underscores, so this line sets nothing. Did you mean session.cookie_secure?' }],
    },
    {
      name: 'a pool: a trailing space inside the brackets is part of the name (verified: php-fpm 8.2 does not apply it)',
      role: 'fpm',
      input: '[www]\nphp_admin_value[session.name ] = SID\nphp_value[memory_limt] = 256M\n',
      expect: [
        { line: 2, message: '"session.name " is not a directive: PHP keeps trailing spaces inside the brackets as part of the name, so this line sets nothing (php_admin_value[session.name ] in pool [www]). Did you mean session.name?' },
        { line: 3, message: 'PHP 8.2 has no directive named memory_limt, so this line sets nothing (php_value[memory_limt] in pool [www]). Did you mean memory_limit?' },
      ],
      quickFixed: '[www]\nphp_admin_value[session.name] = SID\nphp_value[memory_limt] = 256M\n',
    },
    {
      name: 'php-fpm settings and pool syntax in php.ini are left to fpm-setting-has-no-effect (laradock laravel.ini)',
      role: 'fragment',
      input: 'date.timezone=UTC\r\ndisplay_errors=Off\r\nrequest_terminate_timeout=60\r\nphp_admin_value[memory_limit] = 128M\r\n',
      expect: [],
    },
    {
      name: 'a pool setting written as php_value',
      role: 'fpm',
      input: '[www]\nphp_value[request_terminate_timeout] = 30\n',
      expect: [{ line: 2, message: 'request_terminate_timeout is a php-fpm pool setting, not a php.ini directive, so php_value[request_terminate_timeout] does nothing (php_value[request_terminate_timeout] in pool [www]). Write it as a plain pool line: request_terminate_timeout = 30.' }],
    },
    {
      name: 'Xdebug 2 settings get a hint; Xdebug 3 and other extensions are left alone',
      role: 'fragment',
      input: 'xdebug.remote_enable=1\nxdebug.remote_port=9000\nxdebug.mode=debug\nxdebug.idekey=PHPSTORM\nnewrelic.appname="shop"\napc.shm_sizee=64M\n',
      expect: [
        { line: 1, message: 'xdebug.remote_enable is an Xdebug 2 setting that Xdebug 3 no longer reads (Xdebug 2 never ran on PHP 8); use xdebug.mode=debug.', severity: 'hint' },
        { line: 2, message: 'xdebug.remote_port is an Xdebug 2 setting that Xdebug 3 no longer reads (Xdebug 2 never ran on PHP 8); use xdebug.client_port (the default port moved from 9000 to 9003).', severity: 'hint' },
        { line: 6, message: 'apc.shm_sizee is not in our catalog of apc directives. Did you mean apc.shm_size?', severity: 'hint' },
      ],
    },
    {
      name: 'on PHP 7.3 Xdebug 2 may still be installed',
      role: 'fragment',
      phpVersion: '7.3',
      input: 'xdebug.remote_host=host.docker.internal\n',
      expect: [{ line: 1, message: 'xdebug.remote_host is an Xdebug 2 setting that Xdebug 3 no longer reads; use xdebug.client_host.' }],
    },
    {
      name: 'a misspelt namespace in front of a real name is still caught; other namespaces are left alone',
      input: 'sesion.cookie_secure = 1\nsuhosin.session.encrypt = On\nmongodb.debug = ""\n',
      expect: [{ line: 1, message: 'PHP 8.2 has no directive named sesion.cookie_secure, so this line sets nothing. Did you mean session.cookie_secure?' }],
      quickFixed: 'session.cookie_secure = 1\nsuhosin.session.encrypt = On\nmongodb.debug = ""\n',
    },
    {
      name: 'no close name: information only',
      input: 'session.foo_bar_baz_qux = 1\n',
      expect: [{ line: 1, message: 'PHP 8.2 has no directive named session.foo_bar_baz_qux, so this line sets nothing.', severity: 'information' }],
    },
    {
      name: 'known, pattern, module, [PATH=] keys and other versions\' directives are not unknown here',
      input: 'extension=redis\nzend_extension=opcache\npdo.dsn.main="mysql:host=db"\nsession.hash_function = 0\nsession.cookie_partitioned = 1\n#old = 1\n[PATH=/srv/app]\ndisplay_errors = Off\n',
      expect: [],
    },
    {
      name: 'keys inside [HOST=] sections count',
      input: '[HOST=example.com]\nopen_basdir = /srv\n',
      expect: [{ line: 2, message: 'PHP 8.2 has no directive named open_basdir, so this line sets nothing (in [HOST=example.com]). Did you mean open_basedir?' }],
    },
  ],
};
