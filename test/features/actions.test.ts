import assert from 'node:assert/strict';
import { applyEdits, lint, parse, resolveOptions } from '../../server/src/engine';
import { clientFeatures, codeActions, disableFileEdit, disableLineEdit, FULL_CLIENT, kindWanted, type LspTextEdit } from '../../server/src/engine/features';

function setup(text: string, file = '/etc/php/8.2/fpm/conf.d/x.ini') {
  const options = resolveOptions(file, {}, undefined);
  const doc = parse(text, { dialect: options.dialect, phpVersion: options.phpVersion });
  return { doc, options, diagnostics: lint(doc, options) };
}

function applyLsp(text: string, edits: LspTextEdit[]): string {
  const { doc } = setup(text);
  return applyEdits(
    text,
    edits.map((e) => ({ start: doc.lines.offsetAt(e.range.start), end: doc.lines.offsetAt(e.range.end), newText: e.newText })),
  );
}

describe('features: code actions', () => {
  it('kind filtering follows context.only', () => {
    assert.ok(kindWanted('quickfix', undefined));
    assert.ok(!kindWanted('source.fixAll.phpIniLint', undefined));
    assert.ok(kindWanted('source.fixAll.phpIniLint', ['source']));
    assert.ok(kindWanted('source.fixAll.phpIniLint', ['source.fixAll']));
    assert.ok(!kindWanted('source.fixAll.phpIniLint', ['source.fixAllX']));
    assert.ok(!kindWanted('quickfix', ['source.fixAll']));
    assert.ok(kindWanted('quickfix', ['']));
  });

  it('"disable for this line" keeps indentation and line ending, and extends an existing comment', () => {
    const crlf = setup('[Session]\r\n\tsession.use_strict_mode = 0\r\n');
    assert.equal(applyEdits(crlf.doc.text, [disableLineEdit(crlf.doc, 1, 'a-rule')!]), '[Session]\r\n\t; php-ini-lint-disable-next-line a-rule\r\n\tsession.use_strict_mode = 0\r\n');
    const existing = setup('; php-ini-lint-disable-next-line other -- why\nx = 1\n');
    assert.equal(applyEdits(existing.doc.text, [disableLineEdit(existing.doc, 1, 'a-rule')!]), '; php-ini-lint-disable-next-line other, a-rule -- why\nx = 1\n');
    const plain = setup('; php-ini-lint-disable-next-line other\nx = 1\n');
    assert.equal(applyEdits(plain.doc.text, [disableLineEdit(plain.doc, 1, 'a-rule')!]), '; php-ini-lint-disable-next-line other, a-rule\nx = 1\n');
    // Inside a multi-line quoted value a comment line would change the value: not offered.
    const multi = setup('x = "a\nb"\n');
    assert.equal(disableLineEdit(multi.doc, 1, 'a-rule'), undefined);
  });

  it('"disable for this file" goes first, after a byte-order mark, or joins an existing first-line comment', () => {
    const bom = setup('\uFEFFx = 1\r\n');
    assert.equal(applyEdits(bom.doc.text, [disableFileEdit(bom.doc, 'r1')]), '\uFEFF; php-ini-lint-disable r1\r\nx = 1\r\n');
    const joined = setup('; php-ini-lint-disable r1\nx = 1\n');
    assert.equal(applyEdits(joined.doc.text, [disableFileEdit(joined.doc, 'r2')]), '; php-ini-lint-disable r1, r2\nx = 1\n');
    const empty = setup('');
    assert.equal(applyEdits('', [disableFileEdit(empty.doc, 'r1')]), '; php-ini-lint-disable r1\n');
  });

  it('quick fixes come first (the first safe one preferred), then one pair of disable actions per rule and line', () => {
    const text = '[Session]\nsession.use_strict_mode = 0\n';
    const s = setup(text);
    const actions = codeActions({ uri: 'u', version: 3, ...s, client: FULL_CLIENT }, { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } } });
    const titles = actions.map((a) => a.title);
    assert.equal(titles[0], 'Set session.use_strict_mode to 1');
    assert.equal(actions[0].isPreferred, true);
    assert.deepEqual(actions[0].edit.documentChanges?.[0].textDocument, { uri: 'u', version: 3 });
    assert.ok(titles.includes('Disable session-use-strict-mode for this line'));
    assert.ok(titles.includes('Disable session-use-strict-mode for this file'));
    assert.equal(titles.filter((t) => t === 'Disable session-use-strict-mode for this line').length, 1);
    const plain = codeActions({ uri: 'u', version: 3, ...s, client: clientFeatures({}) }, { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } } });
    const edits = plain[0].edit.changes!.u;
    assert.equal(applyLsp(text, edits), '[Session]\nsession.use_strict_mode = 1\n');
    // Nothing for a range without findings.
    assert.deepEqual(codeActions({ uri: 'u', version: 3, ...s, client: FULL_CLIENT }, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }), []);
  });

  it('fix-all is one edit of minimal line changes, and nothing once applied', () => {
    const text = '; keep\r\nsession.use_strict_mode = 0\r\n; keep too\n';
    const s = setup(text);
    const [all] = codeActions({ uri: 'u', version: 1, ...s, client: FULL_CLIENT }, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, only: ['source.fixAll.phpIniLint'] });
    assert.equal(all.kind, 'source.fixAll.phpIniLint');
    const edits = all.edit.documentChanges![0].edits;
    assert.deepEqual(edits.map((e) => e.range.start.line), [1]);
    const fixed = applyLsp(text, edits);
    assert.equal(fixed, '; keep\r\nsession.use_strict_mode = 1\r\n; keep too\n');
    const again = setup(fixed);
    assert.deepEqual(codeActions({ uri: 'u', version: 2, ...again, client: FULL_CLIENT }, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, only: ['source.fixAll'] }), []);
  });
});
