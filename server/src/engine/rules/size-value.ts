import { allDirectives } from '../catalog';
import type { LintContext, PhpSetting } from '../lint';
import { PHP_INI_LIST, describeBytes, isLiteral, phpAtLeast, phpSize, settableHere, valueFix, where } from './_hardening';
import type { Fix, Rule } from './types';

/** memory_limit is parsed unsigned (zend_ini_parse_uquantity); every other size is signed. */
const UNSIGNED = new Set(['memory_limit', 'max_memory_limit']);
const UNITS: Record<string, bigint> = { k: 1n << 10n, m: 1n << 20n, g: 1n << 30n };

interface Suggestion {
  text: string;
  safe: boolean;
  why: string;
}

/** A corrected spelling of a size PHP rejects, when what was meant is clear. */
function suggest(value: string): Suggestion | undefined {
  const v = value.trim();
  let m = /^(\d+)\s*([kmg])i?b$/i.exec(v);
  if (m) return { text: `${m[1]}${m[2]}`, safe: true, why: `PHP’s units are K, M and G without a B: write ${m[1]}${m[2]}.` };
  m = /^(\d+)\s*b$/i.exec(v);
  if (m) return { text: m[1], safe: true, why: `A plain number already means bytes: write ${m[1]}.` };
  m = /^(\d+)[.,](\d+)\s*([kmg])(?:i?b)?$/i.exec(v);
  if (m) {
    const scale = 10n ** BigInt(m[2].length);
    const scaled = (BigInt(m[1]) * scale + BigInt(m[2])) * UNITS[m[3].toLowerCase()];
    if (scaled % scale !== 0n) return undefined;
    const text = describeBytes(scaled / scale).replace(/ bytes?$/, '');
    return { text, safe: false, why: `Sizes must be whole numbers: ${text} is the same amount.` };
  }
  m = /^(\d+)\s*t(?:i?b)?$/i.exec(v);
  if (m) {
    const text = `${BigInt(m[1]) * 1024n}G`;
    return { text, safe: false, why: `PHP has no T unit: ${text} is the same amount.` };
  }
  return undefined;
}

/** What the value PHP ends up with means for this directive, when that is worth saying. */
function consequence(directive: string, bytes: bigint): string {
  if (directive === 'memory_limit' && bytes >= 0n && bytes < 2n * 1024n * 1024n) return ' That is below what PHP itself needs, so it refuses the value and keeps the previous limit.';
  if (directive === 'post_max_size') {
    if (bytes <= 0n) return ' For post_max_size that means no limit at all.';
    if (bytes < 65536n) return ' Every POST body larger than that is discarded.';
  }
  if (directive === 'upload_max_filesize') {
    if (bytes <= 0n) return ' For upload_max_filesize that means no limit per file.';
    if (bytes < 65536n) return ' Every uploaded file larger than that is rejected.';
  }
  return '';
}

let sizeDirectives: string[] | undefined;

