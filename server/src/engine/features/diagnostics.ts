// Engine diagnostics → LSP diagnostics, shaped by what the client can show.

import { ruleDocUrl } from '../index';
import type { Diagnostic } from '../lint';
import type { Severity } from '../rules/types';
import { DiagnosticSeverity, DiagnosticTag, type ClientFeatures, type LspDiagnostic } from './lsp-types';

export const SOURCE = 'php-ini-lint';

export function lspSeverity(s: Severity): 1 | 2 | 3 | 4 {
  switch (s) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'information':
      return DiagnosticSeverity.Information;
    default:
      return DiagnosticSeverity.Hint;
  }
}

export function toLspDiagnostic(d: Diagnostic, uri: string, client: ClientFeatures): LspDiagnostic {
  const out: LspDiagnostic = {
    range: d.range,
    severity: lspSeverity(d.severity),
    code: d.rule,
    source: SOURCE,
    message: d.message,
  };
  if (client.codeDescription) out.codeDescription = { href: ruleDocUrl(d.rule) };
  const tags: Array<1 | 2> = [];
  for (const t of d.tags) {
    const tag = t === 'deprecated' ? DiagnosticTag.Deprecated : DiagnosticTag.Unnecessary;
    if (client.tags.includes(tag) && !tags.includes(tag)) tags.push(tag);
  }
  if (tags.length) out.tags = tags;
  if (d.related.length) {
    if (client.relatedInformation) {
      out.relatedInformation = d.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
    } else {
      // No related-information support: keep the facts in the message itself.
      out.message += d.related.map((r) => `\nLine ${r.range.start.line + 1}: ${r.message}`).join('');
    }
  }
  return out;
}

export function toLspDiagnostics(diags: readonly Diagnostic[], uri: string, client: ClientFeatures): LspDiagnostic[] {
  return diags.map((d) => toLspDiagnostic(d, uri, client));
}
