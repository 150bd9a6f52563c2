// Nothing in a config makes the engine run, load or follow anything. While parse + lint + fixAll (+ cfgVars)
// run on hostile configs (auto_prepend_file, extension=/tmp/evil.so, include=/etc/* in pools, ${HOME}-style
// and odd ${...} names, error_log=/dev/stdout...), every function of `fs`, `fs.promises` and
// `child_process` is spied on, as are module loading, process.dlopen/kill/chdir/exit and fetch, and
// process.env is replaced by a Proxy that records every read: none may happen. The engine takes the
// environment only from its options.

import * as assert from 'assert';
import fc from 'fast-check';
// The real CommonJS module objects (not TypeScript's import-star copies), so patches reach every importer.
import childProcess = require('child_process');
import fs = require('fs');
import Module = require('module');
import * as path from 'path';
import { cfgVars, fixAll, lint, parse, type Dialect, type LintOptions, type RuleScope } from '../../server/src/engine';
import { FUZZ_SEED, iniCaseArb, poolCaseArb, runs, showCase } from './arbitraries';

interface Spy {
  calls: string[];
  envReads: string[];
  restore(): void;
}

const ENGINE_DIR = path.resolve(__dirname, '..', '..', 'server', 'src', 'engine');
const DANGEROUS_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|tls|dgram|dns|worker_threads|cluster|vm|inspector|module|v8)$/;

/** Wraps every function-valued own data property of `obj` (a module namespace) to record calls. */
function wrapAll(obj: Record<string, unknown>, label: string, calls: string[], undo: Array<() => void>): void {
  for (const key of Object.getOwnPropertyNames(obj)) {
    const desc = Object.getOwnPropertyDescriptor(obj, key);
    if (!desc || !('value' in desc) || typeof desc.value !== 'function' || !desc.writable) continue;
    if (/^[A-Z]/.test(key)) continue; // classes (Stats, Dirent, ReadStream...): constructing one does no I/O by itself
    const original = desc.value as (...a: unknown[]) => unknown;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      calls.push(`${label}.${key}(${args.map((a) => (typeof a === 'string' ? JSON.stringify(a) : typeof a)).join(', ')})`);
      return original.apply(this, args);
    };
    try {
      obj[key] = wrapped;
      undo.push(() => {
        obj[key] = original;
      });
    } catch {
      /* read-only binding */
    }
  }
}

/** Installs every spy; the returned object holds what was called until restore(). */
export function installSpies(): Spy {
  const calls: string[] = [];
  const envReads: string[] = [];
  const undo: Array<() => void> = [];
  wrapAll(fs as unknown as Record<string, unknown>, 'fs', calls, undo);
  wrapAll(fs.promises as unknown as Record<string, unknown>, 'fs.promises', calls, undo);
  wrapAll(require('fs/promises') as Record<string, unknown>, 'fs/promises', calls, undo);
  wrapAll(childProcess as unknown as Record<string, unknown>, 'child_process', calls, undo);
  for (const key of ['dlopen', 'kill', 'chdir', 'exit', 'binding', 'abort'] as const) {
    const p = process as unknown as Record<string, unknown>;
    const original = p[key] as (...a: unknown[]) => unknown;
    if (typeof original !== 'function') continue;
    p[key] = function (this: unknown, ...args: unknown[]) {
      calls.push(`process.${key}(${args.map((a) => typeof a).join(', ')})`);
      return original.apply(this, args);
    };
    undo.push(() => {
      p[key] = original;
    });
  }
  const g = globalThis as unknown as Record<string, unknown>;
  if (typeof g.fetch === 'function') {
    const originalFetch = g.fetch;
    g.fetch = (...args: unknown[]) => {
      calls.push(`fetch(${String(args[0])})`);
      return (originalFetch as (...a: unknown[]) => unknown)(...args);
    };
    undo.push(() => {
      g.fetch = originalFetch;
    });
  }
  // Module loading: the engine is fully loaded already; a require of I/O modules or of code outside the
  // engine during a lint would mean a config made it load something.
  const M = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const originalLoad = M._load;
  M._load = function (request: string, parent: unknown, isMain: boolean) {
    const from = (parent as { filename?: string } | undefined)?.filename ?? '';
    if (DANGEROUS_MODULES.test(request) || (!request.startsWith('.') && !DANGEROUS_MODULES.test(request) && from.startsWith(ENGINE_DIR)) || (request.startsWith('.') && !path.resolve(path.dirname(from), request).startsWith(ENGINE_DIR))) {
      calls.push(`require(${JSON.stringify(request)}) from ${path.relative(ENGINE_DIR, from) || from}`);
    }
    return originalLoad.call(this, request, parent, isMain);
  };
  undo.push(() => {
    M._load = originalLoad;
  });
  // process.env: every read, enumeration or probe is recorded.
  const realEnv = process.env;
  const rec = (k: string | symbol) => {
    if (typeof k === 'string') envReads.push(k);
  };
  process.env = new Proxy(realEnv, {
    get(t, k, r) {
      rec(k);
      return Reflect.get(t, k, r);
    },
    has(t, k) {
      rec(k);
      return Reflect.has(t, k);
    },
    ownKeys(t) {
      envReads.push('<enumerate>');
      return Reflect.ownKeys(t);
    },
    getOwnPropertyDescriptor(t, k) {
      rec(k);
      return Reflect.getOwnPropertyDescriptor(t, k);
    },
  });
  undo.push(() => {
    process.env = realEnv;
  });
  return {
    calls,
    envReads,
    restore() {
      while (undo.length) undo.pop()!();
    },
  };
}

