// Names and shapes shared with the language server (server/src/server.ts). Keep in sync by hand:
// the client is bundled separately, so it does not import server code.
import { RequestType } from 'vscode-languageclient/node';

export const LANGUAGES = ['php-ini', 'php-fpm'] as const;

/** The code action kind the server offers for "fix everything that is safe to fix". */
export const FIX_ALL_KIND = 'source.fixAll.phpIniLint';

export const CONFIG_SECTION = 'phpIniLint';

/** The per-project config file (INI syntax); the server re-reads it when it changes. */
export const PROJECT_CONFIG_GLOB = '**/.php-ini-lint.ini';

export interface DocumentParams {
  /** The document URI exactly as the client sent it in didOpen (code2Protocol form). */
  uri: string;
}

export interface EffectiveConfigResult {
  /** JSON text. */
  text: string;
}

export interface StatusResult {
  phpVersion: string;
  phpVersionSource: 'setting' | 'path' | 'config-file' | 'default';
  profile: string;
  configFile: string | null;
}

export const EffectiveConfigRequest = new RequestType<DocumentParams, EffectiveConfigResult, void>('phpIniLint/effectiveConfig');
export const StatusRequest = new RequestType<DocumentParams, StatusResult, void>('phpIniLint/status');

export function isOurLanguage(languageId: string): boolean {
  return (LANGUAGES as readonly string[]).includes(languageId);
}
