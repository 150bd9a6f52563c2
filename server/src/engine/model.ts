// What PHP does with the parsed statements: php.ini's configuration hash (main/php_ini.c) and
// php-fpm's global + pool configuration (sapi/fpm/fpm/fpm_conf.c).

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
  scopeOf: Map<Assignment, IniSpecialSection | undefined>;
}

/** zend_symtable: canonical decimal integer strings become integer keys. */
function arrayKey(offset: string): string | number {
  if (/^(0|-?[1-9][0-9]*)$/.test(offset)) {
    const n = Number(offset);
    if (Number.isSafeInteger(n)) return n;
    const b = BigInt(offset);
    if (b <= 0x7fffffffffffffffn && b >= -0x8000000000000000n) return offset; // kept exact as text
  }
  return offset;
}

function arraySet(arr: CfgArray, offset: string | null, value: string): void {
  if (offset === null) {
    let next = 0;
    for (const [k] of arr.entries) if (typeof k === 'number' && k >= next) next = k + 1;
    arr.entries.push([next, value]);
    return;
  }
  const key = arrayKey(offset);
  const i = arr.entries.findIndex(([k]) => k === key);
  if (i >= 0) arr.entries[i][1] = value;
  else arr.entries.push([key, value]);
}

/**
 * Builds php.ini's configuration hash incrementally, statement by statement, because `${NAME}` in a
 * value reads the hash as it stands at that line.
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
    scopeOf: new Map(),
  };
  private active: IniSpecialSection | undefined;
  private special = false;
  private index = 0;

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
    this.model.scopeOf.set(a, this.active);
    const target = this.active ? this.active.settings : this.model.main;
    if (st.offset === undefined && !this.special) {
      const lower = st.name.toLowerCase();
      // Modules load from every line; they never enter the configuration hash.
      if (lower === 'extension') return void this.model.extensions.push(a);
      if (lower === 'zend_extension') return void this.model.zendExtensions.push(a);
    }
    const prev = target.get(st.name);
    if (st.offset === undefined) {
      if (prev) {
        this.model.overridden.push(...prev.assignments.filter((p) => !this.model.overridden.includes(p)));
        prev.value = st.value;
        prev.assignments.push(a);
      } else {
        target.set(st.name, { name: st.name, value: st.value, assignments: [a] });
      }
      return;
    }
    if (prev && typeof prev.value !== 'string') {
      const arr = prev.value;
      if (st.offset !== null) {
        const key = arrayKey(st.offset);
        const old = prev.assignments.filter((p) => p.offset !== undefined && p.offset !== null && arrayKey(p.offset) === key);
        this.model.overridden.push(...old);
      }
      arraySet(arr, st.offset, st.value);
      prev.assignments.push(a);
    } else {
      if (prev) this.model.overridden.push(...prev.assignments);
      const arr: CfgArray = { entries: [] };
      arraySet(arr, st.offset, st.value);
      target.set(st.name, { name: st.name, value: arr, assignments: prev ? [...prev.assignments, a] : [a] });
    }
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
  for (const [k, v] of value.entries) obj[String(k)] = cfgToJson(v);
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
      if (arrayName === 'env' && st.offset) pool.env.set(st.offset, a);
      else if (arrayName === 'access.suppress_path') pool.suppressPaths.push(a);
      else if ((FPM_PHP_ARRAYS as readonly string[]).includes(arrayName) && st.offset) {
        const via = arrayName as FpmPhpArray;
        pool.php.push({ directive: st.offset, value, via, admin: via.startsWith('php_admin'), assignment: a });
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

/** The effective value of a pool's php.ini override: the last line for that directive wins. */
export function poolPhpSetting(pool: FpmPool, directive: string): FpmPhpSetting | undefined {
  for (let i = pool.php.length - 1; i >= 0; i--) if (pool.php[i].directive === directive) return pool.php[i];
  return undefined;
}
