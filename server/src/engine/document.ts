// Parsing a document: the parser plus the model PHP (or php-fpm) builds from it.

import { compareVersions, constantValue, getIniConstant, LATEST_STABLE_PHP } from './catalog';
import { cfgToJson, FpmModelBuilder, IniModelBuilder, type FpmModel, type IniModel } from './model';
import { parseTokens } from './parser';
import { LineIndex } from './text';
import type { ParseHooks } from './parser';
import { K, lineStartsFromTokens, StatementNode, TokenStore } from './tokens';
import type { Dialect, Statement, SyntaxError, SyntaxTree } from './types';
import { hasEntry, setEntry } from './own';

export interface ParseOptions {
  dialect?: Dialect;
  /** Target PHP version, e.g. "8.2"; decides grammar details (8.3's `${A:-b}`) and constant values. */
  phpVersion?: string;
  /**
   * Environment for `${NAME}`. Defaults to none: a linter should not depend on the machine it runs
   * on, and an unset variable reads as "" just as it would for PHP.
   */
  env?: Record<string, string | undefined>;
}

export interface ParsedDocument extends SyntaxTree {
  phpVersion: string;
  model: IniModel | FpmModel;
  /** Offset <-> line/character conversion, built on first use. */
  readonly lines: LineIndex;
}

/** zend_get_constant's special names, any case; only reached where the scanner has no boolean rule. */
function trueFalseNull(name: string): string | undefined {
  if (name.length !== 4 && name.length !== 5) return undefined;
  switch (name.toLowerCase()) {
    case 'true':
      return '1';
    case 'false':
    case 'null':
      return '';
  }
  return undefined;
}

export function parse(text: string, options: ParseOptions = {}): ParsedDocument {
  const dialect = options.dialect ?? 'php-ini';
  const phpVersion = options.phpVersion ?? LATEST_STABLE_PHP;
  const env = options.env ?? {};
  const fallbackSyntax = compareVersions(phpVersion, '8.3') >= 0;
  const ini = dialect === 'php-ini' ? new IniModelBuilder() : undefined;
  const fpm = dialect === 'php-fpm' ? new FpmModelBuilder() : undefined;

  const hooks: ParseHooks = {
    constant(name) {
      // Build-specific constants (PHP_OS, PHP_EOL...) take the value a typical Linux build has.
      // Most bare words are no constant at all (`files`, `GPCS`): one lookup says so.
      const info = getIniConstant(name);
      if (!info) return trueFalseNull(name);
      return constantValue(name, phpVersion) ?? info.value;
    },
    variable(name) {
      // php.ini reads an earlier directive first; php-fpm's files see only php.ini's, which we don't have.
      // getenv() takes a C string, so the environment sees the name only up to a NUL byte.
      const envName = name.split('\0')[0];
      return ini?.lookup(name) ?? (Object.prototype.hasOwnProperty.call(env, envName) ? env[envName] : undefined);
    },
    statement(s, i) {
      ini?.apply(s, i);
    },
  };
  const tree = fpm ? parseFpmLines(text, fallbackSyntax, hooks, fpm) : parseTokens(text, { dialect, fallbackSyntax, hooks });
  return new Document(tree, phpVersion, (ini?.model ?? fpm?.model) as IniModel | FpmModel);
}

/**
 * A class, not an object literal with a `get lines()`: a getter closure made per document gives every
 * document a map of its own, and V8's maps live in the old generation, so each scavenge kept the
 * previous documents alive through them and promoted them (some 60 KB per parse of Debian's php.ini).
 */
class Document implements ParsedDocument {
  readonly text: string;
  readonly dialect: Dialect;
  readonly statements: Statement[];
  readonly tokens: TokenStore;
  readonly errors: SyntaxError[];
  readonly truncatedAt?: number;
  private lineIndex: LineIndex | undefined;

  constructor(
    tree: SyntaxTree,
    readonly phpVersion: string,
    readonly model: IniModel | FpmModel,
  ) {
    this.text = tree.text;
    this.dialect = tree.dialect;
    this.statements = tree.statements;
    this.tokens = tree.tokens;
    this.errors = tree.errors;
    this.truncatedAt = tree.truncatedAt;
  }

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text, lineStartsFromTokens(this.text, this.tokens)));
  }
}

