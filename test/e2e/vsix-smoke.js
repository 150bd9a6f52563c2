#!/usr/bin/env node
/*
 * Smoke test of the PACKAGED extension in the real VS Code UI: `node test/e2e/vsix-smoke.js`.
 *
 *  1. builds php-ini-lint-<version>.vsix (`npm run package`; with --no-build only
 *     `vsce package --no-dependencies` over the current dist/) and checks its size (< 250 KB, as vsce
 *     counts: 1 KB = 1024 bytes) and contents (allow-list of .vscodeignore);
 *  2. installs it into a fresh code-server (`--install-extension X.vsix --extensions-dir D
 *     --user-data-dir U`);
 *  3. starts code-server WITHOUT the smoke-test driver, opens /?folder=<copy of
 *     test/e2e/workspace/etc/php/8.2/fpm> in headless Chromium (playwright-core), clicks php.ini and
 *     pool.d/www.conf in the Explorer, opens the Problems panel (Ctrl+Shift+M) and checks its rows.
 *
 * Prints one line per check and a final "N passed, N failed"; exit code 0 when all passed, else 1.
 * Needs `bash scripts/setup-vscode.sh` once. Env: E2E_VERBOSE=1 (code-server and page output),
 * E2E_KEEP_TMP=1 (keep the temp profile), VSIX_SMOKE_SCREENSHOT=<file.png> (picture of the
 * workbench at the end, also taken on failure when set).
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { Workbench, buildVsix, checkTools, note, zipEntries } = require('./workbench-driver');

const MAX_VSIX_BYTES = 250 * 1024;
const PKG = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
const FIXTURE = path.join(__dirname, 'workspace', 'etc', 'php', '8.2', 'fpm');

// What the Problems panel must list (hints, such as expose-php, never appear there: VS Code shows them
// only as faded dots in the editor). [rule code, 1-based line, severity word of the row's aria-label]
const PHP_INI_ROWS = [
  ['display-errors', 6, 'Warning'],
  ['session-use-strict-mode', 9, 'Warning'],
  ['session-cookie-httponly', 10, 'Warning'],
  ['session-cookie-samesite', 12, 'Warning'],
  ['log-errors', 4, 'Warning'],
  ['session-cookie-secure', 8, 'Warning'],
  ['allow-url-fopen', 4, 'Info'],
  ['disable-functions', 4, 'Info'],
  ['open-basedir', 4, 'Info'],
  ['session-upload-progress', 8, 'Info'],
];
const POOL_ROWS = [
  ['fpm-listen-exposed', 8, 'Warning'],
  ['session-cookie-secure', 16, 'Warning'],
];

const results = [];
function check(name, fn) {
  return Promise.resolve()
    .then(fn)
    .then(
      (detail) => {
        results.push({ name, ok: true });
        console.log(`  ✔ ${name}${detail ? ` (${detail})` : ''}`);
        return true;
      },
      (err) => {
        results.push({ name, ok: false });
        console.log(`  ✖ ${name}\n      ${String(err && err.message ? err.message : err).split('\n').join('\n      ')}`);
        return false;
      },
    );
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** Problem rows parsed: { file, code, line, col, severity, message }. */
function parseRows(rows) {
  const out = [];
  let file = '';
  for (const r of rows) {
    const fm = /problems? in file (.+?) of folder/.exec(r.label);
    if (r.level === 1 || fm) {
      file = fm ? fm[1] : r.text.replace(/\d+$/, '');
      continue;
    }
    const m = /php-ini-lint\(?([a-z0-9-]+)\)?\s*\[Ln (\d+), Col (\d+)\]\s*$/.exec(r.text);
    const sev = /^(Error|Warning|Info|Hint)\b/.exec(r.label);
    if (!m) continue;
    out.push({ file, code: m[1], line: Number(m[2]), col: Number(m[3]), severity: sev ? sev[1] : '', message: r.label });
  }
  return out;
}

function expectRows(parsed, file, expected) {
  const mine = parsed.filter((p) => p.file === file);
  const missing = expected.filter(([code, line, severity]) => !mine.some((p) => p.code === code && p.line === line && p.severity === severity));
  return { mine, missing };
}

function describeRows(parsed) {
  return parsed.map((p) => `${p.file}:${p.line} ${p.severity} ${p.code}`).join('\n');
}

