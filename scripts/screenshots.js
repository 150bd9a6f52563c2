#!/usr/bin/env node
/*
 * Takes the README screenshots from the real VS Code workbench (code-server 4.139.1 = VS Code 1.139.1
 * in headless Chromium) with the packaged extension installed, the same set-up as
 * test/e2e/vsix-smoke.js:
 *
 *   images/screenshots/hover.png          a finding with its hover open (message, rationale, links)
 *   images/screenshots/quick-fix.png      the quick-fix menu (Ctrl+. on a flagged line)
 *   images/screenshots/problems-panel.png the Problems panel for php.ini and a PHP-FPM pool
 *
 * 1280×800 PNG each. The files shown are test/e2e/screenshot-fixture/ copied to a temp
 * etc/php/8.2/fpm/ folder. The pictures are not packaged (.vscodeignore is an allow-list).
 *
 * Usage: node scripts/screenshots.js [--build] [--out <dir>]
 *   --build  run `npm run package` first (default: package the current dist/ with vsce)
 * Needs `npm run build` (dist/) and `bash scripts/setup-vscode.sh`. Exit code 0 when all three
 * pictures were taken and show what they should, else 1.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { Workbench, buildVsix, checkTools, sleep } = require('../test/e2e/workbench-driver');

const ROOT = path.join(__dirname, '..');
const FIXTURE = path.join(ROOT, 'test', 'e2e', 'screenshot-fixture');
const MAX_PNG_BYTES = 200 * 1024;
const WIDTH = 1280;
const HEIGHT = 800;
/** A spot in the editor right of every line's text: the mouse rests there (no hover, no tooltip). */
const NEUTRAL = { x: 1180, y: 420 };

function arg(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function log(msg) {
  console.log(`screenshots: ${msg}`);
}

/** The rendered editor line whose text starts with `prefix`. */
function editorLine(page, prefix) {
  return page
    .locator('.editor-instance .monaco-editor .view-lines .view-line')
    .filter({ hasText: new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) })
    .first();
}

async function waitForSquiggles(page, min) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const n = await page.locator('.editor-instance .monaco-editor .squiggly-warning, .editor-instance .monaco-editor .squiggly-error').count();
    if (n >= min) return n;
    if (Date.now() > deadline) throw new Error(`only ${n} squiggles in the editor after 60 s`);
    await sleep(200);
  }
}

/** Drags a sash (a resize handle) by (dx, dy), stopping at the window's edges. */
async function dragSash(page, sash, dx, dy) {
  if (!(await sash.count())) return;
  const b = await sash.boundingBox();
  if (!b) return;
  const x = b.x + b.width / 2;
  const y = b.y + b.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(Math.min(WIDTH - 8, Math.max(8, x + dx)), Math.min(HEIGHT - 8, Math.max(44, y + dy)), { steps: 8 });
  await page.mouse.up();
  await sleep(200);
}

async function shoot(page, file, check) {
  await sleep(400); // let animations (hover fade-in, menu) finish
  await check();
  await page.screenshot({ path: file, type: 'png' });
  const size = fs.statSync(file).size;
  log(`${path.relative(ROOT, file)} ${(size / 1024).toFixed(1)} KB`);
  if (size >= MAX_PNG_BYTES) throw new Error(`${path.relative(ROOT, file)} is ${(size / 1024).toFixed(1)} KB, over ${MAX_PNG_BYTES / 1024} KB`);
}