function check(ctx: LintContext, s: PhpSetting): void {
  const unsigned = UNSIGNED.has(s.directive);
  const q = phpSize(ctx, s.value, unsigned);
  const bytes = unsigned && q.value === (1n << 64n) - 1n ? -1n : unsigned ? q.value : BigInt.asIntN(64, q.value);
  if (q.problem) {
    const r = ctx.entryRange(s.assignment);
    const literal = isLiteral(ctx, s);
    const uses = q.problem === 'overflow' ? 'wraps the number around' : `uses ${describeBytes(bytes)}`;
    const head = phpAtLeast(ctx, '8.2')
      ? `"${s.value}" is not a valid size for ${s.directive}: PHP warns “Invalid quantity” at start-up and ${uses}.`
      : `"${s.value}" is not a valid size for ${s.directive}: PHP before 8.2 silently ${uses}.`;
    const sug = suggest(s.value);
    const fixes: Fix[] = sug && literal ? [valueFix(ctx, s, sug.text, sug.safe)] : [];
    ctx.report({
      message: head + (q.problem === 'overflow' ? '' : consequence(s.directive, bytes)) + (sug ? ` ${sug.why}` : '') + where(s),
      start: r.start,
      end: r.end,
      directive: s.directive,
      fixes,
    });
    return;
  }
  if (q.octal) {
    const stripped = s.value.trim().replace(/^([+-]?)0+(?=\d)/, '$1');
    const decimal = phpSize(ctx, stripped, unsigned);
    if (decimal.problem || decimal.value === q.value) return;
    const r = ctx.entryRange(s.assignment);
    ctx.report({
      message: `"${s.value}" starts with 0, so PHP reads the digits as octal: ${s.directive} becomes ${describeBytes(bytes)}, not ${describeBytes(decimal.value)}.` + where(s),
      start: r.start,
      end: r.end,
      directive: s.directive,
      fixes: isLiteral(ctx, s) ? [valueFix(ctx, s, stripped, false)] : [],
    });
  }
}

