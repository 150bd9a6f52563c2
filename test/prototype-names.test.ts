// Names from a file used as keys of plain JavaScript objects: `constructor`, `toString` or `__proto__`
// are ordinary directive names and values to PHP, and must stay ordinary here too (found: a key named
// `constructor` made invalid-value report an internal error, and `a = constructor` read as a function).

import * as assert from 'assert';
import { cfgVars, lint, parse, resolveOptions, type Dialect } from '../server/src/engine';
import { complete } from '../server/src/engine/features/completion';
import { effectiveConfigObject } from '../server/src/engine/features/effective';
import { hover } from '../server/src/engine/features/hover';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

const INI = `[PHP]\n${NAMES.map((n, i) => `${n} = ${NAMES[(i + 1) % NAMES.length]}\n`).join('')}${NAMES.map((n) => `${n}[${n}] = ${n}\n`).join('')}[HOST=${NAMES[0]}]\n${NAMES[1]} = 1\n`;
const POOL = `[www]\nlisten = /run/php/www.sock\npm = static\npm.max_children = 2\n${NAMES.map((n) => `php_value[${n}] = ${n}\nphp_admin_flag[${n}] = on\nenv[${n}] = ${n}\n`).join('')}`;

function check(text: string, file: string, dialect: Dialect): void {
  const options = resolveOptions(file, {}, undefined, { dialect });
  const doc = parse(text, { dialect, phpVersion: options.phpVersion });
  const diags = lint(doc, options);
  const internal = diags.filter((d) => /internal error/i.test(d.message));
  assert.deepStrictEqual(internal.map((d) => d.message), [], 'no rule may fail on these names');
  const json = JSON.parse(JSON.stringify(effectiveConfigObject(doc, options, file)));
  if (dialect === 'php-ini') {
    for (const n of NAMES) assert.ok(Object.prototype.hasOwnProperty.call(json.get_cfg_var, n), `get_cfg_var keeps the key ${n}`);
    assert.ok(Object.prototype.hasOwnProperty.call(json.specialSections, `[HOST=${NAMES[0]}]`));
  } else {
    const www = json.pools.www;
    for (const n of NAMES) {
      assert.strictEqual(www.php[n]?.value, '1', `php_admin_flag[${n}] wins in the effective configuration`);
      assert.strictEqual(www.env[n], n, `env[${n}] is kept`);
    }
  }
  // Completion and hover on every line must answer, not throw.
  for (let line = 0; line < doc.lines.lineCount; line++) {
    const character = text.split('\n')[line]?.length ?? 0;
    complete({ doc, options }, { line, character });
    hover({ doc, options, diagnostics: diags }, { line, character: 1 });
  }
}

describe('names that are also JavaScript object members', function () {
  it('a php.ini that uses them as keys, array offsets, a [HOST=] section and bare values', function () {
    check(INI, '/etc/php/8.2/fpm/php.ini', 'php-ini');
  });

  it('a pool that uses them in php_value[], php_admin_flag[] and env[]', function () {
    check(POOL, '/etc/php/8.2/fpm/pool.d/www.conf', 'php-fpm');
  });

  it('get_cfg_var() keeps bare values and keys as the strings PHP stores', function () {
    const doc = parse('a = constructor\nb = __proto__\n__proto__ = x\nconstructor[k] = 1\n', { phpVersion: '8.2' });
    const vars = cfgVars(doc);
    assert.strictEqual(vars.a, 'constructor');
    assert.strictEqual(vars.b, '__proto__');
    assert.strictEqual(Object.getPrototypeOf(vars), Object.prototype, 'the object itself keeps its prototype');
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(vars, '__proto__')?.value, 'x');
    assert.deepStrictEqual(vars.constructor, { k: '1' });
  });
});
