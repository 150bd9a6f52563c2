import { compareVersions, defaultFor } from '../catalog';
import type { LintContext, PhpSetting } from '../lint';
import type { FpmPool } from '../model';
import { OWASP_SESSION, PHP_SESSION_DOCS, where } from './_shared';
import { PHP_SESSION_SECURITY, relatedAt, written } from './_session';
import { handlerOf } from './_storage';
import type { Fix, Rule } from './types';

const INVALID_LEN = (shown: string, fallback: string) =>
  `session.sid_length = ${shown} is refused: PHP accepts a whole number from 22 to 256, warns, and keeps ${fallback}.`;
const INVALID_BITS = (shown: string, fallback: string) =>
  `session.sid_bits_per_character = ${shown} is refused: PHP accepts 4, 5 or 6, warns, and keeps ${fallback}.`;
const WEAK = (shownLen: string, bits: string, total: number) =>
  `session.sid_length = ${shownLen} with ${bits} gives session IDs only ${total} bits of randomness, less than the 128 bits of PHP's defaults: weak session IDs are easier to guess.`;
const WEAK_84 = ' Changing it is also deprecated as of PHP 8.4: remove the line to get 32-character IDs.';
const DEPRECATED_LEN = (shown: string) =>
  `session.sid_length = ${shown}: any value but 32 is deprecated as of PHP 8.4 and logs a deprecation notice. Remove it, together with any session.sid_bits_per_character line, to get PHP's fixed 32 characters of 4 bits (128 bits).`;
const DEPRECATED_BITS = (shown: string) =>
  `session.sid_bits_per_character = ${shown}: any value but 4 is deprecated as of PHP 8.4 and logs a deprecation notice. Remove it, together with any session.sid_length line, to get PHP's fixed 32 characters of 4 bits (128 bits).`;
const INVALID_84 = ' Setting it is also deprecated as of PHP 8.4.';
const TOO_LONG = (shown: string) =>
  `session.sid_length = ${shown} makes session file names (sess_ followed by the ID) longer than the 255 bytes file systems allow, so the files handler cannot store any session.`;

const MIN_BITS = 128;
/** "sess_" + ID must fit NAME_MAX (255); checked with PHP 8.2: 250 works, 251 fails with ENAMETOOLONG. */
const MAX_FILES_SID = 250;

/**
 * OnUpdateSidLength / OnUpdateSidBits: ZEND_STRTOL over the whole string (leading whitespace allowed,
 * nothing after the digits), then a range check. undefined when PHP refuses the value.
 */
