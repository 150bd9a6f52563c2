// The plumbing the server relies on, tested without a server: caching, scheduling, settings, URIs,
// project config lookup and the effective-config / status answers.
import assert from 'node:assert/strict';
import { parse, resolveOptions } from '../../server/src/engine';
import {
  AnalysisCache,
  clientFeatures,
  effectiveConfigObject,
  FULL_CLIENT,
  isProjectConfigUri,
  LintScheduler,
  locate,
  normalizeSettings,
  optionsForDocument,
  ProjectConfigCache,
  PublishGuard,
  status,
  toLspDiagnostics,
  type FileSystem,
} from '../../server/src/engine/features';
import { lint } from '../../server/src/engine';

describe('features: analysis cache', () => {
  const options = resolveOptions('/etc/php/8.2/fpm/conf.d/x.ini', {}, undefined);

  it('parses a document version once, however often it is asked for', () => {
    const cache = new AnalysisCache();
    const a = cache.get('file:///x.ini', 1, 'session.use_strict_mode = 0\n', options);
    const b = cache.get('file:///x.ini', 1, 'session.use_strict_mode = 0\n', options);
    assert.equal(a, b);
    assert.equal(a.diagnostics, b.diagnostics);
    assert.equal(cache.parses, 1);
    assert.equal(cache.lints, 1);
  });

  it('re-lints without re-parsing when only lint options change; re-parses for a new version or PHP version', () => {
    const cache = new AnalysisCache();
    const text = 'session.use_strict_mode = 0\n';
    const a = cache.get('u', 1, text, options);
    void a.diagnostics;
    const b = cache.get('u', 1, text, { ...options, rules: { 'session-use-strict-mode': 'off' } });
    assert.equal(b.doc, a.doc);
    assert.equal(cache.parses, 1);
    assert.deepEqual(b.diagnostics.filter((d) => d.rule === 'session-use-strict-mode'), []);
    cache.get('u', 2, text + '; x\n', options);
    assert.equal(cache.parses, 2);
    cache.get('u', 2, text + '; x\n', { ...options, phpVersion: '8.4' });
    assert.equal(cache.parses, 3);
    assert.equal(cache.peek('u', 1), undefined);
    cache.delete('u');
    assert.equal(cache.peek('u', 2), undefined);
  });
});

describe('features: scheduling', () => {
  function fakeTimers() {
    let now = 0;
    let seq = 0;
    const timers = new Map<number, { at: number; fn: () => void }>();
    return {
      timers: {
        setTimeout: (fn: () => void, ms: number) => {
          timers.set(++seq, { at: now + ms, fn });
          return seq;
        },
        clearTimeout: (h: unknown) => void timers.delete(h as number),
      },
      advance(ms: number) {
        now += ms;
        for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
          if (t.at <= now) {
            timers.delete(id);
            t.fn();
          }
        }
      },
    };
  }

  it('debounces per document and runs once after the quiet period', () => {
    const clock = fakeTimers();
    const runs: string[] = [];
    const s = new LintScheduler((uri) => runs.push(uri), 150, clock.timers);
    s.schedule('a');
    clock.advance(100);
    s.schedule('a');
    s.schedule('b');
    clock.advance(100);
    assert.deepEqual(runs, []);
    clock.advance(50);
    assert.deepEqual(runs.sort(), ['a', 'b']);
    s.schedule('a', 0);
    assert.ok(s.isPending('a'));
    s.cancel('a');
    clock.advance(1000);
    assert.equal(runs.length, 2);
  });

  it('never lets an older version replace a newer one', () => {
    const g = new PublishGuard();
    assert.ok(g.claim('u', 2));
    assert.ok(!g.claim('u', 1));
    assert.ok(g.claim('u', 2), 'the same version again (re-lint after a settings change) is fine');
    assert.ok(g.claim('u', 5));
    g.forget('u');
    assert.ok(g.claim('u', 1), 'a re-opened document starts over');
  });
});

