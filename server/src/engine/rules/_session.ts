// Building blocks for the session cookie rules: reading a directive "in the same scope" (php.ini's main
// scope or one pool), showing values as written, and the boolean/missing checks they share.
// Files starting with `_` are not rules themselves.

import { defaultFor, getDirective, statusFor } from '../catalog';
import type { LintContext, PhpSetting } from '../lint';
import { fpmBool, iniBool, parseQuantity } from '../values';
import { boolText, where } from './_shared';
import type { Fix, RelatedLocation, Severity, TextEdit } from './types';

export const MDN_SET_COOKIE = 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Set-Cookie';
export const RFC6265BIS = 'https://datatracker.ietf.org/doc/draft-ietf-httpbis-rfc6265bis/';
export const PHP_SESSION_SECURITY = 'https://www.php.net/manual/en/features.session.security.management.php';

/** The value exactly as the file writes it (quotes included, no trailing comment). */
export function written(ctx: LintContext, s: PhpSetting): string {
  const r = ctx.valueRange(s.assignment);
  return ctx.text.slice(r.start, r.end);
}

/** For boolean messages: the value as written, or `empty (off)`. */
export function shownBool(ctx: LintContext, s: PhpSetting): string {
  const w = written(ctx, s);
  return w === '' || w === '""' ? 'empty (off)' : w;
}

/**
 * What a directive is in the same scope as `anchor`: php.ini's main scope, or the pool `anchor` belongs
 * to. `known` is false when the file cannot tell: a conf.d fragment, a .user.ini or a pool that does not
 * set it inherits a value from files we do not see. In a main php.ini an absent directive has PHP's
 * built-in default for the target version (`fromDefault`).
 */
export interface ScopedValue {
  known: boolean;
  value: string;
  setting?: PhpSetting;
  fromDefault?: boolean;
}

export function sameScope(ctx: LintContext, anchor: PhpSetting | undefined, directive: string): ScopedValue {
  const list = ctx.settings(directive);
  const hit = anchor?.pool ? list.find((s) => s.pool === anchor.pool) : list.find((s) => !s.pool);
  if (hit) return { known: true, value: hit.value, setting: hit };
  if (!anchor?.pool && ctx.isMainIni && ctx.ini) {
    const def = defaultFor(directive, ctx.phpVersion);
    if (def !== undefined) return { known: true, value: def ?? '', fromDefault: true };
  }
  return { known: false, value: '' };
}

/** A catalog default as a string, undefined when there is none (gc_maxlifetime for a pool that does not set it). */
export function catalogDefault(directive: string, phpVersion: string): string | undefined {
  const d = defaultFor(directive, phpVersion);
  return d === null ? undefined : d;
}

/** Seconds the way PHP reads an integer INI value (8.2+: zend_ini_parse_quantity, K/M/G allowed). */
export function seconds(value: string): number {
  return parseQuantity(value)?.bytes ?? 0;
}

/** "86400 seconds (1 day)". */
export function duration(n: number): string {
  const unit = (v: number, w: string) => `${v} ${w}${v === 1 ? '' : 's'}`;
  let human = '';
  if (n >= 86400 && n % 3600 === 0) human = n % 86400 === 0 ? unit(n / 86400, 'day') : unit(n / 3600, 'hour');
  else if (n >= 3600 && n % 60 === 0) human = n % 3600 === 0 ? unit(n / 3600, 'hour') : unit(n / 60, 'minute');
  else if (n >= 60 && n % 60 === 0) human = unit(n / 60, 'minute');
  return human ? `${unit(n, 'second')} (${human})` : unit(n, 'second');
}

/** A related location pointing at the line that sets a setting. */
export function relatedAt(ctx: LintContext, s: PhpSetting | undefined, message: string): RelatedLocation[] {
  if (!s) return [];
  const r = ctx.entryRange(s.assignment);
  return [{ start: r.start, end: r.end, message }];
}

/**
 * An edit that turns a boolean on (or off) in one scope: replaces the line that sets it, or, when a main
 * php.ini relies on the built-in default, inserts it into [Session]. undefined when the value comes from a
 * file we do not see (fragments, .user.ini and pools that do not set it).
 */
export function setBoolEdit(ctx: LintContext, scoped: ScopedValue, directive: string, on: boolean): TextEdit | undefined {
  if (scoped.setting) return ctx.replaceValue(scoped.setting.assignment, boolText(ctx, scoped.setting, on));
  if (scoped.fromDefault && ctx.missingMeansDefault) return ctx.insertDirective(directive, on ? '1' : '0', 'Session');
  return undefined;
}

