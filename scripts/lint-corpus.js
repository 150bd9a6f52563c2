#!/usr/bin/env node
// Dev aid: lints every file of ../shared/corpus with the built engine and prints one finding per line.
// Usage: node scripts/lint-corpus.js [rule-id-filter]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const e = require('../out/server/src/engine');

const root = process.env.PHP_INI_LINT_CORPUS || path.join(__dirname, '..', '..', 'shared', 'corpus');
const filter = process.argv[2];
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((x) => (x.isDirectory() ? walk(path.join(d, x.name)) : [path.join(d, x.name)]));
for (const f of walk(root).filter((f) => !/SOURCES\.md|SHA256SUMS/.test(f)).sort()) {
  const { text } = e.decode(fs.readFileSync(f));
  const o = e.resolveOptions(f, {}, undefined);
  const doc = e.parse(text, { dialect: o.dialect, phpVersion: o.phpVersion });
  for (const d of e.lint(doc, o)) {
    if (filter && !d.rule.includes(filter)) continue;
    console.log(`${path.relative(root, f)}:${d.range.start.line + 1}  ${d.severity}  ${d.rule}  ${d.message}`);
  }
}
