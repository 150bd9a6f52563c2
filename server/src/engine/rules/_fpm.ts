// Building blocks for the php-fpm rules (fpm-*) and hash-comment. Files starting with `_` are not rules.
//
// Ground truth for everything here: php-fpm 8.2.36 (Debian bookworm), run for real. `php-fpm8.2 -n -t -y`
// for what it refuses, and `php-fpm8.2 -n -F -y POOL.conf` queried over a Unix socket with `cgi-fcgi`
// (package libfcgi-bin) for what the workers actually do.

import type { LintContext } from '../lint';
import type { Assignment, FpmPhpSetting, FpmPool } from '../model';
import type { Statement } from '../types';
import type { Fix, TextEdit } from './types';

export const FPM_DOCS = 'https://www.php.net/manual/en/install.fpm.configuration.php';
export const PHP_CONFIG_CHANGES = 'https://www.php.net/manual/en/configuration.changes.php';
export const PHP_CONFIG_MODES = 'https://www.php.net/manual/en/configuration.changes.modes.php';
export const PHP_USER_INI = 'https://www.php.net/manual/en/configuration.file.per-user.php';

/** Where a line of a php-fpm file sits: before any section header, in [global], or in a pool. */
export type FpmSection = 'none' | 'global' | 'pool';

export interface FpmLine {
  statement: Statement;
  index: number;
  /** Set for entries (`key = value`, `key[x] = value`); undefined for bare keys. */
  assignment?: Assignment;
  section: FpmSection;
  pool?: FpmPool;
}

/**
 * Every entry and bare key of a php-fpm file, with its section. Lines before the first header are
 * `none`: php-fpm.conf reads them as [global], but a file pulled in with `include=` continues the
 * section of the file that includes it (checked: a header-less pool.d file after `[www]` sets www's
 * values), and some projects ship pool snippets meant to be appended to www.conf. So rules treat them as
 * either scope.
 */
export function fpmLines(ctx: LintContext): FpmLine[] {
  const fpm = ctx.fpm;
  if (!fpm) return [];
  const byIndex = new Map<number, Assignment>();
  for (const a of fpm.assignments) byIndex.set(a.index, a);
  const out: FpmLine[] = [];
  let section: FpmSection = 'none';
  let pool: FpmPool | undefined;
  ctx.doc.statements.forEach((st, index) => {
    if (st.kind === 'section') {
      const name = st.name ?? '';
      if (name.toLowerCase() === 'global') {
        section = 'global';
        pool = undefined;
      } else {
        section = 'pool';
        pool = fpm.pools.find((p) => p.name === name);
      }
      return;
    }
    if (st.kind === 'bare-key') out.push({ statement: st, index, section, pool });
    else if (st.kind === 'entry') out.push({ statement: st, index, assignment: byIndex.get(index), section, pool });
  });
  return out;
}

/** A pool's settings, or those of a header-less fragment that will end up in some pool. */
export interface PoolView {
  /** null for the lines before the first section header. */
  name: string | null;
  /** Scalar directives keyed by lowercased name (php-fpm compares them case-insensitively). */
  directives: Map<string, Assignment[]>;
  env: Map<string, Assignment>;
  php: FpmPhpSetting[];
}

export function poolViews(ctx: LintContext): PoolView[] {
  const fpm = ctx.fpm;
  if (!fpm) return [];
  const views: PoolView[] = [];
  const fragment: PoolView = { name: null, directives: new Map(), env: new Map(), php: [] };
  for (const line of fpmLines(ctx)) {
    const a = line.assignment;
    if (line.section !== 'none' || !a) continue;
    if (a.offset === undefined) {
      if (a.name === 'include') continue;
      const key = a.name.toLowerCase();
      const list = fragment.directives.get(key);
      if (list) list.push(a);
      else fragment.directives.set(key, [a]);
    } else if (a.offset) {
      if (a.name === 'env') fragment.env.set(a.offset, a);
      else if (a.name === 'php_value' || a.name === 'php_flag' || a.name === 'php_admin_value' || a.name === 'php_admin_flag') {
        fragment.php.push({ directive: a.offset, value: a.value, via: a.name, admin: a.name.startsWith('php_admin'), assignment: a });
      }
    }
  }
  if (fragment.directives.size || fragment.env.size || fragment.php.length) views.push(fragment);
  for (const p of fpm.pools) views.push({ name: p.name, directives: p.directives, env: p.env, php: p.php });
  return views;
}

/** The deciding (last) line of a scalar pool directive. */
export function last(view: PoolView, name: string): Assignment | undefined {
  const list = view.directives.get(name);
  return list ? list[list.length - 1] : undefined;
}

/** ` in pool [www]`, or nothing for a header-less fragment. */
export function inPool(view: PoolView): string {
  return view.name === null ? '' : ` in pool [${view.name}]`;
}

