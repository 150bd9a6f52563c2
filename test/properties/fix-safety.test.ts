// Fix safety, as seeded fast-check properties over php.ini and pool files generated from real constructs
// (see arbitraries.ts) with a mutation layer of arbitrary characters. Runs over whatever rules exist
// (allRules). Reproduce a failure with the seed it prints: PHP_INI_LINT_FUZZ_SEED=<seed>; run longer with
// PHP_INI_LINT_FUZZ_RUNS=<n> (n/100 times each property's default, which is sized so this file runs in
// well under a minute on two cores). A long local run (about 10x, a few minutes):
//   PHP_INI_LINT_FUZZ_RUNS=1000 PHP_INI_LINT_FUZZ_SEED=$RANDOM npx mocha --no-config --timeout 0 \
//     out/test/properties/fix-safety.test.js out/test/properties/never-executes.test.js
//
//   - parse never throws, print(parse(x)) === x, lint returns and no rule throws ("Internal error in rule")
//   - every diagnostic's range (and related locations, and fix edits) lies in the document, start <= end
//   - each fix touches only the lines its finding shows (its range or a related location) or inserts whole
//     lines; applying it again and again settles (no cycle, bounded); inserted line breaks are the file's own
//   - fixAll is idempotent and leaves no safe fix behind
//   - PHP agrees: php -n -c before/after fixAll reads every key the same, except the keys the fixes target,
//     which the fixing rule then no longer reports; and no syntax error appears
//   - php-fpm8.2 -t accepts a fixed pool file whenever it accepted the original

import * as assert from 'assert';
import fc from 'fast-check';
import { allRules } from '../../server/src/engine';
import { fpmAvailable, phpAvailable } from '../differential/php';
import { FUZZ_SEED, iniCaseArb, poolCaseArb, runs, showCase, type LintCase } from './arbitraries';
import { engineProblems, fpmAgreementProblems, fpmFixChanges, phpAgreementProblems } from './checks';

function failWith(c: LintCase, problems: string[]): never {
  throw new Error(`${problems.length} problem(s):\n  - ${problems.join('\n  - ')}\n  ${showCase(c)}`);
}

/** fc.assert with the seed in every report (fast-check prints seed and path; we add how to rerun). */
function check<T>(arb: fc.Arbitrary<T>, numRuns: number, seed: number, predicate: (t: T) => void): void {
  try {
    fc.assert(
      fc.property(arb, (t) => {
        predicate(t);
      }),
      { seed, numRuns },
    );
  } catch (err) {
    (err as Error).message = `[rerun with PHP_INI_LINT_FUZZ_SEED=${FUZZ_SEED}; this property's seed is ${seed}]\n${(err as Error).message}`;
    throw err;
  }
}

