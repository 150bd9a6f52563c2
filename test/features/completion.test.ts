import assert from 'node:assert/strict';
import { allRules, parse, resolveOptions } from '../../server/src/engine';
import { complete } from '../../server/src/engine/features';

function at(text: string, line: number, character: number, file = '/etc/php/8.2/fpm/conf.d/x.ini', tagSupport = true) {
  const options = resolveOptions(file, {}, undefined);
  const doc = parse(text, { dialect: options.dialect, phpVersion: options.phpVersion });
  return complete({ doc, options, tagSupport }, { line, character }).items;
}

describe('features: completion', () => {
  it('directive names at the key position, with defaults, docs and deprecation tags', () => {
    const items = at('sess\n', 0, 4);
    const strict = items.find((i) => i.label === 'session.use_strict_mode')!;
    assert.equal(strict.detail, 'default: "0"');
    assert.match(strict.documentation!.value, /anywhere, including ini_set\(\)/);
    assert.match(strict.documentation!.value, /\(https:\/\/www\.php\.net\/manual\/en\/session\.configuration\.php#ini\.session\.use-strict-mode\)/);
    assert.deepEqual(strict.textEdit!.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } });
    assert.ok(!items.some((i) => i.label === 'session.hash_function'), 'removed directives are not offered');
    assert.ok(!items.some((i) => i.label === 'session.cookie_partitioned'), 'directives newer than the target are not offered');
    const items84 = at('s\n', 0, 1, '/etc/php/8.4/cli/conf.d/x.ini');
    assert.deepEqual(items84.find((i) => i.label === 'session.sid_length')!.tags, [1]);
    const noTags = at('s\n', 0, 1, '/etc/php/8.4/cli/conf.d/x.ini', false);
    assert.equal(noTags.find((i) => i.label === 'session.sid_length')!.deprecated, true);
    assert.ok(items.some((i) => i.label === 'extension'));
  });

  it('replaces the whole word under the cursor, and offers nothing after a finished key', () => {
    const item = at('session.use_strXXX = 1\n', 0, 14).find((i) => i.label === 'session.use_strict_mode')!;
    assert.deepEqual(item.textEdit!.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 18 } });
    assert.deepEqual(at('memory_limit \n', 0, 13), []);
  });

  it('values: booleans, quoted enums, error levels', () => {
    assert.deepEqual(at('expose_php = \n', 0, 13).map((i) => i.label), ['On', 'Off']);
    assert.deepEqual(at('session.cookie_samesite = \n', 0, 26).map((i) => i.textEdit!.newText), ['"Strict"', '"Lax"', '"None"']);
    const typedQuote = at('session.cookie_samesite = "L\n', 0, 28);
    assert.equal(typedQuote[1].filterText, '"Lax"');
    assert.deepEqual(typedQuote[1].textEdit!.range, { start: { line: 0, character: 26 }, end: { line: 0, character: 28 } });
    assert.deepEqual(at('session.cache_limiter=\n', 0, 22).map((i) => i.label), ['nocache', 'private', 'private_no_expire', 'public', '""']);
    assert.ok(at('error_reporting = \n', 0, 18).some((i) => i.label === 'E_ALL & ~E_DEPRECATED'));
    assert.deepEqual(at('memory_limit = \n', 0, 15), []);
    assert.deepEqual(at('expose_php = On ; \n', 0, 18), [], 'nothing inside a trailing comment');
  });

  it('rule ids in php-ini-lint comments, skipping ones already listed; the comment keywords themselves', () => {
    const ids = at('; php-ini-lint-disable-next-line session-use-strict-mode, \n', 0, 58).map((i) => i.label);
    assert.equal(ids.length, allRules.length - 1);
    assert.ok(!ids.includes('session-use-strict-mode'));
    assert.deepEqual(at('; php-ini-lint-disable-next-line x -- because \n', 0, 46), []);
    assert.deepEqual(at('; php-ini-lint-d\n', 0, 16).map((i) => i.label), ['php-ini-lint-disable-next-line', 'php-ini-lint-disable-line', 'php-ini-lint-disable', 'php-ini-lint-enable']);
    assert.deepEqual(at('; some comment\n', 0, 14), []);
  });

  it('php-fpm: directives of the scope, php_value[…] arrays, php.ini names inside them, enum and yes/no values', () => {
    const file = '/etc/php/8.2/fpm/pool.d/www.conf';
    const text = '[global]\n\n[www]\n\nphp_flag[\npm = \nclear_env = \n';
    const global = at(text, 1, 0, file).map((i) => i.label);
    assert.ok(global.includes('log_level') && !global.includes('pm'));
    const pool = at(text, 3, 0, file);
    assert.ok(pool.some((i) => i.label === 'pm') && !pool.some((i) => i.label === 'log_level'));
    const arr = pool.find((i) => i.label === 'php_admin_value[…]')!;
    assert.equal(arr.textEdit!.newText, 'php_admin_value[');
    const flags = at(text, 4, 9, file);
    assert.ok(flags.some((i) => i.label === 'display_errors') || flags.some((i) => i.label === 'expose_php'));
    assert.ok(flags.every((i) => i.label !== 'memory_limit'), 'php_flag takes booleans only');
    assert.deepEqual(at(text, 5, 5, file).map((i) => i.label), ['static', 'dynamic', 'ondemand']);
    assert.deepEqual(at(text, 6, 12, file).map((i) => i.label), ['yes', 'no']);
    assert.deepEqual(at('[www]\nphp_admin_flag[display_errors] = \n', 1, 36, file).map((i) => i.label), ['On', 'Off']);
  });
});
