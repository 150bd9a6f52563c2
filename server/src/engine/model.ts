// What PHP does with the parsed statements: php.ini's configuration hash (main/php_ini.c) and
// php-fpm's global + pool configuration (sapi/fpm/fpm/fpm_conf.c).

import { setEntry } from './own';
import type { Statement } from './types';

/** One assignment as written in the file. */
export interface Assignment {
  statement: Statement;
  /** Index of the statement in tree.statements. */
  index: number;
  name: string;
  /** `key[offset]`: the offset; `null` for `key[]`; undefined for a plain `key = value`. */
  offset?: string | null;
  value: string;
}

export type CfgValue = string | CfgArray;

/** A PHP array as php.ini builds it: ordered, with integer or string keys. */
export interface CfgArray {
  entries: Array<[key: string | number, value: CfgValue]>;
}

export interface IniSetting {
  name: string;
  value: CfgValue;
  /** Every assignment that touched this key, in order; the effective one is last. */
  assignments: Assignment[];
}

/** A `[PATH=...]` or `[HOST=...]` section: applied per request by CGI/FPM only, never by the CLI. */
export interface IniSpecialSection {
  kind: 'path' | 'host';
  /** The key PHP stores it under (prefix removed, host lowercased, trailing slashes stripped). */
  key: string;
  header: Assignment | undefined;
  headerIndex: number;
  settings: Map<string, IniSetting>;
}

export interface IniModel {
  dialect: 'php-ini';
  /** Main scope: what `get_cfg_var()` sees. Insertion order = first assignment order. */
  main: Map<string, IniSetting>;
  specialSections: IniSpecialSection[];
  /** `extension=` / `zend_extension=` lines in the main scope: each one loads a module. */
  extensions: Assignment[];
  zendExtensions: Assignment[];
  /** Every assignment in file order, wherever it landed. */
  assignments: Assignment[];
  /** Assignments that a later one in the same scope replaced (dead lines). */
  overridden: Assignment[];
  /** Which scope each assignment landed in: undefined = main, else the special section. */
  scopeOf: { get(a: Assignment): IniSpecialSection | undefined };
}

/** zend_symtable: canonical decimal integer strings become integer keys. */
function arrayKey(offset: string): string | number {
  if (offset.length <= 20 && /^(0|-?[1-9][0-9]*)$/.test(offset)) {
    const n = Number(offset);
    if (Number.isSafeInteger(n)) return n;
  }
  return offset;
}

/** Per-array bookkeeping kept outside the JSON-able entries: key positions and the next free index. */
interface ArrayState {
  positions: Map<string | number, number>;
  /** nNextFreeElement: one past the largest integer key so far (negative keys count), or unset. */
  next: number | undefined;
  /** The assignment currently providing each key. */
  byKey: Map<string | number, Assignment>;
}

/** A setting plus the assignments that currently decide its value (internal bookkeeping). */
class LiveSetting implements IniSetting {
  value: CfgValue = '';
  // Created holding the first line: an array literal of one, where an empty one and a push would
  // allocate room for 17 (most directives are set once).
  readonly assignments: Assignment[];
  live: Assignment[] = NO_ASSIGNMENTS;
  constructor(
    readonly name: string,
    first: Assignment,
  ) {
    this.assignments = [first];
  }
}

/** Shared by every setting before its first line is live; replaced, never pushed to. */
const NO_ASSIGNMENTS: Assignment[] = [];

/**
 * Builds php.ini's configuration hash incrementally, statement by statement, because `${NAME}` in a
 * value reads the hash as it stands at that line. Every step is O(1) amortised, so a file that
 * repeats one key a million times still builds in linear time.
 */
export class IniModelBuilder {
  readonly model: IniModel = {
    dialect: 'php-ini',
    main: new Map(),
    specialSections: [],
    extensions: [],
    zendExtensions: [],
    assignments: [],
    overridden: [],
    // Keyed by statement index, and only for the few lines inside [PATH=]/[HOST=] sections.
    scopeOf: { get: (a: Assignment) => this.sectionAt.get(a.index) },
  };
  private active: IniSpecialSection | undefined;
  private special = false;
  private sectionAt = new Map<number, IniSpecialSection>();
  private arrays = new Map<CfgArray, ArrayState>();

  lookup(name: string): string | undefined {
    const s = this.model.main.get(name);
    return s && typeof s.value === 'string' ? s.value : undefined;
  }

