// One document's parse and lint results, cached per document version and options: hover, code actions,
// folding and diagnostics all reuse the same parse, and nothing is re-parsed until the text changes
// (or the target PHP version / dialect does, since those change how PHP reads the file).

import type { ResolvedOptions } from '../config';
import { parse, type ParsedDocument } from '../document';
import { lint, type Diagnostic } from '../lint';

export class Analysis {
  private diags: Diagnostic[] | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly doc: ParsedDocument,
    readonly options: ResolvedOptions,
    private readonly onLint: () => void = () => undefined,
  ) {}

  get text(): string {
    return this.doc.text;
  }

  /** The engine's diagnostics, computed on first use. */
  get diagnostics(): Diagnostic[] {
    if (!this.diags) {
      this.onLint();
      this.diags = lint(this.doc, this.options);
    }
    return this.diags;
  }

  get linted(): boolean {
    return this.diags !== undefined;
  }
}

interface Entry {
  version: number;
  text: string;
  parseKey: string;
  doc: ParsedDocument;
  lintKey: string;
  analysis: Analysis;
}

function parseKeyOf(o: ResolvedOptions): string {
  return JSON.stringify([o.dialect, o.phpVersion, o.env ?? null]);
}

function lintKeyOf(o: ResolvedOptions): string {
  return JSON.stringify([o.dialect, o.phpVersion, o.profile, o.httpsOnly, o.role, o.rules ?? {}, o.env ?? null, o.phpVersionSource, o.configFile]);
}

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();
  /** How many times a document was parsed / linted (for tests and logs). */
  parses = 0;
  lints = 0;

  get(uri: string, version: number, text: string, options: ResolvedOptions): Analysis {
    const parseKey = parseKeyOf(options);
    const lintKey = lintKeyOf(options);
    const e = this.entries.get(uri);
    if (e && e.version === version && e.text === text && e.parseKey === parseKey) {
      if (e.lintKey === lintKey) return e.analysis;
      e.lintKey = lintKey;
      e.analysis = new Analysis(uri, version, e.doc, options, () => this.lints++);
      return e.analysis;
    }
    this.parses++;
    const doc = parse(text, { dialect: options.dialect, phpVersion: options.phpVersion, env: options.env });
    const analysis = new Analysis(uri, version, doc, options, () => this.lints++);
    this.entries.set(uri, { version, text, parseKey, doc, lintKey, analysis });
    return analysis;
  }

  /** The cached analysis of exactly this version, if any (never parses). */
  peek(uri: string, version: number): Analysis | undefined {
    const e = this.entries.get(uri);
    return e && e.version === version ? e.analysis : undefined;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
  }
}
