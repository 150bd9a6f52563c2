// The fix-safety properties as plain functions returning the problems they find (empty = property
// holds), so the fuzzer (fix-safety.test.ts) and the named regression cases (regressions.test.ts) assert
// exactly the same thing. Works over whatever rules exist (allRules), never over a fixed list.

import * as assert from 'assert';
import {
  applyEdits,
  cfgVars,
  detectEol,
  fixAll,
  lint,
  MAX_FIX_PASSES,
  parse,
  print,
  type Diagnostic,
  type Fix,
  type ParsedDocument,
  type TextEdit,
} from '../../server/src/engine';
import { fpmWrapper, runFpmTest, runPhp, type PhpResult } from '../differential/php';
import { FUZZ_ENV, type LintCase } from './arbitraries';

export const INTERNAL_ERROR = 'Internal error in rule';

export function parseCase(c: LintCase, text = c.text): ParsedDocument {
  return parse(text, { dialect: c.dialect, phpVersion: c.options.phpVersion, env: c.options.env });
}

const lit = (s: string) => JSON.stringify(s);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Splits into line contents (line breaks dropped), the way an editor numbers lines. */
function lineContents(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Rules that threw while linting (the runner turns a throw into an "Internal error in rule" finding). */
export function internalErrors(diags: Diagnostic[]): string[] {
  return diags.filter((d) => d.message.startsWith(INTERNAL_ERROR)).map((d) => `rule ${d.rule} threw: ${d.message}`);
}

/** Lints, turning a throw from lint itself into a problem. */
function safeLint(c: LintCase, doc: ParsedDocument, problems: string[], when: string): Diagnostic[] | undefined {
  try {
    const diags = lint(doc, c.options);
    for (const p of internalErrors(diags)) problems.push(`${when}: ${p}`);
    return diags;
  } catch (err) {
    problems.push(`${when}: lint threw: ${(err as Error).stack ?? String(err)}`);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------- ranges

function rangeProblems(doc: ParsedDocument, d: Diagnostic): string[] {
  const out: string[] = [];
  const len = doc.text.length;
  const where = `${d.rule} (${lit(d.message.slice(0, 80))})`;
  const okOffsets = (s: number, e: number) => Number.isInteger(s) && Number.isInteger(e) && s >= 0 && s <= e && e <= len;
  if (!okOffsets(d.start, d.end)) out.push(`${where}: offsets [${d.start}, ${d.end}) outside the document (length ${len}) or start > end`);
  const r = d.range;
  const lineCount = doc.lines.lineCount;
  const before = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  if (!before(r.start, r.end)) out.push(`${where}: range start ${JSON.stringify(r.start)} after end ${JSON.stringify(r.end)}`);
  for (const p of [r.start, r.end]) {
    if (p.line < 0 || p.line >= lineCount || p.character < 0) out.push(`${where}: position ${JSON.stringify(p)} outside the document (${lineCount} lines)`);
    else if (doc.lines.offsetAt(p) !== doc.lines.lineStart(p.line) + p.character) out.push(`${where}: position ${JSON.stringify(p)} past the end of its line`);
  }
  for (const rel of d.related) {
    if (!okOffsets(rel.start, rel.end)) out.push(`${where}: related location [${rel.start}, ${rel.end}) outside the document or start > end`);
  }
  d.fixes.forEach((f, i) => {
    const sorted = [...f.edits].sort((a, b) => a.start - b.start || a.end - b.end);
    for (const e of f.edits) if (!okOffsets(e.start, e.end)) out.push(`${where}: fix ${i} (${lit(f.title)}) edit [${e.start}, ${e.end}) outside the document or start > end`);
    for (let k = 1; k < sorted.length; k++) if (sorted[k].start < sorted[k - 1].end) out.push(`${where}: fix ${i} (${lit(f.title)}) has overlapping edits`);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------- locality

/** The finding's lines: from its start line to its end line (an end at column 0 of a later line does not count that line). */
export function findingLines(d: Diagnostic): [number, number] {
  const first = d.range.start.line;
  let last = d.range.end.line;
  if (last > first && d.range.end.character === 0) last--;
  return [first, last];
}

/** Lines an edit changes in the original text (a deletion ending at column 0 leaves that line intact). */
function editLines(doc: ParsedDocument, e: TextEdit): [number, number] {
  const s = doc.lines.positionAt(e.start);
  const en = doc.lines.positionAt(e.end);
  let last = en.line;
  if (e.end > e.start && en.character === 0 && en.line > s.line) last--;
  return [s.line, last];
}

/** An insertion that only adds whole lines: every original line survives unchanged, in order, around one block of new lines. */
export function insertsWholeLines(text: string, e: TextEdit): boolean {
  if (e.start !== e.end || e.newText === '') return false;
  // A byte-order mark is not part of the first line: inserting right after it adds a whole line.
  const bom = text.startsWith('\uFEFF') && e.start >= 1 ? 1 : 0;
  const A = lineContents(text.slice(bom));
  const B = lineContents(applyEdits(text, [e]).slice(bom));
  const k = B.length - A.length;
  if (k < 1) return false;
  for (let i = 0; i <= A.length; i++) {
    if (i > 0 && A[i - 1] !== B[i - 1]) return false;
    let ok = true;
    for (let j = i; j < A.length; j++) {
      if (A[j] !== B[j + k]) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

/**
 * The locality rule: every edit of a fix lies within the lines the finding shows (its range, or one of its
 * related locations, e.g. the `session.cookie_secure` line a partitioned-cookie finding points to), OR it is
 * an insertion (start === end) that adds whole lines only (the "missing directive" fixes, which add a line
 * to a section while pointing at its header). Inserted line breaks must be the file's own (detectEol).
 */
export function localityProblems(doc: ParsedDocument, d: Diagnostic, fix: Fix): string[] {
  const out: string[] = [];
  const [first, last] = findingLines(d);
  const eol = detectEol(doc.text);
  // Lines the finding shows the user: its own range and its related locations.
  const shown: Array<[number, number]> = [[first, last], ...d.related.map((r) => findingLines({ range: r.range } as Diagnostic))];
  for (const e of fix.edits) {
    const [sl, el] = editLines(doc, e);
    if (shown.some(([a, b]) => sl >= a && el <= b)) continue;
    if (e.start === e.end && insertsWholeLines(doc.text, e)) {
      const breaks = e.newText.match(/\r\n|\r|\n/g) ?? [];
      if (breaks.some((b) => b !== eol)) out.push(`fix ${lit(fix.title)} of ${d.rule} inserts line breaks ${JSON.stringify(breaks)} into a file that uses ${JSON.stringify(eol)}`);
      continue;
    }
    out.push(
      `fix ${lit(fix.title)} of ${d.rule} (finding on lines ${shown.map(([a, b]) => (a === b ? a + 1 : `${a + 1}-${b + 1}`)).join(', ')}) edits lines ${sl + 1}-${el + 1}: ` +
        `[${e.start}, ${e.end}) ${lit(doc.text.slice(e.start, e.end))} -> ${lit(e.newText)}`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- quick fixes

/**
 * Applies one quick fix, then keeps applying "the same" fix (same rule, directive, line and title) while
 * re-linting offers it. That must settle: no text may come back (a cycle), and it must stop within a bound
 * (each application may legitimately fix one more of several duplicate lines, never more than the file has).
 */
export function quickFixProblems(c: LintCase, doc: ParsedDocument, d: Diagnostic, fix: Fix): string[] {
  const out: string[] = [];
  out.push(...localityProblems(doc, d, fix));
  const seen = new Set<string>([doc.text]);
  const line = d.range.start.line;
  const max = doc.lines.lineCount + 3;
  let cur = doc.text;
  let f: Fix | undefined = fix;
  for (let step = 1; f; step++) {
    const next = applyEdits(cur, f.edits);
    if (next === cur) return out;
    if (seen.has(next)) {
      out.push(`applying fix ${lit(fix.title)} of ${d.rule} again and again cycles back to an earlier text after ${step} applications: ${lit(next)}`);
      return out;
    }
    if (step > max) {
      out.push(`fix ${lit(fix.title)} of ${d.rule} keeps changing the text after ${step} applications: ${lit(next)}`);
      return out;
    }
    seen.add(next);
    cur = next;
    let nd: ParsedDocument;
    try {
      nd = parseCase(c, cur);
    } catch (err) {
      out.push(`parse threw after fix ${lit(fix.title)} of ${d.rule}: ${(err as Error).message}`);
      return out;
    }
    const diags = safeLint(c, nd, out, `after quick fix ${lit(fix.title)} of ${d.rule} (text ${lit(cur)})`);
    if (!diags) return out;
    f = diags.find((x) => x.rule === d.rule && x.directive === d.directive && x.range.start.line === line)?.fixes.find((x) => x.title === fix.title);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- fix-all

function fixAllProblems(c: LintCase, doc: ParsedDocument): { problems: string[]; fixed?: string } {
  const out: string[] = [];
  let r;
  try {
    r = fixAll(doc, c.options);
  } catch (err) {
    return { problems: [`fixAll threw: ${(err as Error).stack ?? String(err)}`] };
  }
  if (applyEdits(doc.text, r.edits) !== r.text) out.push('fixAll edits do not reproduce its text');
  for (const e of r.edits) {
    const s = doc.lines.positionAt(e.start);
    const en = doc.lines.positionAt(e.end);
    const atLineStart = (p: { character: number }, off: number) => p.character === 0 || off === doc.text.length;
    if (!atLineStart(s, e.start) || !atLineStart(en, e.end)) out.push(`fixAll edit [${e.start}, ${e.end}) is not whole lines`);
  }
  let fixedDoc: ParsedDocument;
  try {
    fixedDoc = parseCase(c, r.text);
  } catch (err) {
    out.push(`parse threw on the fixed text: ${(err as Error).message}`);
    return { problems: out, fixed: r.text };
  }
  if (print(fixedDoc) !== r.text) out.push('print(parse(fixed)) !== fixed');
  const after = safeLint(c, fixedDoc, out, `after fixAll (text ${lit(r.text)})`);
  if (after) {
    for (const d of after) {
      const safe = d.fixes.find((f) => f.safe);
      if (safe) out.push(`after fixAll, ${d.rule} still offers the safe fix ${lit(safe.title)} on line ${d.range.start.line + 1} (${lit(d.message.slice(0, 100))})`);
    }
  }
  const again = fixAll(fixedDoc, c.options);
  if (again.edits.length || again.text !== r.text) {
    out.push(`fixAll is not idempotent: a second run changes ${lit(r.text)} into ${lit(again.text)}`);
  }
  return { problems: out, fixed: r.text };
}

// ---------------------------------------------------------------------------------------------- engine properties

export interface EngineCheckOptions {
  /** Cap on the quick fixes tried per input (each re-lints a few times). */
  maxQuickFixes?: number;
}

/** Every engine-only property for one input. */
export function engineProblems(c: LintCase, opts: EngineCheckOptions = {}): string[] {
  const out: string[] = [];
  let doc: ParsedDocument;
  try {
    doc = parseCase(c);
  } catch (err) {
    return [`parse threw: ${(err as Error).stack ?? String(err)}`];
  }
  let printed: string | undefined;
  try {
    printed = print(doc);
  } catch (err) {
    out.push(`print threw: ${(err as Error).message}`);
  }
  if (printed !== undefined && printed !== c.text) out.push(`print(parse(x)) !== x: got ${lit(printed)}`);
  for (const st of doc.statements) {
    if (st.value !== undefined && typeof st.value !== 'string') out.push(`statement ${lit(c.text.slice(st.start, st.end))} has a ${typeof st.value} value, not a string`);
  }
  if (c.dialect === 'php-ini') {
    try {
      cfgVars(doc);
    } catch (err) {
      out.push(`cfgVars threw: ${(err as Error).message}`);
    }
  }
  const diags = safeLint(c, doc, out, 'lint');
  if (!diags) return out;
  for (const d of diags) out.push(...rangeProblems(doc, d));
  if (out.length) return out; // later checks would only repeat the same breakage
  let tried = 0;
  const max = opts.maxQuickFixes ?? 30;
  for (const d of diags) {
    for (const f of d.fixes) {
      if (tried++ >= max) break;
      out.push(...quickFixProblems(c, doc, d, f));
    }
  }
  out.push(...fixAllProblems(c, doc).problems);
  return [...new Set(out)];
}

// ---------------------------------------------------------------------------------------------- PHP agrees

/** Which (directive -> rule ids) the safe fixes target, pass by pass, the way fixAll applies them. */
export function fixTargets(c: LintCase, doc: ParsedDocument): Map<string, Set<string>> {
  const targets = new Map<string, Set<string>>();
  let cur = doc;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const diags = lint(cur, c.options).filter((d) => d.fixes.some((f) => f.safe));
    if (!diags.length) break;
    for (const d of diags) {
      if (d.directive === null) continue;
      const set = targets.get(d.directive) ?? new Set<string>();
      set.add(d.rule);
      targets.set(d.directive, set);
    }
    // Same selection as fixAll: the first safe fix of each finding, skipping fixes that overlap chosen ones.
    const chosen: TextEdit[] = [];
    const overlaps = (a: TextEdit, b: TextEdit) => (a.start < b.end && b.start < a.end) || (a.start === b.start && a.end === a.start && b.end === b.start);
    for (const d of diags) {
      const f = d.fixes.find((x) => x.safe)!;
      if (f.edits.some((e) => chosen.some((x) => overlaps(x, e)))) continue;
      chosen.push(...f.edits);
    }
    const next = applyEdits(cur.text, chosen);
    if (next === cur.text) break;
    cur = parseCase(c, next);
  }
  return targets;
}

export interface OracleOutcome {
  problems: string[];
  /** Why PHP was not consulted (nothing to fix, a syntax error already, PHP aborted...). */
  skipped?: string;
}

function showValue(v: unknown): string {
  return JSON.stringify(v);
}

/**
 * After fix-all, PHP agrees: run `php -n -c` on the text before and after; every key either version sets
 * (plus the fixed directives) must read the same, except keys a safe fix targets, which must then no longer
 * be reported by the rule that fixed them; and no syntax error may appear.
 */
export function phpAgreementProblems(c: LintCase): OracleOutcome {
  if (c.dialect !== 'php-ini') return { problems: [], skipped: 'not php.ini' };
  if (LONE_SURROGATE.test(c.text)) return { problems: [], skipped: 'lone surrogate (no byte form)' };
  let doc: ParsedDocument;
  let r;
  try {
    doc = parseCase(c);
    if (doc.errors.length || doc.truncatedAt !== undefined) return { problems: [], skipped: 'syntax error or truncated' };
    r = fixAll(doc, c.options);
  } catch (err) {
    return { problems: [`the engine threw: ${(err as Error).message}`] };
  }
  if (r.text === c.text) return { problems: [], skipped: 'nothing to fix' };
  const fixedDoc = parseCase(c, r.text);
  const targets = fixTargets(c, doc);
  let keys: string[];
  try {
    keys = [...new Set([...Object.keys(cfgVars(doc)), ...Object.keys(cfgVars(fixedDoc)), ...targets.keys()])];
  } catch (err) {
    return { problems: [`cfgVars threw: ${(err as Error).message}`] };
  }
  const env = { ...FUZZ_ENV, ...(c.options.env as Record<string, string>) };
  let before: PhpResult;
  try {
    before = runPhp(c.text, keys, { env });
  } catch (err) {
    return { problems: [], skipped: `php could not run on the original: ${(err as Error).message.split('\n')[0]}` };
  }
  if (before.crashed) return { problems: [], skipped: `php aborted on the original: ${before.crashed}` };
  if (before.errors.length) return { problems: [], skipped: `php reports a problem in the original: ${before.errors[0].message}` };
  const out: string[] = [];
  let after: PhpResult;
  try {
    after = runPhp(r.text, keys, { env });
  } catch (err) {
    return { problems: [`php cannot run with the fixed file ${lit(r.text)}: ${(err as Error).message}`] };
  }
  if (after.crashed) return { problems: [`php aborts with the fixed file: ${after.crashed}`] };
  for (const e of after.errors) out.push(`the fixed file makes PHP report ${lit(e.message)} on line ${e.line}`);
  if (fixedDoc.errors.length) out.push(`the fixed file has a syntax error for the engine: ${fixedDoc.errors[0].message}`);
  const afterDiags = lint(fixedDoc, c.options);
  for (const k of keys) {
    const b = before.values[k];
    const a = after.values[k];
    try {
      assert.deepStrictEqual(a, b);
      continue;
    } catch {
      /* changed */
    }
    const rules = targets.get(k);
    if (!rules) {
      out.push(`fix-all changed ${k} from ${showValue(b)} to ${showValue(a)} although no fix targets it`);
      continue;
    }
    for (const rule of rules) {
      const still = afterDiags.find((d) => d.rule === rule && d.directive === k);
      if (still) out.push(`fix-all changed ${k} from ${showValue(b)} to ${showValue(a)} for ${rule}, yet ${rule} still reports it: ${lit(still.message)}`);
    }
  }
  return { problems: out };
}

// ---------------------------------------------------------------------------------------------- php-fpm -t

/**
 * For a pool file: the text (wrapped with fpmWrapper so php-fpm has a [global] and a complete [www]) is
 * linted and fixed as a whole; php-fpm8.2 -t must accept the fixed file whenever it accepted the original.
 */
export function fpmWrappedText(c: LintCase): string {
  return fpmWrapper(c.text);
}

export function fpmAgreementProblems(c: LintCase): OracleOutcome {
  const wrapped: LintCase = { ...c, text: fpmWrappedText(c) };
  let r;
  try {
    r = fixAll(parseCase(wrapped), wrapped.options);
  } catch (err) {
    return { problems: [`the engine threw: ${(err as Error).message}`] };
  }
  if (r.text === wrapped.text) return { problems: [], skipped: 'nothing to fix' };
  const env = { ...FUZZ_ENV };
  const before = runFpmTest(wrapped.text, { env });
  if (before.exitCode !== 0) return { problems: [], skipped: `php-fpm rejects the original: ${before.errors[0]?.message ?? before.output.trim().split('\n')[0]}` };
  const after = runFpmTest(r.text, { env });
  if (after.exitCode === 0) return { problems: [] };
  const why = [...after.errors.map((e) => `${e.level}: ${e.message}${e.line ? ` (line ${e.line})` : ''}`), ...after.syntaxErrors.map((e) => e.message)];
  return { problems: [`php-fpm -t accepts the original but rejects the fixed file (${why.join('; ') || after.output.trim()}); fixed text: ${lit(r.text)}`] };
}

/** Would fix-all change the wrapped pool file (used to pick the few cases worth a php-fpm run)? */
export function fpmFixChanges(c: LintCase): boolean {
  const wrapped: LintCase = { ...c, text: fpmWrappedText(c) };
  try {
    return fixAll(parseCase(wrapped), wrapped.options).text !== wrapped.text;
  } catch {
    return false; // an engine crash is the engine properties' finding, not php-fpm's
  }
}