/**
 * php-fpm reads its configuration one line at a time (fpm_conf_load_ini_file): each line, cut at a NUL
 * byte and given a fresh "\n", is handed to PHP's INI parser on its own. So nothing spans lines there
 * (a quote left open is an error on its own line), a last line without a line break still ends like
 * one, and the first line PHP cannot parse stops php-fpm: later lines are never applied.
 */
function parseFpmLines(text: string, fallbackSyntax: boolean, hooks: ParseHooks, fpm: FpmModelBuilder): SyntaxTree {
  const statements: StatementNode[] = [];
  const errors: SyntaxError[] = [];
  const store = TokenStore.forText(text.length);
  const len = text.length;
  let ls = 0;
  for (;;) {
    let le = text.indexOf('\n', ls);
    const hasNl = le >= 0;
    if (!hasNl) le = len;
    const content = text.slice(ls, le);
    const nul = content.indexOf('\0');
    const parsed = nul >= 0 ? content.slice(0, nul) : content;
    const sub = parseTokens(`${parsed}\n`, { dialect: 'php-fpm', fallbackSyntax, hooks: { constant: hooks.constant, variable: hooks.variable } });
    // Offsets in `sub` map to the file by +ls, except the "\n" php-fpm adds, which exists in the file
    // only when the line really ends there.
    const realEnd = ls + parsed.length + (nul < 0 && hasNl ? 1 : 0);
    const lineStatements: StatementNode[] = [];
    const st2 = sub.tokens;
    for (const st of sub.statements) {
      const first = store.count;
      for (let i = st.first; i < st.last; i++) {
        const start = st2.starts[i] + ls;
        const end = Math.min(st2.ends[i] + ls, realEnd);
        if (start < end) store.push(st2.kinds[i], start, end);
      }
      if (store.count === first) continue;
      // Only tokens at the very end can have been dropped, so the parser's token indices stay valid.
      const node = new StatementNode(store, st.kind, first, store.count, store.starts[first], store.ends[store.count - 1]);
      node.name = st.name;
      if (st.offset !== undefined) node.offset = st.offset;
      node.value = st.value;
      node.keyToken = st.keyToken;
      node.equalsToken = st.equalsToken;
      node.valueStart = st.valueStart;
      node.valueEnd = st.valueEnd;
      lineStatements.push(node);
    }
    const extraFrom = store.count;
    if (nul >= 0) store.push(K.Ignored, ls + nul, le);
    if (hasNl && nul >= 0) store.push(K.Newline, le, le + 1);
    if (store.count > extraFrom) {
      const last = lineStatements[lineStatements.length - 1];
      if (last) last.extendTo(store.count);
      else lineStatements.push(new StatementNode(store, 'blank', extraFrom, store.count, store.starts[extraFrom], store.ends[store.count - 1]));
    }
    const failedBefore = errors.length > 0;
    if (!failedBefore && sub.errors.length) {
      const e = sub.errors[0];
      errors.push({ ...e, start: Math.min(e.start + ls, realEnd), end: Math.min(e.end + ls, realEnd) });
    }
    for (const st of lineStatements) {
      statements.push(st);
      if (!failedBefore && !sub.errors.length && (st.kind === 'section' || st.kind === 'entry' || st.kind === 'bare-key')) fpm.apply(st, statements.length - 1);
    }
    if (!hasNl || le + 1 >= len) break;
    ls = le + 1;
  }
  store.trim();
  return { text, dialect: 'php-fpm', statements, errors, tokens: store };
}

/** The text a tree stands for; equal to the input, byte for byte. */
export function print(tree: SyntaxTree): string {
  let out = '';
  const store = tree.tokens;
  for (const s of tree.statements) for (let i = s.first; i < s.last; i++) out += tree.text.slice(store.starts[i], store.ends[i]);
  return out;
}

/** What `get_cfg_var()` returns for each key the file sets in php.ini's main scope. */
export function cfgVars(doc: ParsedDocument): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (doc.model.dialect !== 'php-ini') return out;
  for (const [name, setting] of doc.model.main) setEntry(out, name, cfgToJson(setting.value));
  for (const sec of doc.model.specialSections) {
    // PHP stores each [PATH=]/[HOST=] section in the same hash, as an array under its key.
    const arr = { entries: [...sec.settings].map(([name, setting]) => [name, setting.value] as [string, typeof setting.value]) };
    if (!hasEntry(out, sec.key)) setEntry(out, sec.key, cfgToJson(arr));
  }
  return out;
}
