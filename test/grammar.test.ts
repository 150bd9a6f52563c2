// Checks the TextMate grammars and the package.json contributions without VS Code.
// vscode-textmate/oniguruma are not available, so a small TextMate interpreter below runs the grammars
// on JavaScript RegExps (after translating the two Oniguruma features they use: \G and (?i:...)).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Compiled to out/test/, so walk up; fall back to the working directory for out-of-tree builds.
const ROOT = findRoot(__dirname) ?? findRoot(process.cwd()) ?? assert.fail('php-ini-lint package.json not found');

function findRoot(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'php-ini-lint') return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readJson<T = any>(relative: string): T {
  return JSON.parse(fs.readFileSync(path.join(ROOT, relative), 'utf8')) as T;
}

// ---------------------------------------------------------------------------------------------
// Oniguruma -> JavaScript regex translation
// ---------------------------------------------------------------------------------------------

interface CompiledRegex {
  source: string;
  /** The pattern started with \G: it may only match where the enclosing begin match ended. */
  anchoredG: boolean;
  search: RegExp; // flags dgm: search from lastIndex
  sticky: RegExp; // flags dym: match exactly at lastIndex
}

/**
 * Translates the Oniguruma subset the grammars may use. Anything else Oniguruma-only (atomic groups,
 * possessive quantifiers, \A \z \h, POSIX classes, \G not at the start) throws, so a grammar edit that
 * needs it also has to teach this test about it.
 */
function toJsRegex(source: string): CompiledRegex {
  let src = source;
  let anchoredG = false;
  if (src.startsWith('\\G')) {
    anchoredG = true;
    src = src.slice(2);
  }
  let out = '';
  let inClass = false;
  const groups: boolean[] = []; // true: a (?i:...) group
  const caseless = () => groups.includes(true);
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const next = src[i + 1];
      if (next === undefined) throw new Error('trailing backslash');
      if ('GAzZhHKRX'.includes(next)) throw new Error(`Oniguruma-only escape \\${next}`);
      if (caseless() && /[a-zA-Z]/.test(next) && !'dDsSwWbBtrnfvux'.includes(next)) throw new Error(`escape \\${next} inside (?i:)`);
      out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[') throw new Error('nested character class / POSIX bracket');
      if (c === ']') inClass = false;
      else if (caseless() && /[a-zA-Z]/.test(c)) throw new Error('letters in a character class inside (?i:)');
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += src[++i]; // a literal ] first in the class
      continue;
    }
    if (c === '(') {
      if (src.startsWith('(?i:', i)) {
        groups.push(true);
        out += '(?:';
        i += 3;
        continue;
      }
      if (src.startsWith('(?>', i) || /^\(\?[imx-]+[:)]/.test(src.slice(i))) throw new Error('Oniguruma-only group');
      groups.push(false);
      out += c;
      continue;
    }
    if (c === ')') {
      groups.pop();
      out += c;
      continue;
    }
    if ('+*?'.includes(c) && src[i + 1] === '+') throw new Error('possessive quantifier');
    if (caseless() && /[a-zA-Z]/.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
      continue;
    }
    out += c;
  }
  if (inClass || groups.length) throw new Error('unbalanced regex');
  return { source, anchoredG, search: new RegExp(out, 'dgm'), sticky: new RegExp(out, 'dym') };
}

// ---------------------------------------------------------------------------------------------
// A small TextMate interpreter (match, begin/end, captures, include #repo/$self, \G anchors)
// ---------------------------------------------------------------------------------------------

interface Captures {
  [index: string]: { name?: string };
}
interface RawRule {
  include?: string;
  name?: string;
  contentName?: string;
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  captures?: Captures;
  beginCaptures?: Captures;
  endCaptures?: Captures;
  patterns?: RawRule[];
  repository?: Record<string, RawRule>;
  applyEndPatternLast?: boolean | number;
}
interface RawGrammar {
  scopeName: string;
  patterns: RawRule[];
  repository?: Record<string, RawRule>;
}
interface Frame {
  rule: RawRule;
  scopes: string[]; // scopes of the begin/end tokens
  contentScopes: string[]; // scopes between them
  end?: CompiledRegex;
  anchor: number;
  enterPos: number;
  enterLine: number;
}

