// How PHP interprets a directive's stored string once a module reads it. The parser gives the raw
// string (what get_cfg_var() returns); these helpers turn it into what the setting then means.

/** zend_ini_parse_bool: "true"/"yes"/"on" (any case) are on, otherwise the leading integer decides. */
export function iniBool(value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true' || v === 'yes' || v === 'on') return true;
  return parseLeadingInt(value) !== 0;
}

/** atoi-like: optional whitespace and sign, then digits; 0 when there are none. */
export function parseLeadingInt(value: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(value);
  return m ? Number(m[1]) : 0;
}

export interface Quantity {
  bytes: number;
  /** Set when PHP would warn about the value (and what it would fall back to). */
  error?: string;
}

/**
 * zend_ini_parse_quantity (PHP >= 8.2): an integer in decimal, 0x, 0o or 0b notation, optionally
 * followed by one of k/m/g (any case). Returns undefined for an empty value.
 */
export function parseQuantity(raw: string): Quantity | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|\d+)\s*(.*)$/.exec(value);
  if (!m) return { bytes: 0, error: `"${raw}" is not a number PHP understands` };
  const [, sign, digits, rest] = m;
  let n: number;
  if (/^0[xX]/.test(digits)) n = parseInt(digits.slice(2), 16);
  else if (/^0[oO]/.test(digits)) n = parseInt(digits.slice(2), 8);
  else if (/^0[bB]/.test(digits)) n = parseInt(digits.slice(2), 2);
  else n = parseInt(digits, 10);
  if (sign === '-') n = -n;
  if (rest === '') return { bytes: n };
  const unit = rest.toLowerCase();
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 0;
  if (!factor) {
    return { bytes: n, error: `"${rest}" is not a size suffix PHP accepts (use K, M or G)` };
  }
  return { bytes: n * factor };
}

/** php-fpm's boolean parser (fpm_conf_is_true / set_boolean): only these words are accepted. */
export function fpmBool(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (v === '1' || v === 'yes' || v === 'on' || v === 'true') return true;
  if (v === '0' || v === 'no' || v === 'off' || v === 'false' || v === '') return false;
  return undefined;
}

/** php-fpm time values: an integer with an optional s/m/h/d suffix, in seconds. */
export function fpmSeconds(value: string): number | undefined {
  const m = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return n * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]];
}

/** Octal permission strings such as "0660" or "660". */
export function parseMode(value: string): number | undefined {
  const v = value.trim();
  if (!/^0?[0-7]{3,4}$/.test(v)) return undefined;
  return parseInt(v, 8);
}

export function formatBytes(n: number): string {
  if (n % 1024 ** 3 === 0 && n !== 0) return `${n / 1024 ** 3}G`;
  if (n % 1024 ** 2 === 0 && n !== 0) return `${n / 1024 ** 2}M`;
  if (n % 1024 === 0 && n !== 0) return `${n / 1024}K`;
  return String(n);
}
