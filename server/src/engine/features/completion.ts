// Completion: directive names at the key position, values after `=`, php.ini directive names inside
// a pool's `php_value[…]`, and rule ids in `; php-ini-lint-disable…` comments. Works from the text of
// the cursor's line, so it also helps on lines that do not parse yet.

import { allDirectives, allFpmDirectives, defaultFor, getDirective, getFpmDirective, statusFor, type DirectiveInfo, type FpmDirectiveInfo } from '../catalog';
import type { ParsedDocument } from '../document';
import { ruleDocUrl } from '../index';
import { rulesFor, type LintOptions } from '../lint';
import { allRules } from '../rules/index';
import { changeableText, codeValue, describeDirective, describeFpmDirective, versionNotes } from './describe';
import { CompletionItemKind, type LspCompletionItem, type LspCompletionList, type Position, type Range } from './lsp-types';
import { fpmScopeOf, statementIndexAt } from './locate';
import { ownEntry } from '../own';

export interface CompletionInput {
  doc: ParsedDocument;
  options: Pick<LintOptions, 'phpVersion' | 'role'>;
  /** Whether the client understands completion item tags (else the `deprecated` flag is used). */
  tagSupport?: boolean;
  markdown?: boolean;
}

const EMPTY: LspCompletionList = { isIncomplete: false, items: [] };
const COMMENT_KEYWORDS = ['php-ini-lint-disable-next-line', 'php-ini-lint-disable-line', 'php-ini-lint-disable', 'php-ini-lint-enable'];
const PHP_ARRAYS = ['php_value', 'php_flag', 'php_admin_value', 'php_admin_flag'];

interface ValueChoice {
  value: string;
  /** Write it in double quotes (a bare None would read as an empty string). */
  quote?: boolean;
  doc?: string;
}

/** Values for php.ini directives whose type alone says nothing (our own short notes). */
const PHP_VALUES: Record<string, ValueChoice[]> = {
  'session.cookie_samesite': [
    { value: 'Strict', quote: true, doc: 'The cookie is never sent with requests started by other sites.' },
    { value: 'Lax', quote: true, doc: 'Sent with top-level navigations from other sites, not with their subrequests or POSTs.' },
    { value: 'None', quote: true, doc: 'Sent with every cross-site request; browsers require Secure with it. Must be quoted: a bare None means an empty value.' },
  ],
  'session.cache_limiter': [
    { value: 'nocache', doc: 'Forbid caching of pages that use sessions (the default).' },
    { value: 'private', doc: 'Only the browser may cache.' },
    { value: 'private_no_expire', doc: 'Like private, without an Expires header.' },
    { value: 'public', doc: 'Proxies may cache pages that use sessions: risky for personal data.' },
    { value: '', quote: true, doc: 'Send no cache headers at all.' },
  ],
  'session.serialize_handler': [{ value: 'php' }, { value: 'php_serialize' }, { value: 'php_binary' }],
  'session.sid_bits_per_character': [{ value: '4' }, { value: '5' }, { value: '6' }],
  'session.save_handler': [{ value: 'files' }],
  display_errors: [{ value: 'Off' }, { value: 'On' }, { value: 'stderr', doc: 'Show errors on standard error (CLI and CGI).' }, { value: 'stdout' }],
  error_reporting: [
    { value: 'E_ALL', doc: 'Every error level.' },
    { value: 'E_ALL & ~E_DEPRECATED', doc: 'Everything except deprecation notices.' },
    { value: 'E_ALL & ~E_DEPRECATED & ~E_STRICT', doc: 'What php.ini-production used before PHP 8.4.' },
  ],
  'zend.assertions': [
    { value: '-1', doc: 'Production: assertions are not even compiled.' },
    { value: '0', doc: 'Compiled but skipped.' },
    { value: '1', doc: 'Development: assertions run.' },
  ],
  'opcache.jit': [{ value: 'disable' }, { value: 'off' }, { value: 'tracing' }, { value: 'function' }],
  variables_order: [{ value: 'GPCS', quote: true }, { value: 'EGPCS', quote: true }],
  request_order: [{ value: 'GP', quote: true }],
  'session.use_trans_sid': [{ value: '0' }, { value: '1' }],
};

