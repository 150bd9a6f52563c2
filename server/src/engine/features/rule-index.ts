// Which rules concern which directive. Rules do not declare their directives, but every rule carries
// test cases, and its findings there name the directive: running each rule on its own cases once
// (lazily, a few milliseconds) gives the map hovers use to describe a directive by its rule's title.
// Only rules about a few directives that they name (in the title or id) count: generic rules such as
// duplicate-directive report on any directive and say nothing about what one is for.

import { parse } from '../document';
import { lint, type LintOptions } from '../lint';
import { allRules } from '../rules/index';
import type { Rule } from '../rules/types';

let index: Map<string, Rule[]> | undefined;

export function rulesForDirective(directive: string): Rule[] {
  if (!index) index = build();
  return index.get(directive) ?? [];
}

/** Whether a rule is about this directive specifically (it names it), rather than any directive. */
export function isSpecificRule(rule: Rule, directive: string): boolean {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const named = new RegExp(`(^|[^\\w.])${esc(directive)}([^\\w.]|$)`).test(rule.title);
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const last = directive.split('.').pop() ?? directive;
  return named || rule.id.includes(slug(directive)) || (last.length > 3 && rule.id.endsWith(slug(last)));
}

function build(): Map<string, Rule[]> {
  const map = new Map<string, Rule[]>();
  for (const rule of allRules) {
    const found = new Set<string>();
    for (const c of rule.cases ?? []) {
      try {
        const dialect = c.dialect ?? (c.role === 'fpm' ? 'php-fpm' : 'php-ini');
        const options: LintOptions = {
          phpVersion: c.phpVersion ?? '8.2',
          profile: c.profile ?? 'production',
          httpsOnly: c.httpsOnly ?? true,
          role: c.role ?? (dialect === 'php-fpm' ? 'fpm' : 'main'),
        };
        for (const d of lint(parse(c.input, { dialect, phpVersion: options.phpVersion }), options, [rule])) {
          if (d.rule === rule.id && d.directive) found.add(d.directive);
        }
      } catch {
        // A broken case must not break hovers.
      }
    }
    if (found.size > 3) continue;
    for (const directive of found) {
      if (!isSpecificRule(rule, directive)) continue;
      const list = map.get(directive) ?? [];
      list.push(rule);
      map.set(directive, list);
    }
  }
  return map;
}
