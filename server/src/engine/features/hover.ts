// Hover text (Markdown) for directive keys, section headers, boolean words, constants, expressions,
// `${VAR}` references and php-ini-lint comments.

import {
  constantValue,
  defaultFor,
  getDirective,
  getFpmDirective,
  getIniConstant,
  isIniConstant,
  knownExtensionPrefixes,
  statusFor,
  suggest,
  suggestFpm,
  type DirectiveInfo,
  type FpmDirectiveInfo,
} from '../catalog';
import type { ParsedDocument } from '../document';
import { ruleDocUrl } from '../index';
import { getRule, INVALID_DISABLE_RULE, type Diagnostic, type LintOptions } from '../lint';
import { FPM_PHP_ARRAYS, type FpmPool } from '../model';
import { effectivePoolPhp } from './effective';
import type { Statement, Token } from '../types';
import { iniBool } from '../values';
import {
  booleanWordValue,
  changeableText,
  codeValue,
  describeDirective,
  describeErrorLevel,
  describeFpmDirective,
  describeFpmSection,
  describeIniSection,
  escapeMarkdown,
  inlineCode,
  versionNotes,
} from './describe';
import type { LspHover, Position, Range } from './lsp-types';
import { fpmScopeOf, keySpan, offsetSpan, sectionOf, statementIndexAt, tokenIndexAt, tokenText, valueSpan } from './locate';
import { isSpecificRule, rulesForDirective } from './rule-index';

export interface HoverInput {
  doc: ParsedDocument;
  options: Pick<LintOptions, 'phpVersion'> & Partial<LintOptions>;
  /** The engine's diagnostics for this document (to explain findings on the hovered line). */
  diagnostics: readonly Diagnostic[];
}

const DISABLE_RE = /^(;+\s*)php-ini-lint-(disable-next-line|disable-line|disable|enable)\b(.*)$/;

export function hover(input: HoverInput, position: Position): LspHover | null {
  const { doc } = input;
  const offset = doc.lines.offsetAt(position);
  const index = statementIndexAt(doc, offset);
  if (index < 0) return null;
  const st = doc.statements[index];
  const ti = tokenIndexAt(st, offset);
  if (ti < 0) return null;
  const tok = st.tokenAt(ti);
  const h = new HoverBuilder(input, st, index);
  switch (tok.kind) {
    case 'section-open':
    case 'section-name':
    case 'section-close':
      return h.section();
    case 'key':
    case 'offset-open':
    case 'offset':
    case 'offset-close':
      return h.key(tok);
    case 'bool':
    case 'null':
      return h.boolean(tok);
    case 'constant':
      return isIniConstant(tokenText(doc, tok)) ? h.constant(tok) : h.key(tok);
    case 'operator':
      return h.expression(tok);
    case 'var-open':
    case 'var-name':
    case 'var-fallback':
    case 'var-close':
      return h.variable(ti);
    case 'string':
    case 'number':
    case 'quote':
    case 'quoted-text':
    case 'raw-string':
    case 'ignored':
      return st.kind === 'entry' || st.kind === 'bare-key' ? h.key(tok) : null;
    case 'comment':
      return h.comment(tok, offset);
    default:
      return null;
  }
}

class HoverBuilder {
  private readonly doc: ParsedDocument;
  private readonly version: string;
  private readonly line: number;

  constructor(
    private readonly input: HoverInput,
    private readonly st: Statement,
    private readonly index: number,
  ) {
    this.doc = input.doc;
    this.version = input.options.phpVersion;
    this.line = this.doc.lines.positionAt(st.start).line;
  }

  private range(start: number, end: number): Range {
    return this.doc.lines.range(start, end);
  }

  private result(parts: string[], start: number, end: number): LspHover {
    return { contents: { kind: 'markdown', value: parts.filter((p) => p !== '').join('\n\n') }, range: this.range(start, end) };
  }

  private get isFpm(): boolean {
    return this.doc.dialect === 'php-fpm';
  }

  private pool(): FpmPool | undefined {
    if (!this.isFpm || this.doc.model.dialect !== 'php-fpm') return undefined;
    const sec = sectionOf(this.doc, this.index);
    if (!sec || (sec.name ?? '').toLowerCase() === 'global') return undefined;
    return this.doc.model.pools.find((p) => p.name === sec.name);
  }

  // ---- diagnostics on this line ----

  private findings(filter?: (d: Diagnostic) => boolean): string[] {
    const line = this.line;
    const out: string[] = [];
    for (const d of this.input.diagnostics) {
      if (d.range.start.line > line || d.range.end.line < line) continue;
      if (filter && !filter(d)) continue;
      out.push(findingMarkdown(d));
    }
    return out.length ? ['---', ...out] : [];
  }

