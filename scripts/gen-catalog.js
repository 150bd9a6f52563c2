#!/usr/bin/env node
/*
 * Development-time generator for the directive catalog (server/src/engine/data/*.json).
 *
 *   node scripts/gen-catalog.js
 *
 * Reads the reference facts from ../shared/reference (override: env PHP_INI_LINT_REFERENCE) and keeps
 * only facts, no prose. The generated JSON is committed; the product never runs this script.
 *
 * REQUIRES php8.2 (override the binary with env PHP_INI_LINT_PHP) to regenerate php-constants.json:
 * the set of constants PHP substitutes while parsing php.ini is only knowable empirically, because
 * php.ini is read before extensions register their constants. Without php8.2 the existing
 * php-constants.json is left untouched and only the directive files are rewritten.
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const REF = process.env.PHP_INI_LINT_REFERENCE || path.resolve(ROOT, '../shared/reference');
const OUT = path.join(ROOT, 'server/src/engine/data');
const PHP = process.env.PHP_INI_LINT_PHP || 'php8.2';
const DOC_BASE = 'https://www.php.net/manual/en/';
/** Lowest version the linter targets; default changes before it affect nothing we report on. */
const LOWEST_SUPPORTED = '7.4';

const warnings = [];
const warn = (msg) => warnings.push(msg);

function readRef(file) {
  return JSON.parse(fs.readFileSync(path.join(REF, file), 'utf8'));
}

function cmpVer(a, b) {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d) return d;
  }
  return 0;
}
const minor = (v) => v.split('.').slice(0, 2).join('.');

/**
 * The reference links these to PECL pages (memcache, igbinary) that merely mention them; the
 * session manual is where they are documented.
 */
const DOC_FIX = {
  'session.save_handler': DOC_BASE + 'session.configuration.php#ini.session.save-handler',
  'session.save_path': DOC_BASE + 'session.configuration.php#ini.session.save-path',
};

function relDoc(url) {
  if (!url) return null;
  // Stored relative to DOC_BASE to keep the file small; catalog.ts re-adds the base.
  return url.startsWith(DOC_BASE) ? url.slice(DOC_BASE.length) : url;
}

/** Writes one array element per line so diffs of regenerated data stay readable. */
function writeJson(file, meta, key, items, extra = {}) {
  const head = JSON.stringify({ _meta: meta, ...extra }).slice(0, -1);
  const body = items.map((x) => '  ' + JSON.stringify(x)).join(',\n');
  const text = `${head},\n"${key}": [\n${body}\n]}\n`;
  JSON.parse(text); // fail here rather than at import time
  fs.writeFileSync(path.join(OUT, file), text);
  return text.length;
}

/** Drops null/undefined/false fields: catalog.ts restores them, and the file stays small. */
function compact(o) {
  const r = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined && v !== false) r[k] = v;
  return r;
}

// ---------------------------------------------------------------------------------------------
// php.ini directives

/**
 * "Prior to PHP 8.4.0, the default value was "tracing"" and friends: the only per-version default
 * facts that reach back before the runtime snapshots (8.2/8.4/8.5), e.g. display_startup_errors on 7.4.
 */
const PRIOR_DEFAULT_RE =
  /(?:Prior to|Before) PHP (\d+\.\d+\.\d+)(?: and [\d.]+)?,? (?:the default(?: value)? was|defaults to) (?:"([^"]*)"|(-?[\w]+(?:\.\d+)?))/g;

function priorDefaults(changelog) {
  const out = [];
  if (!changelog) return out;
  for (const m of changelog.matchAll(PRIOR_DEFAULT_RE)) {
    if (/ and [\d.]+/.test(m[0].split(',')[0])) continue; // patch-level backports: no clean minor boundary
    out.push({ boundary: m[1], prior: m[2] !== undefined ? m[2] : m[3] });
  }
  return out;
}

const DEPRECATED_WHEN = [
  // Partial deprecations: only some values trigger E_DEPRECATED, so rules must not flag every use.
  [/^non-empty value is deprecated$/, 'non-empty'],
  [/^changing it is deprecated$/, 'changed'],
  [/^disabling \(0\) is deprecated$/, 'off'],
  [/^enabling \(1\) is deprecated$/, 'on'],
  [/^deriving \$_SERVER argc\/argv from the query string/, 'on'],
];

/**
 * Defaults that are configure-time choices (paths, detected handlers): the doc value is a
 * placeholder or upstream's choice, and distro builds differ (Debian's include_path, sockets...).
 */
const BUILD_DEPENDENT = new Set([
  'extension_dir',
  'include_path',
  'dba.default_handler',
  'mysqli.default_socket',
  'pdo_mysql.default_socket',
  'sendmail_path',
]);