/** Every regex in a grammar with where it sits, for the compile check. */
function allRegexes(grammar: RawGrammar): Array<{ where: string; source: string }> {
  const found: Array<{ where: string; source: string }> = [];
  const visit = (rule: RawRule, where: string) => {
    for (const key of ['match', 'begin', 'end', 'while'] as const) {
      const value = rule[key];
      if (value !== undefined) found.push({ where: `${where}.${key}`, source: value });
    }
    rule.patterns?.forEach((child, i) => visit(child, `${where}.patterns[${i}]`));
    for (const [name, child] of Object.entries(rule.repository ?? {})) visit(child, `${where}.repository.${name}`);
  };
  grammar.patterns.forEach((rule, i) => visit(rule, `patterns[${i}]`));
  for (const [name, rule] of Object.entries(grammar.repository ?? {})) visit(rule, `repository.${name}`);
  return found;
}

class Tokenizer {
  private readonly cache = new Map<string, CompiledRegex>();
  readonly problems: string[] = [];

  constructor(private readonly grammar: RawGrammar) {}

  private regex(source: string): CompiledRegex {
    let compiled = this.cache.get(source);
    if (!compiled) this.cache.set(source, (compiled = toJsRegex(source)));
    return compiled;
  }

  /** Flattens includes and pattern-only containers into the rules that actually match. */
  private resolve(patterns: RawRule[] | undefined, seen = new Set<RawRule>()): RawRule[] {
    const result: RawRule[] = [];
    for (const rule of patterns ?? []) {
      if (rule.include !== undefined) {
        let target: RawRule | undefined;
        if (rule.include === '$self' || rule.include === '$base') target = { patterns: this.grammar.patterns };
        else if (rule.include.startsWith('#')) target = this.grammar.repository?.[rule.include.slice(1)];
        if (!target) throw new Error(`unresolved include ${rule.include}`);
        if (seen.has(target)) continue;
        seen.add(target);
        result.push(...(target.match || target.begin ? [target] : this.resolve(target.patterns, seen)));
      } else if (rule.match || rule.begin) {
        if (rule.while) throw new Error('begin/while rules are not supported by this test');
        result.push(rule);
      } else {
        result.push(...this.resolve(rule.patterns, seen));
      }
    }
    return result;
  }

  private exec(re: CompiledRegex, text: string, pos: number, anchor: number): RegExpExecArray | null {
    if (re.anchoredG) {
      if (pos !== anchor) return null;
      re.sticky.lastIndex = pos;
      return re.sticky.exec(text);
    }
    re.search.lastIndex = pos;
    return re.search.exec(text);
  }

  /** Returns, per line, the scope list of every character. */
  tokenize(source: string): string[][][] {
    const root: Frame = { rule: { patterns: this.grammar.patterns }, scopes: [this.grammar.scopeName], contentScopes: [this.grammar.scopeName], anchor: -1, enterPos: -1, enterLine: -1 };
    const stack: Frame[] = [root];
    const result: string[][][] = [];
    source.split(/\r?\n/).forEach((line, lineNo) => {
      const text = `${line}\n`; // like vscode-textmate: $ matches before the line break
      const chars: string[][] = Array.from({ length: line.length }, () => []);
      const paint = (from: number, to: number, scopes: string[]) => {
        for (let i = from; i < Math.min(to, line.length); i++) chars[i] = [...scopes];
      };
      const paintCaptures = (m: RegExpExecArray, captures: Captures | undefined) => {
        for (const [key, capture] of Object.entries(captures ?? {})) {
          const span = m.indices?.[Number(key)];
          if (!span || !capture.name) continue;
          for (let i = span[0]; i < Math.min(span[1], line.length); i++) chars[i].push(...capture.name.split(' '));
        }
      };
      for (const frame of stack) frame.anchor = -1; // \G never matches across lines
      let pos = 0;
      for (let guard = 0; ; guard++) {
        if (guard > 10 * (line.length + 10)) {
          this.problems.push(`line ${lineNo + 1}: no progress`);
          break;
        }
        const frame = stack[stack.length - 1];
        let best: { m: RegExpExecArray; rule?: RawRule } | undefined;
        if (frame.end) {
          const m = this.exec(frame.end, text, pos, frame.anchor);
          if (m) best = { m };
        }
        for (const rule of this.resolve(frame.rule.patterns)) {
          const m = this.exec(this.regex((rule.match ?? rule.begin)!), text, pos, frame.anchor);
          if (m && (!best || m.index < best.m.index)) best = { m, rule };
        }
        if (!best || best.m.index > line.length) {
          paint(pos, line.length, frame.contentScopes);
          break;
        }
        const { m, rule } = best;
        const start = m.index;
        const end = start + m[0].length;
        paint(pos, start, frame.contentScopes);
        if (!rule) {
          // end of the current begin/end rule
          if (end === start && frame.enterPos === start && frame.enterLine === lineNo) {
            this.problems.push(`line ${lineNo + 1}: rule pushed and popped without advancing`);
            break;
          }
          paint(start, end, frame.scopes);
          paintCaptures(m, frame.rule.endCaptures ?? frame.rule.captures);
          stack.pop();
        } else if (rule.match !== undefined) {
          if (end === start) {
            this.problems.push(`line ${lineNo + 1}: empty match of ${rule.match}`);
            paint(pos, line.length, frame.contentScopes);
            break;
          }
          const scopes = rule.name ? [...frame.contentScopes, ...rule.name.split(' ')] : frame.contentScopes;
          paint(start, end, scopes);
          paintCaptures(m, rule.captures);
        } else {
          const scopes = rule.name ? [...frame.contentScopes, ...rule.name.split(' ')] : [...frame.contentScopes];
          paint(start, end, scopes);
          paintCaptures(m, rule.beginCaptures ?? rule.captures);
          if (end === start && frame.rule === rule && frame.enterPos === start) {
            this.problems.push(`line ${lineNo + 1}: begin rule re-entered without advancing`);
            break;
          }
          stack.push({
            rule,
            scopes,
            contentScopes: rule.contentName ? [...scopes, ...rule.contentName.split(' ')] : scopes,
            end: this.regex(rule.end!),
            anchor: end,
            enterPos: start,
            enterLine: lineNo,
          });
        }
        pos = end;
        if (pos > line.length) break;
      }
      result.push(chars);
    });
    return result;
  }
}