  // ---- sections ----

  section(): LspHover {
    const name = this.st.name ?? '';
    const parts: string[] = [];
    if (this.isFpm) {
      parts.push(describeFpmSection(name));
      const pool = this.pool();
      if (pool) parts.push(poolSummary(pool));
    } else {
      parts.push(describeIniSection(name));
    }
    parts.push(...this.findings());
    const open = this.st.tokens.find((t) => t.kind === 'section-open') ?? this.st.tokens[0];
    const close = [...this.st.tokens].reverse().find((t) => t.kind === 'section-close' || t.kind === 'section-name') ?? open;
    return this.result(parts, open.start, close.end);
  }

  // ---- directive keys (and values, which explain their directive) ----

  key(tok: Token): LspHover | null {
    const st = this.st;
    if (st.name === undefined) return null;
    const span = keySpan(st) ?? { start: tok.start, end: tok.end };
    if (this.isFpm) {
      const isPhpArray = (FPM_PHP_ARRAYS as readonly string[]).includes(st.name) && typeof st.offset === 'string';
      const inOffset = tok.kind === 'offset' || tok.kind === 'offset-open' || tok.kind === 'offset-close';
      const inValue = st.valueStart !== undefined && tok.start >= (valueSpan(st)?.start ?? Infinity);
      if (isPhpArray && (inOffset || inValue)) {
        const off = offsetSpan(st) ?? span;
        return this.phpDirective(st.offset as string, inValue ? span : off);
      }
      return this.fpmDirective(st.name, span);
    }
    return this.phpDirective(st.name, span);
  }

  private valueLines(directive: string, isBool: boolean): string[] {
    const st = this.st;
    if (st.kind !== 'entry' || st.value === undefined) return [];
    const vs = valueSpan(st);
    const raw = vs ? this.doc.text.slice(vs.start, vs.end) : '';
    const pool = this.pool();
    // In a pool: the value php-fpm hands PHP ($pool expanded; php_flag words turned into 1/0).
    const setting = pool && this.isPhpArray() ? pool.php.find((p) => p.assignment.statement === st) : undefined;
    const effective = setting ? setting.value : pool ? st.value.split('$pool').join(pool.name) : st.value;
    const lines: string[] = [];
    let text = raw === effective ? `**Value:** ${inlineCode(raw === '' ? '""' : raw)}` : `**Value:** ${raw === '' ? '(nothing)' : inlineCode(raw)} — PHP reads ${codeValue(effective)}`;
    if (isBool) text += iniBool(effective) ? ' (on)' : ' (off)';
    if (directive === 'error_reporting' || /\bE_[A-Z_]+\b/.test(raw)) {
      const level = describeErrorLevel(effective, this.version);
      if (level && level !== raw) text += ` = ${escapeMarkdown(level)}`;
    }
    lines.push(text);
    const over = this.overriddenBy(directive);
    const label = this.isPhpArray() ? (st.offset as string) : directive;
    if (over !== undefined) lines.push(`This line has no effect: line ${over.line + 1} decides ${inlineCode(label)} (${codeValue(over.value)}).`);
    return lines;
  }

  /** The later line that replaces this assignment in the same scope, if any. */
  private overriddenBy(directive: string): { line: number; value: string } | undefined {
    const st = this.st;
    const model = this.doc.model;
    if (model.dialect === 'php-ini') {
      if (st.offset !== undefined) return undefined;
      const lower = directive.toLowerCase();
      if (lower === 'extension' || lower === 'zend_extension') return undefined;
      const a = model.assignments.find((x) => x.statement === st);
      if (!a) return undefined;
      const scope = model.scopeOf.get(a);
      const setting = (scope ? scope.settings : model.main).get(directive);
      const last = setting?.assignments[setting.assignments.length - 1];
      if (!last || last.statement === st || typeof setting!.value !== 'string') return undefined;
      return { line: this.doc.lines.positionAt(last.statement.start).line, value: setting!.value };
    }
    const pool = this.pool();
    if (!pool) return undefined;
    if ((FPM_PHP_ARRAYS as readonly string[]).includes(st.name ?? '') && typeof st.offset === 'string') {
      const eff = effectivePoolPhp(pool).get(st.offset);
      if (!eff || eff.assignment.statement === st) return undefined;
      return { line: this.doc.lines.positionAt(eff.assignment.statement.start).line, value: eff.value };
    }
    if (st.offset !== undefined) return undefined;
    const list = pool.directives.get((st.name ?? '').toLowerCase());
    const last = list?.[list.length - 1];
    if (!last || last.statement === st) return undefined;
    return { line: this.doc.lines.positionAt(last.statement.start).line, value: last.value };
  }