function accepted(value: string, min: number, max: number): number | undefined {
  if (!/^[ \t\n\v\f\r]*[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value.trim());
  return n >= min && n <= max ? n : undefined;
}

/** What PHP 8.4 compares with 32 / 4 to decide on the deprecation notice (strtol; 0 without digits). */
function strtolValue(value: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(value);
  return m ? Number(m[1]) : 0;
}

/** A refused value leaves the built-in default at start-up, and the php.ini value at run time. */
function fallback(ctx: LintContext, s: PhpSetting, def: number): string {
  return s.pool || ctx.options.role === 'user-ini' ? 'the value from php.ini' : `the default, ${def}`;
}

/** Removes every line of this scope that sets one of these directives. */
function removeAll(ctx: LintContext, settings: Array<PhpSetting | undefined>): Fix {
  const present = settings.filter((s): s is PhpSetting => !!s);
  const names = present.map((s) => s.directive).join(' and ');
  return {
    title: `Remove the ${names} line${present.length > 1 || present.some((s) => s.all.length > 1) ? 's' : ''}`,
    edits: present.flatMap((s) => s.all.map((a) => ctx.removeLine(a))),
    // Not safe: the session ID format (length, alphabet) changes, which custom save handlers with
    // fixed-width columns or code that validates IDs may depend on; and fix-all never deletes lines.
    safe: false,
  };
}

export const rule: Rule = {
  id: 'session-sid-strength',
  title: 'Session IDs must carry at least 128 bits of randomness (session.sid_length × session.sid_bits_per_character)',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'A session ID is the only secret a logged-in browser holds. PHP builds it from `session.sid_length` ' +
    'characters that each carry `session.sid_bits_per_character` random bits, so its strength is the product: ' +
    '32 × 4 = 128 bits by default, 26 × 5 = 130 bits in the php.ini files PHP ships. Shorter IDs leave a ' +
    'smaller margin against guessing, and the manual recommends at least 32 characters at 4 bits.\n\n' +
    'PHP refuses a length outside 22–256 or a bit count other than 4, 5 or 6: it warns and keeps the previous ' +
    'value. A length above 250 breaks the files handler, whose file names (`sess_` + ID) would exceed 255 ' +
    'bytes. PHP 8.4 deprecates both settings (any value other than 32 and 4 logs a deprecation notice), so ' +
    'on 8.4 and later the fix is to remove them and use the fixed 128-bit format. Removing them changes the ID ' +
    'format, so the fix is offered but never applied automatically.',
  sources: [
    { title: 'PHP manual: session.sid_length', url: `${PHP_SESSION_DOCS}#ini.session.sid-length` },
    { title: 'PHP manual: session.sid_bits_per_character', url: `${PHP_SESSION_DOCS}#ini.session.sid-bits-per-character` },
    { title: 'PHP manual: session management basics', url: PHP_SESSION_SECURITY },
    { title: 'PHP RFC: Deprecations for PHP 8.4 (session.sid_length and session.sid_bits_per_character)', url: 'https://wiki.php.net/rfc/deprecations_php_8_4' },
    { title: 'OWASP Session Management Cheat Sheet: session ID entropy', url: OWASP_SESSION },
  ],
  check(ctx) {
    const defLenText = defaultFor('session.sid_length', ctx.phpVersion);
    const defBitsText = defaultFor('session.sid_bits_per_character', ctx.phpVersion);
    if (defLenText === undefined || defBitsText === undefined) return; // not in this PHP version
    const defLen = Number(defLenText ?? 32);
    const defBits = Number(defBitsText ?? 4);
    const php84 = compareVersions(ctx.phpVersion, '8.4') >= 0;

    // One scope per php.ini main scope / pool, with both directives of that scope.
    const scopes = new Map<FpmPool | undefined, { len?: PhpSetting; bits?: PhpSetting }>();
    const scope = (p: FpmPool | undefined) => scopes.get(p) ?? scopes.set(p, {}).get(p)!;
    for (const s of ctx.settings('session.sid_length')) scope(s.pool).len = s;
    for (const s of ctx.settings('session.sid_bits_per_character')) scope(s.pool).bits = s;

    for (const { len, bits } of scopes.values()) {
      const lenN = len ? accepted(len.value, 22, 256) : undefined;
      const bitsN = bits ? accepted(bits.value, 4, 6) : undefined;
      const lenDeprecated = php84 && !!len && strtolValue(len.value) !== 32;
      const bitsDeprecated = php84 && !!bits && strtolValue(bits.value) !== 4;
      const deprecatedLines = [lenDeprecated ? len : undefined, bitsDeprecated ? bits : undefined];

      // A value PHP refuses (it warns and keeps the default) is an error for either directive.
      const invalid = [
        { s: len, n: lenN, directive: 'session.sid_length', text: INVALID_LEN, def: defLen },
        { s: bits, n: bitsN, directive: 'session.sid_bits_per_character', text: INVALID_BITS, def: defBits },
      ];
      for (const { s: bad, n, directive, text, def } of invalid) {
        if (!bad || n !== undefined) continue;
        const r = ctx.entryRange(bad.assignment);
        ctx.report({
          message: text(written(ctx, bad) + where(bad), fallback(ctx, bad, def)) + (php84 ? INVALID_84 : ''),
          start: r.start,
          end: r.end,
          directive,
          severity: 'error',
          tags: php84 ? ['deprecated'] : undefined,
          fixes: [removeAll(ctx, [bad])],
        });
      }

      const effLen = lenN ?? defLen;
      const effBits = bitsN ?? defBits;
      const total = effLen * effBits;
      let lenReported = false;
      if (len && lenN !== undefined && total < MIN_BITS) {
        // Only a short sid_length can do this: 32 characters carry at least 4 bits each.
        lenReported = true;
        const r = ctx.entryRange(len.assignment);
        const bitsText = bits && bitsN !== undefined ? `session.sid_bits_per_character = ${written(ctx, bits)}` : `${effBits} bits per character`;
        const needed = Math.ceil(MIN_BITS / effBits);
        ctx.report({
          message: WEAK(written(ctx, len) + where(len), bitsText, total) + (php84 ? WEAK_84 : ''),
          start: r.start,
          end: r.end,
          directive: 'session.sid_length',
          tags: php84 ? ['deprecated'] : undefined,
          related: relatedAt(ctx, bits && bitsN !== undefined ? bits : undefined, 'Bits per character are set here.'),
          fixes: php84
            ? [removeAll(ctx, deprecatedLines)]
            : [{ title: `Set session.sid_length to ${needed}`, edits: [ctx.replaceValue(len.assignment, String(needed))], safe: false }],
        });
      }
      if (len && lenN !== undefined && lenN > MAX_FILES_SID && handlerOf(ctx, len).name === 'files') {
        lenReported = true;
        const r = ctx.entryRange(len.assignment);
        ctx.report({
          message: TOO_LONG(written(ctx, len) + where(len)) + (php84 ? INVALID_84 : ''),
          start: r.start,
          end: r.end,
          directive: 'session.sid_length',
          severity: 'error',
          tags: php84 ? ['deprecated'] : undefined,
          fixes: php84 ? [removeAll(ctx, deprecatedLines)] : [],
        });
      }
      if (len && lenN !== undefined && lenDeprecated && !lenReported) {
        const r = ctx.entryRange(len.assignment);
        ctx.report({
          message: DEPRECATED_LEN(written(ctx, len) + where(len)),
          start: r.start,
          end: r.end,
          directive: 'session.sid_length',
          severity: 'information',
          tags: ['deprecated'],
          fixes: [removeAll(ctx, deprecatedLines)],
        });
      }
      if (bits && bitsN !== undefined && bitsDeprecated) {
        const r = ctx.entryRange(bits.assignment);
        ctx.report({
          message: DEPRECATED_BITS(written(ctx, bits) + where(bits)),
          start: r.start,
          end: r.end,
          directive: 'session.sid_bits_per_character',
          severity: 'information',
          tags: ['deprecated'],
          fixes: [removeAll(ctx, deprecatedLines)],
        });
      }
    }
  },
  cases: [
    {
      name: '22 characters of 4 bits: 88 bits',
      input: '[Session]\nsession.sid_length = 22\n',
      expect: [{ line: 2, message: WEAK('22', '4 bits per character', 88), severity: 'warning' }],
      quickFixed: '[Session]\nsession.sid_length = 32\n',
    },
    {
      name: "PHP's shipped 26 × 5 = 130 bits is enough",
      input: '[Session]\nsession.sid_length = 26\nsession.sid_bits_per_character = 5\n',
      expect: [],
    },
    {
      name: '24 × 5 = 120 bits: weak, and the fix keeps 5 bits per character',
      input: '[Session]\r\nsession.sid_bits_per_character = 5\r\nsession.sid_length = 24\r\n',
      expect: [{ line: 3, message: WEAK('24', 'session.sid_bits_per_character = 5', 120) }],
      quickFixed: '[Session]\r\nsession.sid_bits_per_character = 5\r\nsession.sid_length = 26\r\n',
    },
    {
      name: 'out of range: PHP 8.2 warns at start-up and keeps 32 (checked: php -d session.sid_length=10)',
      input: '[Session]\nsession.sid_length = 10\n',
      expect: [{ line: 2, message: INVALID_LEN('10', 'the default, 32'), severity: 'error' }],
      quickFixed: '[Session]\n',
    },
    {
      name: 'bits outside 4..6 and a non-number are refused (checked with PHP 8.2)',
      role: 'fragment',
      input: 'session.sid_bits_per_character = 7\nsession.sid_length = "26abc"\n',
      expect: [
        { line: 1, message: INVALID_BITS('7', 'the default, 4'), severity: 'error' },
        { line: 2, message: INVALID_LEN('"26abc"', 'the default, 32'), severity: 'error' },
      ],
    },
    {
      name: 'a pool that shortens IDs',
      role: 'fpm',
      input: '[www]\nphp_admin_value[session.sid_length] = 22\n',
      expect: [{ line: 2, message: WEAK('22 (php_admin_value[session.sid_length] in pool [www])', '4 bits per character', 88) }],
    },
    {
      name: 'a pool with a value PHP refuses keeps the php.ini value (checked with php-fpm 8.2)',
      role: 'fpm',
      input: '[www]\r\nphp_value[session.sid_bits_per_character] = 3\r\n',
      expect: [{ line: 2, message: INVALID_BITS('3 (php_value[session.sid_bits_per_character] in pool [www])', 'the value from php.ini') }],
    },
    {
      name: 'more than 250 characters cannot be stored by the files handler (checked: 251 fails)',
      input: '[Session]\nsession.sid_length = 251\n',
      expect: [{ line: 2, message: TOO_LONG('251'), severity: 'error' }],
    },
    { name: 'long IDs are fine with Redis', input: '[Session]\nsession.save_handler = redis\nsession.sid_length = 256\n', expect: [] },
    {
      name: 'PHP 8.4: any value but 32 / 4 is deprecated; the fix removes both lines',
      phpVersion: '8.4',
      input: '[Session]\nsession.sid_length = 26\nsession.sid_bits_per_character = 5\n',
      expect: [
        { line: 2, message: DEPRECATED_LEN('26'), severity: 'information' },
        { line: 3, message: DEPRECATED_BITS('5'), severity: 'information' },
      ],
      quickFixed: '[Session]\n',
    },
    {
      name: 'PHP 8.4: 32 and 4 log nothing',
      phpVersion: '8.4',
      input: '[Session]\nsession.sid_length = 32\nsession.sid_bits_per_character = 4\n',
      expect: [],
    },
    {
      name: 'PHP 8.5: weak and deprecated, one finding',
      phpVersion: '8.5',
      role: 'fpm',
      input: '[app]\nphp_value[session.sid_length] = 22\n',
      expect: [{ line: 2, message: WEAK('22 (php_value[session.sid_length] in pool [app])', '4 bits per character', 88) + WEAK_84 }],
      quickFixed: '[app]\n',
    },
  ],
};