async function main() {
  const build = !process.argv.includes('--no-build');
  const t0 = Date.now();
  console.log(`vsix smoke: packaged extension in code-server (VS Code 1.139.1)${build ? '' : ' (--no-build: packaging the current dist/)'}`);
  checkTools();

  let vsix;
  const built = await check('the package builds', () => {
    vsix = buildVsix({ build });
    return path.basename(vsix);
  });
  if (!built) return finish(t0);

  await check(`the .vsix is smaller than ${MAX_VSIX_BYTES / 1024} KB`, () => {
    const size = fs.statSync(vsix).size;
    const text = `${(size / 1024).toFixed(1)} KB, ${size} bytes`;
    console.log(`  vsix size: ${path.basename(vsix)} ${text}`);
    assert(size < MAX_VSIX_BYTES, `${path.basename(vsix)} is ${text}, over the ${MAX_VSIX_BYTES / 1024} KB budget`);
    return text;
  });

  await check('the .vsix holds exactly what the installed extension needs', () => {
    const entries = zipEntries(vsix);
    const names = entries.map((e) => e.name);
    // What the manifest points at, plus the listing's own files.
    const rel = (p) => `extension/${p.replace(/^\.\//, '')}`;
    const required = new Set(['extension/package.json', 'extension/readme.md', rel(PKG.main)]);
    if (PKG.icon) required.add(rel(PKG.icon));
    for (const g of PKG.contributes.grammars || []) required.add(rel(g.path));
    for (const l of PKG.contributes.languages || []) if (l.configuration) required.add(rel(l.configuration));
    const missing = [...required].filter((r) => !names.some((n) => n.toLowerCase() === r.toLowerCase()));
    assert(missing.length === 0, `missing: ${missing.join(', ')}`);
    const unwanted = names.filter((n) =>
      /\.map$|\.ts$|^extension\/(out|src|client|server|test|node_modules|scripts|docs|\.cache|\.vscode-test)\/|^extension\/images\/(?!icon\.png$)|\.vsix$/.test(n),
    );
    assert(unwanted.length === 0, `should not be packaged: ${unwanted.join(', ')}`);
    return `${entries.length} files`;
  });

  const wb = new Workbench('vsix-smoke');
  try {
    wb.writeUserSettings();
    let installedDir;
    const installed = await check('code-server --install-extension installs it', () => {
      installedDir = wb.installExtension(vsix);
      for (const f of ['package.json', PKG.main]) {
        assert(fs.existsSync(path.join(installedDir, f)), `${f} missing in ${installedDir}`);
      }
      return path.basename(installedDir);
    });
    if (!installed) return finish(t0);

    const folder = wb.makeFolder(path.join('etc', 'php', '8.2', 'fpm'), {
      'php.ini': path.join(FIXTURE, 'php.ini'),
      'pool.d/www.conf': path.join(FIXTURE, 'pool.d', 'www.conf'),
    });

    const opened = await check('the workbench opens the folder (no smoke-test driver)', async () => {
      await wb.startServer();
      await wb.launchBrowser({ width: 1280, height: 800 });
      await wb.openFolder(folder, 'php.ini');
    });
    if (!opened) return finish(t0, wb);

    await check('clicking php.ini in the Explorer opens it as PHP INI', async () => {
      await wb.openFromExplorer('php.ini');
      const mode = await wb.languageMode();
      assert(mode === 'PHP INI', `language mode is ${JSON.stringify(mode)}`);
      return mode;
    });

    await check('the Problems panel lists the php.ini findings with their rule codes and lines', async () => {
      const rows = await wb.waitForProblemRows('the php.ini rows', (r) => expectRows(parseRows(r), 'php.ini', PHP_INI_ROWS).missing.length === 0);
      const parsed = parseRows(rows);
      const { mine } = expectRows(parsed, 'php.ini', PHP_INI_ROWS);
      const display = mine.find((p) => p.code === 'display-errors');
      assert(/display_errors is On/.test(display.message), `display-errors message: ${display.message}`);
      assert(/generated by php-ini-lint/.test(display.message), `the row does not name the source: ${display.message}`);
      const strict = mine.find((p) => p.code === 'session-use-strict-mode');
      assert(/session fixation/.test(strict.message), `session-use-strict-mode message: ${strict.message}`);
      const fileRow = rows.find((r) => /problems? in file php\.ini/.test(r.label));
      assert(fileRow, 'no file row for php.ini');
      // Every row is rendered (as many as the file row counts), each names a real rule, and hints
      // (expose-php here) stay out of the Problems panel.
      const counted = Number((/^(\d+) problems? in file/.exec(fileRow.label) || [])[1]);
      assert(mine.length === counted, `the file row says ${counted} problems, ${mine.length} rows are listed:\n${describeRows(mine)}`);
      const unknown = mine.filter((p) => !fs.existsSync(path.join(__dirname, '..', '..', 'server', 'src', 'engine', 'rules', `${p.code}.ts`)));
      assert(unknown.length === 0, `rows with codes that are no rule: ${describeRows(unknown)}`);
      assert(!mine.some((p) => p.code === 'expose-php'), 'a hint (expose-php) is listed in the Problems panel');
      return `${mine.length} rows, e.g. ${mine.slice(0, 3).map((p) => p.code).join(', ')}`;
    });

    await check('clicking pool.d/www.conf opens it as PHP-FPM and adds its findings', async () => {
      await wb.maximizePanel(false);
      await wb.openFromExplorer('www.conf', ['pool.d']);
      const mode = await wb.languageMode();
      assert(mode === 'PHP-FPM', `language mode is ${JSON.stringify(mode)}`);
      const rows = await wb.waitForProblemRows('the www.conf rows', (r) => expectRows(parseRows(r), 'www.conf', POOL_ROWS).missing.length === 0);
      const { mine } = expectRows(parseRows(rows), 'www.conf', POOL_ROWS);
      const listen = mine.find((p) => p.code === 'fpm-listen-exposed');
      assert(/0\.0\.0\.0:9000/.test(listen.message), `fpm-listen-exposed message: ${listen.message}`);
      return `${mine.length} rows`;
    });

    await check('closing www.conf removes its rows, php.ini keeps its own', async () => {
      await wb.maximizePanel(false);
      await wb.closeTab('www.conf');
      const rows = await wb.waitForProblemRows('the www.conf rows to go', (r) => {
        const parsed = parseRows(r);
        return !parsed.some((p) => p.file === 'www.conf') && expectRows(parsed, 'php.ini', PHP_INI_ROWS).missing.length === 0;
      });
      return `${parseRows(rows).length} rows left`;
    });

    await check('no problem rows come from anything but php-ini-lint', async () => {
      const rows = await wb.problemRows();
      const foreign = rows.filter((r) => r.level >= 2 && !/generated by php-ini-lint/.test(r.label));
      assert(foreign.length === 0, `rows from elsewhere:\n${foreign.map((r) => r.label).join('\n')}`);
    });

    return finish(t0, wb);
  } catch (err) {
    await check('unexpected error', () => {
      throw err;
    });
    return finish(t0, wb);
  } finally {
    if (process.env.VSIX_SMOKE_SCREENSHOT && wb.page) {
      await wb.page.screenshot({ path: process.env.VSIX_SMOKE_SCREENSHOT }).catch(() => {});
    }
    await wb.close();
  }
}

function finish(t0, wb) {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (failed && wb && wb.pageErrors.length && process.env.E2E_VERBOSE) note('vsix-smoke', `page errors:\n${wb.pageErrors.join('\n')}`);
  console.log(`vsix smoke finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

module.exports = { parseRows };

if (require.main === module) {
  let exiting = false;
  const stop = (code) => {
    if (exiting) return;
    exiting = true;
    process.exitCode = code;
    // A stuck browser/child must not keep the process alive.
    setTimeout(() => process.exit(code), 15_000).unref();
  };
  process.on('unhandledRejection', (e) => {
    console.error(`vsix smoke: ${e && e.stack ? e.stack : e}`);
    stop(1);
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      console.error(`vsix smoke: ${sig}, stopping`);
      process.exit(1); // the driver's exit handler kills code-server's process group
    });
  }
  const overall = Number(process.env.VSIX_SMOKE_TIMEOUT_MS) || 6 * 60 * 1000;
  setTimeout(() => {
    console.error(`vsix smoke: gave up after ${overall / 1000} s`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }, overall).unref();
  main().then(stop, (e) => {
    console.error(`vsix smoke: ${e && e.stack ? e.stack : e}`);
    console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
    stop(1);
  });
}