/**
 * Widely deployed extensions that doc-en does not document, so the reference has none of their
 * directives. Only their prefix is a fact we keep: `xdebug.mode` is someone's extension, not a typo.
 */
const EXTRA_PREFIXES = [
  'blackfire', 'datadog', 'excimer', 'grpc', 'ioncube', 'newrelic', 'opentelemetry', 'pcov', 'redis',
  'tideways', 'xdebug',
];

const norm = (v) => (v === '' ? null : v); // ini_get() cannot tell NULL from ""

function isMacro(src) {
  return typeof src === 'string' && /^<[A-Z0-9_]+>$/.test(src);
}

function runtimeValues(d) {
  if (!d.runtime) return [];
  return Object.entries(d.runtime)
    .filter(([, r]) => r && r.global_value !== '(local file)') // redacted in the reference
    .map(([ver, r]) => ({ ver, minor: minor(ver), value: r.global_value, access: r.access }))
    .sort((a, b) => cmpVer(a.ver, b.ver));
}

function baseDefault(d, rt) {
  // php-src is the ground truth; doc-en has prose ("$_SERVER['HTTP_HOST'] is used as default."),
  // stale values (report_zend_debug) and alternative spellings ("0o644", "4M", "Off").
  if (typeof d.default_src === 'string' && !isMacro(d.default_src)) return d.default_src;
  // A macro or no source: trust what every runtime reported, unless the CLI SAPI or the distro
  // build (BUILD_DEPENDENT) may have put it there.
  if (rt.length && !d.runtime_note && !BUILD_DEPENDENT.has(d.name)) {
    const vals = new Set(rt.map((r) => norm(r.value)));
    if (vals.size === 1) {
      const v = rt[0].value;
      if (norm(v) !== norm(d.default)) warn(`default ${d.name}: doc ${JSON.stringify(d.default)} -> runtime ${JSON.stringify(v)}`);
      return v;
    }
  }
  return d.default;
}

function convertDirective(d) {
  const rt = runtimeValues(d);
  let def = baseDefault(d, rt);
  let defaults = null;

  const changes = priorDefaults(d.changelog).filter((c) => cmpVer(c.boundary, LOWEST_SUPPORTED) > 0);
  if (changes.length) {
    // The changelog describes the current (doc) value; php-src 8.4.24 may predate an 8.5 change.
    def = d.default;
    const firstKey = d.since && cmpVer(d.since, LOWEST_SUPPORTED) > 0 ? minor(d.since) : LOWEST_SUPPORTED;
    defaults = {};
    changes.sort((a, b) => cmpVer(a.boundary, b.boundary));
    defaults[firstKey] = changes[0].prior;
    for (let i = 0; i < changes.length; i++) {
      defaults[minor(changes[i].boundary)] = i + 1 < changes.length ? changes[i + 1].prior : def;
    }
    for (const r of rt) {
      const expect = valueAt(defaults, r.minor);
      if (norm(expect) !== norm(r.value)) warn(`defaults ${d.name}: changelog says ${expect} for ${r.minor}, runtime ${r.value}`);
    }
  } else {
    const vals = new Set(rt.map((r) => norm(r.value)));
    if (vals.size > 1) {
      // Only changelog-backed changes become per-version defaults: the other runtime differences
      // are CLI overrides or patch-release oddities, not facts about a PHP minor line.
      warn(`ignored runtime difference ${d.name}: ${rt.map((r) => `${r.ver}=${JSON.stringify(r.value)}`).join(' ')}`);
    }
  }

  let deprecatedWhen = null;
  if (d.deprecated_note) {
    const hit = DEPRECATED_WHEN.find(([re]) => re.test(d.deprecated_note));
    if (!hit) throw new Error(`unmapped deprecated_note for ${d.name}: ${d.deprecated_note}`);
    deprecatedWhen = hit[1];
  }

  let since = d.since;
  if (d.since_note && /\balso\b/.test(d.since_note)) {
    // Security releases backported it (max_multipart_body_parts: 8.0.28 / 8.1.17 / 8.2.4).
    for (const v of d.since_note.match(/\d+\.\d+\.\d+/g) || []) if (!since || cmpVer(v, since) < 0) since = v;
  }

  const latest = rt.length ? rt[rt.length - 1] : null;
  const changeable = (latest && latest.access) || d.changeable_src || d.changeable || null;

  checkChangelog(d);

  return compact({
    name: d.name,
    default: def,
    defaults,
    changeable,
    type: d.type,
    extension: d.extension,
    since,
    deprecated: d.deprecated,
    deprecatedWhen,
    removed: d.removed,
    replacement: d.replacement,
    doc: relDoc(DOC_FIX[d.name] || d.doc),
    repeatable: d.repeatable === true,
    pattern: d.pattern === true,
    buildDependent: BUILD_DEPENDENT.has(d.name) || undefined,
    build: d.build_condition,
  });
}

