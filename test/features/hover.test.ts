// Hover text from the pure feature module (the protocol tests cover the wiring).
import assert from 'node:assert/strict';
import { getRule, lint, parse, resolveOptions, type LintOptions } from '../../server/src/engine';
import { describeErrorLevel, inlineCode } from '../../server/src/engine/features/describe';
import { hover } from '../../server/src/engine/features';

function hoverAt(text: string, line: number, character: number, file = '/etc/php/8.2/fpm/conf.d/x.ini', dialect?: 'php-fpm'): string | null {
  const options = resolveOptions(file, {}, undefined, dialect ? { dialect } : {});
  const doc = parse(text, { dialect: options.dialect, phpVersion: options.phpVersion });
  const h = hover({ doc, options, diagnostics: lint(doc, options as LintOptions) }, { line, character });
  return h ? h.contents.value : null;
}

describe('features: hover', () => {
  it('a directive: value as written vs as PHP reads it, default for the target version, where it can be set', () => {
    const v = hoverAt('session.cookie_samesite = None\n', 0, 3)!;
    assert.ok(v.includes('**Value:** `None` — PHP reads `""`'), v);
    assert.ok(v.includes('**Default (PHP 8.2):** `""`'), v);
    assert.ok(v.includes('Since PHP 7.3.0'), v);
    const rule = getRule('session-cookie-samesite');
    if (rule) assert.ok(v.includes(rule.title), 'a rule about the directive describes it');
  });

  it('quotes and raw strings show both forms; identical ones show one', () => {
    assert.ok(hoverAt('session.name = "MYSESS"\n', 0, 2)!.includes('**Value:** `"MYSESS"` — PHP reads `"MYSESS"`'));
    assert.ok(hoverAt("session.name = 'MY SESS'\n", 0, 2)!.includes('PHP reads `"MY SESS"`'));
    assert.ok(hoverAt('memory_limit = 64M\n', 0, 2)!.includes('**Value:** `64M`\n'));
  });

  it('version history relative to the target', () => {
    const v = hoverAt('session.sid_length = 32\n', 0, 3, '/etc/php/8.4/fpm/conf.d/x.ini')!;
    assert.ok(v.includes('Deprecated in PHP 8.4.0'), v);
    const old = hoverAt('session.sid_length = 32\n', 0, 3, '/etc/php/7.4/fpm/conf.d/x.ini')!;
    assert.ok(old.includes('Will be deprecated in PHP 8.4.0'), old);
    const removed = hoverAt('session.hash_function = 1\n', 0, 3)!;
    assert.ok(removed.includes('Removed in PHP 7.1.0: PHP 8.2 ignores it'), removed);
    assert.ok(!removed.includes('Default (PHP'), 'no default for a directive PHP 8.2 does not have');
  });

  it('changeable modes in plain words', () => {
    assert.ok(hoverAt('expose_php = Off\n', 0, 2)!.includes('**Can be set in:** php.ini only'));
    assert.ok(hoverAt('upload_max_filesize = 2M\n', 0, 2)!.includes('php.ini, .htaccess, .user.ini'));
    assert.ok(hoverAt('memory_limit = 2M\n', 0, 2)!.includes('anywhere, including ini_set()'));
  });

  it('unknown directives get suggestions', () => {
    const v = hoverAt('session.use_strict_mod = 1\n', 0, 3)!;
    assert.ok(v.includes('Did you mean `session.use_strict_mode`'), v);
  });

  it('constants and expressions use the target version (E_ALL lost E_STRICT in 8.4)', () => {
    assert.ok(hoverAt('error_reporting = E_ALL\n', 0, 19, '/etc/php/8.4/cli/conf.d/x.ini')!.includes('`"30719"` in PHP 8.4'));
    assert.ok(hoverAt('error_reporting = E_ALL\n', 0, 19, '/etc/php/8.3/cli/conf.d/x.ini')!.includes('`"32767"` in PHP 8.3'));
    const expr = hoverAt('error_reporting = E_ALL & ~E_DEPRECATED & ~E_STRICT\n', 0, 24, '/etc/php/8.2/cli/conf.d/x.ini')!;
    assert.ok(expr.includes('computes to `"22527"` = E_ALL & ~E_STRICT & ~E_DEPRECATED'), expr);
    assert.equal(describeErrorLevel('0', '8.2'), 'no errors reported');
    assert.equal(describeErrorLevel('32767', '8.2'), 'E_ALL (every error level of PHP 8.2)');
    assert.equal(describeErrorLevel('3', '8.2'), 'E_ERROR | E_WARNING');
    assert.ok(hoverAt('x = PHP_OS\n', 0, 6)!.includes('depends on the build'));
  });

  it('booleans, ${VAR} and sections', () => {
    assert.ok(hoverAt('display_errors = yes\n', 0, 18)!.includes('PHP stores `"1"`'));
    assert.ok(hoverAt('x = null\n', 0, 5)!.includes('PHP stores `""`'));
    const v = hoverAt('a = 1\nb = ${a}\n', 1, 6)!;
    assert.ok(v.includes('Line 1 sets `a` earlier'), v);
    assert.ok(hoverAt('[HOST=Example.com]\nx=1\n', 0, 2)!.includes('requests for host `example.com`'));
    assert.ok(hoverAt('[global]\npid = x\n', 0, 2, '/etc/php/8.2/fpm/php-fpm.conf')!.includes('php-fpm master'));
  });

  it('php-fpm: pool directives, the inner name of php_value[...], boolean words as php-fpm reads them', () => {
    const pool = '[www]\npm = dynamic\nphp_value[session.name] = "x"\ncatch_workers_output = yes\n';
    const file = '/etc/php/8.2/fpm/pool.d/www.conf';
    assert.ok(hoverAt(pool, 1, 0, file)!.includes('one of static, dynamic, ondemand'));
    assert.ok(hoverAt(pool, 1, 0, file)!.includes('**Required** in every pool.'));
    assert.ok(hoverAt(pool, 1, 7, file)!.includes('**`pm`**'), 'a bare word value explains its directive');
    assert.ok(hoverAt(pool, 2, 14, file)!.includes('**`session.name`**'));
    assert.ok(hoverAt(pool, 2, 3, file)!.includes('scripts can still change it with ini_set()'));
    assert.ok(hoverAt(pool, 3, 24, file)!.includes('php-fpm then reads `"1"` as **yes**'));
    assert.ok(hoverAt('[www]\nlisten.mode = 0660\n[global]\nlisten.mode = 0600\n', 3, 2, file)!.includes('pool sections only'));
  });

  it('rule ids in php-ini-lint comments', () => {
    const v = hoverAt('; php-ini-lint-disable-next-line session-use-strict-mode -- reason\nx = 1\n', 0, 40)!;
    assert.ok(v.includes(getRule('session-use-strict-mode')!.title));
    assert.ok(hoverAt('; php-ini-lint-disable-next-line nonsense\n', 0, 36)!.includes('not a php-ini-lint rule'));
    assert.ok(hoverAt('; php-ini-lint-disable\n', 0, 5)!.includes('from here until'));
    assert.equal(hoverAt('; just a comment\n', 0, 5), null);
    assert.equal(hoverAt('x = 1\n', 0, 1 + 100), null);
  });

  it('inline code survives backticks', () => {
    assert.equal(inlineCode('a`b'), '``a`b``');
    assert.equal(inlineCode('`x'), '`` `x ``');
  });
});
