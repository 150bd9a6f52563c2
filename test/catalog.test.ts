import assert from 'node:assert/strict';
import {
  LATEST_STABLE_PHP,
  SUPPORTED_PHP_VERSIONS,
  allDirectives,
  allFpmDirectives,
  compareVersions,
  constantValue,
  defaultFor,
  fpmStatusFor,
  getDirective,
  getFpmDirective,
  getIniConstant,
  isIniConstant,
  knownExtensionPrefixes,
  statusFor,
  suggest,
  suggestFpm,
} from '../server/src/engine/catalog';

describe('catalog: php.ini directives', () => {
  it('knows session.use_strict_mode: default "0", PHP_INI_ALL', () => {
    const d = getDirective('session.use_strict_mode');
    assert.ok(d);
    assert.equal(d.default, '0');
    assert.equal(d.changeable, 'PHP_INI_ALL');
    assert.equal(d.extension, 'session');
    assert.equal(d.bundled, true);
    assert.match(d.doc ?? '', /^https:\/\/www\.php\.net\/manual\/en\/session\.configuration\.php#/);
  });

  it('knows allow_url_fopen is PHP_INI_SYSTEM', () => {
    assert.equal(getDirective('allow_url_fopen')?.changeable, 'PHP_INI_SYSTEM');
    assert.equal(getDirective('allow_url_fopen')?.default, '1');
  });

  it('prefers php-src over doc-en where they disagree', () => {
    // doc-en: report_zend_debug "1", error_log_mode "0o644"; php-src registers "0" and "0644".
    assert.equal(getDirective('report_zend_debug')?.default, '0');
    assert.equal(getDirective('error_log_mode')?.default, '0644');
    // doc-en: "$_SERVER['HTTP_HOST'] is used as default." is prose, the registered value is "".
    assert.equal(getDirective('url_rewriter.hosts')?.default, '');
  });

  it('is case-sensitive, as PHP is', () => {
    assert.equal(getDirective('SESSION.NAME'), undefined);
    assert.equal(getDirective('session.name')?.default, 'PHPSESSID');
  });

  it('matches names under a pattern entry', () => {
    assert.equal(getDirective('pdo.dsn.mydb')?.name, 'pdo.dsn.*');
    assert.equal(getDirective('pdo.dsn.'), undefined);
  });

  it('includes PECL directives as not bundled', () => {
    const apc = getDirective('apc.enabled');
    assert.ok(apc);
    assert.equal(apc.bundled, false);
    const all = allDirectives();
    assert.ok(all.length > 600, `only ${all.length} directives`);
    assert.ok(all.some((d) => !d.bundled));
    assert.ok(all.some((d) => d.bundled));
  });

  it('hands out copies of the list and frozen entries', () => {
    const a = allDirectives();
    a.length = 0;
    assert.ok(allDirectives().length > 600);
    const d = getDirective('expose_php')!;
    assert.throws(() => {
      (d as { default: string | null }).default = '0';
    }, TypeError);
  });

  it('marks repeatable and partially deprecated directives', () => {
    assert.equal(getDirective('extension')?.repeatable, true);
    assert.equal(getDirective('session.use_only_cookies')?.deprecatedWhen, 'off');
    assert.equal(getDirective('session.use_trans_sid')?.deprecatedWhen, 'on');
    assert.equal(getDirective('session.sid_length')?.deprecatedWhen, 'always');
    assert.equal(getDirective('session.use_strict_mode')?.deprecatedWhen, null);
  });

  it('has no size directive under a pattern entry (size-value looks sizes up by exact name)', () => {
    const sizes = allDirectives().filter((d) => d.type === 'size');
    assert.ok(sizes.some((d) => d.name === 'memory_limit'));
    assert.deepEqual(sizes.filter((d) => d.pattern).map((d) => d.name), []);
  });
});

describe('catalog: statusFor', () => {
  it('session.hash_function was removed in 7.1', () => {
    assert.equal(statusFor('session.hash_function', '8.2'), 'removed');
    assert.equal(statusFor('session.hash_function', '7.1'), 'removed');
    assert.equal(statusFor('session.hash_function', '7.0'), 'ok');
  });

  it('session.sid_length is deprecated on 8.4 but fine on 8.2', () => {
    assert.equal(statusFor('session.sid_length', '8.2'), 'ok');
    assert.equal(statusFor('session.sid_length', '8.4'), 'deprecated');
    assert.equal(statusFor('session.sid_length', '8.5'), 'deprecated');
    assert.equal(statusFor('session.sid_length', '7.0'), 'not-yet');
  });

  it('compares a minor target with patch-level releases at minor precision', () => {
    // Added by security releases 8.0.28 / 8.1.17 / 8.2.4.
    assert.equal(statusFor('max_multipart_body_parts', '8.0'), 'ok');
    assert.equal(statusFor('max_multipart_body_parts', '7.4'), 'not-yet');
    assert.equal(statusFor('max_multipart_body_parts', '8.0.27'), 'not-yet');
    assert.equal(statusFor('disable_classes', '8.4'), 'ok');
    assert.equal(statusFor('disable_classes', '8.5'), 'removed');
  });

  it('reports unknown names', () => {
    assert.equal(statusFor('session.no_such_thing', '8.2'), 'unknown');
    assert.equal(statusFor('', '8.2'), 'unknown');
  });
});

describe('catalog: defaultFor', () => {
  it('follows the opcache.jit default change in 8.4', () => {
    assert.equal(defaultFor('opcache.jit', '8.0'), 'tracing');
    assert.equal(defaultFor('opcache.jit', '8.2'), 'tracing');
    assert.equal(defaultFor('opcache.jit', '8.3'), 'tracing');
    assert.equal(defaultFor('opcache.jit', '8.4'), 'disable');
    assert.equal(defaultFor('opcache.jit', '8.5'), 'disable');
    assert.equal(defaultFor('opcache.jit_buffer_size', '8.2'), '0');
    assert.equal(defaultFor('opcache.jit_buffer_size', '8.4'), '64M');
    assert.equal(defaultFor('opcache.jit_hot_loop', '8.4'), '64');
    assert.equal(defaultFor('opcache.jit_hot_loop', '8.5'), '61');
  });

  it('knows the 8.0 change of display_startup_errors', () => {
    assert.equal(defaultFor('display_startup_errors', '7.4'), '0');
    assert.equal(defaultFor('display_startup_errors', '8.0'), '1');
    assert.equal(defaultFor('display_startup_errors', '8.5'), '1');
  });

  it('returns the plain default where nothing changed', () => {
    for (const v of SUPPORTED_PHP_VERSIONS) assert.equal(defaultFor('session.use_strict_mode', v), '0', v);
    assert.equal(defaultFor('error_reporting', '8.2'), null);
  });

  it('is undefined for unknown directives and versions without the directive', () => {
    assert.equal(defaultFor('no_such_directive', '8.2'), undefined);
    assert.equal(defaultFor('session.hash_function', '8.2'), undefined);
    assert.equal(defaultFor('opcache.jit', '7.4'), undefined);
  });
});

describe('catalog: suggest', () => {
  it('finds session.use_strict_mode for a missing letter', () => {
    assert.ok(suggest('session.use_strict_mod').includes('session.use_strict_mode'));
  });

  it('puts the case-insensitive match first', () => {
    assert.equal(suggest('SESSION.NAME')[0], 'session.name');
  });

  it('treats - and _ as the same', () => {
    assert.equal(suggest('session.use-strict-mode')[0], 'session.use_strict_mode');
    assert.equal(suggest('allow-url-fopen')[0], 'allow_url_fopen');
  });

  it('handles transpositions and typos in the prefix', () => {
    assert.equal(suggest('allow_url_fopne')[0], 'allow_url_fopen');
    assert.equal(suggest('sesion.cookie_secure')[0], 'session.cookie_secure');
    // Two edits in a 12-character name are still a typo.
    assert.equal(suggest('display_eror')[0], 'display_errors');
  });

  it('returns nothing for known names, far-off names and empty input', () => {
    assert.deepEqual(suggest('session.name'), []);
    assert.deepEqual(suggest('completely_unrelated_words'), []);
    assert.deepEqual(suggest(''), []);
  });

  it('respects max', () => {
    assert.ok(suggest('session.cookie_x', 1).length <= 1);
    assert.deepEqual(suggest('session.cookie_x', 0), []);
  });

  it('is fast when warm', () => {
    const names = allDirectives().map((d) => d.name);
    const inputs = names.map((n, i) => (i % 2 ? n.toUpperCase() : n.slice(0, -1) + 'x' + n.slice(-1)));
    for (const s of inputs.slice(0, 50)) suggest(s);
    const t0 = process.hrtime.bigint();
    for (const s of inputs) suggest(s);
    const perCallMs = Number(process.hrtime.bigint() - t0) / 1e6 / inputs.length;
    // Target is ~0.2 ms; the bound leaves room for slow CI machines.
    assert.ok(perCallMs < 0.5, `${perCallMs.toFixed(3)} ms per call`);
  });
});

describe('catalog: prefixes', () => {
  it('lists first name segments, including extensions outside the manual', () => {
    const p = knownExtensionPrefixes();
    for (const x of ['session', 'opcache', 'xdebug', 'apc', 'mysqlnd']) assert.ok(p.has(x), x);
    assert.ok(!p.has('allow_url_fopen'));
    assert.ok(!p.has(''));
  });
});

describe('catalog: php-fpm directives', () => {
  it('matches table directives case-insensitively', () => {
    const d = getFpmDirective('LISTEN.MODE');
    assert.ok(d);
    assert.equal(d.name, 'listen.mode');
    assert.equal(d.scope, 'pool');
    assert.equal(getFpmDirective('Security.Limit_Extensions')?.default, '.php .phar');
  });

  it('matches include and array names case-sensitively', () => {
    assert.equal(getFpmDirective('php_admin_value')?.array, 'map');
    assert.equal(getFpmDirective('php_value[]')?.name, 'php_value');
    assert.equal(getFpmDirective('PHP_VALUE'), undefined);
    assert.equal(getFpmDirective('Include'), undefined);
    assert.equal(getFpmDirective('include')?.caseSensitive, true);
    assert.equal(getFpmDirective('access.suppress_path')?.array, 'list');
  });

  it('carries enumerations and scopes', () => {
    assert.deepEqual(getFpmDirective('pm')?.enum, ['static', 'dynamic', 'ondemand']);
    assert.equal(getFpmDirective('pm')?.mandatory, true);
    assert.ok(getFpmDirective('log_level')?.enum?.includes('debug'));
    assert.equal(getFpmDirective('log_level')?.scope, 'global');
    assert.equal(getFpmDirective('rlimit_core', 'global')?.scope, 'global');
    assert.equal(getFpmDirective('rlimit_core')?.scope, 'pool');
    assert.equal(getFpmDirective('log_level', 'pool'), undefined);
    assert.equal(getFpmDirective('clear_env')?.default, 'yes');
    assert.equal(getFpmDirective('emergency_restart_threshold')?.default, '0');
  });

  it('knows when directives appeared', () => {
    assert.equal(fpmStatusFor('pm.max_spawn_rate', '7.4'), 'not-yet');
    assert.equal(fpmStatusFor('pm.max_spawn_rate', '8.1'), 'ok');
    assert.equal(fpmStatusFor('no.such', '8.2'), 'unknown');
    assert.ok(allFpmDirectives().length >= 60);
  });

  it('suggests php-fpm names', () => {
    assert.equal(suggestFpm('listen.mod')[0], 'listen.mode');
    assert.deepEqual(suggestFpm('listen.mode'), []);
  });
});

describe('catalog: php.ini constants', () => {
  it('gives E_ALL per version', () => {
    assert.equal(constantValue('E_ALL', '7.4'), '32767');
    assert.equal(constantValue('E_ALL', '8.2'), '32767');
    assert.equal(constantValue('E_ALL', '8.3'), '32767');
    assert.equal(constantValue('E_ALL', '8.4'), '30719');
    assert.equal(constantValue('E_ALL', '8.5'), '30719');
  });

  it('gives the E_* values', () => {
    assert.equal(constantValue('E_DEPRECATED', '8.2'), '8192');
    assert.equal(constantValue('E_STRICT', '8.2'), '2048');
    // SYNTAX.md T5a: E_ALL & ~E_DEPRECATED & ~E_STRICT is 22527 on 8.2.
    const v = (n: string) => Number(constantValue(n, '8.2'));
    assert.equal(v('E_ALL') & ~v('E_DEPRECATED') & ~v('E_STRICT'), 22527);
  });

  it('only knows constants that exist while php.ini is parsed', () => {
    assert.equal(isIniConstant('DIRECTORY_SEPARATOR'), false);
    assert.equal(isIniConstant('LOG_USER'), false);
    assert.equal(isIniConstant('e_all'), false);
    assert.equal(constantValue('NOT_A_CONSTANT', '8.2'), undefined);
  });

  it('does not guess build-specific values', () => {
    assert.equal(isIniConstant('PHP_OS'), true);
    assert.equal(getIniConstant('PHP_OS')?.variable, true);
    assert.equal(constantValue('PHP_OS', '8.2'), undefined);
    assert.equal(constantValue('PHP_BINDIR', '8.2'), undefined);
    assert.equal(constantValue('PHP_MINOR_VERSION', '8.4'), '4');
    assert.equal(constantValue('PHP_MAJOR_VERSION', '7.4'), '7');
  });
});

describe('catalog: versions', () => {
  it('compares numerically', () => {
    assert.equal(compareVersions('8.2', '8.2.0'), 0);
    assert.ok(compareVersions('8.10', '8.9') > 0);
    assert.ok(compareVersions('7.4', '8.0') < 0);
    assert.ok(compareVersions('8.5.0RC1', '8.4.24') > 0);
  });

  it('exposes the supported versions', () => {
    assert.equal(LATEST_STABLE_PHP, '8.5');
    assert.deepEqual([...SUPPORTED_PHP_VERSIONS], ['7.4', '8.0', '8.1', '8.2', '8.3', '8.4', '8.5']);
    assert.equal(SUPPORTED_PHP_VERSIONS[SUPPORTED_PHP_VERSIONS.length - 1], LATEST_STABLE_PHP);
  });
});