  private phpDirective(name: string, span: { start: number; end: number }): LspHover {
    const info = getDirective(name);
    const parts: string[] = [];
    const rules = ruleTitles(name, this.input.diagnostics, this.line);
    const title = `**${inlineCode(name)}**`;
    if (!info) {
      const lower = name.toLowerCase();
      if (lower === 'extension' || lower === 'zend_extension') {
        parts.push(`${title} — loads ${lower === 'extension' ? 'a PHP extension' : 'a Zend extension (opcache, xdebug…)'}; every such line loads one module.`);
        parts.push(...this.valueLines(name, false));
      } else {
        const guesses = suggest(name);
        const prefix = name.split('.')[0];
        const known = name.includes('.') && knownExtensionPrefixes().has(prefix);
        parts.push(
          `${title} — ${rules[0] ? escapeMarkdown(rules[0]) : known ? `not a directive the PHP manual lists for ${inlineCode(prefix)}.` : 'not a directive PHP knows: PHP stores it, but no module reads it.'}`,
        );
        if (guesses.length) parts.push(`Did you mean ${guesses.map((g) => inlineCode(g)).join(', ')}?`);
        parts.push(...this.valueLines(name, false));
      }
      parts.push(...this.findings());
      return this.result(parts, span.start, span.end);
    }
    const isBool = info.type === 'bool';
    parts.push(`${title} — ${escapeMarkdown(rules[0] ?? describeDirective(info))}`);
    parts.push(...this.valueLines(name, isBool));
    const facts: string[] = [];
    const status = statusFor(name, this.version);
    if (status !== 'removed' && status !== 'not-yet') {
      const def = defaultFor(name, this.version);
      if (def === null || def === undefined) facts.push(`**Default (PHP ${this.version}):** none (unset)`);
      else facts.push(`**Default (PHP ${this.version}):** ${codeValue(def)}${isBool ? (iniBool(def) ? ' (on)' : ' (off)') : ''}${info.buildDependent ? ' — depends on how PHP was built' : ''}`);
    }
    const where = changeableText(info.changeable);
    if (where) facts.push(`**Can be set in:** ${where}`);
    if (rules.length) facts.push(`**Read by:** ${escapeMarkdown(describeDirective(info))}`);
    const notes = versionNotes(info, this.version);
    if (notes.length) facts.push(notes.join(' · '));
    if (info.replacement) facts.push(`Use ${inlineCode(info.replacement)} instead.`);
    if (facts.length) parts.push(facts.join('  \n'));
    if (info.doc) parts.push(`[PHP manual: ${escapeMarkdown(info.name)}](${info.doc})`);
    parts.push(...this.findings());
    return this.result(parts, span.start, span.end);
  }

  private fpmDirective(name: string, span: { start: number; end: number }): LspHover {
    const scope = fpmScopeOf(this.doc, this.index);
    const info = getFpmDirective(name, scope) ?? getFpmDirective(name);
    const parts: string[] = [];
    const title = `**${inlineCode(this.st.offset !== undefined ? `${name}[${this.st.offset ?? ''}]` : name)}**`;
    if (!info) {
      const guesses = suggestFpm(name);
      parts.push(`${title} — not a directive php-fpm knows: php-fpm refuses to start with it.`);
      if (guesses.length) parts.push(`Did you mean ${guesses.map((g) => inlineCode(g)).join(', ')}?`);
      parts.push(...this.valueLines(name, false));
      parts.push(...this.findings());
      return this.result(parts, span.start, span.end);
    }
    parts.push(`${title} — ${escapeMarkdown(describeFpmDirective(info))}`);
    parts.push(...this.valueLines(name, false));
    const facts: string[] = [];
    if (info.scope !== scope) facts.push(`**Scope:** ${info.scope === 'global' ? '[global] only' : 'pool sections only'} — this line is in ${scope === 'global' ? 'the global part' : 'a pool'}.`);
    if (info.default !== null) facts.push(`**Default:** ${codeValue(info.default)}`);
    if (info.mandatory) facts.push('**Required** in every pool.');
    const notes = versionNotes(info, this.version);
    if (notes.length) facts.push(notes.join(' · '));
    if (facts.length) parts.push(facts.join('  \n'));
    if (info.doc) parts.push(`[PHP manual: ${escapeMarkdown(info.name)}](${info.doc})`);
    parts.push(...this.findings());
    return this.result(parts, span.start, span.end);
  }