export function complete(input: CompletionInput, position: Position): LspCompletionList {
  const { doc } = input;
  const lines = doc.lines;
  const line = Math.min(position.line, lines.lineCount - 1);
  const lineStart = lines.lineStart(line);
  const lineEnd = lines.lineEnd(line);
  const offset = Math.min(lines.offsetAt(position), lineEnd);
  const before = doc.text.slice(lineStart, offset).replace(/^\uFEFF/, '');
  const bomShift = doc.text.slice(lineStart, offset).length - before.length;
  const after = doc.text.slice(offset, lineEnd);
  const c = new Completer(input, line, lineStart + bomShift, offset, before, after);
  return c.run();
}

class Completer {
  constructor(
    private readonly input: CompletionInput,
    private readonly line: number,
    /** Offset where `before` starts. */
    private readonly base: number,
    private readonly offset: number,
    private readonly before: string,
    private readonly after: string,
  ) {}

  private get doc(): ParsedDocument {
    return this.input.doc;
  }

  private range(startCol: number, endCol: number): Range {
    const start = this.doc.lines.positionAt(this.base + startCol);
    const end = this.doc.lines.positionAt(this.base + endCol);
    return { start, end };
  }

  /** The text after the cursor that belongs to the word being completed. */
  private tail(re: RegExp): number {
    const m = re.exec(this.after);
    return m ? m[0].length : 0;
  }