function valueAt(map, ver) {
  let best;
  for (const k of Object.keys(map).sort(cmpVer)) if (cmpVer(k, ver) <= 0) best = k;
  return map[best === undefined ? Object.keys(map).sort(cmpVer)[0] : best];
}

function checkChangelog(d) {
  if (!d.changelog) return;
  const dep = /Deprecated (?:as of|in) PHP (\d+\.\d+\.\d+)/.exec(d.changelog);
  if (dep && d.deprecated !== dep[1]) warn(`changelog ${d.name}: deprecated ${dep[1]} vs field ${d.deprecated}`);
  const rem = /[Rr]emoved (?:as of|in) PHP (\d+\.\d+\.\d+)/.exec(d.changelog);
  if (rem && d.removed !== rem[1]) warn(`changelog ${d.name}: removed ${rem[1]} vs field ${d.removed}`);
}

function genDirectives() {
  const core = readRef('php-directives.json');
  const pecl = readRef('php-pecl-directives.json');
  const all = [...core.directives, ...pecl.directives];
  const seen = new Set();
  const items = [];
  for (const d of all) {
    if (seen.has(d.name)) throw new Error(`duplicate directive ${d.name}`);
    seen.add(d.name);
    const c = convertDirective(d);
    if (d.bundled === false) c.bundled = false; // absent means bundled, the common case
    items.push(c);
  }
  items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const meta = {
    generator: 'scripts/gen-catalog.js',
    source: 'shared/reference php-directives.json + php-pecl-directives.json',
    docBase: DOC_BASE,
    notes:
      'absent field = null/false; absent bundled = true; defaults = {fromMinor: value}, nearest lower key applies (lowest key for older versions)',
  };
  return writeJson('php-directives.json', meta, 'directives', items, { extraPrefixes: EXTRA_PREFIXES });
}

// ---------------------------------------------------------------------------------------------
// php-fpm directives

/** Doc phrases meaning "unset / computed at run time" rather than a literal value. */
const FPM_PROSE_DEFAULT = /^(system defined value|not set\b.*|current directory\b.*|\(.*\) \/ 2)$/;
/** Literal defaults that legitimately contain spaces. */
const FPM_SPACED_DEFAULTS = new Set(['.php .phar', '%R - %u %t "%m %r" %s']);

