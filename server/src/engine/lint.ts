// The rule runner: context handed to rules, severity settings, disable comments, and fix-all.

import { parse, type ParsedDocument } from './document';
import { FPM_PHP_ARRAYS, type Assignment, type FpmModel, type FpmPhpArray, type FpmPool, type IniModel, type IniSetting } from './model';
import { allRules } from './rules/index';
import type { Finding, Fix, RelatedLocation, Rule, RuleScope, Severity, TextEdit } from './rules/types';
import { detectEol, type LineIndex } from './text';
import { K } from './tokens';
import type { Range, Statement } from './types';

export interface LintOptions {
  phpVersion: string;
  profile: 'production' | 'development';
  /** The site is served over HTTPS only, so cookies can and should be Secure. */
  httpsOnly: boolean;
  role: RuleScope;
  /** Per-rule severity, or 'off'. */
  rules?: Record<string, Severity | 'off'>;
  env?: Record<string, string | undefined>;
}

/** One place a php.ini directive gets its value: php.ini's main scope, or one pool's override. */
export interface PhpSetting {
  directive: string;
  value: string;
  /** The line that decides the value (the last one). */
  assignment: Assignment;
  /** Every line in that scope that sets it, in order. */
  all: Assignment[];
  pool?: FpmPool;
  /** In a pool: which array set it. */
  via?: FpmPhpArray;
  /** php_admin_* (scripts cannot override it). */
  admin?: boolean;
}

export interface Diagnostic {
  rule: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  range: Range;
  directive: string | null;
  tags: Array<'deprecated' | 'unnecessary'>;
  related: Array<RelatedLocation & { range: Range }>;
  fixes: Fix[];
}

const NO_SETTINGS: PhpSetting[] = [];

/** The effective setting of one php.ini directive, as a list of at most one. */
function iniSettings(name: string, setting: IniSetting): PhpSetting[] {
  if (typeof setting.value !== 'string') return NO_SETTINGS;
  const list = setting.assignments;
  // A scalar setting is nearly always set by scalar lines only: share the list then.
  const all = list.every((a) => a.offset === undefined) ? list : list.filter((a) => a.offset === undefined);
  return [{ directive: name, value: setting.value, assignment: list[list.length - 1], all }];
}

export class LintContext {
  readonly findings: Finding[] = [];
  /** The rule behind each finding, by index. */
  readonly findingRules: Rule[] = [];
  current!: Rule;
  private settingsCache?: Map<string, PhpSetting[]>;
  /** php.ini settings built one directive at a time by settings(), before anything needs them all. */
  private readonly iniSettingsCache = new Map<string, PhpSetting[]>();
  private memos = new Map<string, unknown>();

  // Plain fields rather than getters: rules read them on every line, and until V8 optimizes a rule
  // (most run once a file, so a CLI run over hundreds of files) each getter is a call.
  readonly text: string;
  readonly phpVersion: string;
  readonly ini: IniModel | undefined;
  readonly fpm: FpmModel | undefined;
  /** A complete php.ini, where a directive that is absent means PHP's built-in default applies. */
  readonly isMainIni: boolean;
  /**
   * A directive absent from this file means PHP's built-in default applies, and a line added to fix
   * that would be read: a main php.ini that PHP reads to its end (no syntax error, no silent stop).
   */
  readonly missingMeansDefault: boolean;

  constructor(readonly doc: ParsedDocument, readonly options: LintOptions) {
    this.text = doc.text;
    this.phpVersion = doc.phpVersion;
    const model = doc.model;
    this.ini = model.dialect === 'php-ini' ? model : undefined;
    this.fpm = model.dialect === 'php-fpm' ? model : undefined;
    this.isMainIni = options.role === 'main';
    this.missingMeansDefault = this.isMainIni && !!this.ini && !doc.errors.length && doc.truncatedAt === undefined;
  }