  apply(st: Statement, index: number): void {
    if (st.kind === 'section') {
      this.section(st, index);
      return;
    }
    if (st.kind !== 'entry' || st.name === undefined || st.value === undefined) return;
    const a: Assignment = { statement: st, index, name: st.name, value: st.value };
    if (st.offset !== undefined) a.offset = st.offset;
    this.model.assignments.push(a);
    if (this.active) this.sectionAt.set(index, this.active);
    const target = this.active ? this.active.settings : this.model.main;
    // Only names of these two lengths can be `extension` / `zend_extension` in any case.
    if (st.offset === undefined && !this.special && (st.name.length === 9 || st.name.length === 14)) {
      const lower = st.name.toLowerCase();
      // Modules load from every line; they never enter the configuration hash.
      if (lower === 'extension') return void this.model.extensions.push(a);
      if (lower === 'zend_extension') return void this.model.zendExtensions.push(a);
    }
    let setting = target.get(st.name) as LiveSetting | undefined;
    if (!setting) {
      setting = new LiveSetting(st.name, a);
      target.set(st.name, setting);
    } else {
      setting.assignments.push(a);
    }
    const live = setting.live;
    if (st.offset === undefined) {
      // A scalar replaces whatever was there, array or not.
      setting.value = st.value;
      for (const old of live) this.model.overridden.push(old);
      setting.live = [a];
      return;
    }
    let arr = typeof setting.value === 'string' ? undefined : setting.value;
    if (!arr) {
      // The array replaces a scalar (or nothing): its entries get a list of their own.
      for (const old of live) this.model.overridden.push(old);
      setting.live = [];
      arr = { entries: [] };
      setting.value = arr;
      this.arrays.set(arr, { positions: new Map(), next: undefined, byKey: new Map() });
    }
    const state = this.arrays.get(arr) as ArrayState;
    let key: string | number;
    if (st.offset === null) {
      key = state.next ?? 0;
    } else {
      key = arrayKey(st.offset);
    }
    if (typeof key === 'number' && (state.next === undefined || key >= state.next)) state.next = key + 1;
    const pos = state.positions.get(key);
    if (pos === undefined) {
      state.positions.set(key, arr.entries.length);
      arr.entries.push([key, st.value]);
    } else {
      arr.entries[pos][1] = st.value;
      const old = state.byKey.get(key);
      if (old) this.model.overridden.push(old);
    }
    state.byKey.set(key, a);
    setting.live.push(a);
  }

  private section(st: Statement, index: number): void {
    const name = st.name ?? '';
    const prefix = name.slice(0, 4).toLowerCase();
    // zend_binary_strncasecmp(name, "PATH", 4): any header that merely starts with PATH/HOST counts.
    if (name.length >= 4 && (prefix === 'path' || prefix === 'host')) {
      this.special = true;
      let key = name.slice(4);
      if (key.length === 0) return;
      const kind = prefix === 'path' ? 'path' : 'host';
      if (kind === 'host') key = key.toLowerCase();
      key = key.replace(/[/\\]+$/, '');
      key = key.replace(/^[= \t]+/, '');
      // The section lives in the main hash under its key; an existing scalar there wins, and PHP
      // then keeps writing to whatever hash was active before.
      const existing = this.model.main.get(key);
      if (existing && typeof existing.value === 'string') return;
      let sec = this.model.specialSections.find((s) => s.key === key);
      if (!sec) {
        sec = { kind, key, header: undefined, headerIndex: index, settings: new Map() };
        this.model.specialSections.push(sec);
      }
      // PHP never switches back to the main scope within the same file after this.
      this.active = sec;
      return;
    }
    this.special = false;
  }
}

/** get_cfg_var() as JSON: lists stay lists only when their keys are exactly 0..n-1 in order. */
export function cfgToJson(value: CfgValue): unknown {
  if (typeof value === 'string') return value;
  const isList = value.entries.every(([k], i) => k === i);
  if (isList) return value.entries.map(([, v]) => cfgToJson(v));
  const obj: Record<string, unknown> = {};
  for (const [k, v] of value.entries) setEntry(obj, String(k), cfgToJson(v));
  return obj;
}

// ---------------------------------------------------------------------------------------------
// PHP-FPM

/** The php.ini override arrays a pool may set. */
export const FPM_PHP_ARRAYS = ['php_value', 'php_flag', 'php_admin_value', 'php_admin_flag'] as const;
export type FpmPhpArray = (typeof FPM_PHP_ARRAYS)[number];
export const FPM_ARRAYS = ['env', ...FPM_PHP_ARRAYS, 'access.suppress_path'] as const;

