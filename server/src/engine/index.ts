// The engine's public API. Pure TypeScript with no editor or LSP imports: the language server and
// the CLI are both thin front ends over these functions.

export * from './types';
export { parse, print, cfgVars, type ParseOptions, type ParsedDocument } from './document';
export { lint, fixAll, MAX_FIX_PASSES, applyEdits, diffLines, iniLiteral, getRule, knownRuleIds, rulesFor, INVALID_DISABLE_RULE, type Diagnostic, type LintOptions, type PhpSetting, type FixAllResult, LintContext } from './lint';
export * from './config';
export { allRules } from './rules/index';
export type { Rule, Finding, Fix, TextEdit, Severity, RuleScope, RuleCase } from './rules/types';
export type { Assignment, CfgValue, FpmModel, FpmPool, FpmPhpSetting, IniModel, IniSetting } from './model';
export { cfgToJson, poolPhpSetting } from './model';
export { LineIndex, decode, encode, looksBinary, detectEol, type DecodedFile } from './text';
export * as catalog from './catalog';
export * as values from './values';

/** Where each rule's documentation lives (the codeDescription link in diagnostics). */
export const RULE_DOCS_BASE = 'https://github.com/php-ini-lint/php-ini-lint/blob/main/docs/rules/';
export function ruleDocUrl(id: string): string {
  return `${RULE_DOCS_BASE}${id}.md`;
}
