// When to lint: debounced per document after edits, at once on open, and never publishing results for
// a version older than one already published. Timers are injected so tests can drive time.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class LintScheduler {
  private readonly pending = new Map<string, unknown>();

  constructor(
    private readonly run: (uri: string) => void,
    readonly delayMs = 150,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Lint `uri` after `delayMs` of quiet (or `0` for right away, still asynchronously); a new call restarts the wait. */
  schedule(uri: string, delayMs = this.delayMs): void {
    this.cancel(uri);
    const handle = this.timers.setTimeout(() => {
      this.pending.delete(uri);
      this.run(uri);
    }, delayMs);
    this.pending.set(uri, handle);
  }

  cancel(uri: string): void {
    const h = this.pending.get(uri);
    if (h !== undefined) {
      this.timers.clearTimeout(h);
      this.pending.delete(uri);
    }
  }

  isPending(uri: string): boolean {
    return this.pending.has(uri);
  }

  dispose(): void {
    for (const h of this.pending.values()) this.timers.clearTimeout(h);
    this.pending.clear();
  }
}

/** Remembers the newest version published per document so an older result can never replace it. */
export class PublishGuard {
  private readonly published = new Map<string, number>();

  /** True (and remembered) when `version` is not older than what was last published for `uri`. */
  claim(uri: string, version: number): boolean {
    const last = this.published.get(uri);
    if (last !== undefined && version < last) return false;
    this.published.set(uri, version);
    return true;
  }

  forget(uri: string): void {
    this.published.delete(uri);
  }
}