export interface FpmPhpSetting {
  /** The php.ini directive it sets, e.g. `session.cookie_secure`. */
  directive: string;
  value: string;
  via: FpmPhpArray;
  /** php_admin_* values are locked: ini_set() in a script cannot change them. */
  admin: boolean;
  assignment: Assignment;
}

export interface FpmPool {
  name: string;
  headerIndex: number;
  header: Statement;
  /** Plain pool directives, keyed by lowercased name (php-fpm matches them case-insensitively). */
  directives: Map<string, Assignment[]>;
  env: Map<string, Assignment>;
  php: FpmPhpSetting[];
  suppressPaths: Assignment[];
}

export interface FpmModel {
  dialect: 'php-fpm';
  /** Directives before any section header or under `[global]`. */
  global: Map<string, Assignment[]>;
  globalArrays: Assignment[];
  pools: FpmPool[];
  includes: Assignment[];
  assignments: Assignment[];
  /** Bare keys (e.g. a `#` line): fatal for php-fpm ("value is NULL"). */
  bareKeys: Array<{ statement: Statement; index: number }>;
  /** Where each assignment landed: undefined = global. */
  poolOf: Map<Assignment, FpmPool | undefined>;
}

export class FpmModelBuilder {
  readonly model: FpmModel = {
    dialect: 'php-fpm',
    global: new Map(),
    globalArrays: [],
    pools: [],
    includes: [],
    assignments: [],
    bareKeys: [],
    poolOf: new Map(),
  };
  private pool: FpmPool | undefined;

  apply(st: Statement, index: number): void {
    if (st.kind === 'section') {
      const name = st.name ?? '';
      if (name.toLowerCase() === 'global') {
        this.pool = undefined;
        return;
      }
      let pool = this.model.pools.find((p) => p.name === name);
      if (!pool) {
        pool = { name, headerIndex: index, header: st, directives: new Map(), env: new Map(), php: [], suppressPaths: [] };
        this.model.pools.push(pool);
      }
      this.pool = pool;
      return;
    }
    if (st.kind === 'bare-key') {
      this.model.bareKeys.push({ statement: st, index });
      return;
    }
    if (st.kind !== 'entry' || st.name === undefined || st.value === undefined) return;
    const pool = this.pool;
    const value = pool ? st.value.split('$pool').join(pool.name) : st.value;
    const a: Assignment = { statement: st, index, name: st.name, value };
    if (st.offset !== undefined) a.offset = st.offset;
    this.model.assignments.push(a);
    this.model.poolOf.set(a, pool);
    if (st.offset === undefined && st.name === 'include') {
      this.model.includes.push(a);
      return;
    }
    if (st.offset !== undefined) {
      if (!pool) {
        this.model.globalArrays.push(a);
        return;
      }
      const arrayName = st.name as (typeof FPM_ARRAYS)[number];
      // Like php_value, php-fpm applies the first env[NAME] line of a pool.
      if (arrayName === 'env' && st.offset) {
        if (!pool.env.has(st.offset)) pool.env.set(st.offset, a);
      }
      else if (arrayName === 'access.suppress_path') pool.suppressPaths.push(a);
      else if ((FPM_PHP_ARRAYS as readonly string[]).includes(arrayName) && st.offset) {
        const via = arrayName as FpmPhpArray;
        // php-fpm turns php_flag/php_admin_flag values into "1" or "0" before PHP sees them.
        const flagValue = via.endsWith('flag') ? fpmFlag(value) : value;
        pool.php.push({ directive: st.offset, value: flagValue, via, admin: via.startsWith('php_admin'), assignment: a });
      }
      return;
    }
    const key = st.name.toLowerCase();
    const map = pool ? pool.directives : this.model.global;
    const list = map.get(key);
    if (list) list.push(a);
    else map.set(key, [a]);
  }
}

/**
 * The effective value of a pool's php.ini override: any php_admin_* line beats php_value/php_flag, and
 * among lines of the same kind the first one wins (php-fpm prepends to its list; verified on 8.2).
 */
export function poolPhpSetting(pool: FpmPool, directive: string): FpmPhpSetting | undefined {
  let first: FpmPhpSetting | undefined;
  for (const p of pool.php) {
    if (p.directive !== directive) continue;
    if (p.admin) return p;
    first ??= p;
  }
  return first;
}

/** php-fpm's boolean words for php_flag (an invalid word is a start-up error; kept as written here). */
function fpmFlag(value: string): string {
  const v = value.toLowerCase();
  if (v === '1' || v === 'on' || v === 'yes' || v === 'true') return '1';
  if (v === '' || v === '0' || v === 'off' || v === 'no' || v === 'false') return '0';
  return value;
}