const BASE: Omit<LintOptions, 'role'> = { phpVersion: '8.2', profile: 'production', httpsOnly: true };

/** parse + lint + fixAll (+ re-lint and cfgVars) with every spy on; returns what was touched. */
function runSpied(text: string, dialect: Dialect, role: RuleScope, extra: Partial<LintOptions> = {}): { calls: string[]; envReads: string[]; error?: string } {
  const options: LintOptions = { ...BASE, role, ...extra };
  const spy = installSpies();
  let error: string | undefined;
  try {
    const doc = parse(text, { dialect, phpVersion: options.phpVersion, env: options.env });
    const diags = lint(doc, options);
    const internal = diags.find((d) => d.message.startsWith('Internal error in rule'));
    if (internal) error = `rule ${internal.rule} threw: ${internal.message}`;
    const fixed = fixAll(doc, options);
    lint(parse(fixed.text, { dialect, phpVersion: options.phpVersion, env: options.env }), options);
    if (dialect === 'php-ini') cfgVars(doc);
  } catch (err) {
    error = `threw: ${(err as Error).message}`;
  } finally {
    spy.restore();
  }
  return { calls: spy.calls, envReads: spy.envReads, error };
}

const INI_CASES: Array<[string, string]> = [
  ['auto_prepend_file / auto_append_file', 'auto_prepend_file = /tmp/x.php\nauto_append_file = "/etc/passwd"\n'],
  ['extension= / zend_extension= with paths and names', 'extension=/tmp/evil.so\nextension = evil\nextension="../../tmp/evil.so"\nzend_extension=/tmp/evil.so\nzend_extension = xdebug\n'],
  ['error_log = /dev/stdout and other paths', 'error_log = /dev/stdout\nsession.save_path = "/tmp/../../etc"\nopen_basedir = /\ninclude_path = ".:/usr/share/php"\nsys_temp_dir = /dev/shm\nuser_ini.filename = .user.ini\ndoc_root = /etc\nupload_tmp_dir = /proc/self\n'],
  ['${HOME}-style variables', 'x = ${HOME}\ny = ${PATH}/bin\nz = "${EVIL_VAR}"\nw = ${LD_PRELOAD}\nsession.save_path = ${TMPDIR}\n${NODE_OPTIONS} = 1\n'],
  ['odd ${...} names (object-prototype names, NUL, paths)', 'e = ${__proto__}\nf = ${constructor}\ng = ${toString}\nh = ${hasOwnProperty}\ni = ${x\u0000y}\nj = ${../../etc/passwd}\nsession.name = ${valueOf}\n'],
  ...['a = ${}\n', 'b = ${ }\n', 'c = ${$}\n', 'd = ${A:-${B}}\n', 'd = ${A:-/etc/passwd}\n', 'k = ${HOME\n', '${HOME} = 1\n', 'x[${HOME}] = 1\n'].map(
    (t): [string, string] => [`odd \${...} syntax: ${JSON.stringify(t)}`, t],
  ),
  ['sections naming paths and hosts', '[PATH=/etc]\nsession.save_path = /etc\n[HOST=${HOME}]\nextension=/tmp/evil.so\n'],
  ['disable comments and data URLs', '; php-ini-lint-disable\nauto_prepend_file = "data://text/plain;base64,PD9waHAgc3lzdGVtKCdpZCcpOw=="\n; php-ini-lint-enable\nallow_url_include = On\nallow_url_fopen = On\n'],
];

const POOL_CASES: Array<[string, string]> = [
  ['include = /etc/*', '[www]\ninclude = /etc/*\n'],
  ['include=/dev/zero', 'include=/dev/zero\n[www]\nuser = www-data\n'],
  ['include = ../../../*', '[global]\ninclude = ../../../*\n[www]\nlisten = 9000\n'],
  ['include of a glob of pools and /proc', '[global]\npid = /run/php.pid\nerror_log = /dev/stdout\ninclude=/etc/php/*/fpm/pool.d/*.conf\ninclude = /proc/self/environ\n'],
  [
    'paths, env[] and php_admin_value[] that name files',
    '[www]\nlisten = /run/php.sock\nslowlog = /dev/stdout\naccess.log = /proc/self/fd/2\nchroot = /\nchdir = /etc\nenv[PATH] = $PATH\nenv[HOME] = ${HOME}\nenv[X] = ${__proto__}\nphp_admin_value[auto_prepend_file] = /tmp/x.php\nphp_admin_value[extension] = /tmp/evil.so\nphp_value[error_log] = /dev/stdout\nuser = root\n',
  ],
];

