// Editor settings (`phpIniLint.*`, any JSON a client sends) → the engine's options for one document.

import { fileURLToPath } from 'node:url';
import { resolveOptions, type ProjectConfig, type ResolvedOptions, type UserSettings } from '../config';
import type { Severity } from '../rules/types';
import type { Dialect } from '../types';

export interface EditorSettings extends UserSettings {
  enable: boolean;
}

export const DEFAULT_SETTINGS: EditorSettings = Object.freeze({ enable: true, phpVersion: 'auto', profile: 'production', httpsOnly: true, rules: {} });

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Validates whatever the client returned for the `phpIniLint` section; bad values fall back to defaults. */
export function normalizeSettings(raw: unknown): EditorSettings {
  const r = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const out: EditorSettings = { ...DEFAULT_SETTINGS, rules: {} };
  if (typeof r.enable === 'boolean') out.enable = r.enable;
  if (typeof r.phpVersion === 'string' && (r.phpVersion === 'auto' || /^\d+\.\d+$/.test(r.phpVersion.trim()))) out.phpVersion = r.phpVersion.trim();
  if (r.profile === 'production' || r.profile === 'development') out.profile = r.profile;
  if (typeof r.httpsOnly === 'boolean') out.httpsOnly = r.httpsOnly;
  if (r.rules && typeof r.rules === 'object' && !Array.isArray(r.rules)) {
    for (const [id, sev] of Object.entries(r.rules as Record<string, unknown>)) {
      if (typeof sev === 'string' && SEVERITIES.has(sev)) out.rules![id] = sev as Severity | 'off';
    }
  }
  return out;
}

export interface DocumentLocation {
  /** A file system path for file: URIs, else the URI's path part (for version/role inference only). */
  path: string;
  /** Only file: URIs are looked up on disk (project config). */
  isFile: boolean;
  scheme: string;
}

export function locate(uri: string): DocumentLocation {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri);
  const scheme = m ? m[1].toLowerCase() : '';
  if (scheme === 'file') {
    try {
      return { path: fileURLToPath(uri), isFile: true, scheme };
    } catch {
      // fall through: treat as virtual
    }
  }
  let path = m ? uri.slice(m[0].length) : uri;
  try {
    const u = new URL(uri);
    path = u.pathname || path;
  } catch {
    // untitled:Untitled-1 and friends
  }
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep as is
  }
  return { path, isFile: false, scheme };
}

export function dialectForLanguage(languageId: string | undefined): Dialect | undefined {
  if (languageId === 'php-ini') return 'php-ini';
  if (languageId === 'php-fpm') return 'php-fpm';
  return undefined;
}

/**
 * The options a document is checked with. The language id decides the dialect (the user's choice in
 * the editor wins over the file name); untitled documents are treated as a complete php.ini.
 */
export function optionsForDocument(uri: string, languageId: string | undefined, settings: UserSettings, project: ProjectConfig | undefined): ResolvedOptions {
  const loc = locate(uri);
  const dialect = dialectForLanguage(languageId);
  const opts = resolveOptions(loc.path, settings, project, dialect ? { dialect } : {});
  if (loc.scheme === 'untitled' && opts.dialect === 'php-ini') return { ...opts, role: 'main' };
  return opts;
}
