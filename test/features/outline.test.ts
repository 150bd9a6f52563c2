import assert from 'node:assert/strict';
import { parse } from '../../server/src/engine';
import { documentSymbols, foldingRanges, symbolInformation } from '../../server/src/engine/features';

describe('features: folding and symbols', () => {
  it('folds sections to their last directive, regions and comment runs', () => {
    const doc = parse(';;;;;\n; Intro\n;;;;;\n[PHP]\nengine = On\n\n; about sessions\n[Session]\n; region cookies\nsession.cookie_secure = 1\n  ;endregion\nsession.name = X\n\n\n');
    assert.deepEqual(foldingRanges(doc), [
      { startLine: 0, endLine: 2, kind: 'comment' },
      { startLine: 3, endLine: 4 },
      { startLine: 7, endLine: 11 },
      { startLine: 8, endLine: 10, kind: 'region' },
    ]);
  });

  it('pools and [global] in php-fpm files, with php_value[...] entries', () => {
    const doc = parse('[global]\npid = /run/x.pid\n[www]\nuser = www-data\nphp_admin_value[session.name] = "S"\n', { dialect: 'php-fpm' });
    const symbols = documentSymbols(doc);
    assert.deepEqual(
      symbols.map((s) => ({ name: s.name, kind: s.kind, detail: s.detail, children: s.children?.map((c) => [c.name, c.kind, c.detail]) })),
      [
        { name: '[global]', kind: 3, detail: 'php-fpm global settings', children: [['pid', 7, '/run/x.pid']] },
        { name: '[www]', kind: 5, detail: 'pool', children: [['user', 7, 'www-data'], ['php_admin_value[session.name]', 8, '"S"']] },
      ],
    );
    assert.deepEqual(symbols[1].range, { start: { line: 2, character: 0 }, end: { line: 4, character: 35 } });
    assert.deepEqual(symbols[1].selectionRange, { start: { line: 2, character: 1 }, end: { line: 2, character: 4 } });
    const flat = symbolInformation(doc, 'u');
    assert.deepEqual(flat.map((s) => [s.name, s.containerName]), [['[global]', undefined], ['pid', '[global]'], ['[www]', undefined], ['user', '[www]'], ['php_admin_value[session.name]', '[www]']]);
  });

  it('directives before any section are top-level; long values are shortened', () => {
    const doc = parse(`a = ${'x'.repeat(200)}\n[S]\nb = 1\n`);
    const symbols = documentSymbols(doc);
    assert.equal(symbols[0].name, 'a');
    assert.equal(symbols[0].detail!.length, 80);
    assert.equal(symbols[1].name, '[S]');
  });
});
