// php-fpm acceptance facts: runs every FPM_CASES entry through `php-fpm8.2 -n -t` and checks the
// oracle still says what the table records (exit code, first ERROR/ALERT with its file line, syntax error).

import * as assert from 'assert';
import { FPM_CASES, fpmOracle } from './fpm-cases';
import { fpmAvailable } from './php';

export { FPM_CASES, fpmOracle } from './fpm-cases';
export type { FpmCase, FpmExpectation, FpmOracleResult } from './fpm-cases';

describe('php-fpm acceptance facts (php-fpm8.2 -n -t)', function () {
  this.timeout(30000);
  before(function () {
    if (!fpmAvailable()) {
      // eslint-disable-next-line no-console
      console.warn('    [fpm] SKIPPED: `php-fpm8.2` is not on PATH (CI installs it).');
      this.skip();
    }
  });

  for (const c of FPM_CASES) {
    it(`${c.id}: ${c.title}`, function () {
      const got = fpmOracle(c);
      const ctx = `\noutput:\n${got.output}`;
      assert.strictEqual(got.exitCode, c.expect.exitCode, `exit code${ctx}`);
      if (c.expect.error) assert.deepStrictEqual(got.error, c.expect.error, `first ERROR/ALERT${ctx}`);
      if (c.expect.exitCode === 0) assert.strictEqual(got.error, undefined, `no error expected${ctx}`);
      if (c.expect.syntaxError) assert.deepStrictEqual(got.syntaxError, c.expect.syntaxError, `syntax error${ctx}`);
      else assert.strictEqual(got.syntaxError, undefined, `no syntax error expected${ctx}`);
    });
  }
});
