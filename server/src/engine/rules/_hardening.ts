// Building blocks for the general php.ini hardening rules (expose-php, display-errors, size-value, ...).
// Files starting with `_` are not rules themselves.

import { compareVersions, defaultFor, getDirective, isIniConstant } from '../catalog';
import type { LintContext, PhpSetting } from '../lint';
import type { Assignment } from '../model';
import type { Statement } from '../types';
import { detectEol } from '../text';
import { iniBool } from '../values';
import { boolText, where } from './_shared';
import type { Fix, Severity, TextEdit } from './types';

export const PHP_CORE_INI = 'https://www.php.net/manual/en/ini.core.php';
export const PHP_ERRORFUNC_INI = 'https://www.php.net/manual/en/errorfunc.configuration.php';
export const PHP_FILESYSTEM_INI = 'https://www.php.net/manual/en/filesystem.configuration.php';
export const PHP_INFO_INI = 'https://www.php.net/manual/en/info.configuration.php';
export const PHP_INI_LIST = 'https://www.php.net/manual/en/ini.list.php';

export { where };

/** The value exactly as the file writes it (quotes included), or `(empty)`. */
export function written(ctx: LintContext, s: PhpSetting): string {
  const r = ctx.valueRange(s.assignment);
  return ctx.text.slice(r.start, r.end) || '(empty)';
}

/**
 * Whether this file kind can set the directive at all. A .user.ini only applies PHP_INI_PERDIR and
 * PHP_INI_ALL directives (another rule reports the rest as doing nothing), so hardening rules skip them there.
 */
export function settableHere(ctx: LintContext, directive: string): boolean {
  if (ctx.options.role !== 'user-ini') return true;
  const mode = getDirective(directive)?.changeable;
  return mode === undefined || mode === null || mode === 'PHP_INI_ALL' || mode === 'PHP_INI_PERDIR';
}

/** ctx.settings() restricted to what this file kind can actually set. */
export function settingsHere(ctx: LintContext, directive: string): PhpSetting[] {
  return settableHere(ctx, directive) ? ctx.settings(directive) : [];
}

export function isProduction(ctx: LintContext): boolean {
  return ctx.options.profile !== 'development';
}

/** The PHP version is at least `v` (compared at the target's precision: "8.2" >= "8.2"). */
export function phpAtLeast(ctx: LintContext, v: string): boolean {
  return compareVersions(ctx.phpVersion, v) >= 0;
}

/** A fix that replaces one setting's value. */
export function valueFix(ctx: LintContext, s: PhpSetting, text: string, safe: boolean, title?: string): Fix {
  return { title: title ?? `Set ${s.directive} to ${text}`, edits: [ctx.replaceValue(s.assignment, text)], safe };
}

/** A fix that writes a boolean the way the line already writes booleans (On/Off, 1/0...). */
export function boolFix(ctx: LintContext, s: PhpSetting, on: boolean, safe: boolean): Fix {
  return valueFix(ctx, s, boolText(ctx, s, on), safe);
}

/**
 * The setting of `directive` that applies in the same scope as `s`: the same pool in a pool file, the
 * file's main scope in a php.ini.
 */
export function sibling(ctx: LintContext, s: PhpSetting, directive: string): PhpSetting | undefined {
  return ctx.settings(directive).find((o) => o.pool === s.pool);
}

/**
 * The value of `directive` in the scope of `s`: the sibling's value, PHP's built-in default when `s` is in a
 * main php.ini that does not set it, otherwise undefined (the file alone cannot tell).
 */