function hasScope(scopes: string[], wanted: string): boolean {
  return scopes.some((scope) => scope === wanted || scope.startsWith(`${wanted}.`));
}

/** Tokenizes `source` and returns a helper that looks up the scopes of a piece of a line. */
function highlight(grammar: RawGrammar, source: string) {
  const tokenizer = new Tokenizer(grammar);
  const tokens = tokenizer.tokenize(source);
  const lines = source.split(/\r?\n/);
  assert.deepEqual(tokenizer.problems, [], 'grammar loops');
  /** Scopes of every character of the `occurrence`-th `needle` on line `line` (1-based). */
  const at = (line: number, needle: string, occurrence = 0): string[][] => {
    const text = lines[line - 1];
    let index = -1;
    for (let n = 0; n <= occurrence; n++) {
      index = text.indexOf(needle, index + 1);
      assert.notEqual(index, -1, `"${needle}" (#${occurrence}) not on line ${line}: ${text}`);
    }
    return tokens[line - 1].slice(index, index + needle.length);
  };
  return {
    is(line: number, needle: string, scope: string, occurrence = 0) {
      at(line, needle, occurrence).forEach((scopes, i) =>
        assert.ok(hasScope(scopes, scope), `line ${line} "${needle}"[${i}] should be ${scope}, got ${scopes.join(' ')}`),
      );
    },
    not(line: number, needle: string, scope: string, occurrence = 0) {
      at(line, needle, occurrence).forEach((scopes, i) =>
        assert.ok(!hasScope(scopes, scope), `line ${line} "${needle}"[${i}] should not be ${scope}, got ${scopes.join(' ')}`),
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------
// VS Code's language association by path (languagesAssociations.ts + glob.ts semantics)
// ---------------------------------------------------------------------------------------------

function splitGlobAware(pattern: string, splitChar: string): string[] {
  const segments: string[] = [];
  let inBraces = false;
  let inBrackets = false;
  let current = '';
  for (const char of pattern) {
    if (char === splitChar && !inBraces && !inBrackets) {
      segments.push(current);
      current = '';
      continue;
    }
    if (char === '{') inBraces = true;
    else if (char === '}') inBraces = false;
    else if (char === '[') inBrackets = true;
    else if (char === ']') inBrackets = false;
    current += char;
  }
  if (current) segments.push(current);
  return segments;
}

const SEP = '[/\\\\]';
const NOT_SEP = '[^/\\\\]';
const escapeRegex = (text: string) => text.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&');

/** VS Code glob: `**` any number of segments (including none, and dot-folders), `*` `?` within a segment, `[...]`, `{a,b}`. */
function globSource(pattern: string): string {
  const segments = splitGlobAware(pattern, '/');
  if (segments.every((segment) => segment === '**')) return '.*';
  let source = '';
  let previousWasGlobstar = false;
  segments.forEach((segment, index) => {
    if (segment === '**') {
      if (!previousWasGlobstar) {
        const last = index === segments.length - 1;
        source += `(?:${SEP}|${NOT_SEP}+${SEP}${last ? `|${SEP}${NOT_SEP}+` : ''})*?`;
      }
      previousWasGlobstar = true;
      return;
    }
    for (let i = 0; i < segment.length; i++) {
      const char = segment[i];
      if (char === '{') {
        const close = segment.indexOf('}', i);
        source += `(?:${splitGlobAware(segment.slice(i + 1, close), ',').map(globSource).join('|')})`;
        i = close;
      } else if (char === '[') {
        const close = segment.indexOf(']', i + 2);
        let body = segment.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        source += `[${body}]`;
        i = close;
      } else if (char === '*') source += `${NOT_SEP}*?`;
      else if (char === '?') source += NOT_SEP;
      else source += escapeRegex(char);
    }
    if (index < segments.length - 1 && (segments[index + 1] !== '**' || index + 2 < segments.length)) source += SEP;
    previousWasGlobstar = false;
  });
  return source;
}

function globMatches(pattern: string, target: string): boolean {
  return new RegExp(`^${globSource(pattern)}$`, 'i').test(target);
}

interface Association {
  id: string;
  filename?: string;
  extension?: string;
  filepattern?: string;
}

/** Built-in associations our patterns compete with (VS Code's ini and properties languages). */
const BUILTIN_ASSOCIATIONS: Association[] = [
  { id: 'ini', extension: '.ini' },
  ...['.properties', '.cfg', '.conf', '.directory', '.gitattributes', '.gitconfig', '.gitmodules', '.editorconfig'].map(
    (extension) => ({ id: 'properties', extension }),
  ),
];

function associationsOf(manifest: any): Association[] {
  const result: Association[] = [...BUILTIN_ASSOCIATIONS];
  for (const language of manifest.contributes.languages) {
    for (const extension of language.extensions ?? []) result.push({ id: language.id, extension });
    for (const filename of language.filenames ?? []) result.push({ id: language.id, filename });
    for (const filepattern of language.filenamePatterns ?? []) result.push({ id: language.id, filepattern });
  }
  return result;
}

/** getAssociationByPath: exact file name, else the longest matching pattern, else the longest extension. */
function languageOf(filePath: string, associations: Association[]): string | undefined {
  const lower = filePath.toLowerCase();
  const filename = path.posix.basename(lower);
  let patternMatch: Association | undefined;
  let extensionMatch: Association | undefined;
  for (let i = associations.length - 1; i >= 0; i--) {
    const a = associations[i];
    if (a.filename && a.filename.toLowerCase() === filename) return a.id;
    if (a.filepattern && (!patternMatch || a.filepattern.length > patternMatch.filepattern!.length)) {
      if (globMatches(a.filepattern, a.filepattern.includes('/') ? lower : filename)) patternMatch = a;
    }
    if (a.extension && (!extensionMatch || a.extension.length > extensionMatch.extension!.length)) {
      if (filename.endsWith(a.extension.toLowerCase())) extensionMatch = a;
    }
  }
  return (patternMatch ?? extensionMatch)?.id;
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

const manifest = readJson('package.json');
const grammarFiles = { 'php-ini': 'syntaxes/php-ini.tmLanguage.json', 'php-fpm': 'syntaxes/php-fpm.tmLanguage.json' } as const;
const grammars = {
  'php-ini': readJson<RawGrammar>(grammarFiles['php-ini']),
  'php-fpm': readJson<RawGrammar>(grammarFiles['php-fpm']),
};

describe('TextMate grammars', () => {
  for (const [language, grammar] of Object.entries(grammars)) {
    describe(language, () => {
      it('has a scope name and only regexes that compile', () => {
        assert.equal(grammar.scopeName, `source.${language}`);
        const regexes = allRegexes(grammar);
        assert.ok(regexes.length > 20, 'suspiciously few rules');
        for (const { where, source } of regexes) {
          assert.doesNotThrow(() => toJsRegex(source), `${where}: ${source}`);
        }
      });

      it('resolves every include', () => {
        const tokenizer = new Tokenizer(grammar);
        assert.doesNotThrow(() => tokenizer.tokenize('[a]\nb = c ; d\n# e = "f" \'g\' ${H}'));
      });

      it('reads comments, sections, keys and values like PHP does', () => {
        const h = highlight(
          grammar,
          [
            '; a comment',
            '[Session]',
            'session.cookie_httponly = On',
            'display_errors = Onion',
            'error_reporting = E_ALL & ~E_DEPRECATED',
            'memory_limit = 128M',
            'memory_limit = -1',
            'opcache.jit_buffer_size = 0x10',
            'error_log = "/var/log/php ; not a comment.log"',
            'error_log = /var/log/php.log ; a comment',
            'include_path = ".:${HOME}/lib"',
            'doc_root = ${DOCROOT}',
            'greeting = "say \\"hi\\" \\\\ \\$5"',
            "raw = 'no \\\" escapes ; here'",
            'multi = "first line',
            'second line ; still string"',
            'after = 1',
            'url = a=b',
            'date.timezone = UTC',
            'variables_order = EGPCS',
            'save_path = on/tmp',
            'flag = off ; trailing comment',
            'nothing = null',
            'extension_dir = /usr/lib/php/8.2',
            'key with spaces = yes',
            'win_path = "C:\\dir\\"',
            'next = 2',
            '  ; indented comment',
            'bare_key',
            'fallback = ${USER:-nobody}',
          ].join('\n'),
        );
        h.is(1, '; a comment', 'comment.line.semicolon');
        h.is(2, 'Session', 'entity.name.section'); // group-title in php.ini, pool name in FPM
        h.is(2, '[', 'punctuation.definition.section.begin');
        h.is(3, 'session.cookie_httponly', 'support.type.property-name');
        h.is(3, '=', 'keyword.operator.assignment');
        h.is(3, 'On', 'constant.language.boolean');
        h.not(4, 'Onion', 'constant.language');
        h.is(4, 'Onion', 'string.unquoted');
        h.is(5, 'E_ALL', 'constant.other');
        h.is(5, 'E_DEPRECATED', 'constant.other');
        h.is(5, '&', 'keyword.operator');
        h.is(5, '~', 'keyword.operator');
        h.is(6, '128', 'constant.numeric');
        h.is(6, 'M', 'keyword.other.unit');
        h.is(7, '-1', 'constant.numeric');
        h.is(8, '0x10', 'constant.numeric');
        h.is(9, '; not a comment.log', 'string.quoted.double');
        h.not(9, '; not a comment.log', 'comment');
        h.is(10, '/var/log/php.log', 'string.unquoted');
        h.is(10, '; a comment', 'comment.line.semicolon');
        h.is(11, 'HOME', 'variable.other');
        h.is(11, 'HOME', 'string.quoted.double');
        h.is(11, '${', 'punctuation.definition.variable.begin');
        h.is(12, 'DOCROOT', 'variable.other');
        h.not(12, 'DOCROOT', 'string');
        h.is(13, '\\"', 'constant.character.escape');
        h.is(13, 'hi', 'string.quoted.double');
        h.is(13, '\\\\', 'constant.character.escape');
        h.is(13, '\\$', 'constant.character.escape');
        h.is(13, '5"', 'string.quoted.double');
        h.is(14, "'no \\\" escapes ; here'", 'string.quoted.single');
        h.not(14, '\\"', 'constant.character.escape');
        h.not(14, '; here', 'comment');
        h.is(15, 'first line', 'string.quoted.double');
        h.is(16, 'second line ; still string', 'string.quoted.double');
        h.not(16, '; still', 'comment');
        h.is(17, 'after', 'support.type.property-name');
        h.is(17, '1', 'constant.numeric');
        h.is(18, '=', 'invalid.illegal.unexpected-equals', 1);
        h.not(19, 'UTC', 'constant.other');
        h.not(20, 'EGPCS', 'constant.other');
        h.not(21, 'on', 'constant.language');
        h.is(21, 'on/tmp', 'string.unquoted');
        h.is(22, 'off', 'constant.language.boolean');
        h.is(22, '; trailing comment', 'comment.line.semicolon');
        h.is(23, 'null', 'constant.language.null');
        h.not(24, '8.2', 'constant.numeric');
        h.is(25, 'key with spaces', 'support.type.property-name');
        h.is(25, 'yes', 'constant.language.boolean');
        // A backslash-quote right before the line break closes the string, so the next line is a new directive.
        h.not(26, '\\"', 'constant.character.escape');
        h.is(27, 'next', 'support.type.property-name');
        h.not(27, 'next', 'string');
        h.is(28, '; indented comment', 'comment.line.semicolon');
        h.is(29, 'bare_key', 'support.type.property-name');
        h.is(30, 'USER', 'variable.other');
        h.is(30, ':-', 'keyword.operator.fallback');
        h.is(30, 'nobody', 'string.unquoted.fallback');
      });

      it('marks # lines as suspicious, not as comments (PHP 7+ reads them as keys)', () => {
        const h = highlight(grammar, ['# foo = bar', '#just text', '  # see (docs)']. join('\n'));
        h.is(1, '# foo', 'invalid.deprecated.hash-comment');
        h.not(1, '# foo', 'comment');
        h.is(1, 'bar', 'string.unquoted');
        h.is(2, '#just text', 'invalid.deprecated.hash-comment');
        h.not(2, '#just text', 'comment');
        h.is(3, '# see (docs)', 'invalid.deprecated.hash-comment');
      });

      it('splits php_value[directive] and env[NAME] keys', () => {
        const h = highlight(grammar, ['php_admin_value[memory_limit] = 256M', 'php_flag[display_errors] = off', 'env[TMPDIR] = /tmp', 'opts[] = x'].join('\n'));
        h.is(1, 'php_admin_value', 'keyword.other.array-directive');
        h.is(1, 'memory_limit', 'support.type.property-name.inner');
        h.not(1, 'memory_limit', 'keyword.other.array-directive');
        h.is(1, '[', 'punctuation.definition.offset.begin');
        h.is(1, ']', 'punctuation.definition.offset.end');
        h.is(1, '256', 'constant.numeric');
        h.is(2, 'php_flag', 'keyword.other.array-directive');
        h.is(2, 'display_errors', 'support.type.property-name.inner');
        h.is(2, 'off', 'constant.language.boolean');
        h.is(3, 'env', 'keyword.other.array-directive');
        h.is(3, 'TMPDIR', 'variable.other.env');
        h.is(4, 'opts', 'support.type.property-name');
        h.is(4, ']', 'punctuation.definition.offset.end');
      });
    });
  }

  it('php-ini: [PATH=...] and [HOST=...] sections get their own scopes', () => {
    const h = highlight(grammars['php-ini'], ['[PATH=/var/www/site]', '[host=www.example.com]', '[PHP]'].join('\n'));
    h.is(1, 'PATH', 'keyword.other.section-type.path');
    h.is(1, '/var/www/site', 'entity.name.section.path');
    h.not(1, '/var/www/site', 'entity.name.section.group-title');
    h.is(2, 'www.example.com', 'entity.name.section.host');
    h.is(3, 'PHP', 'entity.name.section.group-title');
  });

  it('php-fpm: global/pool sections, include, $pool, time units', () => {
    const h = highlight(
      grammars['php-fpm'],
      [
        '[global]',
        'include = /etc/php-fpm.d/*.conf',
        '[www]',
        'slowlog = /var/log/$pool.slow.log',
        'request_terminate_timeout = 30s',
        'process_control_timeout = 1m',
        'listen = /run/php/php8.2-fpm.sock',
        'env[PATH] = $PATH',
        'pm.max_children = 5',
        'access.log = "/var/log/$pool access.log"',
      ].join('\n'),
    );
    h.is(10, '$pool', 'variable.language.pool');
    h.is(10, '$pool', 'string.quoted.double');
    h.is(1, 'global', 'entity.name.section.global');
    h.is(2, 'include', 'keyword.control.import');
    h.is(3, 'www', 'entity.name.section.pool');
    h.is(4, '$pool', 'variable.language.pool');
    h.is(4, '/var/log/', 'string.unquoted');
    h.is(5, '30', 'constant.numeric');
    h.is(5, 's', 'keyword.other.unit', 1);
    h.is(6, 'm', 'keyword.other.unit', 1);
    h.not(7, '8.2', 'constant.numeric');
    h.is(8, '$PATH', 'variable.other.env');
    h.is(9, 'pm.max_children', 'support.type.property-name');
  });

  it('php-ini: time suffixes are not numbers there', () => {
    const h = highlight(grammars['php-ini'], 'max_execution_time = 30s');
    h.not(1, '30s', 'constant.numeric');
  });
});

describe('package.json contributions', () => {
  const contributes = manifest.contributes;
  const languageIds = contributes.languages.map((language: any) => language.id);

  it('contributes exactly the two languages, each with a grammar and the language configuration', () => {
    assert.deepEqual([...languageIds].sort(), ['php-fpm', 'php-ini']);
    for (const language of contributes.languages) {
      assert.equal(language.configuration, './language-configuration.json');
      const grammar = contributes.grammars.find((g: any) => g.language === language.id);
      assert.ok(grammar, `no grammar for ${language.id}`);
      const file = readJson<RawGrammar>(grammar.path);
      assert.equal(file.scopeName, grammar.scopeName, `${grammar.path} scopeName`);
      assert.equal(grammar.path, `./${grammarFiles[language.id as keyof typeof grammarFiles]}`);
    }
    assert.deepEqual(manifest.contributes.languages.find((l: any) => l.id === 'php-ini').aliases[0], 'PHP INI');
    assert.deepEqual(manifest.contributes.languages.find((l: any) => l.id === 'php-fpm').aliases[0], 'PHP-FPM');
  });

  it('activates only on its languages and declares workspace capabilities', () => {
    assert.deepEqual(manifest.activationEvents, ['onLanguage:php-ini', 'onLanguage:php-fpm']);
    assert.deepEqual(manifest.capabilities, { untrustedWorkspaces: { supported: true }, virtualWorkspaces: true });
    // The package runs the esbuild bundle; the bundle must be what `main` names and the .vsix ships.
    assert.equal(manifest.main, './dist/extension.js');
    const vscodeignore = fs.readFileSync(path.join(__dirname, '..', '..', '.vscodeignore'), 'utf8');
    assert.match(vscodeignore, /^!dist\/extension\.js$/m);
  });

  it('has titled commands that match what the client registers', () => {
    const expected = ['phpIniLint.showEffectiveConfig', 'phpIniLint.fixAll', 'phpIniLint.restartServer', 'phpIniLint.enableFixOnSave'];
    const ids = contributes.commands.map((command: any) => command.command);
    assert.deepEqual([...ids].sort(), [...expected].sort());
    for (const command of contributes.commands) {
      assert.ok(typeof command.title === 'string' && command.title.trim(), `${command.command} has no title`);
      assert.equal(command.category, 'PHP INI Lint');
    }
    for (const entry of contributes.menus.commandPalette) {
      assert.ok(ids.includes(entry.command), `palette entry for unknown ${entry.command}`);
      assert.match(entry.when, /editorLangId == php-ini/);
      assert.match(entry.when, /editorLangId == php-fpm/);
    }
    const source = fs.readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8');
    const registered = [...source.matchAll(/registerCommand\(\s*'([^']+)'/g)].map((m) => m[1]);
    assert.deepEqual([...registered].sort(), [...expected].sort());
  });

  it('describes every setting with a type, a default of that type and a description', () => {
    const properties: Record<string, any> = contributes.configuration.properties;
    assert.deepEqual(Object.keys(properties).sort(), [
      'phpIniLint.enable',
      'phpIniLint.httpsOnly',
      'phpIniLint.phpVersion',
      'phpIniLint.profile',
      'phpIniLint.rules',
      'phpIniLint.trace.server',
    ]);
    for (const [key, schema] of Object.entries(properties)) {
      assert.ok(schema.type, `${key} has no type`);
      assert.ok(schema.markdownDescription || schema.description, `${key} has no description`);
      const actual = Array.isArray(schema.default) ? 'array' : typeof schema.default;
      assert.equal(actual, schema.type, `${key} default type`);
      if (schema.enum) assert.ok(schema.enum.includes(schema.default), `${key} default not in enum`);
      const descriptions = schema.enumDescriptions ?? schema.markdownEnumDescriptions;
      if (descriptions) assert.equal(descriptions.length, schema.enum.length, `${key} enum descriptions`);
      if (key !== 'phpIniLint.trace.server') assert.equal(schema.scope, 'resource', `${key} should be per folder`);
    }
    assert.equal(properties['phpIniLint.enable'].default, true);
    assert.equal(properties['phpIniLint.httpsOnly'].default, true);
    assert.equal(properties['phpIniLint.phpVersion'].default, 'auto');
    assert.deepEqual(properties['phpIniLint.phpVersion'].enum, ['auto', '7.4', '8.0', '8.1', '8.2', '8.3', '8.4', '8.5']);
    assert.deepEqual(properties['phpIniLint.profile'].enum, ['production', 'development']);
    assert.equal(properties['phpIniLint.profile'].default, 'production');
    assert.deepEqual(properties['phpIniLint.rules'].additionalProperties.enum, ['error', 'warning', 'information', 'hint', 'off']);
    assert.deepEqual(properties['phpIniLint.trace.server'].enum, ['off', 'messages', 'verbose']);
  });

  it('does not turn on fix-on-save by default', () => {
    assert.ok(!JSON.stringify(contributes.configurationDefaults ?? {}).includes('codeActionsOnSave'));
  });

  it('ships a 128x128 PNG icon', () => {
    const png = fs.readFileSync(path.join(ROOT, manifest.icon));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
  });

  describe('file associations', () => {
    const associations = associationsOf(manifest);
    const cases: Array<[string, string | undefined]> = [
      ['/etc/php/8.2/fpm/php.ini', 'php-ini'],
      ['/etc/php/8.2/cli/conf.d/20-xdebug.ini', 'php-ini'],
      ['/etc/php.d/10-opcache.ini', 'php-ini'],
      ['/srv/site/.user.ini', 'php-ini'],
      ['/etc/php/8.2/mods-available/opcache.ini', 'php-ini'],
      ['/usr/local/etc/php/conf.d/docker-php-ext-opcache.ini', 'php-ini'],
      ['/usr/local/etc/php/php.ini-production', 'php-ini'],
      ['/etc/php81/conf.d/00_opcache.ini', 'php-ini'],
      ['/opt/alt/php74/etc/php.d.all/opcache.ini', 'php-ini'],
      ['/home/me/project/docker/php/custom.ini', 'php-ini'],
      ['/etc/php/8.2/fpm/pool.d/www.conf', 'php-fpm'],
      ['/usr/local/etc/php-fpm.d/docker.conf', 'php-fpm'],
      ['/etc/php-fpm.conf', 'php-fpm'],
      ['/etc/php/8.2/fpm/php-fpm.conf', 'php-fpm'],
      ['/etc/php-fpm.d/www.conf', 'php-fpm'],
      ['/home/me/project/docker/php-fpm/www.conf', 'php-fpm'],
      // Not ours: left to VS Code's ini / properties languages.
      ['/home/me/project/settings.ini', 'ini'],
      ['/home/me/project/config/app.ini', 'ini'],
      ['/home/me/php8-project/config/settings.ini', 'ini'],
      ['/home/me/project/.php-ini-lint.ini', 'ini'],
      ['/home/me/.gitconfig', 'properties'],
      ['/etc/nginx/conf.d/site.conf', 'properties'],
      ['/etc/nginx/sites-available/www.conf', 'properties'],
    ];
    for (const [file, expected] of cases) {
      it(`${file} -> ${expected}`, () => assert.equal(languageOf(file, associations), expected));
    }

    it('agrees with Node’s own glob matcher where their semantics overlap', function () {
      const matchesGlob = (path as unknown as { matchesGlob?: (p: string, g: string) => boolean }).matchesGlob;
      if (!matchesGlob) this.skip();
      for (const language of contributes.languages) {
        for (const pattern of language.filenamePatterns ?? []) {
          if (!pattern.includes('/')) continue;
          // Node's matcher skips dot-folders under **; VS Code does not. Compare only plain paths.
          for (const [file] of cases.filter(([f]) => !f.includes('/.'))) {
            assert.equal(globMatches(pattern, file), matchesGlob(file, pattern), `${pattern} on ${file}`);
          }
        }
      }
    });
  });
});

describe('language-configuration.json', () => {
  const config = readJson('language-configuration.json');

  it('uses ; comments and compilable folding markers', () => {
    assert.equal(config.comments.lineComment, ';');
    const start = new RegExp(config.folding.markers.start);
    const end = new RegExp(config.folding.markers.end);
    assert.ok(start.test('; region Sessions') && start.test('  ;region'));
    assert.ok(end.test('; endregion'));
    assert.ok(!start.test('; endregion') && !start.test('[Session]'));
  });

  it('treats dotted directive names and sizes as one word', () => {
    const word = new RegExp(config.wordPattern, 'g');
    const words = (text: string) => text.match(word);
    assert.deepEqual(words('session.cookie_httponly = On'), ['session.cookie_httponly', 'On']);
    assert.deepEqual(words('php_admin_value[memory_limit] = 128M'), ['php_admin_value', 'memory_limit', '128M']);
    assert.deepEqual(words('x = -1'), ['x', '-1']);
  });

  it('auto-closes ${ with }', () => {
    assert.ok(config.autoClosingPairs.some((pair: any) => pair.open === '${' && pair.close === '}'));
  });
});