describe('features: settings, URIs and client capabilities', () => {
  it('normalizes whatever the client sends', () => {
    assert.deepEqual(normalizeSettings(null), { enable: true, phpVersion: 'auto', profile: 'production', httpsOnly: true, rules: {} });
    assert.deepEqual(normalizeSettings({ enable: false, phpVersion: '8.1', profile: 'development', httpsOnly: false, rules: { a: 'error', b: 'loud', c: 'off' }, extra: 1 }), {
      enable: false,
      phpVersion: '8.1',
      profile: 'development',
      httpsOnly: false,
      rules: { a: 'error', c: 'off' },
    });
    assert.equal(normalizeSettings({ phpVersion: 'latest', profile: 'staging', rules: [] }).phpVersion, 'auto');
  });

  it('maps URIs to paths; only file: URIs touch the disk', () => {
    assert.deepEqual(locate('file:///etc/php/8.2/fpm/php%20x.ini'), { path: '/etc/php/8.2/fpm/php x.ini', isFile: true, scheme: 'file' });
    assert.deepEqual(locate('untitled:Untitled-1'), { path: 'Untitled-1', isFile: false, scheme: 'untitled' });
    assert.deepEqual(locate('vscode-vfs://github/acme/repo/etc/php/8.3/cli/php.ini'), { path: '/acme/repo/etc/php/8.3/cli/php.ini', isFile: false, scheme: 'vscode-vfs' });
  });

  it('takes the dialect from the language id and treats untitled php.ini buffers as a complete php.ini', () => {
    const untitled = optionsForDocument('untitled:Untitled-1', 'php-ini', {}, undefined);
    assert.equal(untitled.dialect, 'php-ini');
    assert.equal(untitled.role, 'main');
    const fpm = optionsForDocument('untitled:Untitled-2', 'php-fpm', {}, undefined);
    assert.equal(fpm.dialect, 'php-fpm');
    assert.equal(fpm.role, 'fpm');
    const virtual = optionsForDocument('vscode-vfs://github/acme/repo/etc/php/8.3/cli/conf.d/20-x.ini', 'php-ini', {}, undefined);
    assert.equal(virtual.phpVersion, '8.3');
    assert.equal(virtual.role, 'fragment');
    // A .conf file the user switched to php-ini is read as php.ini syntax.
    assert.equal(optionsForDocument('file:///srv/app/custom.conf', 'php-ini', {}, undefined).dialect, 'php-ini');
  });

  it('reads the client capabilities that change the answers', () => {
    const none = clientFeatures(undefined);
    assert.equal(none.relatedInformation, false);
    assert.equal(none.documentChanges, false);
    assert.equal(none.configuration, false);
    const vs = clientFeatures({
      workspace: { configuration: true, workspaceEdit: { documentChanges: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
      textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, tagSupport: { valueSet: [1, 2] } }, documentSymbol: { hierarchicalDocumentSymbolSupport: true } },
    });
    assert.deepEqual([vs.relatedInformation, vs.codeDescription, vs.tags, vs.documentChanges, vs.configuration, vs.watchedFilesDynamic, vs.hierarchicalSymbols], [true, true, [1, 2], true, true, true, true]);
  });

  it('converts diagnostics for a client without related information by folding it into the message', () => {
    const doc = parse('memory_limit = 1M\nmemory_limit = 2M\n');
    const diags = lint(doc, { phpVersion: '8.2', profile: 'production', httpsOnly: true, role: 'fragment' });
    const dup = diags.find((d) => d.rule === 'duplicate-directive');
    assert.ok(dup, 'precondition: duplicate-directive reports the dead line');
    const plain = toLspDiagnostics([dup], 'file:///x', clientFeatures({}))[0];
    assert.equal(plain.relatedInformation, undefined);
    assert.equal(plain.codeDescription, undefined);
    assert.equal(plain.tags, undefined);
    assert.ok(plain.message.startsWith(dup.message + '\nLine 2: '), plain.message);
    const full = toLspDiagnostics([dup], 'file:///x', FULL_CLIENT)[0];
    assert.equal(full.message, dup.message);
    assert.deepEqual(full.tags, [1]);
    assert.deepEqual(full.relatedInformation?.[0].location, { uri: 'file:///x', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 17 } } });
  });
});