/** Names written inside ${...} in the text. */
function varNames(text: string): string[] {
  return [...text.matchAll(/\$\{([^}\n]*)\}/g)].map((m) => m[1]);
}

function assertUntouched(label: string, text: string, r: { calls: string[]; envReads: string[]; error?: string }): void {
  assert.deepStrictEqual(r.calls, [], `${label}: the engine touched the system while reading ${JSON.stringify(text)}`);
  const fromFile = new Set(varNames(text).flatMap((n) => [n, n.split('\0')[0], n.split(':-')[0]]));
  const leaked = r.envReads.filter((k) => fromFile.has(k) || k === '<enumerate>');
  assert.deepStrictEqual(leaked, [], `${label}: process.env was read for names from the file`);
  assert.deepStrictEqual(r.envReads, [], `${label}: process.env was read at all (the engine must take env only from its options)`);
  // Checked last: a crash is a bug too, but not a sandbox escape.
  assert.strictEqual(r.error, undefined, `${label}: the engine failed on ${JSON.stringify(text)}: ${r.error}`);
}

describe('never executes: a config cannot make the engine run, load or follow anything', function () {
  this.timeout(60000);

  before(function () {
    // Warm up outside the spies (lazy module loads of the engine itself are not caused by a config).
    // A case that makes the engine throw is reported by its own test, not here.
    const warm = (t: string, dialect: Dialect, role: RuleScope) => {
      try {
        fixAll(parse(t, { dialect }), { ...BASE, role });
      } catch {
        /* reported below */
      }
    };
    for (const [, t] of INI_CASES) warm(t, 'php-ini', 'main');
    for (const [, t] of POOL_CASES) warm(t, 'php-fpm', 'fpm');
  });

  it('the spies work (control: a direct fs read, spawnSync and env read are recorded)', function () {
    const spy = installSpies();
    try {
      fs.existsSync('/etc/hostname');
      childProcess.spawnSync('true');
      void process.env.HOME;
    } finally {
      spy.restore();
    }
    assert.ok(spy.calls.some((c) => c.startsWith('fs.existsSync(')), spy.calls.join('\n'));
    assert.ok(spy.calls.some((c) => c.startsWith('child_process.spawnSync(')), spy.calls.join('\n'));
    assert.ok(spy.envReads.includes('HOME'));
    const before = fs.readFileSync;
    installSpies().restore();
    assert.strictEqual(fs.readFileSync, before, 'spies are removed again');
  });

  describe('php.ini files (roles main, fragment, user-ini; PHP 8.2 and 8.4)', function () {
    for (const [name, text] of INI_CASES) {
      it(name, function () {
        for (const role of ['main', 'fragment', 'user-ini'] as const) {
          for (const phpVersion of ['8.2', '8.4']) {
            assertUntouched(`${role} ${phpVersion}`, text, runSpied(text, 'php-ini', role, { phpVersion }));
          }
        }
      });
    }
  });

  describe('pool files', function () {
    for (const [name, text] of POOL_CASES) {
      it(name, function () {
        for (const phpVersion of ['8.2', '8.4']) assertUntouched(`fpm ${phpVersion}`, text, runSpied(text, 'php-fpm', 'fpm', { phpVersion }));
      });
    }
  });

  it('${VAR} takes its value from options.env only, never from process.env (odd names included)', function () {
    const saved = { EVIL_VAR: process.env.EVIL_VAR };
    process.env.EVIL_VAR = 'from-process-env';
    try {
      const text = 'a = ${EVIL_VAR}\nb = ${HOME}\nc = ${constructor}\nd = ${__proto__}\ne = ${toString}\n';
      const none = cfgVars(parse(text, { phpVersion: '8.2' }));
      assert.deepStrictEqual(none, { a: '', b: '', c: '', d: '', e: '' }, 'without options.env every variable is unset (""), as for PHP with an empty environment');
      const given = cfgVars(parse(text, { phpVersion: '8.2', env: { EVIL_VAR: 'given', HOME: '/home/x' } }));
      assert.deepStrictEqual(given, { a: 'given', b: '/home/x', c: '', d: '', e: '' });
    } finally {
      if (saved.EVIL_VAR === undefined) delete process.env.EVIL_VAR;
      else process.env.EVIL_VAR = saved.EVIL_VAR;
    }
  });

  it(`generated hostile files (fast-check, ${runs(60)} runs, seed ${FUZZ_SEED + 30}) never touch the system`, function () {
    const arb = fc.oneof(iniCaseArb({ mutate: 3, maxLines: 14 }), poolCaseArb({ includes: true, mutate: 3, maxLines: 14 }));
    fc.assert(
      fc.property(arb, (c) => {
        const r = runSpied(c.text, c.dialect, c.options.role, { phpVersion: c.options.phpVersion, profile: c.options.profile, httpsOnly: c.options.httpsOnly });
        if (r.calls.length || r.envReads.length) throw new Error(`touched: ${[...r.calls, ...r.envReads.map((k) => `process.env.${k}`)].join(', ')}\n  ${showCase(c)}`);
      }),
      { seed: FUZZ_SEED + 30, numRuns: runs(60) },
    );
  });
});