  private md(value: string) {
    return this.input.markdown === false ? { kind: 'plaintext' as const, value: value.replace(/[*`]/g, '') } : { kind: 'markdown' as const, value };
  }

  run(): LspCompletionList {
    const b = this.before;
    if (/^\s*[;#]/.test(b)) return this.comment();
    const isFpm = this.doc.dialect === 'php-fpm';
    // Inside php_value[ … ] in a pool file: php.ini directive names.
    const arr = /^(\s*)(php_value|php_flag|php_admin_value|php_admin_flag)\[([A-Za-z0-9_.\-]*)$/.exec(b);
    if (arr && isFpm) return this.phpNamesInArray(arr[2], arr[1].length + arr[2].length + 1);
    // After `=`: values.
    const val = /^\s*([^\s=[\];]+)\s*(?:\[([^\]]*)\]\s*)?=([ \t]*)([^;]*)$/.exec(b);
    if (val) return this.values(val[1], val[2], b.length - val[4].length, val[4]);
    // The key position.
    const key = /^(\s*)([A-Za-z0-9_.\-]*)$/.exec(b);
    // (After a word and a space the user is about to type `=`: the pattern does not match, nothing to offer.)
    if (key) {
      // Only indentation typed so far (a space trigger): wait for a letter.
      if (key[2] === '' && key[1] !== '') return EMPTY;
      return isFpm ? this.fpmNames(key[1].length) : this.phpNames(key[1].length);
    }
    return EMPTY;
  }

  // ---- comments ----

  private comment(): LspCompletionList {
    const b = this.before;
    const m = /^(\s*;+\s*)php-ini-lint-(disable-next-line|disable-line|disable|enable)(\s.*)?$/.exec(b);
    if (m) {
      const rest = m[3] ?? '';
      if (!rest || /\s--\s/.test(rest)) return EMPTY;
      const word = /[A-Za-z0-9_-]*$/.exec(b)![0];
      const start = b.length - word.length;
      const end = b.length + this.tail(/^[A-Za-z0-9_-]*/);
      const listed = new Set(rest.split(/[\s,]+/).filter(Boolean));
      const items: LspCompletionItem[] = [];
      for (const rule of allRules) {
        if (listed.has(rule.id) && rule.id !== word) continue;
        items.push({
          label: rule.id,
          kind: CompletionItemKind.Keyword,
          detail: rule.title,
          documentation: this.md(`${rule.rationale}\n\n[Rule documentation](${ruleDocUrl(rule.id)})`),
          textEdit: { range: this.range(start, end), newText: rule.id },
          sortText: `${rulesFor(this.input.options.role).includes(rule) ? '0' : '1'}${rule.id}`,
        });
      }
      return { isIncomplete: false, items };
    }
    const kw = /^(\s*;+\s*)([a-z-]+)$/.exec(b);
    if (kw && COMMENT_KEYWORDS.some((k) => k.startsWith(kw[2]))) {
      const start = kw[1].length;
      const end = b.length + this.tail(/^[a-z-]*/);
      return {
        isIncomplete: false,
        items: COMMENT_KEYWORDS.map((k, i) => ({
          label: k,
          kind: CompletionItemKind.Keyword,
          detail: ['turn rules off for the next line', 'turn rules off for this line', 'turn rules off until php-ini-lint-enable', 'turn rules back on'][i],
          textEdit: { range: this.range(start, end), newText: `${k} ` },
          sortText: String(i),
        })),
      };
    }
    return EMPTY;
  }

  // ---- names ----

  private phpItem(info: DirectiveInfo, start: number, end: number, newText = info.name): LspCompletionItem | undefined {
    const version = this.input.options.phpVersion;
    const status = statusFor(info.name, version);
    if (status === 'removed' || status === 'not-yet' || info.pattern) return undefined;
    const def = defaultFor(info.name, version);
    const docs = [describeDirective(info)];
    const where = changeableText(info.changeable);
    if (where) docs.push(`Can be set in: ${where}`);
    const notes = versionNotes(info, version);
    if (notes.length) docs.push(notes.join(' · '));
    if (info.doc) docs.push(`[PHP manual](${info.doc})`);
    const item: LspCompletionItem = {
      label: info.name,
      kind: CompletionItemKind.Property,
      detail: def === null || def === undefined ? 'default: none' : `default: ${codeValue(def).replace(/`/g, '')}`,
      documentation: this.md(docs.join('\n\n')),
      textEdit: { range: this.range(start, end), newText },
      sortText: `${info.bundled ? '0' : '1'}${info.name}`,
    };
    if (status === 'deprecated') {
      if (this.input.tagSupport) item.tags = [1];
      else item.deprecated = true;
    }
    return item;
  }

  private phpNames(start: number): LspCompletionList {
    const end = this.before.length + this.tail(/^[A-Za-z0-9_.\-]*/);
    const items: LspCompletionItem[] = [];
    for (const info of allDirectives()) {
      const item = this.phpItem(info, start, end);
      if (item) items.push(item);
    }
    for (const [name, what] of [
      ['extension', 'Loads a PHP extension (one per line).'],
      ['zend_extension', 'Loads a Zend extension such as opcache or xdebug (one per line).'],
    ]) {
      items.push({ label: name, kind: CompletionItemKind.Keyword, detail: what, textEdit: { range: this.range(start, end), newText: name }, sortText: `0${name}` });
    }
    return { isIncomplete: false, items };
  }

  private phpNamesInArray(array: string, start: number): LspCompletionList {
    const end = this.before.length + this.tail(/^[A-Za-z0-9_.\-]*/);
    const close = this.after.slice(end - this.before.length).startsWith(']') ? '' : ']';
    const flagsOnly = array.endsWith('_flag');
    const items: LspCompletionItem[] = [];
    for (const info of allDirectives()) {
      if (flagsOnly && info.type !== null && info.type !== 'bool') continue;
      const item = this.phpItem(info, start, end, info.name + close);
      if (item) items.push(item);
    }
    return { isIncomplete: false, items };
  }

  private fpmNames(start: number): LspCompletionList {
    const end = this.before.length + this.tail(/^[A-Za-z0-9_.\-]*/);
    const index = statementIndexAt(this.doc, this.offset);
    // On a blank line after a section, the statement under the cursor may be the next one; use the line's.
    const scope = index >= 0 ? fpmScopeOf(this.doc, this.doc.statements[index].start > this.offset ? index - 1 : index) : 'global';
    const seen = new Set<string>();
    const items: LspCompletionItem[] = [];
    const version = this.input.options.phpVersion;
    for (const info of allFpmDirectives()) {
      if (info.scope !== scope || seen.has(info.name)) continue;
      seen.add(info.name);
      const notes = versionNotes(info, version);
      const label = info.array === 'map' ? `${info.name}[…]` : info.array === 'list' ? `${info.name}[]` : info.name;
      const newText = info.array === 'map' ? `${info.name}[` : info.array === 'list' ? `${info.name}[] = ` : info.name;
      items.push({
        label,
        kind: info.array ? CompletionItemKind.Module : CompletionItemKind.Property,
        detail: info.default !== null ? `default: ${info.default}` : info.mandatory ? 'required' : undefined,
        documentation: this.md([describeFpmDirective(info), notes.join(' · '), info.doc ? `[PHP manual](${info.doc})` : ''].filter(Boolean).join('\n\n')),
        filterText: info.name,
        textEdit: { range: this.range(start, end), newText },
        sortText: `${PHP_ARRAYS.includes(info.name) ? '0' : '1'}${info.name}`,
      });
    }
    return { isIncomplete: false, items };
  }

  // ---- values ----

  private values(key: string, offsetKey: string | undefined, valueStart: number, typed: string): LspCompletionList {
    if (/\s$/.test(typed) && typed.trim() !== '') return EMPTY;
    const isFpm = this.doc.dialect === 'php-fpm';
    const end = this.before.length + this.tail(/^[^;\s]*/);
    const quoted = typed.startsWith('"');
    let choices: ValueChoice[] = [];
    let kindOf: number = CompletionItemKind.Value;
    if (isFpm && PHP_ARRAYS.includes(key) && offsetKey) {
      choices = key.endsWith('_flag') ? [{ value: 'On' }, { value: 'Off' }] : phpChoices(offsetKey);
    } else if (isFpm) {
      const index = statementIndexAt(this.doc, this.offset);
      const info: FpmDirectiveInfo | undefined = getFpmDirective(key, index >= 0 ? fpmScopeOf(this.doc, index) : undefined) ?? getFpmDirective(key);
      if (info?.type === 'bool') choices = [{ value: 'yes' }, { value: 'no' }];
      else if (info?.enum) {
        choices = info.enum.map((value) => ({ value }));
        kindOf = CompletionItemKind.EnumMember;
      }
    } else {
      choices = phpChoices(key);
      if (ownEntry(PHP_VALUES, key)) kindOf = CompletionItemKind.EnumMember;
    }
    if (!choices.length) return EMPTY;
    const items = choices.map((ch, i): LspCompletionItem => {
      const text = ch.quote ? `"${ch.value}"` : ch.value;
      return {
        label: text,
        kind: /^E_/.test(ch.value) ? CompletionItemKind.Constant : kindOf,
        detail: ch.quote ? `the text ${ch.value || '(empty)'}` : undefined,
        documentation: ch.doc ? this.md(ch.doc) : undefined,
        filterText: quoted ? `"${ch.value}"` : ch.value,
        textEdit: { range: this.range(valueStart, end), newText: text },
        sortText: String(i).padStart(3, '0'),
      };
    });
    return { isIncomplete: false, items };
  }
}

function phpChoices(directive: string): ValueChoice[] {
  const own = ownEntry(PHP_VALUES, directive);
  if (own) return own;
  const info = getDirective(directive);
  if (info?.type === 'bool') return [{ value: 'On' }, { value: 'Off' }];
  return [];
}
