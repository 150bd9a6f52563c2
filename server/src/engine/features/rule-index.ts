// Which rules are about which php.ini directive, so a hover can describe a directive by its rule's
// title. Rules do not declare their directives, so the association comes from names: a rule whose id
// spells the directive (`session-use-strict-mode` ↔ `session.use_strict_mode`) or whose title names
// it as a whole word. Generic rules (duplicate-directive, unknown-directive…) name no directive and so
// never describe one. Names only — no rule test cases — because the shipped bundle strips those.

import { allDirectives } from '../catalog';
import { allRules } from '../rules/index';
import type { Rule } from '../rules/types';

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The rule's id spells the directive as whole hyphen-separated words. */
function idNames(rule: Rule, directive: string): boolean {
  return `-${rule.id}-`.includes(`-${slug(directive)}-`);
}

/** The rule's title mentions the directive as a whole word (one that looks like a directive, not `from`). */
function titleNames(rule: Rule, directive: string): boolean {
  if (!/[._]/.test(directive)) return false;
  return new RegExp(`(^|[^\\w.])${escapeRegExp(directive)}([^\\w.]|$)`).test(rule.title);
}

/** Whether a rule is about this directive specifically (it names it), rather than about any directive. */
export function isSpecificRule(rule: Rule, directive: string): boolean {
  return idNames(rule, directive) || titleNames(rule, directive);
}

let index: Map<string, Rule[]> | undefined;

/** Rules about a php.ini directive: those whose id spells it first, then those whose title names it. */
export function rulesForDirective(directive: string): Rule[] {
  if (!index) index = build();
  return index.get(directive) ?? [];
}

function build(): Map<string, Rule[]> {
  const map = new Map<string, Rule[]>();
  const names = allDirectives()
    .filter((d) => !d.pattern)
    .map((d) => d.name);
  for (const name of names) {
    const byId = allRules.filter((r) => idNames(r, name));
    const byTitle = allRules.filter((r) => !byId.includes(r) && titleNames(r, name));
    if (byId.length || byTitle.length) map.set(name, [...byId, ...byTitle]);
  }
  return map;
}
