// Building blocks shared by rules. Files starting with `_` are not rules themselves.

import { defaultFor } from '../catalog';
import type { LintContext, PhpSetting } from '../lint';
import { iniBool } from '../values';
import type { Fix } from './types';

export const PHP_SESSION_DOCS = 'https://www.php.net/manual/en/session.configuration.php';
export const OWASP_SESSION = 'https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html';
export const OWASP_PHP_CONFIG = 'https://cheatsheetseries.owasp.org/cheatsheets/PHP_Configuration_Cheat_Sheet.html';

/** Where a pool sets a directive, for messages: `php_value[session.name] in pool [www]`. */
export function where(s: PhpSetting): string {
  return s.pool ? ` (${s.via}[${s.directive}] in pool [${s.pool.name}])` : '';
}

/** A value fix that keeps the way the file writes booleans (On/Off vs 1/0). */
export function boolText(ctx: LintContext, s: PhpSetting | undefined, on: boolean): string {
  const raw = s ? ctx.text.slice(ctx.valueRange(s.assignment).start, ctx.valueRange(s.assignment).end) : '';
  if (/^(0|1)$/.test(raw.trim())) return on ? '1' : '0';
  if (/^(true|false)$/i.test(raw.trim())) return on ? 'true' : 'false';
  if (/^(yes|no)$/i.test(raw.trim())) return on ? 'yes' : 'no';
  if (s?.via && !s.via.endsWith('flag')) return on ? '1' : '0';
  return on ? 'On' : 'Off';
}

export interface BoolRequirement {
  directive: string;
  want: boolean;
  /** Message for a wrong value; `{value}` is replaced by the value as written. */
  message: string;
  /** Message when absent from a main php.ini and PHP's default for the target version is wrong. */
  missingMessage?: string;
  /** Whether the fix may run in fix-all / on save. */
  safe?: boolean;
}

/**
 * The common case: a boolean directive that must be on (or off). Checks php.ini's main scope and every
 * pool override, offers a value fix, and in a main php.ini reports the directive missing when PHP's
 * built-in default for the target version is the insecure one.
 */
export function requireBool(ctx: LintContext, req: BoolRequirement): void {
  const settings = ctx.settings(req.directive);
  for (const s of settings) {
    if (iniBool(s.value) === req.want) continue;
    const r = ctx.entryRange(s.assignment);
    const written = ctx.text.slice(ctx.valueRange(s.assignment).start, ctx.valueRange(s.assignment).end);
    const fix: Fix = {
      title: `Set ${req.directive} to ${boolText(ctx, s, req.want)}`,
      edits: [ctx.replaceValue(s.assignment, boolText(ctx, s, req.want))],
      safe: req.safe ?? true,
    };
    ctx.report({ message: req.message.replace('{value}', written || '(empty)') + where(s), start: r.start, end: r.end, directive: req.directive, fixes: [fix] });
  }
  if (!settings.length && req.missingMessage) reportMissing(ctx, req.directive, req.want ? '1' : '0', req.missingMessage, (d) => iniBool(d) === req.want, req.safe);
}

/**
 * Reports a directive missing from a main php.ini when the built-in default for the target version is
 * not acceptable. Points at the [Session]-like section header when there is one, else the first line.
 */
export function reportMissing(
  ctx: LintContext,
  directive: string,
  value: string,
  message: string,
  defaultIsFine: (def: string) => boolean,
  safe = true,
): void {
  if (!ctx.missingMeansDefault) return;
  const def = defaultFor(directive, ctx.phpVersion);
  if (def === undefined || (def !== null && defaultIsFine(def))) return;
  const section = directive.split('.')[0];
  const header = ctx.doc.statements.find((s) => s.kind === 'section' && (s.name ?? '').toLowerCase() === section.toLowerCase());
  const start = header ? header.start : 0;
  const end = header ? header.start + (header.name?.length ?? 0) + 2 : Math.min(ctx.lines.lineEnd(0), ctx.text.length);
  ctx.report({
    message,
    start,
    end,
    directive,
    fixes: [{ title: `Add ${directive} = ${value}`, edits: [ctx.insertDirective(directive, value, capitalize(section))], safe }],
  });
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
