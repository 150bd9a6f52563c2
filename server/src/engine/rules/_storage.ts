// Building blocks for the session storage rules (session-save-path, session-gc, session-sid-strength):
// which save handler a scope uses, the value as written with ${VAR} references kept, how the files
// handler splits "N;MODE;/path", and how the Redis/memcached handlers split their server lists.
// Files starting with `_` are not rules themselves.

import type { LintContext, PhpSetting } from '../lint';
import { sameScope } from './_session';

export const PHP_SESSION_DOCS_BASE = 'https://www.php.net/manual/en/session.configuration.php';
export const PHPREDIS_SESSION = 'https://github.com/phpredis/phpredis#php-session-handler';

/** The session.save_handler of the scope `s` belongs to; `files` (PHP's default) when the scope does not set it. */
export function handlerOf(ctx: LintContext, s: PhpSetting): { name: string; setting?: PhpSetting } {
  const h = sameScope(ctx, s, 'session.save_handler');
  const name = h.setting ? h.value.trim().toLowerCase() : 'files';
  return { name, setting: h.setting };
}

/**
 * The value as written, without the double quotes that delimit strings, and with `${VAR}` references
 * left in place (PHP expands them from the environment when it reads the file; the linter may not know
 * that environment). Used to tell a literal secret from a reference.
 */
export function rawValue(ctx: LintContext, s: PhpSetting): string {
  const st = s.assignment.statement;
  if (st.valueStart === undefined || st.valueEnd === undefined) return '';
  let out = '';
  for (let i = st.valueStart; i < st.valueEnd; i++) {
    const t = st.tokens[i];
    if (t.kind === 'quote') continue;
    out += ctx.text.slice(t.start, t.end);
  }
  return out;
}

/** C strtol: leading whitespace, optional sign, digits of the base; NaN when there are no digits. */
export function strtol(text: string, base: 8 | 10): number {
  const re = base === 8 ? /^[ \t\n\v\f\r]*([+-]?)([0-7]+)/ : /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/;
  const m = re.exec(text);
  if (!m) return NaN;
  const n = parseInt(m[2], base);
  return m[1] === '-' ? -n : n;
}

export interface FilesPath {
  /** How many `;`-separated parts PHP found (1 to 3; the third keeps any further `;`). */
  parts: string[];
  /** `N` of `N;...`, as strtol reads it (0 when absent or not a number). */
  depth: number;
  /** The MODE part as written, when there are three parts. */
  modeText?: string;
  /** MODE as PHP reads it: strtol(base 8); NaN = no digits, which PHP takes as 0. */
  mode?: number;
  path: string;
}

/**
 * How ext/session/mod_files.c splits session.save_path: up to three `;`-separated parts, `N;path` or
 * `N;MODE;path`. N is read with strtol(…, 10), MODE with strtol(…, 8); PHP 8.2 checked: "1;666;/p"
 * creates 0666 files (before umask), "1;abc;/p" creates mode-0 files, "0;77777;/p" is refused.
 */
export function parseFilesPath(value: string): FilesPath {
  const parts: string[] = [];
  let rest = value;
  while (parts.length < 2) {
    const i = rest.indexOf(';');
    if (i < 0) break;
    parts.push(rest.slice(0, i));
    rest = rest.slice(i + 1);
  }
  parts.push(rest);
  const depth = parts.length > 1 ? strtol(parts[0], 10) : 0;
  const out: FilesPath = { parts, depth: Number.isNaN(depth) ? 0 : depth, path: parts[parts.length - 1] };
  if (parts.length > 2) {
    out.modeText = parts[1];
    out.mode = strtol(parts[1], 8);
  }
  return out;
}

/** Shared temporary directories every local user can write to (and list). */
export const SHARED_DIRS = ['/tmp', '/var/tmp', '/dev/shm', '/run/shm', '/private/tmp', '/private/var/tmp'];

