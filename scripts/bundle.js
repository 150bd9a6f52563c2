#!/usr/bin/env node
// Bundles the extension (client and language server together) and the CLI into one minified file
// each (dist/), with
// source maps kept out of the .vsix by .vscodeignore's allow-list.
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.join(__dirname, '..');

// Each rule carries its table of test cases; the shipped server has no use for them, so the bundle
// empties `cases: [...]` in rule files (the TypeScript AST, not a regex, decides what to drop).
const stripRuleCases = {
  name: 'strip-rule-cases',
  setup(build) {
    build.onLoad({ filter: /[\\/]server[\\/]src[\\/]engine[\\/]rules[\\/][^\\/_][^\\/]*\.ts$/ }, (args) => {
      const source = fs.readFileSync(args.path, 'utf8');
      const sf = ts.createSourceFile(args.path, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
      const cuts = [];
      const visit = (node) => {
        if (ts.isPropertyAssignment(node) && node.name.getText(sf) === 'cases' && ts.isArrayLiteralExpression(node.initializer)) {
          cuts.push([node.initializer.getStart(sf), node.initializer.getEnd()]);
          return;
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
      let out = source;
      for (const [s, e] of cuts.reverse()) out = `${out.slice(0, s)}[]${out.slice(e)}`;
      return { contents: out, loader: 'ts' };
    });
  },
};

// vscode-jsonrpc requires `crypto` at load time only to make random ids and pipe names, which the
// language server does not use over IPC or stdio; loading it costs that process about 0.6 MB. The
// extension bundle gets a stand-in that loads `crypto` on first use of any of its members.
const lazyCrypto = {
  name: 'lazy-crypto',
  setup(build) {
    build.onResolve({ filter: /^crypto$/ }, (args) => (/[\\/]vscode-jsonrpc[\\/]/.test(args.importer) ? { path: 'crypto', namespace: 'lazy-crypto' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'lazy-crypto' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('crypto')[key] });",
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  sourcemap: 'external',
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  absWorkingDir: root,
};

Promise.all([
  // The extension and its language server in one file (see client/src/main.ts). ASCII output: V8 keeps a
  // script's source in memory for its lifetime, and a single non-ASCII character stores all of it as
  // UTF-16 (twice the bytes) in the language server.
  esbuild.build({ ...common, entryPoints: ['client/src/main.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [stripRuleCases, lazyCrypto], charset: 'ascii' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', plugins: [stripRuleCases] }),
]).catch(() => process.exit(1));