  /** The line break this file mostly uses, for lines a fix inserts. */
  get eol(): '\n' | '\r\n' | '\r' {
    return (this.eolCache ??= detectEol(this.doc.text));
  }
  private eolCache: '\n' | '\r\n' | '\r' | undefined;
  /** Built on first use (the document builds its line index lazily). */
  get lines(): LineIndex {
    return this.doc.lines;
  }

  /** Computes a value once per lint run; rules share derived views of the file through this. */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  report(f: Finding): void {
    this.findings.push(f);
    this.findingRules.push(this.current);
  }

  /** Every effective php.ini setting in this file, keyed by directive. */
  allSettings(): Map<string, PhpSetting[]> {
    if (this.settingsCache) return this.settingsCache;
    const map = new Map<string, PhpSetting[]>();
    const add = (s: PhpSetting) => {
      const list = map.get(s.directive);
      if (list) list.push(s);
      else map.set(s.directive, [s]);
    };
    const ini = this.ini;
    if (ini) {
      // Each name once (a php.ini file is never a pool file too): no list to look up and extend. The
      // lists settings() already built are reused, so both hand out the same objects.
      for (const [name, setting] of ini.main) {
        const found = this.iniSettingsCache.get(name) ?? iniSettings(name, setting);
        if (found.length) map.set(name, found);
      }
    }
    const fpm = this.fpm;
    if (fpm) {
      for (const pool of fpm.pools) {
        // php-fpm keeps each pool's php.ini overrides in a list it prepends to, then applies every
        // php_admin_* entry over the others: so an admin line beats any php_value/php_flag whatever
        // the order, and among lines of the same kind the FIRST one wins (verified on php-fpm 8.2).
        const byDirective = new Map<string, typeof pool.php>();
        for (const p of pool.php) {
          const list = byDirective.get(p.directive);
          if (list) list.push(p);
          else byDirective.set(p.directive, [p]);
        }
        for (const [directive, list] of byDirective) {
          const winner = list.find((p) => p.admin) ?? list[0];
          add({ directive, value: winner.value, assignment: winner.assignment, all: list.map((p) => p.assignment), pool, via: winner.via, admin: winner.admin });
        }
      }
    }
    this.settingsCache = map;
    return map;
  }

  /** Effective settings of one directive (one per pool in a pool file; at most one in php.ini). */
  settings(directive: string): PhpSetting[] {
    if (this.settingsCache) return this.settingsCache.get(directive) ?? [];
    const ini = this.ini;
    // Rules ask for a few dozen of a php.ini's directives: build just those.
    if (!ini) return this.allSettings().get(directive) ?? [];
    let found = this.iniSettingsCache.get(directive);
    if (found === undefined) {
      const setting = ini.main.get(directive);
      found = setting ? iniSettings(directive, setting) : NO_SETTINGS;
      this.iniSettingsCache.set(directive, found);
    }
    return found;
  }

  // ---- ranges ----

  // Ranges read the token store directly: building a statement's Token objects for every line a rule
  // looks at would cost more than the rule.

  private tokenRange(a: Assignment, index: number | undefined): { start: number; end: number } {
    const st = a.statement;
    if (index === undefined) return { start: st.start, end: st.start };
    const store = this.doc.tokens;
    return { start: store.starts[st.first + index], end: store.ends[st.first + index] };
  }

  keyRange(a: Assignment): { start: number; end: number } {
    const r = this.tokenRange(a, a.statement.keyToken);
    // Include `[offset]` so `php_value[session.name]` is underlined as a whole.
    const st = a.statement;
    if (a.offset !== undefined && st.equalsToken !== undefined) {
      const store = this.doc.tokens;
      let end = r.end;
      for (let i = st.first + (st.keyToken ?? 0) + 1; i < st.first + st.equalsToken; i++) if (store.kinds[i] !== K.Whitespace) end = store.ends[i];
      return { start: r.start, end };
    }
    return r;
  }

