// Named regression cases found by the fix-safety fuzzer (fix-safety.test.ts). Each keeps the input as a
// string literal, says what went wrong when it was found, and asserts the property it broke, both with a
// direct assertion and with the same property checks the fuzzer runs (checks.ts). A case that fails here is
// an open bug in a rule or the engine (see the description), not in this file.

import * as assert from 'assert';
import { applyEdits, cfgVars, fixAll, lint, type LintOptions } from '../../server/src/engine';
import { fpmAvailable, phpAvailable, runFpmTest, runPhp } from '../differential/php';
import { FUZZ_ENV, type LintCase } from './arbitraries';
import { engineProblems, fpmAgreementProblems, fpmWrappedText, localityProblems, parseCase, phpAgreementProblems } from './checks';

function mk(text: string, opts: Partial<LintOptions> & { dialect?: 'php-ini' | 'php-fpm' } = {}): LintCase {
  const { dialect = 'php-ini', ...o } = opts;
  return {
    text,
    dialect,
    options: { phpVersion: '8.2', profile: 'production', httpsOnly: true, role: dialect === 'php-fpm' ? 'fpm' : 'main', env: FUZZ_ENV, ...o },
  };
}

/** fix-all run twice: the second run must change nothing. */
function assertFixAllIdempotent(c: LintCase): string {
  const first = fixAll(parseCase(c), c.options);
  const second = fixAll(parseCase(c, first.text), c.options);
  assert.deepStrictEqual(second.edits, [], `a second fix-all still edits ${JSON.stringify(first.text)}`);
  return first.text;
}

function assertNoEngineProblems(c: LintCase): void {
  const p = engineProblems(c);
  assert.deepStrictEqual(p, [], `fix-safety properties:\n  - ${p.join('\n  - ')}`);
}

function assertPhpAgrees(c: LintCase, that: Mocha.Context): void {
  if (!phpAvailable()) that.skip();
  const r = phpAgreementProblems(c);
  assert.strictEqual(r.skipped, undefined, `PHP comparison skipped: ${r.skipped}`);
  assert.deepStrictEqual(r.problems, [], `PHP disagrees after fix-all:\n  - ${r.problems.join('\n  - ')}`);
}

/** Every fix of every finding of `rule` keeps to the lines the finding shows. */
function assertLocal(c: LintCase, rule: string): void {
  const doc = parseCase(c);
  const diags = lint(doc, c.options).filter((d) => d.rule === rule);
  assert.ok(diags.length > 0, `expected a ${rule} finding`);
  const p = diags.flatMap((d) => d.fixes.flatMap((f) => localityProblems(doc, d, f)));
  assert.deepStrictEqual(p, [], p.join('\n'));
}