/** The value exactly as written in the file (quotes included), without a trailing comment. */
export function rawValue(ctx: LintContext, a: Assignment): string {
  const r = ctx.valueRange(a);
  return ctx.text.slice(r.start, r.end);
}

/** `${NAME}` in the value: php-fpm substitutes its own environment, which the linter cannot see. */
export function usesEnvVariable(ctx: LintContext, a: Assignment): boolean {
  return rawValue(ctx, a).includes('${');
}

/** The directive name token alone (`php_value` of `php_value[x]`). */
export function nameRange(a: Assignment): { start: number; end: number } {
  const st = a.statement;
  return st.keyToken !== undefined ? { start: st.startAt(st.keyToken), end: st.endAt(st.keyToken) } : { start: st.start, end: st.start };
}

/** Where a statement starts on its line, after indentation (the key token, or the first token). */
function firstTextOffset(st: Statement): number {
  if (st.keyToken !== undefined) return st.startAt(st.keyToken);
  for (let i = 0; i < st.last - st.first; i++) {
    const kind = st.kindAt(i);
    if (kind !== 'whitespace' && kind !== 'bom') return st.startAt(i);
  }
  return st.start;
}

/** Whether the statement's text begins with `#` (a would-be comment). */
export function startsWithHash(ctx: LintContext, st: Statement): boolean {
  return ctx.text.charAt(firstTextOffset(st)) === '#';
}

/** Turns the leading `#` of a line into `;`, which PHP and php-fpm read as a comment. */
export function hashToSemicolonFix(ctx: LintContext, st: Statement): Fix {
  const at = firstTextOffset(st);
  const edit: TextEdit = { start: at, end: at + 1, newText: ';' };
  // `;` comments out one line only: a quoted value that continues on the next lines would be cut in two.
  const content = st.tokens.filter((t) => t.kind !== 'newline' && t.kind !== 'whitespace');
  const lastEnd = content.length ? content[content.length - 1].end : at;
  const oneLine = ctx.lines.positionAt(at).line === ctx.lines.positionAt(Math.max(at, lastEnd - 1)).line;
  return { title: 'Turn # into ; (a comment)', edits: [edit], safe: oneLine };
}

/** From the start of a statement's text to the end of its line (what a finding about a line underlines). */
export function lineRange(ctx: LintContext, st: Statement): { start: number; end: number } {
  const start = firstTextOffset(st);
  const line = ctx.lines.positionAt(start).line;
  return { start, end: Math.max(start, ctx.lines.lineEnd(line)) };
}

// ---------------------------------------------------------------------------------------------
// listen

export type ListenAddress =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string | null; port: string; allInterfaces: boolean; loopback: boolean };

/**
 * How php-fpm reads `listen` (fpm_sockets.c): a value with a `:` is host:port, digits alone are a port on
 * every address (checked: `listen = 19010` binds `*:19010`, IPv6 and IPv4), anything else is a Unix socket.
 * `0.0.0.0:P` binds 0.0.0.0 and `[::]:P` binds `*` (checked with `ss -ltn`). `*:P` is NOT a wildcard in
 * php-fpm 8.2: the `*` goes to getaddrinfo() as a host name ("Found multiple addresses for *" here), so
 * it is not reported as all interfaces.
 */
export function parseListen(value: string): ListenAddress {
  const v = value.trim();
  if (!v.includes(':')) {
    if (/^\d+$/.test(v)) return { kind: 'tcp', host: null, port: v, allInterfaces: true, loopback: false };
    return { kind: 'unix', path: v };
  }
  const colon = v.lastIndexOf(':');
  let host = v.slice(0, colon);
  const port = v.slice(colon + 1);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const lower = host.toLowerCase();
  const allInterfaces = /^0+(\.0+){0,3}$/.test(lower) || (lower.includes(':') && /^[0:]+$/.test(lower));
  const loopback = lower === 'localhost' || /^127\./.test(lower) || lower === '::1' || /^(0+:){7}0*1$/.test(lower) || lower === 'ip6-localhost';
  return { kind: 'tcp', host, port, allInterfaces, loopback };
}

// ---------------------------------------------------------------------------------------------
// php.ini values as a pool sets them

/** An "off" value as PHP stores it: php_flag[x] = off arrives as "", php_value[x] = 0 as "0". */
export function isOff(value: string): boolean {
  return /^\s*(|0|off|no|false|none)\s*$/i.test(value);
}

/** An "on" value: "1" after php_flag / unquoted On, or the words themselves when quoted. */
export function isOn(value: string): boolean {
  return /^\s*(1|on|yes|true)\s*$/i.test(value);
}

/** Lines (0-based) where PHP's parser fails: the syntax-error rule reports those, with PHP's wording. */
export function errorLines(ctx: LintContext): Set<number> {
  return new Set(ctx.doc.errors.map((e) => ctx.lines.positionAt(e.start).line));
}