export function valueInScope(ctx: LintContext, s: PhpSetting | undefined, directive: string): string | null | undefined {
  const sib = s ? sibling(ctx, s, directive) : ctx.settings(directive).find((o) => !o.pool);
  if (sib) return sib.value;
  if (ctx.isMainIni && !s?.pool) return defaultFor(directive, ctx.phpVersion);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Directives missing from a main php.ini

/** Where a "missing" finding points: the `[PHP]` header when there is one, else the first line. */
export function missingRange(ctx: LintContext): { start: number; end: number } {
  const header = ctx.doc.statements.find((s) => s.kind === 'section' && (s.name ?? '').toUpperCase() === 'PHP');
  const open = header?.tokens.find((t) => t.kind === 'section-open');
  const close = header?.tokens.find((t) => t.kind === 'section-close');
  if (open && close) return { start: open.start, end: close.end };
  return { start: 0, end: Math.min(ctx.lines.lineEnd(0), ctx.text.length) };
}

/** Insert `name = value` next to the line of `a`. */
export function insertAfter(ctx: LintContext, a: Assignment, name: string, value: string): TextEdit {
  return ctx.insertDirective(name, value, 'PHP', [a.name]);
}

/**
 * Insert a directive where PHP reads it into the main scope: next to a related directive (`near`, first
 * found wins), else after the last main-scope line of `[PHP]`, else after the last main-scope line, else
 * before the first `[PATH=]`/`[HOST=]` section (PHP never returns to the main scope after one), else at the end.
 */
export function insertNear(ctx: LintContext, name: string, value: string, near: readonly string[] = []): TextEdit {
  return ctx.insertDirective(name, value, 'PHP', near);
}

export interface MissingSpec {
  directive: string;
  /** The value the fix inserts. */
  value: string;
  message: string;
  severity?: Severity;
  safe: boolean;
  /** Directives to insert after, in order of preference. */
  near?: readonly string[];
  /** Report only when PHP's default for the target version is insecure. */
  defaultIsBad: (def: string | null) => boolean;
}

/** Reports a directive absent from a complete php.ini whose built-in default is the insecure one. */
export function reportMissing(ctx: LintContext, spec: MissingSpec): void {
  // After a syntax error or a NUL byte (PHP >= 8.3 stops there) an added line might never be read.
  if (!ctx.missingMeansDefault || ctx.settings(spec.directive).length) return;
  const def = defaultFor(spec.directive, ctx.phpVersion);
  if (def === undefined || !spec.defaultIsBad(def)) return;
  const r = missingRange(ctx);
  ctx.report({
    message: spec.message,
    start: r.start,
    end: r.end,
    directive: spec.directive,
    severity: spec.severity,
    fixes: [{ title: `Add ${spec.directive} = ${spec.value}`, edits: [insertNear(ctx, spec.directive, spec.value, spec.near)], safe: spec.safe }],
  });
}

// ---------------------------------------------------------------------------------------------
// Boolean directives

export interface BoolSpec {
  directive: string;
  /** The insecure state. */
  bad: boolean;
  /** `{value}` is replaced by the value as written; the pool suffix is appended. */
  message: string;
  /** Reported when absent from a main php.ini and PHP's default is the insecure state. */
  missingMessage?: string;
  missingSeverity?: Severity;
  severity?: Severity;
  safe: boolean;
  near?: readonly string[];
  /** Extra condition on a reported setting (e.g. only when display_errors is on in the same scope). */
  when?: (s: PhpSetting) => boolean;
}

/** The common shape: a boolean that must not be in its insecure state, in php.ini and in every pool. */
export function checkBool(ctx: LintContext, spec: BoolSpec): void {
  for (const s of settingsHere(ctx, spec.directive)) {
    if (iniBool(s.value) !== spec.bad) continue;
    if (spec.when && !spec.when(s)) continue;
    const r = ctx.entryRange(s.assignment);
    ctx.report({
      message: spec.message.replace('{value}', written(ctx, s)) + where(s),
      start: r.start,
      end: r.end,
      directive: spec.directive,
      severity: spec.severity,
      fixes: [boolFix(ctx, s, !spec.bad, spec.safe)],
    });
  }
  if (spec.missingMessage) {
    reportMissing(ctx, {
      directive: spec.directive,
      value: spec.bad ? 'Off' : 'On',
      message: spec.missingMessage,
      severity: spec.missingSeverity,
      safe: spec.safe,
      near: spec.near,
      defaultIsBad: (d) => d !== null && iniBool(d) === spec.bad,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// display_errors

export type DisplayMode = 'off' | 'stdout' | 'stderr';

/** php_get_display_errors_mode(): on/yes/true/stdout, stderr, else the number (a uint8_t: 256 is off). */
export function displayErrorsMode(value: string | null | undefined): DisplayMode {
  if (value === null || value === undefined) return 'stdout';
  const v = value.toLowerCase();
  if (v === 'on' || v === 'yes' || v === 'true' || v === 'stdout') return 'stdout';
  if (v === 'stderr') return 'stderr';
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(value);
  const n = m ? Number(BigInt.asUintN(8, BigInt(m[1]))) : 0;
  if (n === 0) return 'off';
  return n === 2 ? 'stderr' : 'stdout';
}

// ---------------------------------------------------------------------------------------------
// Sizes: zend_ini_parse_quantity() of PHP 8.2+, and zend_atol() before it.

export interface QuantityResult {
  /** The number of bytes PHP ends up with (64-bit wrapped like PHP's). */
  value: bigint;
  /** PHP 8.2+ warns at start-up ("Invalid quantity ..."): what is wrong, in our words. */
  problem?: 'no-digits' | 'bad-prefix' | 'unknown-multiplier' | 'junk-before-multiplier' | 'overflow';
  /** The digits start with 0 (not 0x/0o/0b), so PHP read them as octal. */
  octal?: boolean;
}

const WS = new Set([' ', '\t', '\n', '\r', '\v', '\f']);
const MASK = (1n << 64n) - 1n;
const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);
const toSigned = (u: bigint) => BigInt.asIntN(64, u);

/** A character's digit value in bases up to 36 (what parseInt(c, 36) gives), or 99. */
function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return 99;
}

/** strtoull(): digits of `base` (0 = auto: 0x hex, 0 octal, else decimal) from `s[i]`; where it stopped. */
function strtoull(s: string, i: number, base: number): { value: bigint; end: number; erange: boolean; octal: boolean } {
  let octal = false;
  let p = i;
  // strtoull itself also skips whitespace and a sign, and accepts 0x for base 16 / 0.
  while (p < s.length && WS.has(s[p])) p++;
  let neg = false;
  if (s[p] === '+' || s[p] === '-') {
    neg = s[p] === '-';
    p++;
  }
  if ((base === 0 || base === 16) && s[p] === '0' && (s[p + 1] === 'x' || s[p + 1] === 'X') && /[0-9a-fA-F]/.test(s[p + 2] ?? '')) {
    p += 2;
    base = 16;
  } else if (base === 0) {
    if (s[p] === '0') {
      base = 8;
      octal = /[0-9]/.test(s[p + 1] ?? '');
    } else base = 10;
  }
  const start = p;
  while (p < s.length && digitValue(s.charCodeAt(p)) < base) p++;
  if (p === start) return { value: 0n, end: i, erange: false, octal: false };
  let v = 0n;
  let erange = false;
  if (p - start <= 13) {
    // Up to 13 digits of base 16 or less stay below 2^53: exact in a double, and no BigInt per digit.
    let n = 0;
    for (let q = start; q < p; q++) n = n * base + digitValue(s.charCodeAt(q));
    v = BigInt(n);
  } else {
    for (let q = start; q < p; q++) {
      v = v * BigInt(base) + BigInt(digitValue(s.charCodeAt(q)));
      if (v > MASK) erange = true;
    }
  }
  if (erange) v = MASK;
  else if (neg) v = (-v) & MASK;
  return { value: v, end: p, erange, octal };
}

/** zend_ini_parse_quantity_internal (PHP 8.2+). `unsigned` for memory_limit (zend_ini_parse_uquantity). */
export function parseQuantity82(raw: string, unsigned = false): QuantityResult {
  const str = raw;
  let end = str.length;
  let d = 0;
  while (d < end && WS.has(str[d])) d++;
  while (d < end && WS.has(str[end - 1])) end--;
  if (d === end) return { value: 0n };
  let negative = false;
  if (str[d] === '+') d++;
  else if (str[d] === '-') {
    negative = true;
    d++;
  }
  if (!/[0-9]/.test(str[d] ?? '')) return { value: 0n, problem: 'no-digits' };
  let base = 0;
  let skipToEvaluation = false;
  if (str[d] === '0' && !/[0-9]/.test(str[d + 1] ?? '')) {
    if (d + 1 === end) return { value: 0n };
    const c = str[d + 1];
    if ('gGmMkK'.includes(c)) skipToEvaluation = true;
    else if (c === 'x' || c === 'X') base = 16;
    else if (c === 'o' || c === 'O') base = 8;
    else if (c === 'b' || c === 'B') base = 2;
    else return { value: 0n, problem: 'bad-prefix' };
    if (!skipToEvaluation) {
      d += 2;
      if (d === end) return { value: 0n, problem: 'no-digits' };
      // zend_ini_consume_quantity_prefix: no second sign, blank or prefix after the first one.
      let q = d;
      while (q < end && WS.has(str[q])) q++;
      if (str[q] === '+' || str[q] === '-') q++;
      if (str[q] === '0' && !/[0-9]/.test(str[q + 1] ?? '') && q + 1 !== end && 'xXoObB'.includes(str[q + 1] ?? '')) q += 2;
      if (q !== d) return { value: 0n, problem: 'no-digits' };
    }
  }
  const parsed = strtoull(str.slice(0, end), d, base);
  let retval = parsed.value;
  let overflow = false;
  if (parsed.erange) overflow = true;
  else if (unsigned) {
    if (negative) {
      if (retval === 1n && parsed.end === end) retval = MASK;
      else overflow = true;
    }
  } else {
    if (negative && retval === LONG_MAX + 1n) retval = (0n - retval) & MASK;
    else if (toSigned(retval) < 0n) overflow = true;
    else if (negative) retval = (0n - retval) & MASK;
  }
  let de = parsed.end;
  if (de === d) return { value: 0n, problem: 'no-digits' };
  const octal = parsed.octal;
  while (de < end && WS.has(str[de])) de++;
  if (de === end) return { value: retval, octal, problem: overflow ? 'overflow' : undefined };
  const last = str[end - 1].toLowerCase();
  const factor = last === 'g' ? 1n << 30n : last === 'm' ? 1n << 20n : last === 'k' ? 1n << 10n : 0n;
  if (!factor) return { value: retval, octal, problem: 'unknown-multiplier' };
  if (!overflow) {
    if (!unsigned) {
      const s = toSigned(retval);
      overflow = s > 0n ? s > LONG_MAX / factor : s < LONG_MIN / factor;
    } else overflow = retval > MASK / factor;
  }
  retval = (retval * factor) & MASK;
  if (de !== end - 1) return { value: retval, octal, problem: 'junk-before-multiplier' };
  return { value: retval, octal, problem: overflow ? 'overflow' : undefined };
}

/** zend_atol (PHP < 8.2): strtol with base 0, then the very last character picks the multiplier. */
export function parseAtol(raw: string): bigint {
  const r = strtoull(raw, 0, 0);
  let v = r.erange ? LONG_MAX : toSigned(r.value);
  const last = raw[raw.length - 1];
  if (last === 'g' || last === 'G') v *= 1024n ** 3n;
  else if (last === 'm' || last === 'M') v *= 1024n ** 2n;
  else if (last === 'k' || last === 'K') v *= 1024n;
  return BigInt.asIntN(64, v);
}

/** What the target PHP reads a size as: bytes (signed, or unsigned for memory_limit), and its complaint. */
export function phpSize(ctx: LintContext, raw: string, unsigned = false): QuantityResult {
  const q = parseQuantity82(raw, unsigned);
  if (phpAtLeast(ctx, '8.2')) return q;
  return { ...q, value: BigInt.asUintN(64, parseAtol(raw)) };
}

/** Signed view of a parsed size. */
export function sizeBytes(q: QuantityResult): bigint {
  return toSigned(q.value);
}

/** 134217728n -> "128M", 128n -> "128 bytes", -1n -> "-1". */
export function describeBytes(n: bigint): string {
  if (n < 0n) return String(n);
  if (n === 0n) return '0';
  for (const [unit, f] of [['G', 1n << 30n], ['M', 1n << 20n], ['K', 1n << 10n]] as const) {
    if (n % f === 0n) return `${n / f}${unit}`;
  }
  return `${n} byte${n === 1n ? '' : 's'}`;
}

/** The file writes the value literally (no ${VAR}, constant or expression), so rewriting it loses nothing. */
export function isLiteral(ctx: LintContext, s: PhpSetting): boolean {
  const st = s.assignment.statement;
  if (st.valueStart === undefined || st.valueEnd === undefined) return true;
  for (let i = st.valueStart; i < st.valueEnd; i++) {
    const t = st.tokens[i];
    if (t.kind === 'var-open' || t.kind === 'operator') return false;
    // A bare word is only replaced when PHP knows the constant; `MB` in `20 MB` stays text.
    if (t.kind === 'constant' && isIniConstant(ctx.text.slice(t.start, t.end))) return false;
  }
  return true;
}
