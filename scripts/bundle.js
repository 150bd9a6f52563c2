#!/usr/bin/env node
// Bundles the client, the language server and the CLI into one minified file each (dist/), with
// source maps kept out of the .vsix by .vscodeignore's allow-list.
'use strict';
const esbuild = require('esbuild');
const path = require('node:path');

const root = path.join(__dirname, '..');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: true,
  sourcemap: 'external',
  logLevel: 'warning',
  absWorkingDir: root,
};

Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' }),
]).catch(() => process.exit(1));