  /** The value as written (without surrounding spaces or a trailing comment); empty at the `=` when there is none. */
  valueRange(a: Assignment): { start: number; end: number } {
    const st = a.statement;
    const store = this.doc.tokens;
    if (st.valueStart !== undefined && st.valueEnd !== undefined && st.valueEnd > st.valueStart) {
      return { start: store.starts[st.first + st.valueStart], end: store.ends[st.first + st.valueEnd - 1] };
    }
    const at = st.equalsToken !== undefined ? store.ends[st.first + st.equalsToken] : st.end;
    return { start: at, end: at };
  }

  /** The whole statement: key to value (what a finding about a line underlines). */
  entryRange(a: Assignment): { start: number; end: number } {
    const k = this.keyRange(a);
    const v = this.valueRange(a);
    return { start: k.start, end: Math.max(k.end, v.end) };
  }

  // ---- edits ----

  /** Replace a directive's value, keeping the key, the spacing around `=` and any trailing comment. */
  replaceValue(a: Assignment, newText: string): TextEdit {
    const r = { ...this.valueRange(a) };
    const st = a.statement;
    // On a last line without a line break PHP keeps the value's trailing blanks: replace them too.
    if (st.valueEnd !== undefined && st.valueEnd < st.tokens.length && st.tokens.slice(st.valueEnd).every((t) => t.kind === 'whitespace')) {
      r.end = st.end;
    }
    // php-fpm refuses anything but a boolean in php_flag/php_admin_flag: writing another value
    // switches the line to php_value/php_admin_value, in one edit from the key to the value.
    if (a.offset && /^php(_admin)?_flag$/.test(a.name) && !/^(on|off|yes|no|true|false|1|0)$/i.test(newText) && st.keyToken !== undefined) {
      const key = st.tokens[st.keyToken];
      const renamed = a.name.replace(/_flag$/, '_value');
      const between = this.text.slice(key.end, r.start);
      const spaced = r.start === r.end && st.equalsToken !== undefined && st.tokens[st.equalsToken + 1]?.kind !== 'whitespace' ? ' ' : '';
      return { start: key.start, end: r.end, newText: `${renamed}${between}${spaced}${newText}` };
    }
    if (r.start === r.end && st.equalsToken !== undefined) {
      // `key =` with nothing after: keep a space after `=` like the rest of the file does.
      const after = st.tokens[st.equalsToken + 1];
      const spaced = after && after.kind === 'whitespace';
      return { start: r.start, end: r.end, newText: spaced ? newText : ` ${newText}` };
    }
    return { start: r.start, end: r.end, newText };
  }

  /** Delete a whole line (the statement and its line break). */
  removeLine(a: Assignment): TextEdit {
    const st = a.statement;
    return { start: st.start, end: st.end, newText: '' };
  }

  /**
   * Insert `name = value` as a line of its own where PHP reads it into the main scope: after a related
   * directive (`near`, first found wins), else after the last main-scope line of the section named
   * `section` (or right under its header), else after the last main-scope line, else before the first
   * `[PATH=]`/`[HOST=]` section (PHP never returns to the main scope after one), else at the end.
   */
  insertDirective(name: string, value: string, section = 'Session', near: readonly string[] = []): TextEdit {
    for (const n of near) {
      const s = this.settings(n).find((x) => !x.pool);
      if (s) return this.insertNextTo(s.assignment.statement, `${name} = ${value}`);
    }
    return this.memo(`insert:${section.toLowerCase()}`, () => this.insertionPoint(section))(`${name} = ${value}`);
  }

