// Tables and JSON objects keyed by names read from a file. A key such as `constructor`, `toString` or
// `__proto__` must never reach Object.prototype: look keys up as own entries only, and store them as
// plain data properties.

const hasOwn = Object.prototype.hasOwnProperty;

/** `table[key]` when the table itself has that entry; undefined for `constructor`, `__proto__` and the like. */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return hasOwn.call(table, key) ? table[key] : undefined;
}

/** Whether `obj` has `key` as its own entry (what `key in obj` should mean for a name from a file). */
export function hasEntry(obj: object, key: string): boolean {
  return hasOwn.call(obj, key);
}

/** `obj[key] = value`, as an own data property even for `__proto__` (which a plain assignment would turn into a prototype change). */
export function setEntry(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
