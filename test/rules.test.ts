// Runs every rule's own table of cases: the exact findings, and the exact text after its fixes.
import assert from 'node:assert/strict';
import { allRules, applyEdits, fixAll, lint, parse, type LintOptions, type Rule, type RuleCase } from '../server/src/engine';

function run(rule: Rule, c: RuleCase) {
  const dialect = c.dialect ?? (c.role === 'fpm' ? 'php-fpm' : 'php-ini');
  const options: LintOptions = {
    phpVersion: c.phpVersion ?? '8.2',
    profile: c.profile ?? 'production',
    httpsOnly: c.httpsOnly ?? true,
    role: c.role ?? (dialect === 'php-fpm' ? 'fpm' : 'main'),
  };
  const doc = parse(c.input, { dialect, phpVersion: options.phpVersion });
  return { doc, options, diagnostics: lint(doc, options, [rule]).filter((d) => d.rule === rule.id) };
}

describe('rules', () => {
  it('have unique kebab-case ids, a rationale, sources and cases', () => {
    const ids = new Set<string>();
    for (const r of allRules) {
      assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, r.id);
      assert.ok(!ids.has(r.id), `duplicate id ${r.id}`);
      ids.add(r.id);
      assert.ok(r.rationale.length > 80, `${r.id}: rationale too short`);
      assert.ok(r.sources.length > 0 && r.sources.every((s) => /^https:\/\//.test(s.url)), `${r.id}: sources`);
      assert.ok(r.cases.length >= 2, `${r.id}: needs cases`);
      assert.ok(r.cases.some((c) => c.expect.length > 0), `${r.id}: needs a case that reports`);
      assert.ok(r.scopes.length > 0, `${r.id}: scopes`);
    }
  });

  for (const rule of allRules) {
    describe(rule.id, () => {
      for (const c of rule.cases) {
        it(c.name, () => {
          const { doc, options, diagnostics } = run(rule, c);
          const got = diagnostics.map((d) => ({ line: d.range.start.line + 1, message: d.message, severity: d.severity }));
          assert.equal(got.length, c.expect.length, `findings: ${JSON.stringify(got, null, 1)}`);
          c.expect.forEach((e, i) => {
            assert.equal(got[i].line, e.line, `line of finding ${i}: ${got[i].message}`);
            if (typeof e.message === 'string') assert.equal(got[i].message, e.message);
            else assert.match(got[i].message, e.message);
            if (e.severity) assert.equal(got[i].severity, e.severity);
          });
          const result = fixAll(doc, options, [rule]);
          if (c.fixed !== undefined) {
            assert.equal(result.text, c.fixed, 'text after fix-all');
            // The edits are against the original text and reproduce the result.
            assert.equal(applyEdits(c.input, result.edits), c.fixed);
            // A second run changes nothing.
            const again = fixAll(parse(result.text, { dialect: doc.dialect, phpVersion: options.phpVersion }), options, [rule]);
            assert.equal(again.edits.length, 0, 'fix-all is idempotent');
          } else {
            assert.equal(result.text, c.input, 'no safe fix expected');
          }
          if (c.quickFixed !== undefined) {
            const fix = diagnostics[0]?.fixes[0];
            assert.ok(fix, 'a quick fix');
            assert.equal(applyEdits(c.input, fix.edits), c.quickFixed);
          }
        });
      }
    });
  }
});