  /** Where lines for `section` go (see insertDirective); the same for every directive of a run. */
  private insertionPoint(section: string): (line: string) => TextEdit {
    const ini = this.ini;
    const main = new Set(ini ? ini.assignments.filter((a) => !ini.scopeOf.get(a)).map((a) => a.statement) : []);
    const firstSpecial = ini?.specialSections.length ? Math.min(...ini.specialSections.map((sec) => sec.headerIndex)) : Infinity;
    let inSection = false;
    let inSectionAnchor: Statement | undefined;
    let lastMain: Statement | undefined;
    this.doc.statements.forEach((st, i) => {
      if (i >= firstSpecial) return;
      if (st.kind === 'section') {
        inSection = (st.name ?? '').toLowerCase() === section.toLowerCase();
        if (inSection && !inSectionAnchor) inSectionAnchor = st;
      } else if (st.kind === 'entry' && main.has(st)) {
        lastMain = st;
        if (inSection) inSectionAnchor = st;
      }
    });
    const anchor = inSectionAnchor ?? lastMain;
    if (anchor) return (line) => this.insertNextTo(anchor, line);
    if (firstSpecial !== Infinity) return (line) => this.insertBefore(this.doc.statements[firstSpecial], line);
    const text = this.text;
    const eol = this.eol;
    const needsBreak = text.length > 0 && !/[\r\n]$/.test(text);
    return (line) => ({ start: text.length, end: text.length, newText: `${needsBreak ? eol : ''}${line}${eol}` });
  }

  /**
   * A whole line right after `st`, or right before it when `st` is the file's last line without a line
   * break (PHP keeps the trailing blanks of such a last value, so appending after it would change it).
   */
  private insertNextTo(st: Statement, line: string): TextEdit {
    if (/[\r\n]$/.test(this.text.slice(st.start, st.end))) return { start: st.end, end: st.end, newText: `${line}${this.eol}` };
    return this.insertBefore(st, line);
  }

  /** A whole line before the line `st` starts on (after a byte-order mark that starts the file). */
  private insertBefore(st: Statement, line: string): TextEdit {
    // A line can hold several statements (`foo\tbar = 1` is a bare key, then an entry): never split it.
    let at = this.lines.lineStart(this.lines.positionAt(st.start).line);
    if (at === 0 && this.text.charCodeAt(0) === 0xfeff) at = 1;
    return { start: at, end: at, newText: `${line}${this.eol}` };
  }
}

