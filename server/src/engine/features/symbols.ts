// Document symbols (the outline): sections, with the directives under them.

import type { ParsedDocument } from '../document';
import type { Statement } from '../types';
import { keySpan, valueSpan } from './locate';
import { SymbolKind, type LspDocumentSymbol, type LspSymbolInformation, type Range } from './lsp-types';

/** More symbols than any outline can show usefully; beyond this a huge file gets a truncated outline. */
export const MAX_SYMBOLS = 50_000;

function contentEnd(st: Statement): number {
  let end = st.start;
  for (const t of st.tokens) if (t.kind !== 'newline' && t.kind !== 'whitespace') end = t.end;
  return Math.max(end, st.start);
}

export function documentSymbols(doc: ParsedDocument): LspDocumentSymbol[] {
  const lines = doc.lines;
  const range = (s: number, e: number): Range => lines.range(s, e);
  const top: LspDocumentSymbol[] = [];
  let section: LspDocumentSymbol | undefined;
  let sectionStart = 0;
  let sectionEnd = 0;
  let count = 0;
  const isFpm = doc.dialect === 'php-fpm';
  const finish = () => {
    if (section) section.range = range(sectionStart, sectionEnd);
  };
  for (const st of doc.statements) {
    if (count >= MAX_SYMBOLS) break;
    if (st.kind === 'section') {
      finish();
      const nameTok = st.tokens.filter((t) => t.kind === 'section-name');
      const start = st.tokens.find((t) => t.kind === 'section-open')?.start ?? st.start;
      const end = contentEnd(st);
      const name = st.name ?? '';
      const isGlobal = isFpm && name.toLowerCase() === 'global';
      section = {
        name: `[${name}]`,
        detail: isFpm ? (isGlobal ? 'php-fpm global settings' : 'pool') : /^(path|host)/i.test(name) ? 'per-directory/host settings' : 'section',
        kind: isFpm && !isGlobal ? SymbolKind.Class : SymbolKind.Namespace,
        range: range(start, end),
        selectionRange: nameTok.length ? range(nameTok[0].start, nameTok[nameTok.length - 1].end) : range(start, end),
        children: [],
      };
      sectionStart = start;
      sectionEnd = end;
      top.push(section);
      count++;
      continue;
    }
    if ((st.kind !== 'entry' && st.kind !== 'bare-key') || st.name === undefined) continue;
    const key = keySpan(st);
    if (!key) continue;
    const vs = valueSpan(st);
    const end = contentEnd(st);
    const raw = vs ? doc.text.slice(vs.start, vs.end) : '';
    const sym: LspDocumentSymbol = {
      name: doc.text.slice(key.start, key.end),
      detail: raw.length > 80 ? `${raw.slice(0, 79)}…` : raw,
      kind: st.offset !== undefined ? SymbolKind.Field : SymbolKind.Property,
      range: range(key.start, end),
      selectionRange: range(key.start, key.end),
    };
    count++;
    if (section) {
      section.children!.push(sym);
      sectionEnd = end;
    } else top.push(sym);
  }
  finish();
  return top;
}

/** The flat form for clients without hierarchical symbol support. */
export function symbolInformation(doc: ParsedDocument, uri: string): LspSymbolInformation[] {
  const out: LspSymbolInformation[] = [];
  for (const s of documentSymbols(doc)) {
    out.push({ name: s.name, kind: s.kind, location: { uri, range: s.range } });
    for (const c of s.children ?? []) out.push({ name: c.name, kind: c.kind, location: { uri, range: c.range }, containerName: s.name });
  }
  return out;
}