/** Where a "missing from php.ini" finding points: the [Session] header, else the first line. */
export function missingRange(ctx: LintContext, section = 'Session'): { start: number; end: number } {
  const header = ctx.doc.statements.find((s) => s.kind === 'section' && (s.name ?? '').toLowerCase() === section.toLowerCase());
  if (header) return { start: header.start, end: header.start + (header.name?.length ?? 0) + 2 };
  return { start: 0, end: Math.min(ctx.lines.lineEnd(0), ctx.text.length) };
}

/** True when a missing-directive finding makes sense: a complete php.ini PHP could read to the end. */
export function canReportMissing(ctx: LintContext): boolean {
  return ctx.missingMeansDefault;
}

/**
 * PHP 8.4 deprecated some values of session directives (catalog `deprecatedWhen`). Returns the sentence to
 * append and whether the value is deprecated on the target version.
 */
export function deprecationNote(ctx: LintContext, directive: string, on: boolean): string | undefined {
  const info = getDirective(directive);
  if (!info?.deprecated || statusFor(directive, ctx.phpVersion) !== 'deprecated') return undefined;
  const since = info.deprecated.split('.').slice(0, 2).join('.');
  if (info.deprecatedWhen === 'on' && on) return ` Enabling it is deprecated as of PHP ${since}.`;
  if (info.deprecatedWhen === 'off' && !on) return ` Turning it off is deprecated as of PHP ${since}.`;
  return undefined;
}

/**
 * A word PHP does not know as a boolean (`enabled`, `active`...), or a php_flag value php-fpm refuses: the
 * invalid-value rule reports those lines (PHP reads the word as off, or php-fpm does not start), so the
 * session rules stay quiet there instead of reporting the same line twice.
 */
export function notABoolean(s: PhpSetting): boolean {
  const v = s.value.trim();
  if ((s.via === 'php_flag' || s.via === 'php_admin_flag') && fpmBool(v) === undefined) return true;
  return !(v === '' || iniBool(v) || /^[+-]?\d/.test(v) || /^(off|no|false|none|null)$/i.test(v));
}

export interface BoolCheck {
  directive: string;
  want: boolean;
  /**
   * Message for a wrong value. `shown` is the value as written (`0`, `Off`, `empty (off)`) followed, in a
   * pool, by where it is set, so messages read `session.x is 0 (php_value[session.x] in pool [www]): ...`.
   */
  message: (shown: string, s: PhpSetting) => string;
  /** Message when absent from a main php.ini and the built-in default is the wrong one. */
  missingMessage?: string;
  safe?: boolean;
  severity?: (s: PhpSetting) => Severity | undefined;
}

/**
 * A boolean that must be on (or off) in php.ini's main scope and in every pool, with a value fix that keeps
 * the file's On/Off style; when absent from a main php.ini and the default is wrong, an insert fix.
 * Appends PHP 8.4's deprecation of the bad value when the target version has it.
 */
export function checkBool(ctx: LintContext, c: BoolCheck): void {
  const settings = ctx.settings(c.directive);
  for (const s of settings) {
    const on = iniBool(s.value);
    if (on === c.want || notABoolean(s)) continue;
    const dep = deprecationNote(ctx, c.directive, on);
    const r = ctx.entryRange(s.assignment);
    const fix: Fix = {
      title: `Set ${c.directive} to ${boolText(ctx, s, c.want)}`,
      edits: [ctx.replaceValue(s.assignment, boolText(ctx, s, c.want))],
      safe: c.safe ?? true,
    };
    ctx.report({
      message: c.message(shownBool(ctx, s) + where(s), s) + (dep ?? ''),
      start: r.start,
      end: r.end,
      directive: c.directive,
      severity: c.severity?.(s),
      tags: dep ? ['deprecated'] : undefined,
      fixes: [fix],
    });
  }
  if (settings.length || !c.missingMessage || !canReportMissing(ctx)) return;
  const def = defaultFor(c.directive, ctx.phpVersion);
  if (def === undefined || (def !== null && iniBool(def) === c.want)) return;
  const r = missingRange(ctx);
  ctx.report({
    message: c.missingMessage,
    start: r.start,
    end: r.end,
    directive: c.directive,
    fixes: [{ title: `Add ${c.directive} = ${c.want ? 1 : 0}`, edits: [ctx.insertDirective(c.directive, c.want ? '1' : '0', 'Session')], safe: c.safe ?? true }],
  });
}