describe('fix-safety regressions (found by the fuzzer; failing = open bug, see each description)', function () {
  this.timeout(60000);

  // The [PATH=]/[HOST=], trailing-comment, raw-string and trailing-blank cases were fixed in 4a43806 and
  // stay here as regression guards.
  describe('insertDirective (server/src/engine/lint.ts) and the "missing directive" fixes that use it', function () {
    it('missing-after-path-section: with a [PATH=] section and no [Session]/[PHP] section, the added line lands in the PATH section; the finding stays, fix-all adds it 10 times', function () {
      // Found: "Add session.cookie_secure = 1" was inserted after the last entry, which is inside
      // [PATH=/var/www/html]; PHP files it under the path, not the main configuration, so the rule reports it
      // missing again: the quick fix never settles and fix-all adds ten copies (not idempotent).
      const c = mk('[PATH=/var/www/html]\nsession.cookie_secure = 1\n');
      const fixed = assertFixAllIdempotent(c);
      assert.ok(!/\[PATH=[^\]]*\][^]*session\.cookie_httponly = 1/.test(fixed), `the added line is inside the [PATH=] section: ${JSON.stringify(fixed)}`);
      assertNoEngineProblems(c);
    });

    it('missing-after-path-section-then-session: a [Session] header after a [PATH=] section is still in the PATH scope for PHP; lines added there never count', function () {
      // Found: PHP keeps assigning to the [PATH=]/[HOST=] array after any later plain section header, so the
      // inserted session.* lines (after [Session]) land in /var/www/html and are reported missing forever.
      const c = mk('[PATH=/var/www/html]\nsession.cache_limiter = nocache\n[Session]\nsession.cookie_httponly = 1\n');
      assertFixAllIdempotent(c);
      assertNoEngineProblems(c);
    });

    it('missing-after-host-section-php: PHP sees the added lines in the [HOST=] array, not the main configuration', function () {
      // Found (PHP oracle): fix-all changed get_cfg_var("example.com") by adding enable_dl/display_errors to it.
      const c = mk('[HOST=example.com]\nsession.use_cookies = 0\n');
      const fixed = fixAll(parseCase(c), c.options).text;
      const host = cfgVars(parseCase(c, fixed))['example.com'] as Record<string, unknown>;
      assert.deepStrictEqual(Object.keys(host), ['session.use_cookies'], `fix-all added lines to [HOST=example.com]: ${JSON.stringify(fixed)}`);
      assertPhpAgrees(c, this);
    });

    it('missing-insert-splits-last-line-comment: last line without a line break has a trailing comment; the inserted line goes before the comment', function () {
      // Found: "Add session.cookie_secure = 1" inserted "\r\nsession.cookie_secure = 1" at the end of the entry
      // statement (offset 35), i.e. between the value and " ; comment", so the comment moved onto the new line
      // and the original line was changed. PHP's parser ends the entry before a comment at EOF; the insertion
      // must go at the end of the LINE.
      const c = mk("[Session]\r\nsession.lazy_write = '1' ; comment");
      const doc = parseCase(c);
      const d = lint(doc, c.options).find((x) => x.rule === 'session-cookie-secure');
      assert.ok(d, 'session-cookie-secure reports the missing directive');
      const out = applyEdits(c.text, d.fixes[0].edits);
      assert.ok(out.split(/\r\n|\r|\n/).includes("session.lazy_write = '1' ; comment"), `the original last line was changed: ${JSON.stringify(out)}`);
      assertNoEngineProblems(c);
    });

    it("missing-insert-inside-empty-raw-string: `key='' # x` at the end; the added line goes between the two apostrophes and PHP reads it as part of the value", function () {
      // Found (PHP oracle): PHP reads `ignore_repeated_errors='` + a stray `'` statement on the same line. The
      // insertion went at the end of the first statement (between the apostrophes), so after fix-all PHP read
      // ignore_repeated_errors = "\nenable_dl = Off # not a comment" and none of the added directives.
      const c = mk("ignore_repeated_errors='' # not a comment\n");
      const fixed = fixAll(parseCase(c), c.options).text;
      assert.ok(fixed.split('\n').includes("ignore_repeated_errors='' # not a comment"), `fix-all split the line: ${JSON.stringify(fixed)}`);
      assertPhpAgrees(c, this);
    });

    it('missing-insert-after-trailing-space-at-eof: the last line has no line break and ends in spaces; adding a line after it changes its value', function () {
      // Found (PHP oracle): at the end of the file PHP keeps trailing whitespace of an unquoted value
      // (get_cfg_var("request_order") === "PHPSESSID "); once a line break follows it is dropped. fix-all
      // appended "\ndisplay_errors = Off..." and so changed request_order to "PHPSESSID", a key no fix targets.
      const c = mk('request_order = PHPSESSID ');
      assertPhpAgrees(c, this);
      if (phpAvailable()) {
        const fixed = fixAll(parseCase(c), c.options).text;
        const keys = ['request_order'];
        assert.deepStrictEqual(runPhp(fixed, keys).values, runPhp(c.text, keys).values);
      }
    });

    it('missing-insert-before-mid-line-statement: the last line holds two statements (`foo<TAB>bar = 1`: a bare key, then an entry); the added line is inserted between them', function () {
      // Found after 4a43806 (which inserts before a last line that has no line break): insertBefore() uses the
      // anchor statement's start, which here is in the middle of the line, so fix-all writes
      // "foodisplay_errors = Off\n..." and PHP reads a key "foodisplay_errors"; display_errors stays unset and
      // is added again on every pass (PHP oracle: fix-all changed foodisplay_errors from false to "").
      const c = mk('a = 1\nfoo\tbar = 1');
      const fixed = assertFixAllIdempotent(c);
      assert.ok(fixed.split('\n').includes('foo\tbar = 1'), `fix-all split the last line: ${JSON.stringify(fixed)}`);
      assertNoEngineProblems(c);
      assertPhpAgrees(c, this);
    });

    it('missing-after-nul-truncation: PHP >= 8.3 stops reading at the NUL (doc.truncatedAt); lines added after it are never read, the finding stays, fix-all adds them 10 times', function () {
      // Found: reportMissing checks doc.errors but not doc.truncatedAt, and insertDirective appends after the
      // point where (per the engine's own model) PHP stopped reading.
      const c = mk('a\u0000\nb = 1\n', { phpVersion: '8.4' });
      if (parseCase(c).truncatedAt === undefined) {
        // eslint-disable-next-line no-console
        console.log('      (skipped: the engine no longer models PHP 8.4 stopping at this NUL)');
        this.skip();
      }
      assertFixAllIdempotent(c);
      assertNoEngineProblems(c);
    });
  });

  describe('fix-all passes and # lines (seed 4242 at 1,500 runs)', function () {
    it('many-missing-directives: a main php.ini missing a dozen directives needs a dozen passes; fix-all stopped after 10 and a second run added zend.assertions', function () {
      // Found: every "Add x = y" fix inserts at the same point, and two insertions at one point never go in
      // the same pass, so fix-all ran out of passes before adding them all (not idempotent).
      const c = mk(
        '\ufeffauto_prepend_file = /tmp/x.php\nsession.upload_progress.cleanup = NO # not a comment\nsession.upload_progress.cleanup = NO # not a comment\nsession.upload_progress.cleanup = NO # not a comment\nignore_repeated_errors = On',
        { phpVersion: '7.4' },
      );
      const fixed = assertFixAllIdempotent(c);
      assert.ok(fixed.includes('zend.assertions = -1'), fixed);
      assertNoEngineProblems(c);
    });

    it('hash-comment-after-tab: `#\\t\\0 key = Off` is the bare key `#`, then an entry PHP stores; turning the line into a comment removed that entry', function () {
      // Found: the safe "Turn # into ;" fix removed the key "\0 session.cookie_secure" (value "") that PHP had
      // stored. A tab ends a key, so `#<TAB>session.name = x` likewise sets session.name (checked with php -n -c).
      const c = mk('#\t\u0000 session.cookie_secure = Off\nsession.cookie_secure = On', { httpsOnly: false });
      const d = lint(parseCase(c), c.options).find((x) => x.rule === 'hash-comment');
      assert.ok(d, 'expected a hash-comment finding');
      assert.ok(d.fixes.every((f) => !f.safe), 'the fix must not run in fix-all');
      assertFixAllIdempotent(c);
      assertPhpAgrees(c, this);
    });
  });

  describe('${VAR} lookup (server/src/engine/document.ts: `env[name]` on a plain object)', function () {
    it('env-prototype-names-ini: ${constructor} / ${__proto__} / ${toString} read Object.prototype members; values become functions, cfgVars throws', function () {
      // Found by never-executes.test.ts: the variable hook returns env[name] for any name, so with the default
      // env {} a name like `constructor` yields Object itself. PHP reads each as an unset variable: "".
      const c = mk('session.name = ${constructor}\nx = ${__proto__}\ny = "${toString}"\n', { role: 'fragment' });
      const doc = parseCase(c);
      assert.deepStrictEqual(
        doc.statements.filter((s) => s.kind === 'entry').map((s) => typeof s.value),
        ['string', 'string', 'string'],
      );
      assert.deepStrictEqual(cfgVars(doc), { 'session.name': '', x: '', y: '' });
      if (phpAvailable()) assert.deepStrictEqual(runPhp(c.text, ['session.name', 'x', 'y']).values, { 'session.name': '', x: '', y: '' });
      assertNoEngineProblems(c);
    });

    it('env-prototype-names-pool: parse throws "st.value.split is not a function" on `env[X] = ${__proto__}` in a pool file', function () {
      const c = mk('[www]\nenv[X] = ${__proto__}\nphp_value[session.name] = ${constructor}\n', { dialect: 'php-fpm' });
      assert.doesNotThrow(() => parseCase(c));
      assertNoEngineProblems(c);
    });
  });

  describe('replaceValue at the end of a file', function () {
    it('cache-limiter-trailing-space-at-eof: the fix writes "nocache" before the trailing space, PHP reads "nocache " (still invalid), the safe fix stays offered', function () {
      // Found: session.cache_limiter = public ␠ (no line break): PHP reads "public " and the rule rightly
      // reports it; the safe fix replaces only `public`, so PHP reads "nocache " and the rule reports it again.
      const c = mk('session.cache_limiter = public ', { role: 'fragment' });
      const fixed = fixAll(parseCase(c), c.options).text;
      const after = lint(parseCase(c, fixed), c.options).filter((d) => d.rule === 'session-cache-limiter');
      assert.deepStrictEqual(after.map((d) => d.message), [], `still reported after fix-all (${JSON.stringify(fixed)})`);
      assertPhpAgrees(c, this);
    });
  });

  describe('quick fixes that edit lines the finding does not show', function () {
    it('sid-strength-removes-unreported-duplicate: "Remove the session.sid_length lines" also deletes an earlier line the finding does not point to', function () {
      // Found: finding on line 2 (the effective value); the fix removes line 1 too. Removing both is the right
      // effect (else line 1 takes over), but the finding must show line 1 (a related location) or the fix
      // must not touch it.
      assertLocal(mk('session.sid_length = 0\nsession.sid_length = 0\n', { role: 'fragment', phpVersion: '7.4' }), 'session-sid-strength');
    });

    it('trans-sid-settings-removes-unreported-duplicate: "Remove the session.trans_sid_tags line" deletes an earlier pool line it does not show', function () {
      assertLocal(
        mk('[www]\nphp_admin_value[session.trans_sid_tags] = "a=href"\nphp_admin_value[session.trans_sid_tags] = "a=href"\n', { dialect: 'php-fpm', phpVersion: '8.4' }),
        'session-trans-sid-settings',
      );
    });

    it('referer-check-removes-unreported-duplicate: "Remove the session.referer_check line" deletes an earlier line it does not show', function () {
      assertLocal(mk('session.referer_check = example.com\nsession.referer_check = example.com\n', { role: 'fragment', phpVersion: '8.5' }), 'session-referer-check');
    });

    it('samesite-none-fix-edits-unshown-cookie-secure-line: "Write "None" in quotes and turn on session.cookie_secure" edits a cookie_secure line with no related location', function () {
      // Found: the finding is on line 1 and has no related locations, yet the fix rewrites line 3
      // (`session.cookie_secure = Off` -> `On`). Point to it (related) like session-cookie-partitioned does.
      assertLocal(mk('session.cookie_samesite = None\nsession.cookie_secure = 0\nsession.cookie_secure = Off\n', { role: 'fragment' }), 'session-cookie-samesite');
    });
  });

  describe('fixes that change another directive than the one they report', function () {
    it('hash-comment-fix-removes-a-key: turning `# key = v` into a comment removes the key PHP read, so the finding must name that key', function () {
      // Found (PHP oracle) while hash-comment reported directive: null: PHP reads `# session.cookie_secure = Off`
      // as a key literally named "# session.cookie_secure"; the safe fix (# -> ;) removes it, a change no
      // finding claimed. Fixed by reporting the key PHP reads as the directive; kept as a guard.
      const c = mk('x = 1\n# session.cookie_secure = Off\n', { role: 'fragment' });
      const d = lint(parseCase(c), c.options).find((x) => x.rule === 'hash-comment');
      assert.ok(d, 'hash-comment reports the line');
      assert.strictEqual(d.directive, '# session.cookie_secure');
      assertPhpAgrees(c, this);
    });

    it('session-name-safe-fix-turns-on-cookie-secure: a safe fix of a session.name finding rewrites session.cookie_secure (even with httpsOnly off)', function () {
      // Found (PHP oracle): with `session.name = __Secure-SID` and `session.cookie_secure = 0`, fix-all turned
      // cookie_secure on through session-name's safe fix "Turn on session.cookie_secure", whose finding says
      // directive: session.name. The contract is that a safe fix changes only its finding's directive (and with
      // httpsOnly = false the user asked not to force Secure). Report it as a session.cookie_secure finding,
      // or make that fix unsafe.
      const c = mk('session.name = __Secure-SID\nsession.cookie_secure = 0\n', { role: 'fragment', httpsOnly: false });
      const doc = parseCase(c);
      const before = cfgVars(doc);
      for (const d of lint(doc, c.options)) {
        for (const f of d.fixes.filter((x) => x.safe)) {
          const after = cfgVars(parseCase(c, applyEdits(c.text, f.edits)));
          const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
          assert.deepStrictEqual(changed.filter((k) => k !== d.directive), [], `${d.rule}'s safe fix ${JSON.stringify(f.title)} (directive ${d.directive}) changes other keys`);
        }
      }
      // Fixed by making "Turn on session.cookie_secure" a quick fix only: fix-all leaves the file alone.
      assert.equal(fixAll(doc, c.options).text, c.text);
      const quick = lint(doc, c.options).find((d) => d.rule === 'session-name')?.fixes.find((f) => /cookie_secure/.test(f.title));
      assert.ok(quick && !quick.safe, 'the cookie_secure fix is still offered, as a quick fix');
    });

    it("bare-key-comment-fix-inside-empty-quotes: on `session.cookie_domain = ''` the quick fix inserts \"; \" between the apostrophes, so PHP then reads the value \"; \"", function () {
      // Found by a sweep of every quick fix against cfgVars: PHP reads `x = ''` as `x =` (empty) plus a stray `'`
      // that bare-key reports ("PHP ignores this line", although the line does set x to ""). "Turn the line into
      // a comment" inserts "; " at the stray `'` (mid-line), producing `x = '; '`: PHP now reads x = "; "
      // (checked with php -n -c). The comment must start the line, or the fix must drop only the stray `'`.
      const c = mk("session.cookie_domain = ''\n", { role: 'fragment' });
      const doc = parseCase(c);
      const diags = lint(doc, c.options).filter((d) => d.rule === 'bare-key');
      // Fixed by not reporting it: the stray `'` belongs to a line that does set a value.
      assert.deepStrictEqual(diags.map((d) => d.message), []);
      // A bare key on a line of its own is still reported, and its comment fix starts the line.
      const own = mk("session.cookie_domain = ''\nstray words\n", { role: 'fragment' });
      const ownDiags = lint(parseCase(own), own.options).filter((d) => d.rule === 'bare-key');
      assert.equal(ownDiags.length, 1);
      for (const d of [...diags, ...ownDiags]) {
        for (const f of d.fixes) {
          const out = applyEdits(c.text, f.edits);
          assert.deepStrictEqual(cfgVars(parseCase(c, out))['session.cookie_domain'] ?? '', '', `fix ${JSON.stringify(f.title)} changes session.cookie_domain: ${JSON.stringify(out)}`);
          if (phpAvailable()) {
            const v = runPhp(out, ['session.cookie_domain']).values['session.cookie_domain'];
            assert.ok(v === '' || v === false, `PHP reads session.cookie_domain = ${JSON.stringify(v)} after ${JSON.stringify(f.title)}`);
          }
        }
      }
    });
  });

  describe('pool files: fixes must keep php-fpm -t happy', function () {
    it('cache-limiter-fix-on-php-flag: the safe fix writes `nocache` into php_flag[session.cache_limiter]; php-fpm then refuses to start ("invalid boolean value")', function () {
      // Found (php-fpm oracle): php_flag / php_admin_flag only take booleans. fix-all turned
      // `php_flag[session.cache_limiter] = On` into `= nocache`, which php-fpm -t rejects; the original passed.
      const c = mk('[www]\nphp_flag[session.cache_limiter] = On\n', { dialect: 'php-fpm' });
      const fixed = fixAll(parseCase({ ...c, text: fpmWrappedText(c) }), c.options).text;
      assert.ok(!/^php_(admin_)?flag\[[^\]]*\]\s*=\s*(?!(on|off|yes|no|true|false|1|0)\b)\S/im.test(fixed), `a *_flag line got a non-boolean value:\n${fixed}`);
      if (!fpmAvailable()) this.skip();
      assert.strictEqual(runFpmTest(fpmWrappedText(c)).exitCode, 0, 'precondition: php-fpm accepts the original');
      const r = fpmAgreementProblems(c);
      assert.deepStrictEqual(r.problems, []);
    });

    it('samesite-quick-fix-on-php-flag: the (unsafe) quick fix writes "Lax" into php_flag[session.cookie_samesite], which php-fpm rejects', function () {
      // Found by a sweep over every directive under php_flag/php_admin_flag: only this quick fix and the
      // cache_limiter one above write a value php-fpm cannot read as a boolean.
      const c = mk('[www]\nphp_flag[session.cookie_samesite] = On\n', { dialect: 'php-fpm' });
      const doc = parseCase(c);
      for (const d of lint(doc, c.options)) {
        for (const f of d.fixes) {
          const out = applyEdits(c.text, f.edits);
          assert.ok(
            !/^php_(admin_)?flag\[[^\]]*\]\s*=\s*(?!(on|off|yes|no|true|false|1|0)\b)\S/im.test(out),
            `${d.rule} fix ${JSON.stringify(f.title)} writes a non-boolean into a *_flag line: ${JSON.stringify(out)}`,
          );
        }
      }
    });
  });
});