  // ---- values ----

  boolean(tok: Token): LspHover {
    const word = tokenText(this.doc, tok);
    const value = tok.kind === 'null' ? '' : booleanWordValue(word);
    const parts = [
      `${inlineCode(word)} — a php.ini ${tok.kind === 'null' ? 'null word' : 'boolean word'} (case-insensitive): PHP stores ${codeValue(value)}${value === '' ? ' (an empty string)' : ''}. Quoted, ${inlineCode(`"${word}"`)} would stay the text ${inlineCode(word)}.`,
    ];
    if (this.isFpm && !this.isPhpArray()) parts.push(`php-fpm then reads ${codeValue(value)} as ${value === '1' ? '**yes**' : '**no**'}.`);
    if (this.st.name) parts.push(`Setting ${inlineCode(this.isPhpArray() ? (this.st.offset as string) : this.st.name)}.`);
    return this.result(parts, tok.start, tok.end);
  }

  private isPhpArray(): boolean {
    return this.isFpm && (FPM_PHP_ARRAYS as readonly string[]).includes(this.st.name ?? '') && typeof this.st.offset === 'string';
  }

  constant(tok: Token): LspHover {
    const name = tokenText(this.doc, tok);
    const info = getIniConstant(name);
    const value = constantValue(name, this.version);
    const parts: string[] = [];
    if (value !== undefined) {
      const level = /^E_/.test(name) ? describeErrorLevel(value, this.version) : undefined;
      parts.push(`${inlineCode(name)} — PHP constant: ${codeValue(value)} in PHP ${this.version}${level && level !== name && !level.startsWith(name) ? ` (${escapeMarkdown(level)})` : ''}.`);
      if (info?.byVersion) {
        const other = Object.entries(info.byVersion)
          .map(([v, val]) => `${val} from PHP ${v}`)
          .join(', ');
        parts.push(`Its value depends on the PHP version: ${other}.`);
      }
    } else {
      parts.push(`${inlineCode(name)} — PHP constant whose value depends on the build${info ? `; a typical Linux build gives ${codeValue(info.value)}` : ''}.`);
    }
    parts.push(...this.wholeExpression());
    return this.result(parts, tok.start, tok.end);
  }

  expression(tok: Token): LspHover | null {
    const parts = this.wholeExpression(true);
    if (!parts.length) return null;
    return this.result(parts, tok.start, tok.end);
  }

  /** For a value with operators or several parts: what the whole thing computes to. */
  private wholeExpression(always = false): string[] {
    const st = this.st;
    if (st.value === undefined || st.valueStart === undefined || st.valueEnd === undefined) return [];
    const vs = valueSpan(st)!;
    const raw = this.doc.text.slice(vs.start, vs.end);
    const hasOperator = st.tokens.slice(st.valueStart, st.valueEnd).some((t) => t.kind === 'operator');
    if (!always && !hasOperator) return [];
    const level = /\bE_[A-Z_]+\b/.test(raw) || st.name === 'error_reporting' ? describeErrorLevel(st.value, this.version) : undefined;
    return [`The whole value ${inlineCode(raw)} computes to ${codeValue(st.value)}${level ? ` = ${escapeMarkdown(level)}` : ''} in PHP ${this.version}.`];
  }

  variable(ti: number): LspHover | null {
    const toks = this.st.tokens;
    let open = ti;
    while (open > 0 && toks[open].kind !== 'var-open') open--;
    let close = ti;
    while (close < toks.length - 1 && toks[close].kind !== 'var-close') close++;
    const nameTok = toks.slice(open, close + 1).find((t) => t.kind === 'var-name');
    const name = nameTok ? tokenText(this.doc, nameTok) : '';
    const parts = [
      `${inlineCode(`\${${name}}`)} — ${this.isFpm ? 'reads the environment variable' : 'reads an earlier php.ini directive of this name, else the environment variable'} ${inlineCode(name)}; empty when neither is set${
        toks.slice(open, close + 1).some((t) => t.kind === 'var-fallback') ? ', in which case the text after `:-` is used (PHP 8.3+)' : ''
      }.`,
    ];
    if (!this.isFpm && this.doc.model.dialect === 'php-ini') {
      const earlier = this.doc.model.main.get(name);
      const a = earlier?.assignments.find((x) => x.statement.start < this.st.start);
      if (a) parts.push(`Line ${this.doc.lines.positionAt(a.statement.start).line + 1} sets ${inlineCode(name)} earlier in this file, so it reads ${codeValue(a.value)} (or a later value set before this line).`);
    }
    return this.result(parts, toks[open].start, toks[close].end);
  }

