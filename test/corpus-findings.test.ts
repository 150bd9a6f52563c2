// The reviewed verdicts on real configs. Every line of test/fixtures/corpus-findings.txt was read by a
// person and judged right (no false alarms, fair wording); a change here must be reviewed the same way.
// Regenerate with `node scripts/lint-corpus.js > test/fixtures/corpus-findings.txt` after a build.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const corpus = process.env.PHP_INI_LINT_CORPUS || path.join(root, '..', 'shared', 'corpus');

describe('findings on the corpus of real configs', function () {
  before(function () {
    if (!fs.existsSync(corpus)) this.skip();
  });

  it('are exactly the reviewed ones', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'lint-corpus.js')], { encoding: 'utf8', env: { ...process.env, PHP_INI_LINT_CORPUS: corpus } });
    assert.equal(run.status, 0, run.stderr);
    const expected = fs.readFileSync(path.join(root, 'test', 'fixtures', 'corpus-findings.txt'), 'utf8');
    assert.equal(run.stdout, expected);
  });

  it('leave the hardened archlinux.de pools clean and its php.ini free of warnings', () => {
    const lines = fs.readFileSync(path.join(root, 'test', 'fixtures', 'corpus-findings.txt'), 'utf8').split('\n');
    const arch = lines.filter((l) => l.startsWith('archlinux-de-etc-php/'));
    assert.deepEqual(arch.filter((l) => /\s(warning|error)\s/.test(l) && !/opcache\.preload/.test(l)), []);
  });
});

describe('documentation', () => {
  it('docs/rules and the README rules table match the rules (npm run docs)', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'gen-rule-docs.js'), '--check'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });
});