/** A value written so PHP reads it back exactly: bare when that is safe, else double-quoted. */
export function iniLiteral(value: string): string {
  if (/^[A-Za-z0-9_./:-]+$/.test(value) && !/^(on|off|yes|no|true|false|none|null)$/i.test(value) && !/^[A-Z_][A-Z0-9_]*$/.test(value)) {
    return value;
  }
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

// ---------------------------------------------------------------------------------------------
// Disable comments: `; php-ini-lint-disable-next-line rule-a, rule-b`, `; php-ini-lint-disable-line`,
// `; php-ini-lint-disable rule` ... `; php-ini-lint-enable rule` (no ids = every rule).

const DIRECTIVE_RE = /^;+\s*php-ini-lint-(disable-next-line|disable-line|disable|enable)\b(.*)$/;

interface Suppressions {
  lines: Map<number, Set<string> | 'all'>;
  ranges: Array<{ from: number; to: number; ids: Set<string> | 'all' }>;
  unknown: Array<{ start: number; end: number; id: string }>;
}

export const DISABLE_COMMENT_PREFIX = 'php-ini-lint-';

// A parsed document is immutable, so its disable comments are read once however often it is linted.
const suppressionCache = new WeakMap<ParsedDocument, Suppressions>();

/** What a file without any disable comment has: shared, never modified. */
const NO_SUPPRESSIONS: Suppressions = Object.freeze({ lines: new Map(), ranges: [], unknown: [] }) as Suppressions;

function collectSuppressions(doc: ParsedDocument, known: Set<string>): Suppressions {
  // Most files have no disable comments at all, and one native search of the text says so ("-lint-":
  // "php" and "ini" are everywhere in a php.ini, and searching for them is several times slower).
  if (doc.text.indexOf('-lint-') < 0) return NO_SUPPRESSIONS;
  let sup = suppressionCache.get(doc);
  if (!sup) {
    sup = readSuppressions(doc, known);
    suppressionCache.set(doc, sup);
  }
  return sup;
}

function readSuppressions(doc: ParsedDocument, known: Set<string>): Suppressions {
  const sup: Suppressions = { lines: new Map(), ranges: [], unknown: [] };
  const open = new Map<string, number>(); // id or '*' -> start line
  const add = (line: number, ids: Set<string> | 'all') => {
    const cur = sup.lines.get(line);
    if (ids === 'all' || cur === 'all') sup.lines.set(line, 'all');
    else sup.lines.set(line, new Set([...(cur ?? []), ...ids]));
  };
  const store = doc.tokens;
  for (let ti = 0; ti < store.count; ti++) {
    // Even then most comments are not disable comments: a glance at their start spares the regex.
    if (store.kinds[ti] !== K.Comment || !startsLikeDisableComment(doc.text, store.starts[ti], store.ends[ti])) continue;
    const t = store.token(ti);
    const text = doc.text.slice(t.start, t.end);
    const m = DIRECTIVE_RE.exec(text);
    if (!m) continue;
    const idsText = m[2].split(/\s--\s/)[0]; // allow "-- reason"
    const ids = new Set<string>();
    const offset = t.start + text.length - m[2].length;
    for (const part of idsText.split(/[\s,]+/)) {
      const idx = idsText.indexOf(part);
      if (!part) continue;
      if (!known.has(part)) sup.unknown.push({ start: offset + idx, end: offset + idx + part.length, id: part });
      ids.add(part);
    }
    const all: Set<string> | 'all' = ids.size ? ids : 'all';
    const line = doc.lines.positionAt(t.start).line;
    switch (m[1]) {
      case 'disable-next-line':
        add(line + 1, all);
        break;
      case 'disable-line':
        add(line, all);
        break;
      case 'disable':
        for (const id of all === 'all' ? ['*'] : all) if (!open.has(id)) open.set(id, line);
        break;
      case 'enable':
        for (const id of all === 'all' ? [...open.keys()] : all) {
          const from = open.get(id);
          if (from === undefined) continue;
          sup.ranges.push({ from, to: line, ids: id === '*' ? 'all' : new Set([id]) });
          open.delete(id);
        }
        break;
    }
  }
  for (const [id, from] of open) sup.ranges.push({ from, to: doc.lines.lineCount, ids: id === '*' ? 'all' : new Set([id]) });
  return sup;
}

/** Whether the comment [start, end) begins like DIRECTIVE_RE: semicolons, blanks, then the prefix. */
function startsLikeDisableComment(text: string, start: number, end: number): boolean {
  let j = start;
  while (j < end && text.charCodeAt(j) === 59) j++;
  while (j < end && isSpace(text.charCodeAt(j))) j++;
  return text.charCodeAt(j) === 112 /* p */ && text.startsWith(DISABLE_COMMENT_PREFIX, j);
}

/** The characters `\s` matches. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 128 && /\s/.test(String.fromCharCode(c)));
}

function suppressed(sup: Suppressions, rule: string, line: number): boolean {
  const l = sup.lines.get(line);
  if (l === 'all' || l?.has(rule)) return true;
  for (const r of sup.ranges) if (line >= r.from && line <= r.to && (r.ids === 'all' || r.ids.has(rule))) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------

export const INVALID_DISABLE_RULE = 'invalid-disable-comment';

// Shared by every diagnostic without tags, related lines or fixes (most of them): nothing mutates these.
const NONE: never[] = Object.freeze([]) as unknown as never[];

const rulesByRole = new Map<RuleScope, Rule[]>();
export function rulesFor(role: RuleScope): Rule[] {
  let rules = rulesByRole.get(role);
  if (!rules) rulesByRole.set(role, (rules = allRules.filter((r) => r.scopes.includes(role))));
  return rules;
}

let knownIds: Set<string> | undefined;
export function knownRuleIds(): Set<string> {
  return (knownIds ??= new Set([...allRules.map((r) => r.id), INVALID_DISABLE_RULE]));
}

export function getRule(id: string): Rule | undefined {
  return allRules.find((r) => r.id === id);
}

/**
 * Each rule's check, by index: rules are object literals of many shapes, so reading `check` off each
 * one per file is a megamorphic load.
 */
const checksByRules = new WeakMap<Rule[], Array<Rule['check']>>();

function checksOf(rules: Rule[]): Array<Rule['check']> {
  let checks = checksByRules.get(rules);
  if (!checks) checksByRules.set(rules, (checks = rules.map((r) => r.check)));
  return checks;
}

/** Whether any rule is configured at all (most runs configure none: then no per-rule lookups). */
function anyKey(record: Record<string, unknown> | undefined): boolean {
  for (const _ in record) return true;
  return false;
}

/** Runs every rule that applies to this file and returns diagnostics sorted by position. */
export function lint(doc: ParsedDocument, options: LintOptions, only?: Rule[]): Diagnostic[] {
  const ctx = new LintContext(doc, options);
  const rules = only ?? rulesFor(options.role);
  const checks = checksOf(rules);
  const configured = anyKey(options.rules) ? options.rules : undefined;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (configured?.[rule.id] === 'off') continue;
    ctx.current = rule;
    try {
      checks[i](ctx);
    } catch (err) {
      // A rule bug must not take the linter down with it; surface it instead.
      ctx.report({ message: `Internal error in rule ${rule.id}: ${(err as Error).message}`, start: 0, end: 0, directive: null, severity: 'error' });
    }
  }
  const sup = collectSuppressions(doc, knownRuleIds());
  const lines = doc.lines;
  const out: Diagnostic[] = [];
  const noSuppressions = sup.lines.size === 0 && sup.ranges.length === 0;
  for (let fi = 0; fi < ctx.findings.length; fi++) {
    const f = ctx.findings[fi];
    const rule = ctx.findingRules[fi];
    const range = lines.range(f.start, f.end);
    if (!noSuppressions && suppressed(sup, rule.id, range.start.line)) continue;
    const severity = configured?.[rule.id];
    // Every line a fix changes is shown with the finding: a fix never edits a line the user cannot see.
    let related: RelatedLocation[] = f.related ?? NONE;
    // Indexed loops: this runs once a finding, in code V8 seldom optimizes within a CLI run, where
    // for...of costs an iterator call per step.
    const fixes = f.fixes ?? NONE;
    for (let xi = 0; xi < fixes.length; xi++) {
      const fix = fixes[xi];
      for (let ei = 0; ei < fix.edits.length; ei++) {
        const e = fix.edits[ei];
        if (e.start === e.end) continue; // an inserted line sits next to the finding's anchor
        if (lines.onLines(e.start, range.start.line, range.end.line)) continue;
        const line = lines.positionAt(e.start).line;
        const shown = related.some((r) => lines.positionAt(r.start).line <= line && line <= lines.positionAt(r.end).line);
        if (!shown) related = [...related, { start: e.start, end: Math.min(e.end, lines.lineEnd(line)), message: `Changed too by "${fix.title}"` }];
      }
    }
    out.push({
      rule: rule.id,
      severity: severity && severity !== 'off' ? severity : f.severity ?? rule.severity,
      message: f.message,
      start: f.start,
      end: f.end,
      range,
      directive: f.directive,
      tags: f.tags ?? NONE,
      related: related.length ? related.map((r) => ({ ...r, range: lines.range(r.start, r.end) })) : NONE,
      fixes,
    });
  }
  const invalidSeverity = options.rules?.[INVALID_DISABLE_RULE];
  if (invalidSeverity !== 'off') {
    for (const u of sup.unknown) {
      out.push({
        rule: INVALID_DISABLE_RULE,
        severity: invalidSeverity ?? 'warning',
        message: `Unknown rule "${u.id}" in a php-ini-lint comment.`,
        start: u.start,
        end: u.end,
        range: lines.range(u.start, u.end),
        directive: null,
        tags: [],
        related: [],
        fixes: [],
      });
    }
  }
  // Rule ids are lower-case ASCII: < orders them as localeCompare did, without loading ICU collation data (MBs of RSS).
  out.sort((a, b) => a.start - b.start || a.end - b.end || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return out;
}

/** Applies non-overlapping edits (later ones that overlap an earlier one are skipped). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) continue;
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/** Picks whole fixes whose edits do not overlap each other, in document order. */
function compatibleEdits(fixes: Fix[]): TextEdit[] {
  const chosen: TextEdit[] = [];
  const overlaps = (a: TextEdit, b: TextEdit) => a.start < b.end && b.start < a.end || (a.start === b.start && a.end === a.start && b.end === b.start);
  for (const fix of fixes) {
    if (fix.edits.some((e) => chosen.some((c) => overlaps(c, e)))) continue;
    chosen.push(...fix.edits);
  }
  return chosen;
}

export interface FixAllResult {
  text: string;
  /** Minimal edits against the ORIGINAL text: unchanged lines are never part of an edit. */
  edits: TextEdit[];
  /** How many fixes were applied in total. */
  applied: number;
}

/**
 * Applies every safe fix, re-linting until nothing more changes (a fix can make another one
 * possible), so running it again is a no-op.
 */
// Fixes that add a missing directive all insert at the same point, and two insertions at one point are
// never applied in the same pass: a main php.ini missing a dozen directives needs a dozen passes.
export const MAX_FIX_PASSES = 64;

export function fixAll(doc: ParsedDocument, options: LintOptions, only?: Rule[]): FixAllResult {
  const original = doc.text;
  let current = doc;
  let applied = 0;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixes = lint(current, options, only).flatMap((d) => d.fixes.filter((f) => f.safe).slice(0, 1));
    if (!fixes.length) break;
    const edits = compatibleEdits(fixes);
    const next = applyEdits(current.text, edits);
    if (next === current.text) break;
    applied += fixes.length;
    current = parse(next, { dialect: current.dialect, phpVersion: current.phpVersion, env: options.env });
  }
  return { text: current.text, edits: diffLines(original, current.text), applied };
}

