// Giving memory back when the language server goes quiet.
//
// V8 frees old-generation garbage only in a major collection, which it starts when the heap outgrows a
// limit, never because the process went quiet. The server works in bursts (a lint per typing pause) and
// is idle in between, so on its own it would keep the garbage of its last burst resident for good. Once it
// has been quiet for a while after work that allocated, this collects and compacts.

import * as v8 from 'node:v8';
import * as vm from 'node:vm';

const IDLE_COLLECT_MS = 1000;
/** Heap growth since the last collection below which collecting is not worth the pause. */
const GARBAGE_WORTH_COLLECTING = 4 * 1024 * 1024;

export class IdleCollector {
  private collectGarbage: (() => void) | undefined | null;
  private timer: NodeJS.Timeout | undefined;
  private heapAfterCollect = 0;
  private collectAnyway = false;

  /**
   * After work that allocated (a lint, a closed document): collect once the server has been idle a while.
   * A closed document's memory becomes garbage without the heap growing, so closing always collects.
   */
  afterWork(closed = false): void {
    this.collectAnyway ||= closed;
    if (this.timer) {
      this.timer.refresh();
      return;
    }
    this.timer = setTimeout(() => this.collectIfWorthIt(), IDLE_COLLECT_MS);
    this.timer.unref();
  }

  /** Any message postpones a pending collection: it pauses the server, so it waits for quiet. */
  notIdle(): void {
    this.timer?.refresh();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private collectIfWorthIt(): void {
    this.timer = undefined;
    const anyway = this.collectAnyway;
    this.collectAnyway = false;
    if (!anyway && v8.getHeapStatistics().used_heap_size < this.heapAfterCollect + GARBAGE_WORTH_COLLECTING) return;
    if (this.collectGarbage === undefined) {
      try {
        v8.setFlagsFromString('--expose-gc');
        this.collectGarbage = vm.runInNewContext('gc') as () => void;
      } catch {
        this.collectGarbage = null;
      }
    }
    if (!this.collectGarbage) return;
    // Compact as well: a plain collection frees objects but keeps every page that still holds one live
    // object, and after a burst of parses most pages do.
    v8.setFlagsFromString('--compact-on-every-full-gc');
    try {
      this.collectGarbage();
    } finally {
      v8.setFlagsFromString('--no-compact-on-every-full-gc');
    }
    this.heapAfterCollect = v8.getHeapStatistics().used_heap_size;
  }
}
