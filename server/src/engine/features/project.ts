// Finding and caching the project file `.php-ini-lint.ini` for a document. The file system is passed
// in (server.ts gives node:fs), so this stays testable. Lookups are cached per directory; watched-file
// events clear the cache, and a found file is re-read when its size or mtime changes, so editors that
// cannot watch files still see edits to it.

import { findProjectConfig, parseProjectConfig, PROJECT_CONFIG_FILE, type ProjectConfig } from '../config';

export interface FileSystem {
  /** size + mtime of a regular file, or undefined when it is missing or not a regular file. */
  stat(path: string): { size: number; mtimeMs: number } | undefined;
  read(path: string): string;
}

interface CachedFile {
  stamp: string;
  config: ProjectConfig;
}

export class ProjectConfigCache {
  private readonly dirs = new Map<string, { file: string | null; at: number }>();
  private readonly files = new Map<string, CachedFile>();

  /**
   * @param maxAgeMs how long a directory lookup is trusted without a watched-file event (Infinity
   * when the client reports changes to project files).
   */
  constructor(
    private readonly fs: FileSystem,
    public maxAgeMs = Infinity,
    private readonly now: () => number = Date.now,
  ) {}

  /** The project config for a file path (directory walk, up to the root). */
  forFile(path: string): ProjectConfig | undefined {
    const p = path.replace(/\\/g, '/');
    const dir = p.slice(0, p.lastIndexOf('/')) || '/';
    const file = this.lookup(dir);
    if (!file) return undefined;
    const config = this.load(file);
    if (config) return config;
    // The file is gone: look again (a farther one may apply now).
    const again = this.lookup(dir);
    return again ? this.load(again) : undefined;
  }

  private lookup(dir: string): string | null {
    const hit = this.dirs.get(dir);
    const t = this.now();
    if (hit && t - hit.at <= this.maxAgeMs) return hit.file;
    const found = findProjectConfig(dir, (candidate) => this.fs.stat(candidate) !== undefined) ?? null;
    this.dirs.set(dir, { file: found, at: t });
    return found;
  }

  private load(file: string): ProjectConfig | undefined {
    const st = this.fs.stat(file);
    if (!st) {
      // Deleted since the lookup: forget the directory answers that pointed at it.
      this.files.delete(file);
      for (const [dir, v] of this.dirs) if (v.file === file) this.dirs.delete(dir);
      return undefined;
    }
    const stamp = `${st.size}:${st.mtimeMs}`;
    const cached = this.files.get(file);
    if (cached && cached.stamp === stamp) return cached.config;
    let config: ProjectConfig;
    try {
      config = parseProjectConfig(this.fs.read(file), file);
    } catch (err) {
      config = { file, rules: {}, problems: [`cannot read: ${(err as Error).message}`] };
    }
    this.files.set(file, { stamp, config });
    return config;
  }

  /** Forget everything (a project file was created, changed or deleted somewhere). */
  invalidate(): void {
    this.dirs.clear();
    this.files.clear();
  }
}

/** Whether a watched-file event is about a project config file. */
export function isProjectConfigUri(uri: string): boolean {
  let path = uri.replace(/[?#].*$/, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep the raw text
  }
  return path.replace(/\\/g, '/').endsWith(`/${PROJECT_CONFIG_FILE}`);
}