describe('features: project config cache', () => {
  function memoryFs(files: Record<string, string>): FileSystem & { stats: number; reads: number } {
    const fsys = {
      stats: 0,
      reads: 0,
      stat(p: string) {
        fsys.stats++;
        return p in files ? { size: files[p].length, mtimeMs: 1 } : undefined;
      },
      read(p: string) {
        fsys.reads++;
        return files[p];
      },
    };
    return fsys;
  }

  it('walks up from the file, caches per directory, and re-reads a changed file', () => {
    const files: Record<string, string> = { '/srv/app/.php-ini-lint.ini': 'php_version = 8.1\n' };
    const fsys = memoryFs(files);
    const cache = new ProjectConfigCache(fsys);
    assert.equal(cache.forFile('/srv/app/etc/php/php.ini')?.phpVersion, '8.1');
    const stats = fsys.stats;
    assert.equal(cache.forFile('/srv/app/etc/php/other.ini')?.phpVersion, '8.1');
    assert.equal(fsys.stats, stats + 1, 'only the found file is checked again');
    assert.equal(fsys.reads, 1);
    files['/srv/app/.php-ini-lint.ini'] = 'php_version = 8.3\nprofile = development\n';
    assert.equal(cache.forFile('/srv/app/etc/php/php.ini')?.phpVersion, '8.3');
    assert.equal(cache.forFile('/elsewhere/php.ini'), undefined);
    // A new file nearer the document is seen after invalidation (a watched-file event).
    files['/srv/app/etc/.php-ini-lint.ini'] = 'php_version = 7.4\n';
    assert.equal(cache.forFile('/srv/app/etc/php/php.ini')?.phpVersion, '8.3');
    cache.invalidate();
    assert.equal(cache.forFile('/srv/app/etc/php/php.ini')?.phpVersion, '7.4');
    // Deleted: forgotten without an event.
    delete files['/srv/app/etc/.php-ini-lint.ini'];
    assert.equal(cache.forFile('/srv/app/etc/php/php.ini')?.phpVersion, '8.3');
  });

  it('expires directory answers when the client cannot watch files', () => {
    let now = 0;
    const files: Record<string, string> = {};
    const cache = new ProjectConfigCache(memoryFs(files), 3000, () => now);
    assert.equal(cache.forFile('/a/b/php.ini'), undefined);
    files['/a/.php-ini-lint.ini'] = 'profile = development\n';
    assert.equal(cache.forFile('/a/b/php.ini'), undefined);
    now += 3001;
    assert.equal(cache.forFile('/a/b/php.ini')?.profile, 'development');
  });

  it('reports problems in the file instead of throwing, and recognizes its URIs', () => {
    const cache = new ProjectConfigCache(memoryFs({ '/p/.php-ini-lint.ini': 'profile = staging\n' }));
    assert.deepEqual(cache.forFile('/p/php.ini')?.problems, ['profile must be production or development, not "staging"']);
    assert.ok(isProjectConfigUri('file:///p/.php-ini-lint.ini'));
    assert.ok(isProjectConfigUri('file:///c%3A/p/.php-ini-lint.ini'));
    assert.ok(!isProjectConfigUri('file:///p/php.ini'));
    assert.ok(!isProjectConfigUri('file:///p/x.php-ini-lint.ini'));
  });
});