/** `/tmp//x/` → `/tmp/x`. */
export function normalizeDir(path: string): string {
  const p = path.trim().replace(/\/{2,}/g, '/');
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

// ---------------------------------------------------------------------------------------------
// Network session stores

export interface StoreServer {
  /** The entry as written in the list. */
  text: string;
  /** Lower-cased scheme, '' when none was written. */
  scheme: string;
  /** Host without IPv6 brackets; '' for Unix sockets or when it could not be read. */
  host: string;
  /** A Unix socket or a loopback address: nothing crosses the network. */
  local: boolean;
  /** The host comes from a ${VAR} reference, so the file does not say where it is. */
  unknownHost: boolean;
  /** tls:// or ssl:// */
  encrypted: boolean;
}

export interface StoreConfig {
  servers: StoreServer[];
  /** Query parameters of every entry, decoded (`auth`, `auth[]`, `seed[]`...). */
  params: Array<[string, string]>;
  /** Passwords written in `user:pass@host`. */
  userinfoPasswords: string[];
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function parseQuery(q: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of q.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    out.push(eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
  }
  return out;
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    h === '::1' ||
    h === '0:0:0:0:0:0:0:1' ||
    /^::ffff:127\./.test(h) ||
    h === '0.0.0.0'
  );
}

/** One `scheme://user:pass@host:port/path?query` entry (phpredis and pecl/memcache URLs, memcached host:port). */
function parseEntry(text: string, cfg: StoreConfig, withParams = true): void {
  const lower = text.toLowerCase();
  if (lower.startsWith('unix:') || text.startsWith('/') || lower.startsWith('file:')) {
    cfg.servers.push({ text, scheme: 'unix', host: '', local: true, unknownHost: false, encrypted: false });
    const q = text.indexOf('?');
    if (q >= 0 && withParams) cfg.params.push(...parseQuery(text.slice(q + 1).split('#')[0]));
    return;
  }
  let scheme = '';
  let rest = text;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(text);
  if (m) {
    scheme = m[1].toLowerCase();
    rest = m[2];
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    if (withParams) cfg.params.push(...parseQuery(rest.slice(q + 1).split('#')[0]));
    rest = rest.slice(0, q);
  }
  let authority = rest.split('/')[0];
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) cfg.userinfoPasswords.push(decode(userinfo.slice(colon + 1)));
    authority = authority.slice(at + 1);
  }
  let host: string;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    host = close > 0 ? authority.slice(1, close) : authority.slice(1);
  } else {
    host = authority.split(':')[0];
  }
  const unknownHost = host.includes('${');
  cfg.servers.push({
    text,
    scheme,
    host,
    local: !unknownHost && (host === '' || isLoopback(host)),
    unknownHost,
    encrypted: scheme === 'tls' || scheme === 'ssl',
  });
}

/**
 * The servers a network save handler connects to, from session.save_path as written.
 * - redis (phpredis): URLs separated by commas or whitespace, `tcp://`, `tls://`, `unix://` or bare
 *   `host:port`; parameters in the query (`auth`, `auth[]`, `stream[...]`...).
 * - rediscluster: one query string, `seed[]=host:port&...&auth=...`.
 * - memcache (pecl): URLs like phpredis (`tcp://`, `udp://`, `unix://`).
 * - memcached (php-memcached): `host:port[:weight]` list, optionally `PERSISTENT=id` or `--SERVER=`.
 */
export function parseStore(handler: string, raw: string): StoreConfig {
  const cfg: StoreConfig = { servers: [], params: [], userinfoPasswords: [] };
  if (handler === 'rediscluster') {
    cfg.params.push(...parseQuery(raw.trim()));
    for (const [k, v] of cfg.params.slice()) if (/^seed\[[^\]]*\]$/.test(k) && v.trim()) parseEntry(v.trim(), cfg, false);
    return cfg;
  }
  for (let token of raw.split(/[\s,]+/)) {
    if (!token) continue;
    if (handler === 'memcached') {
      if (/^PERSISTENT=/i.test(token)) continue;
      const server = /^--SERVER=(.*)$/i.exec(token);
      if (server) token = server[1];
      else if (token.startsWith('--')) continue;
    }
    parseEntry(token, cfg);
  }
  return cfg;
}

/**
 * Secrets written literally in a phpredis save_path: `auth=pass`, `auth[]=user&auth[]=pass` (the last
 * one is the password), `auth[pass]=`, `password=`, and `user:pass@host`. A value that contains a
 * `${VAR}` reference is not literal.
 */
export function literalSecrets(cfg: StoreConfig): string[] {
  const out: string[] = [];
  const list: string[] = [];
  for (const [k, v] of cfg.params) {
    if (k === 'auth' || k === 'password' || k === 'auth[pass]' || k === 'auth[password]') out.push(v);
    else if (/^auth\[\d*\]$/.test(k)) list.push(v);
  }
  if (list.length) out.push(list[list.length - 1]);
  out.push(...cfg.userinfoPasswords);
  return out.filter((v) => v !== '' && !v.includes('${'));
}