/** Splits text into lines that keep their own line breaks. */
function splitKeep(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** Line-level diff (Myers, O(ND)) turned into edits on the original text. */
export function diffLines(a: string, b: string): TextEdit[] {
  if (a === b) return [];
  const A = splitKeep(a);
  const B = splitKeep(b);
  const offsets: number[] = [0];
  for (const l of A) offsets.push(offsets[offsets.length - 1] + l.length);
  // Trim the common head and tail first; fixes usually touch a few lines.
  let head = 0;
  while (head < A.length && head < B.length && A[head] === B[head]) head++;
  let tail = 0;
  while (tail < A.length - head && tail < B.length - head && A[A.length - 1 - tail] === B[B.length - 1 - tail]) tail++;
  const a1 = A.slice(head, A.length - tail);
  const b1 = B.slice(head, B.length - tail);
  const script = myers(a1, b1);
  const edits: TextEdit[] = [];
  let i = 0;
  let j = 0;
  let k = 0;
  while (k < script.length) {
    if (script[k] === '=') {
      i++;
      j++;
      k++;
      continue;
    }
    const si = i;
    let text = '';
    while (k < script.length && script[k] !== '=') {
      if (script[k] === '-') i++;
      else text += b1[j++];
      k++;
    }
    edits.push({ start: offsets[head + si], end: offsets[head + i], newText: text });
  }
  return edits;
}

function myers(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Map<number, number>([[1, 0]]);
  const trace: Array<Map<number, number>> = [];
  for (let d = 0; d <= max; d++) {
    trace.push(new Map(v));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1)) ? v.get(k + 1) ?? 0 : (v.get(k - 1) ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v.set(k, x);
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
  }
  return [];
}

function backtrack(trace: Array<Map<number, number>>, a: string[], b: string[], dEnd: number): string[] {
  const ops: string[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1)) ? k + 1 : k - 1;
    const prevX = v.get(prevK) ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push('=');
      x--;
      y--;
    }
    ops.push(x === prevX ? '+' : '-');
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push('=');
    x--;
    y--;
  }
  return ops.reverse();
}

export { FPM_PHP_ARRAYS };
