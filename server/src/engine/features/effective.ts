// The custom requests' answers: `phpIniLint/effectiveConfig` (what PHP or php-fpm ends up with, as
// pretty JSON) and `phpIniLint/status` (which version/profile the checks assume, and why).

import type { ResolvedOptions } from '../config';
import { cfgVars, type ParsedDocument } from '../document';
import { cfgToJson, poolPhpSetting, type Assignment, type FpmPhpSetting, type FpmPool } from '../model';
import { setEntry } from '../own';

/** The php.ini overrides a pool really applies, per directive (the engine's poolPhpSetting decides). */
export function effectivePoolPhp(pool: FpmPool): Map<string, FpmPhpSetting> {
  const out = new Map<string, FpmPhpSetting>();
  for (const p of pool.php) {
    if (out.has(p.directive)) continue;
    const winner = poolPhpSetting(pool, p.directive);
    if (winner) out.set(p.directive, winner);
  }
  return out;
}

/**
 * env[NAME]: the first line for a variable wins (php-fpm prepends to its list, as for php_value; the
 * duplicate-directive rule verified it). The model's pool.env map keeps the last one, so scan instead.
 */
export function effectivePoolEnv(pool: FpmPool, assignments: readonly Assignment[], poolOf: Map<Assignment, FpmPool | undefined>): Map<string, Assignment> {
  const out = new Map<string, Assignment>();
  for (const a of assignments) {
    if (a.name !== 'env' || !a.offset || poolOf.get(a) !== pool || out.has(a.offset)) continue;
    out.set(a.offset, a);
  }
  return out;
}

export interface StatusResult {
  phpVersion: string;
  phpVersionSource: 'setting' | 'path' | 'config-file' | 'default';
  profile: string;
  configFile: string | null;
}

export function status(options: ResolvedOptions): StatusResult {
  return { phpVersion: options.phpVersion, phpVersionSource: options.phpVersionSource, profile: options.profile, configFile: options.configFile };
}

export function effectiveConfig(doc: ParsedDocument, options: ResolvedOptions, uri: string): { text: string } {
  return { text: JSON.stringify(effectiveConfigObject(doc, options, uri), null, 2) + '\n' };
}

export function effectiveConfigObject(doc: ParsedDocument, options: ResolvedOptions, uri: string): Record<string, unknown> {
  const head: Record<string, unknown> = {
    file: uri,
    dialect: doc.dialect,
    role: options.role,
    phpVersion: options.phpVersion,
    phpVersionSource: options.phpVersionSource,
    profile: options.profile,
    configFile: options.configFile,
  };
  const notes: string[] = [];
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = doc.lines.positionAt(e.start).line + 1;
    notes.push(
      doc.dialect === 'php-fpm'
        ? `php-fpm refuses this file: ${e.message} on line ${line}.`
        : `PHP stops reading at line ${line} (${e.message}); later lines are not included.`,
    );
  }
  if (doc.truncatedAt !== undefined) notes.push(`PHP stops reading at line ${doc.lines.positionAt(doc.truncatedAt).line + 1}; later lines are not included.`);
  if (notes.length) head.notes = notes;

  const model = doc.model;
  if (model.dialect === 'php-ini') {
    const special: Record<string, Record<string, unknown>> = {};
    for (const sec of model.specialSections) {
      const obj: Record<string, unknown> = {};
      for (const [name, s] of sec.settings) setEntry(obj, name, cfgToJson(s.value));
      setEntry(special, `[${sec.kind.toUpperCase()}=${sec.key}]`, obj);
    }
    return {
      ...head,
      // Exactly what get_cfg_var() sees: the main scope (and each [PATH=]/[HOST=] section as an array under its key).
      get_cfg_var: cfgVars(doc),
      extensions: model.extensions.map((a) => a.value),
      zend_extensions: model.zendExtensions.map((a) => a.value),
      specialSections: special,
    };
  }

  const lastValues = (map: Map<string, Array<{ name: string; value: string }>>) => {
    const out: Record<string, string> = {};
    for (const list of map.values()) {
      const last = list[list.length - 1];
      if (last) setEntry(out, last.name, last.value);
    }
    return out;
  };
  const pools: Record<string, unknown> = {};
  for (const pool of model.pools) {
    const php: Record<string, { value: string; admin: boolean; via: string }> = {};
    for (const [directive, p] of effectivePoolPhp(pool)) setEntry(php, directive, { value: p.value, admin: p.admin, via: p.via });
    const env: Record<string, string> = {};
    for (const [k, a] of effectivePoolEnv(pool, model.assignments, model.poolOf)) setEntry(env, k, a.value);
    const entry: Record<string, unknown> = { directives: lastValues(pool.directives), env, php };
    if (pool.suppressPaths.length) entry['access.suppress_path'] = pool.suppressPaths.map((a) => a.value);
    setEntry(pools, pool.name, entry);
  }
  return {
    ...head,
    global: lastValues(model.global),
    include: model.includes.map((a) => a.value),
    pools,
  };
}