export const rule: Rule = {
  id: 'size-value',
  title: 'Sizes such as memory_limit must be written as PHP reads them: a whole number with an optional K, M or G',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'PHP reads size directives (`memory_limit`, `post_max_size`, `upload_max_filesize`, ' +
    '`realpath_cache_size`, `opcache.jit_buffer_size`…) as a whole number, optionally in hex (`0x`), octal ' +
    '(`0o`) or binary (`0b`), followed by at most one of K, M or G, in either case. Anything else does not ' +
    'fail cleanly. PHP 8.2 and later print “Invalid quantity … for backwards compatibility” at start-up and ' +
    'keep going with whatever the number part gives; older versions do the same without a word. Checked with ' +
    'PHP 8.2:\n\n' +
    '- `128MB` is read as 128 **bytes** (“unknown multiplier B”). As post_max_size that discards every form ' +
    'post; as memory_limit it is below what PHP needs, so PHP refuses it and keeps the previous limit.\n' +
    '- `1.5G` is read as 1G and `0.5G` as 0, which for post_max_size means no limit at all.\n' +
    '- `010M` is octal, 8M, without any warning.\n\n' +
    'Unit spellings with a B (`MB`, `KiB`, `Gb`) get a safe fix to the intended unit; fractions and `T` get ' +
    'a quick fix to the exact equivalent; anything else has to be corrected by hand.',
  sources: [
    { title: 'PHP manual: what a shorthand byte value is', url: 'https://www.php.net/manual/en/faq.using.php#faq.using.shorthandbytes' },
    { title: 'PHP manual: ini_parse_quantity()', url: 'https://www.php.net/manual/en/function.ini-parse-quantity.php' },
    { title: 'PHP manual: list of php.ini directives', url: PHP_INI_LIST },
  ],
  check(ctx) {
    // A handful of directives are sizes: look each one up rather than every setting up in the catalog
    // (none is a pattern entry such as pdo.dsn.*; catalog.test.ts checks that).
    sizeDirectives ??= allDirectives().filter((d) => d.type === 'size' && !d.pattern).map((d) => d.name);
    for (const name of sizeDirectives) {
      const settings = ctx.settings(name);
      if (!settings.length || !settableHere(ctx, name)) continue;
      for (const s of settings) check(ctx, s);
    }
  },
  cases: [
    {
      name: '128MB is 128 bytes (PHP 8.2: unknown multiplier "B"); safe fix to 128M',
      input: '[PHP]\npost_max_size = 128MB\n',
      expect: [
        {
          line: 2,
          message:
            '"128MB" is not a valid size for post_max_size: PHP warns “Invalid quantity” at start-up and uses 128 bytes. Every POST body larger than that is discarded. PHP’s units are K, M and G without a B: write 128M.',
          severity: 'warning',
        },
      ],
      fixed: '[PHP]\npost_max_size = 128M\n',
    },
    {
      name: 'memory_limit = 512MB is refused (below start-up usage); CRLF; lower case kept',
      input: '[PHP]\r\nmemory_limit = 512mb\r\n',
      expect: [
        {
          line: 2,
          message:
            '"512mb" is not a valid size for memory_limit: PHP warns “Invalid quantity” at start-up and uses 512 bytes. That is below what PHP itself needs, so it refuses the value and keeps the previous limit. PHP’s units are K, M and G without a B: write 512m.',
        },
      ],
      fixed: '[PHP]\r\nmemory_limit = 512m\r\n',
    },
    {
      name: '1.5G is read as 1G; the exact amount is offered as a quick fix',
      input: 'memory_limit = "1.5G"\n',
      role: 'fragment',
      expect: [{ line: 1, message: '"1.5G" is not a valid size for memory_limit: PHP warns “Invalid quantity” at start-up and uses 1G. Sizes must be whole numbers: 1536M is the same amount.' }],
      quickFixed: 'memory_limit = 1536M\n',
    },
    {
      name: '0.5G is read as 0: unlimited for post_max_size',
      role: 'fragment',
      input: 'post_max_size = 0.5G\n',
      expect: [{ line: 1, message: '"0.5G" is not a valid size for post_max_size: PHP warns “Invalid quantity” at start-up and uses 0. For post_max_size that means no limit at all. Sizes must be whole numbers: 512M is the same amount.' }],
      quickFixed: 'post_max_size = 512M\n',
    },
    {
      name: 'garbage has no fix',
      input: '[PHP]\nupload_max_filesize = 12XB\n',
      expect: [{ line: 2, message: '"12XB" is not a valid size for upload_max_filesize: PHP warns “Invalid quantity” at start-up and uses 12 bytes. Every uploaded file larger than that is rejected.' }],
    },
    {
      name: 'octal without a warning: 010M is 8M',
      input: '[PHP]\nupload_max_filesize = 010M\n',
      expect: [{ line: 2, message: '"010M" starts with 0, so PHP reads the digits as octal: upload_max_filesize becomes 8M, not 10M.' }],
      quickFixed: '[PHP]\nupload_max_filesize = 10M\n',
    },
    {
      name: 'valid spellings: spaces, lower case, hex, -1',
      input: '[PHP]\nmemory_limit = -1\npost_max_size = 64 m\nupload_max_filesize = 0x10M\nrealpath_cache_size = 4096K\n',
      expect: [],
    },
    {
      name: 'PHP 8.1 and older read it the same way, silently',
      phpVersion: '8.1',
      input: '[PHP]\nrealpath_cache_size = 4MB\n',
      expect: [{ line: 2, message: '"4MB" is not a valid size for realpath_cache_size: PHP before 8.2 silently uses 4 bytes. PHP’s units are K, M and G without a B: write 4M.' }],
      fixed: '[PHP]\nrealpath_cache_size = 4M\n',
    },
    {
      name: 'a pool',
      role: 'fpm',
      input: '[www]\nphp_admin_value[upload_max_filesize] = 20 MB\n',
      expect: [{ line: 2, message: /^"20 MB" is not a valid size for upload_max_filesize: .* write 20M\. \(php_admin_value\[upload_max_filesize\] in pool \[www\]\)$/ }],
      fixed: '[www]\nphp_admin_value[upload_max_filesize] = 20M\n',
    },
    {
      name: 'in a .user.ini only sizes it can set are checked (realpath_cache_size is PHP_INI_SYSTEM)',
      role: 'user-ini',
      input: 'realpath_cache_size = 4MB\nupload_max_filesize = 4MB\n',
      expect: [{ line: 2, message: /^"4MB" is not a valid size for upload_max_filesize/ }],
      fixed: 'realpath_cache_size = 4MB\nupload_max_filesize = 4M\n',
    },
  ],
};