describe(`fix safety (fast-check, seed ${FUZZ_SEED}, ${allRules.length} rules; PHP_INI_LINT_FUZZ_RUNS / _SEED override)`, function () {
  this.timeout(300000);

  describe('engine properties', function () {
    it(`php.ini files (${runs(400)} runs): parse/print round trip, no rule throws, ranges in bounds, local settling quick fixes, idempotent fix-all`, function () {
      check(iniCaseArb({ mutate: 3 }), runs(400), FUZZ_SEED, (c) => {
        const p = engineProblems(c);
        if (p.length) failWith(c, p);
      });
    });

    it(`pool files (${runs(300)} runs): the same properties for php-fpm files`, function () {
      check(poolCaseArb({ mutate: 3 }), runs(300), FUZZ_SEED + 1, (c) => {
        const p = engineProblems(c);
        if (p.length) failWith(c, p);
      });
    });

    it(`heavily mutated files of both kinds (${runs(200)} runs)`, function () {
      const arb = fc.oneof(iniCaseArb({ mutate: 10, maxLines: 12 }), poolCaseArb({ mutate: 10, maxLines: 12 }));
      check(arb, runs(200), FUZZ_SEED + 2, (c) => {
        const p = engineProblems(c, { maxQuickFixes: 10 });
        if (p.length) failWith(c, p);
      });
    });

    it(`arbitrary strings never break parse/print/lint/fixAll (${runs(300)} runs)`, function () {
      const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: fc.constantFrom(...'ab =;"\'$\\{}[]()|&~!\r\n\t\0\uFEFFOnNone'.split('')), maxLength: 120 }));
      const arb = fc.tuple(text, fc.constantFrom('php-ini' as const, 'php-fpm' as const), fc.constantFrom('main' as const, 'fragment' as const, 'user-ini' as const));
      check(arb, runs(300), FUZZ_SEED + 3, ([t, dialect, role]) => {
        const c: LintCase = { text: t, dialect, options: { phpVersion: '8.2', profile: 'production', httpsOnly: true, role: dialect === 'php-fpm' ? 'fpm' : role } };
        const p = engineProblems(c, { maxQuickFixes: 10 });
        if (p.length) failWith(c, p);
      });
    });
  });

  describe('PHP agrees after fix-all (php -n -c, PHP 8.2)', function () {
    before(function () {
      if (!phpAvailable()) {
        // eslint-disable-next-line no-console
        console.warn('    [fix-safety] SKIPPED: `php` is not on PATH');
        this.skip();
      }
    });

    it(`php.ini files (${runs(80)} runs, two php runs each when fix-all changes something): only the fixed keys change`, function () {
      const stats = { checked: 0, skipped: new Map<string, number>() };
      check(iniCaseArb({ oracleSafe: true, mutate: 1, version: '8.2' }), runs(80), FUZZ_SEED + 10, (c) => {
        const r = phpAgreementProblems(c);
        if (r.skipped) {
          const why = r.skipped.replace(/:.*/, '');
          stats.skipped.set(why, (stats.skipped.get(why) ?? 0) + 1);
        } else stats.checked++;
        if (r.problems.length) failWith(c, r.problems);
      });
      // eslint-disable-next-line no-console
      console.log(`      (compared with PHP: ${stats.checked}; not compared: ${[...stats.skipped].map(([k, v]) => `${v} ${k}`).join(', ') || 'none'})`);
      assert.ok(stats.checked >= Math.min(10, runs(80) / 5), `too few inputs were compared with PHP (${stats.checked}); the generator no longer produces fixable files`);
    });

    it(`php.ini files for other target versions and roles (${runs(30)} runs)`, function () {
      let checked = 0;
      check(iniCaseArb({ oracleSafe: true, mutate: 0 }), runs(30), FUZZ_SEED + 11, (c) => {
        const r = phpAgreementProblems(c);
        if (!r.skipped) checked++;
        if (r.problems.length) failWith(c, r.problems);
      });
      // eslint-disable-next-line no-console
      console.log(`      (compared with PHP: ${checked})`);
    });
  });

  describe('php-fpm8.2 -t accepts the fixed pool file', function () {
    before(function () {
      if (!fpmAvailable()) {
        // eslint-disable-next-line no-console
        console.warn('    [fix-safety] SKIPPED: `php-fpm8.2` is not on PATH');
        this.skip();
      }
    });

    it(`pool files where fix-all changes something (${runs(10)} files, two php-fpm runs each)`, function () {
      // php-fpm runs are slow: sample candidates, keep the first ones that fix-all changes (and that include
      // nothing, since php-fpm would read real files), and test only those.
      const seed = FUZZ_SEED + 20;
      const want = runs(10);
      const candidates = fc.sample(poolCaseArb({ includes: false, mutate: 0, version: '8.2', fpmValid: true }), { seed, numRuns: want * 20 });
      const picked = candidates.filter((c) => !/include/i.test(c.text) && fpmFixChanges(c)).slice(0, want);
      assert.ok(picked.length >= Math.min(5, want), `only ${picked.length} generated pool files have something to fix`);
      let compared = 0;
      const failures: string[] = [];
      for (const c of picked) {
        const r = fpmAgreementProblems(c);
        if (!r.skipped) compared++;
        if (r.problems.length) failures.push(`${r.problems.join('\n  - ')}\n  ${showCase(c)}`);
      }
      // eslint-disable-next-line no-console
      console.log(`      (php-fpm compared ${compared}/${picked.length} files; the rest were rejected by php-fpm before fixing)`);
      if (failures.length) assert.fail(`seed ${seed}: ${failures.length} pool file(s) broken by fix-all:\n  - ${failures.join('\n  - ')}`);
    });
  });
});