async function main() {
  const outDir = path.resolve(arg('--out') || path.join(ROOT, 'images', 'screenshots'));
  checkTools();
  fs.mkdirSync(outDir, { recursive: true });
  const vsix = buildVsix({ build: process.argv.includes('--build'), log });

  const wb = new Workbench('screenshots');
  try {
    wb.writeUserSettings({
      'workbench.colorTheme': 'Default Dark Modern',
      'editor.fontSize': 14,
      'editor.lineHeight': 20,
      'editor.renderLineHighlight': 'none',
      'editor.guides.indentation': false,
      'editor.stickyScroll.enabled': false,
      'breadcrumbs.enabled': false,
      'workbench.editor.enablePreview': false,
      'workbench.layoutControl.enabled': false,
      'window.commandCenter': false,
      'editor.hover.delay': 100,
      'editor.hover.sticky': true,
      'problems.sortOrder': 'severity',
      'editor.occurrencesHighlight': 'off',
      'editor.selectionHighlight': false,
    });
    wb.installExtension(vsix);
    const folder = wb.makeFolder(path.join('etc', 'php', '8.2', 'fpm'), {
      'php.ini': path.join(FIXTURE, 'php.ini'),
      'pool.d/www.conf': path.join(FIXTURE, 'pool.d', 'www.conf'),
    });
    await wb.startServer();
    const page = await wb.launchBrowser({ width: WIDTH, height: HEIGHT });
    await wb.openFolder(folder, 'php.ini');

    // The pool first, so php.ini ends up the active editor and both have diagnostics.
    await wb.openFromExplorer('www.conf', ['pool.d']);
    await wb.openFromExplorer('php.ini');
    const mode = await wb.languageMode();
    if (mode !== 'PHP INI') throw new Error(`php.ini opened as ${mode}`);
    await waitForSquiggles(page, 4);
    // Collapse pool.d again and close the notification toasts, if any.
    await page.keyboard.press('Escape');

    // (a) a finding with its hover open, enlarged (its top edge dragged up) so the whole explanation
    // shows: the problem, what the directive does, its value and default, and the rule's rationale.
    const strict = editorLine(page, 'session.use_strict_mode');
    await strict.waitFor({ state: 'visible', timeout: 15_000 });
    const box = await strict.boundingBox();
    await page.mouse.move(box.x + 60, box.y + box.height / 2);
    const hover = page.locator('.monaco-resizable-hover').filter({ hasText: 'session-use-strict-mode' }).first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    await sleep(300);
    await dragSash(page, hover.locator('.monaco-sash.orthogonal-edge-north:not(.disabled)'), 0, -1000);
    await dragSash(page, hover.locator('.monaco-sash.vertical:not(.disabled)').first(), 1000, 0);
    await shoot(page, path.join(outDir, 'hover.png'), async () => {
      if (!(await hover.isVisible())) throw new Error('the hover closed');
      const text = await hover.innerText();
      for (const want of ['session fixation', 'php-ini-lint', 'PHP manual', 'With strict mode off', 'Sources:']) {
        if (!text.includes(want)) throw new Error(`the hover does not show "${want}":\n${text}`);
      }
      const visible = await hover.evaluate((el) => {
        const scroller = el.querySelector('.monaco-hover-content');
        return !scroller || scroller.scrollHeight <= scroller.clientHeight + 2;
      });
      if (!visible) log('note: the hover still scrolls; its end is cut off in the picture');
    });

    // (b) the quick-fix menu: cursor on a flagged line, Ctrl+.
    await page.mouse.move(NEUTRAL.x, NEUTRAL.y);
    await page.keyboard.press('Escape');
    await hover.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
    const samesite = editorLine(page, 'session.cookie_samesite');
    const sbox = await samesite.boundingBox();
    await page.mouse.click(sbox.x + 40, sbox.y + sbox.height / 2);
    await page.keyboard.press('End'); // the menu opens at the cursor: keep the line's text visible
    await page.mouse.move(NEUTRAL.x, NEUTRAL.y); // no hover over the squiggle
    const menu = page.locator('.action-widget').filter({ hasText: 'session.cookie_samesite' }).first();
    for (let attempt = 1; ; attempt++) {
      // Ctrl+. as a user would; once the lightbulb shows, clicking it opens the same menu.
      if (attempt % 2 === 1) await page.keyboard.press('Control+Period');
      else await page.locator('.editor-instance .lightBulbWidget, .editor-instance .codicon-lightbulb').first().click({ timeout: 5000 }).catch(() => {});
      const shown = await menu.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
      if (shown) break;
      if (attempt === 4) throw new Error('the quick-fix menu did not open (Ctrl+. and the lightbulb)');
      await page.keyboard.press('Escape');
      await editorLine(page, 'session.cookie_samesite').click();
      await page.keyboard.press('End');
      await page.mouse.move(NEUTRAL.x, NEUTRAL.y);
    }
    await shoot(page, path.join(outDir, 'quick-fix.png'), async () => {
      const text = await menu.innerText();
      for (const want of ['"Lax"', 'Disable session-cookie-samesite for this line']) {
        if (!text.includes(want)) throw new Error(`the quick-fix menu does not offer ${want}:\n${text}`);
      }
    });
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});

    // (c) the Problems panel, with the file above it.
    await wb.openProblems();
    const rows = await wb.waitForProblemRows('php.ini and www.conf rows', (r) =>
      ['session-use-strict-mode', 'session-cookie-samesite', 'display-errors', 'fpm-listen-exposed'].every((code) => r.some((x) => x.text.includes(code))),
    );
    await wb.maximizePanel(false);
    // Scroll the editor so the flagged session lines sit above the panel: Go to Line 29 (centred).
    await editorLine(page, '[PHP]').click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('29');
    await page.keyboard.press('Enter');
    await editorLine(page, 'session.cookie_samesite').waitFor({ state: 'visible', timeout: 10_000 });
    await page.mouse.move(NEUTRAL.x, NEUTRAL.y);
    await shoot(page, path.join(outDir, 'problems-panel.png'), async () => {
      if (!(await page.locator('.markers-panel').isVisible())) throw new Error('the Problems panel is not visible');
      const visible = await page.$$eval('.markers-panel .monaco-list-row', (r) => r.map((x) => x.textContent || ''));
      if (!visible.some((t) => t.includes('fpm-listen-exposed'))) throw new Error(`the pool's finding is not visible:\n${visible.join('\n')}`);
    });
    log(`${rows.length} Problems rows; pictures in ${path.relative(ROOT, outDir) || '.'}`);
    return 0;
  } catch (err) {
    if (wb.page) {
      const failure = path.join(require('os').tmpdir(), 'php-ini-lint-screenshots-failure.png');
      await wb.page.screenshot({ path: failure }).catch(() => {});
      console.error(`screenshots: the workbench at the failure: ${failure}`);
    }
    throw err;
  } finally {
    await wb.close();
  }
}

process.on('SIGINT', () => process.exit(1));
process.on('SIGTERM', () => process.exit(1));
setTimeout(() => {
  console.error('screenshots: gave up after 5 minutes');
  process.exit(1);
}, 5 * 60 * 1000).unref();

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`screenshots: FAILED: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  },
);
