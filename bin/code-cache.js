'use strict';
// Loads the CLI bundle with a V8 code cache, as Node 22's module.enableCompileCache() does for modules.
// A CLI process is short: compiling the bundle and then each function on its first call is a good part
// of a run over a few hundred files. The cache holds the bytecode of every function a lint run used, so
// later runs start from it. It lives in the user's cache directory, keyed by Node version and bundle;
// V8 checks it again (version, flags, source) and rejects a stale one, which is then rewritten.
//
// V8 trusts a cache it accepts, and a damaged one can crash the process. Release builds neither write
// nor check the checksum a code cache has room for; --verify-snapshot-checksum turns both on (a cheap
// native sum, where a SHA-256 of our own cost the crypto module's load, about 5 ms a run).
//
// PHP_INI_LINT_CODE_CACHE=off disables it; any other value is the directory to use.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

// Before anything is compiled: the flag is part of what V8 checks a cache against, so caches made
// without it are rejected once and rewritten with a checksum.
require('node:v8').setFlagsFromString('--verify-snapshot-checksum');

function cacheDir() {
  const setting = process.env.PHP_INI_LINT_CODE_CACHE;
  if (setting !== undefined && setting !== '') return /^(off|0|false|no)$/i.test(setting) ? undefined : path.resolve(setting);
  let home;
  try {
    home = os.homedir();
  } catch {
    return undefined;
  }
  // Never a shared temporary directory: whoever can write the cache can run code as the user.
  if (!home) return undefined;
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'php-ini-lint', 'Cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'php-ini-lint');
  return path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'php-ini-lint');
}

function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

/**
 * Requires `file` (a CommonJS bundle) through the code cache. Returns its exports and `save(worthIt)`,
 * which writes a cache when there was none usable and the run was worth remembering (a run that printed
 * the version has compiled almost nothing).
 */
function loadWithCodeCache(file) {
  const dir = cacheDir();
  if (!dir) return { exports: require(file), save() {} };
  let source;
  let stat;
  try {
    source = fs.readFileSync(file, 'utf8');
    stat = fs.statSync(file);
  } catch {
    return { exports: require(file), save() {} };
  }
  // V8 rejects a cache made under other flags, so runs with different node flags keep their own.
  const key = [path.basename(file, '.js'), process.version, process.arch, fnv1a(process.execArgv.join(' ')), stat.size, Math.trunc(stat.mtimeMs)].join('-');
  const cacheFile = path.join(dir, `${key}.v8cache`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // none yet
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  // Registered like any required module: a later require() of the bundle gets this instance.
  Module._cache[file] = mod;
  const wrapper = script.runInThisContext();
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  const usable = cachedData !== undefined && !script.cachedDataRejected;
  return {
    exports: mod.exports,
    save(worthIt) {
      if (usable || !worthIt) return;
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        const data = script.createCachedData();
        fs.writeFileSync(tmp, data, { mode: 0o600 });
        fs.renameSync(tmp, cacheFile); // atomic: a concurrent run reads the old file or the new one
        // Caches of earlier builds of the bundle for this same Node are dead weight now.
        const prefix = [path.basename(file, '.js'), process.version, process.arch, fnv1a(process.execArgv.join(' ')), ''].join('-');
        for (const name of fs.readdirSync(dir)) {
          if (name.startsWith(prefix) && name.endsWith('.v8cache') && name !== path.basename(cacheFile)) fs.rmSync(path.join(dir, name), { force: true });
        }
      } catch {
        // A cache that cannot be written only costs speed.
      }
    },
  };
}

module.exports = { loadWithCodeCache, cacheDir };
