// Parsing a document: the parser plus the model PHP (or php-fpm) builds from it.

import { compareVersions, constantValue, getIniConstant, LATEST_STABLE_PHP } from './catalog';
import { cfgToJson, FpmModelBuilder, IniModelBuilder, type FpmModel, type IniModel } from './model';
import { parseTokens } from './parser';
import { LineIndex } from './text';
import type { Dialect, SyntaxTree } from './types';

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

const TRUE_FALSE_NULL: Record<string, string> = { true: '1', false: '', null: '' };

export function parse(text: string, options: ParseOptions = {}): ParsedDocument {
  const dialect = options.dialect ?? 'php-ini';
  const phpVersion = options.phpVersion ?? LATEST_STABLE_PHP;
  const env = options.env ?? {};
  const fallbackSyntax = compareVersions(phpVersion, '8.3') >= 0;
  const ini = dialect === 'php-ini' ? new IniModelBuilder() : undefined;
  const fpm = dialect === 'php-fpm' ? new FpmModelBuilder() : undefined;

  const tree = parseTokens(text, {
    dialect,
    fallbackSyntax,
    hooks: {
      constant(name) {
        // Build-specific constants (PHP_OS, PHP_EOL...) take the value a typical Linux build has.
        return constantValue(name, phpVersion) ?? getIniConstant(name)?.value ?? TRUE_FALSE_NULL[name.toLowerCase()];
      },
      variable(name) {
        // php.ini reads an earlier directive first; php-fpm's files see only php.ini's, which we don't have.
        // getenv() takes a C string, so the environment sees the name only up to a NUL byte.
        return ini?.lookup(name) ?? env[name.split('\0')[0]];
      },
      statement(s, i) {
        ini?.apply(s, i);
        fpm?.apply(s, i);
      },
    },
  });
  let lines: LineIndex | undefined;
  const doc: ParsedDocument = {
    ...tree,
    phpVersion,
    model: (ini?.model ?? fpm?.model) as IniModel | FpmModel,
    get lines() {
      return (lines ??= new LineIndex(text));
    },
  };
  return doc;
}

/** The text a tree stands for; equal to the input, byte for byte. */
export function print(tree: SyntaxTree): string {
  let out = '';
  for (const s of tree.statements) for (const t of s.tokens) out += tree.text.slice(t.start, t.end);
  return out;
}

/** What `get_cfg_var()` returns for each key the file sets in php.ini's main scope. */
export function cfgVars(doc: ParsedDocument): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (doc.model.dialect !== 'php-ini') return out;
  for (const [name, setting] of doc.model.main) out[name] = cfgToJson(setting.value);
  for (const sec of doc.model.specialSections) {
    // PHP stores each [PATH=]/[HOST=] section in the same hash, as an array under its key.
    const arr = { entries: [...sec.settings].map(([name, setting]) => [name, setting.value] as [string, typeof setting.value]) };
    if (!(sec.key in out)) out[sec.key] = cfgToJson(arr);
  }
  return out;
}