describe('features: effective configuration and status', () => {
  it('php.ini: get_cfg_var view, modules and [PATH=] sections', () => {
    const options = resolveOptions('/etc/php/8.2/cli/php.ini', {}, undefined);
    const doc = parse('extension=intl\nzend_extension = opcache\nx = On\narr[a] = 1\narr[] = 2\n[HOST=Example.COM]\ny = "q"\n', { phpVersion: '8.2' });
    const obj = effectiveConfigObject(doc, options, 'file:///etc/php/8.2/cli/php.ini');
    assert.deepEqual(obj.get_cfg_var, { x: '1', arr: { a: '1', '0': '2' }, 'example.com': { y: 'q' } });
    assert.deepEqual(obj.extensions, ['intl']);
    assert.deepEqual(obj.zend_extensions, ['opcache']);
    assert.deepEqual(obj.specialSections, { '[HOST=example.com]': { y: 'q' } });
    assert.equal(obj.notes, undefined);
  });

  it('pools: first php_value wins, php_admin_* beats it, first env wins, $pool expanded', () => {
    const options = resolveOptions('/etc/php/8.2/fpm/pool.d/www.conf', {}, undefined);
    const doc = parse(
      '[app]\nlisten = /run/$pool.sock\nLISTEN = /run/$pool-2.sock\nphp_value[memory_limit] = 1M\nphp_value[memory_limit] = 2M\nphp_flag[display_errors] = on\nphp_admin_flag[display_errors] = off\nenv[A] = 1\nenv[A] = 2\n',
      { dialect: 'php-fpm', phpVersion: '8.2' },
    );
    const obj = effectiveConfigObject(doc, options, 'u') as { pools: Record<string, { directives: Record<string, string>; php: Record<string, unknown>; env: Record<string, string> }> };
    assert.deepEqual(obj.pools.app.directives, { LISTEN: '/run/app-2.sock' });
    assert.deepEqual(obj.pools.app.php, {
      memory_limit: { value: '1M', admin: false, via: 'php_value' },
      display_errors: { value: '0', admin: true, via: 'php_admin_flag' },
    });
    assert.deepEqual(obj.pools.app.env, { A: '1' });
  });

  it('what a file is follows from its name, with / or \\ paths and trailing separators', () => {
    const kind = (p: string) => {
      const o = resolveOptions(p, {}, undefined);
      return `${o.dialect} ${o.role} ${o.phpVersion}`;
    };
    assert.equal(kind('/etc/php/8.2/fpm/php.ini'), 'php-ini main 8.2');
    assert.equal(kind('C:\\php\\php8.1\\php.ini-production'), 'php-ini main 8.1');
    assert.equal(kind('C:\\tools\\php74\\conf.d\\xdebug.ini'), 'php-ini fragment 7.4');
    assert.equal(kind('/etc/php/8.3/fpm/pool.d/www.conf'), 'php-fpm fpm 8.3');
    assert.equal(kind('D:\\sites\\app\\WWW.CONF'), 'php-fpm fpm 8.5');
    assert.equal(kind('/srv/app/public/.user.ini'), 'php-ini user-ini 8.5');
    assert.equal(kind('/srv/app/public/.user.ini/'), 'php-ini user-ini 8.5');
    assert.equal(kind('conf\\php-fpm.conf\\\\'), 'php-fpm fpm 8.5');
    assert.equal(kind('/'), 'php-ini fragment 8.5');
    assert.equal(kind(''), 'php-ini fragment 8.5');
  });

  it('status reports where the PHP version came from', () => {
    assert.deepEqual(status(resolveOptions('/etc/php/8.2/fpm/php.ini', {}, undefined)), { phpVersion: '8.2', phpVersionSource: 'path', profile: 'production', configFile: null });
    assert.deepEqual(status(resolveOptions('/srv/php.ini', { phpVersion: '8.1', profile: 'development' }, undefined)), { phpVersion: '8.1', phpVersionSource: 'setting', profile: 'development', configFile: null });
  });
});