  comment(tok: Token, offset: number): LspHover | null {
    const text = tokenText(this.doc, tok);
    const m = DISABLE_RE.exec(text);
    if (!m) return null;
    const idsStart = tok.start + m[1].length + 'php-ini-lint-'.length + m[2].length;
    // The rule id under the cursor, if any.
    const re = /[A-Za-z0-9_-]+/g;
    const idsText = m[3].split(/\s--\s/)[0];
    let hit: RegExpExecArray | null;
    while ((hit = re.exec(idsText))) {
      const s = idsStart + hit.index;
      const e = s + hit[0].length;
      if (offset >= s && offset < e) {
        const rule = getRule(hit[0]);
        if (rule) {
          return this.result([`${inlineCode(rule.id)} — ${escapeMarkdown(rule.title)}`, `[Rule documentation](${ruleDocUrl(rule.id)})`], s, e);
        }
        if (hit[0] === INVALID_DISABLE_RULE) return this.result([`${inlineCode(hit[0])} — reports unknown rule ids in php-ini-lint comments.`], s, e);
        return this.result([`${inlineCode(hit[0])} — not a php-ini-lint rule.`], s, e);
      }
    }
    const what: Record<string, string> = {
      'disable-next-line': 'Turns the listed rules off for the next line',
      'disable-line': 'Turns the listed rules off for this line',
      disable: 'Turns the listed rules off from here until a matching `php-ini-lint-enable` (or the end of the file)',
      enable: 'Turns the listed rules back on',
    };
    return this.result([`${what[m[2]]} (every rule when none is listed). Text after \` -- \` is a free-form reason.`], tok.start, tok.end);
  }
}

/** Titles of the rules that concern a directive: those reporting on this line first, then the rest. */
function ruleTitles(directive: string, diagnostics: readonly Diagnostic[], line: number): string[] {
  const out: string[] = [];
  for (const d of diagnostics) {
    if (d.directive !== directive || d.range.start.line > line || d.range.end.line < line) continue;
    const r = getRule(d.rule);
    if (r && isSpecificRule(r, directive) && !out.includes(r.title)) out.push(r.title);
  }
  for (const r of rulesForDirective(directive)) if (!out.includes(r.title)) out.push(r.title);
  return out;
}

const SEVERITY_LABEL: Record<string, string> = { error: 'Error', warning: 'Warning', information: 'Info', hint: 'Hint' };

function findingMarkdown(d: Diagnostic): string {
  const rule = getRule(d.rule);
  const head = `**${SEVERITY_LABEL[d.severity] ?? d.severity} · ${inlineCode(d.rule)}:** ${escapeMarkdown(d.message)}`;
  if (!rule) return head;
  const links = [...rule.sources.map((s) => `[${escapeMarkdown(s.title)}](${s.url})`), `[Rule documentation](${ruleDocUrl(rule.id)})`];
  return [head, rule.rationale, `Sources: ${links.join(' · ')}`].join('\n\n');
}

function poolSummary(pool: FpmPool): string {
  const get = (k: string) => {
    const list = pool.directives.get(k);
    return list?.[list.length - 1]?.value;
  };
  const facts: string[] = [];
  const listen = get('listen');
  if (listen !== undefined) facts.push(`listens on ${inlineCode(listen)}`);
  const user = get('user');
  if (user !== undefined) facts.push(`runs as ${inlineCode(user)}${get('group') !== undefined ? `:${inlineCode(get('group')!)}` : ''}`);
  const pm = get('pm');
  if (pm !== undefined) facts.push(`process manager ${inlineCode(pm)}`);
  if (pool.php.length) facts.push(`${pool.php.length} php.ini override${pool.php.length === 1 ? '' : 's'} (${pool.php.filter((p) => p.admin).length} locked with php_admin_*)`);
  return facts.length ? `This pool ${facts.join(', ')}.` : '';
}

/** For clients that only render plain text: drop Markdown markup, keep link targets. */
export function plainHover(h: LspHover): LspHover {
  if (h.contents.kind !== 'markdown') return h;
  const value = h.contents.value
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 <$2>')
    .replace(/^---$/gm, '')
    .replace(/\*\*/g, '')
    .replace(/`+ ?([^`]*?) ?`+/g, '$1')
    .replace(/\\([\\`*[\]<>|_])/g, '$1')
    .replace(/ {2}\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
  return { ...h, contents: { kind: 'plaintext', value } };
}
