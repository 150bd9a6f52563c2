// Settings: what a file is (dialect, role), which PHP it targets, and the project file
// `.php-ini-lint.ini` that the CLI and the editor both read, so they agree.

import * as ini from 'ini';
import { LATEST_STABLE_PHP } from './catalog';
import type { LintOptions } from './lint';
import type { RuleScope, Severity } from './rules/types';
import type { Dialect } from './types';

export const PROJECT_CONFIG_FILE = '.php-ini-lint.ini';
export type Profile = 'production' | 'development';
const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

function basename(path: string): string {
  return path.replace(/\\/g, '/').replace(/\/+$/, '').split('/').pop() ?? '';
}

/** php-fpm files are `.conf` (php-fpm.conf, www.conf, pool.d/*.conf); everything else is php.ini syntax. */
export function dialectForPath(path: string): Dialect {
  return /\.conf$/i.test(basename(path)) ? 'php-fpm' : 'php-ini';
}

/** main php.ini, a conf.d fragment, or a per-directory .user.ini. */
export function roleForPath(path: string, dialect: Dialect = dialectForPath(path)): RuleScope {
  if (dialect === 'php-fpm') return 'fpm';
  const name = basename(path).toLowerCase();
  if (name === '.user.ini') return 'user-ini';
  if (/^php(-cli|-fpm|-cgi|[0-9.]*)?\.ini($|-)/.test(name) || /^php\.ini/.test(name)) return 'main';
  return 'fragment';
}

/** A PHP version named in the path: /etc/php/8.2/, /etc/php82/, php8.4.ini, remi's php74. */
export function versionFromPath(path: string): string | undefined {
  const p = path.replace(/\\/g, '/');
  const m = /(?:^|[/_-])php[/-]?([578])\.?(\d)(?=[/._-]|$)/i.exec(p);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

export interface ProjectConfig {
  file: string;
  phpVersion?: string;
  profile?: Profile;
  httpsOnly?: boolean;
  rules: Record<string, Severity | 'off'>;
  /** Problems in the file itself, reported to the user rather than thrown. */
  problems: string[];
}

/** Reads `.php-ini-lint.ini` (standard INI, parsed with the `ini` package). */
export function parseProjectConfig(text: string, file: string): ProjectConfig {
  const cfg: ProjectConfig = { file, rules: {}, problems: [] };
  let data: Record<string, unknown>;
  try {
    data = ini.parse(text) as Record<string, unknown>;
  } catch (err) {
    cfg.problems.push(`cannot parse: ${(err as Error).message}`);
    return cfg;
  }
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'boolean' ? String(v) : undefined);
  const version = str(data.php_version);
  if (version !== undefined) {
    if (/^\d+\.\d+$/.test(version)) cfg.phpVersion = version;
    else cfg.problems.push(`php_version must look like 8.2, not "${version}"`);
  }
  const profile = str(data.profile);
  if (profile !== undefined) {
    if (profile === 'production' || profile === 'development') cfg.profile = profile;
    else cfg.problems.push(`profile must be production or development, not "${profile}"`);
  }
  const https = data.https_only;
  if (https !== undefined) {
    if (typeof https === 'boolean') cfg.httpsOnly = https;
    else if (/^(true|false)$/i.test(String(https))) cfg.httpsOnly = /^true$/i.test(String(https));
    else cfg.problems.push(`https_only must be true or false, not "${String(https)}"`);
  }
  const rules = data.rules;
  if (rules && typeof rules === 'object') {
    for (const [id, sev] of Object.entries(rules as Record<string, unknown>)) {
      const v = str(sev);
      if (v && SEVERITIES.has(v)) cfg.rules[id] = v as Severity | 'off';
      else cfg.problems.push(`rules.${id} must be one of error, warning, information, hint, off`);
    }
  }
  return cfg;
}

/** Finds the nearest project file walking up from a directory. `exists`/`read` abstract the file system. */
export function findProjectConfig(
  dir: string,
  exists: (path: string) => boolean,
  stopAt?: string,
): string | undefined {
  let current = dir.replace(/\\/g, '/').replace(/\/+$/, '') || '/';
  for (let depth = 0; depth < 64; depth++) {
    const candidate = current === '/' ? `/${PROJECT_CONFIG_FILE}` : `${current}/${PROJECT_CONFIG_FILE}`;
    if (exists(candidate)) return candidate;
    if (current === '/' || current === '' || (stopAt && current === stopAt.replace(/\/+$/, ''))) return undefined;
    const up = current.slice(0, current.lastIndexOf('/')) || '/';
    if (up === current) return undefined;
    current = up;
  }
  return undefined;
}

export interface UserSettings {
  /** 'auto' (or undefined) = project file, else the path, else the newest stable. */
  phpVersion?: string;
  profile?: Profile;
  httpsOnly?: boolean;
  rules?: Record<string, Severity | 'off'>;
}

export interface ResolvedOptions extends LintOptions {
  dialect: Dialect;
  phpVersionSource: 'setting' | 'config-file' | 'path' | 'default';
  configFile: string | null;
}

/**
 * Merges, lowest first: defaults, editor/CLI settings, the project file, explicit overrides. The
 * project file outranks editor settings so that CI and the editor judge a file the same way.
 */
export function resolveOptions(
  path: string,
  settings: UserSettings,
  project: ProjectConfig | undefined,
  overrides: UserSettings & { dialect?: Dialect; role?: RuleScope } = {},
): ResolvedOptions {
  const dialect = overrides.dialect ?? dialectForPath(path);
  let phpVersion: string = LATEST_STABLE_PHP;
  let source: ResolvedOptions['phpVersionSource'] = 'default';
  const fromPath = versionFromPath(path);
  if (fromPath) {
    phpVersion = fromPath;
    source = 'path';
  }
  if (settings.phpVersion && settings.phpVersion !== 'auto') {
    phpVersion = settings.phpVersion;
    source = 'setting';
  }
  if (project?.phpVersion) {
    phpVersion = project.phpVersion;
    source = 'config-file';
  }
  if (overrides.phpVersion && overrides.phpVersion !== 'auto') {
    phpVersion = overrides.phpVersion;
    source = 'setting';
  }
  return {
    dialect,
    role: overrides.role ?? roleForPath(path, dialect),
    phpVersion,
    phpVersionSource: source,
    profile: overrides.profile ?? project?.profile ?? settings.profile ?? 'production',
    httpsOnly: overrides.httpsOnly ?? project?.httpsOnly ?? settings.httpsOnly ?? true,
    rules: { ...(settings.rules ?? {}), ...(project?.rules ?? {}), ...(overrides.rules ?? {}) },
    configFile: project?.file ?? null,
  };
}