function fpmDefault(d) {
  let v = d.default;
  if (v === null || v === undefined) return null;
  if (FPM_PROSE_DEFAULT.test(v)) return null;
  const paren = /^(\S+) \([^)]*\)$/.exec(v); // "0 (Off)"
  if (paren) v = paren[1];
  if (/^".*"$/.test(v)) v = v.slice(1, -1).replace(/\\(["\\])/g, '$1');
  if (/\s/.test(v) && !FPM_SPACED_DEFAULTS.has(v)) throw new Error(`prose-like fpm default for ${d.name}: ${v}`);
  return v;
}

function genFpm() {
  const ref = readRef('fpm-pool-directives.json');
  const rules = ref._meta.rules;
  const items = ref.directives.map((d) => {
    const isArray = d.type === 'array';
    const name = d.name.replace(/\[\]$/, '');
    return compact({
      name,
      scope: d.scope,
      type: d.type,
      default: fpmDefault(d),
      enum: d.enum,
      mandatory: d.mandatory === true,
      since: d.since,
      deprecated: d.deprecated,
      removed: d.removed,
      // "key[NAME]" (env, php_value, ...) or "key[]" (access.suppress_path)
      array: isArray ? (d.array_syntax === 'key[] =' ? 'list' : 'map') : undefined,
      // rules.directive_name_match: include and array names are matched with strcmp, the rest strcasecmp
      caseSensitive: isArray || name === 'include',
      platform: d.platform_condition ? d.platform_condition.replace(/^#ifdef\s+/, '') : undefined,
      doc: relDoc(d.doc),
    });
  });
  if (!/yes\/no\/on\/off\/true\/false\/1\/0/.test(rules.booleans)) throw new Error('fpm boolean rule changed');
  if (!/s \(default\), m, h, d/.test(rules.time_units)) throw new Error('fpm time unit rule changed');
  const extra = {
    booleans: ['yes', 'no', 'on', 'off', 'true', 'false', '1', '0'],
    timeSuffixes: ['s', 'm', 'h', 'd'],
    exitCodeOnError: rules.exit_code_on_error,
  };
  const meta = {
    generator: 'scripts/gen-catalog.js',
    source: 'shared/reference fpm-pool-directives.json',
    docBase: DOC_BASE,
    notes: 'absent field = null/false; array: map = name[KEY] =, list = name[] =',
  };
  return writeJson('fpm-directives.json', meta, 'directives', items, extra);
}

// ---------------------------------------------------------------------------------------------
// Constants substituted in unquoted php.ini values (empirical, php8.2)

const BOOL_WORDS = new Set(['on', 'off', 'yes', 'no', 'true', 'false', 'none', 'null']);

/**
 * Values that depend on the build, platform, SAPI (PHP_SAPI is "fpm-fcgi" under FPM) or exact
 * release, not on the PHP minor version.
 */
const VARIABLE_CONSTANT =
  /^(PHP_(VERSION|VERSION_ID|MAJOR_VERSION|MINOR_VERSION|RELEASE_VERSION|EXTRA_VERSION|OS|OS_FAMILY|PREFIX|BINARY|SHLIB_SUFFIX|EOL|MAXPATHLEN|FD_SETSIZE|DEBUG|ZTS|INT_SIZE|INT_MAX|INT_MIN|BUILD_DATE|BUILD_PROVIDER|SAPI|WINDOWS_.*|CONFIG_FILE_.*|[A-Z_]*DIR)|PEAR_.*|DEFAULT_INCLUDE_PATH|ZEND_THREAD_SAFE|ZEND_DEBUG_BUILD)$/;

/** Known differences on other minor versions, which php8.2 cannot show. */
const CONSTANT_BY_VERSION = {
  // 8.4 removed E_STRICT (2048) from E_ALL.
  E_ALL: { '8.4': '30719' },
};

function php(args, opts = {}) {
  return execFileSync(PHP, args, {
    encoding: 'utf8',
    env: { ...process.env, PHP_INI_SCAN_DIR: '' }, // no conf.d: only what php.ini itself sees
    maxBuffer: 64 * 1024 * 1024,
    ...opts,
  });
}

function genConstants() {
  let ver;
  try {
    ver = php(['-n', '-r', 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;']).trim();
  } catch (e) {
    warn(`${PHP} not runnable (${e.code || e.message}); php-constants.json left as is`);
    return null;
  }
  if (ver !== '8.2') throw new Error(`${PHP} is PHP ${ver}; php-constants.json must be generated with 8.2`);

  const names = JSON.parse(php(['-n', '-r', 'echo json_encode(array_keys(get_defined_constants()));']))
    .filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n) && !BOOL_WORDS.has(n.toLowerCase()));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-catalog-'));
  try {
    const ini = path.join(tmp, 'constants.ini');
    fs.writeFileSync(ini, names.map((n, i) => `k${i} = ${n}\n`).join(''));
    const code = `$o = []; for ($i = 0; $i < ${names.length}; $i++) { $o[] = get_cfg_var("k$i"); }
      echo json_encode($o, JSON_INVALID_UTF8_SUBSTITUTE);`;
    const loaded = php(['-n', '-c', ini, '-r', 'echo php_ini_loaded_file();']);
    if (loaded !== ini) throw new Error(`php did not load ${ini} (got ${loaded})`);
    const values = JSON.parse(php(['-n', '-c', ini, '-r', code]));
    const items = [];
    names.forEach((name, i) => {
      const value = values[i];
      if (value === false || value === name) return; // not substituted at php.ini parse time
      items.push(
        compact({
          name,
          value,
          variable: VARIABLE_CONSTANT.test(name),
          byVersion: CONSTANT_BY_VERSION[name] ? { '7.4': value, ...CONSTANT_BY_VERSION[name] } : undefined,
        }),
      );
    });
    for (const n of Object.keys(CONSTANT_BY_VERSION)) {
      if (!items.some((c) => c.name === n)) throw new Error(`${n} missing from php.ini constants`);
    }
    items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const full = php(['-n', '-r', 'echo PHP_VERSION;']).trim();
    const meta = {
      generator: 'scripts/gen-catalog.js',
      source: `empirical: php ${full} -n -c <ini with k = CONSTANT per get_defined_constants()>, get_cfg_var()`,
      notes: 'value = string PHP 8.2 substitutes; variable = build/platform/release specific; byVersion = {fromMinor: value}',
    };
    return writeJson('php-constants.json', meta, 'constants', items);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const sizes = {
    'php-directives.json': genDirectives(),
    'fpm-directives.json': genFpm(),
    'php-constants.json': genConstants(),
  };
  for (const [f, n] of Object.entries(sizes)) console.log(`${f}: ${n === null ? 'unchanged' : `${n} bytes`}`);
  if (warnings.length) {
    console.log(`\n${warnings.length} notes on the reference data:`);
    for (const w of warnings) console.log(`  - ${w}`);
  }
}

main();
