import type { LintContext } from '../lint';
import { fpmBool, iniBool } from '../values';
import { effectiveLines, ENUMS, HARDENING_ON, iniLines, shown, whereLine, writtenValue, type IniLine } from './_catalog';
import type { Fix, Rule } from './types';
import { ownEntry } from '../own';

/** Words people write for booleans that PHP does not recognise, by what they clearly meant. */
const MEANS_ON = new Set(['enabled', 'enable', 'active', 'activated', 'y']);
const MEANS_OFF = new Set(['disabled', 'disable', 'inactive', 'deactivated', 'n']);
/** What PHP itself reads as off without a number: the INI booleans (when quoted they stay words). */
const PHP_OFF_WORDS = /^(off|no|false|none|null)$/i;
/** How nearly every file writes its booleans: accepted without a closer look. */
const PLAIN_BOOLS = new Set(['', 'On', 'Off', 'on', 'off', '1', '0']);

/** The way this line should write a boolean: php_flag takes on/off, php_value 1/0, php.ini On/Off. */
function boolWord(l: IniLine, on: boolean): string {
  if (l.via === 'php_flag' || l.via === 'php_admin_flag') return on ? 'on' : 'off';
  if (l.via) return on ? '1' : '0';
  return on ? 'On' : 'Off';
}

function valueFix(ctx: LintContext, l: IniLine, text: string, safe: boolean): Fix {
  return { title: `Set ${l.name} to ${text}`, edits: [ctx.replaceValue(l.assignment, text)], safe };
}

const NO_ASSIGNMENTS: ReadonlySet<IniLine['assignment']> = new Set();

/** php-fpm converts php_flag values itself and refuses to start on anything but its booleans. */
function checkFlagSyntax(ctx: LintContext): ReadonlySet<IniLine['assignment']> {
  // Only pool files have php_flag lines.
  if (!ctx.fpm) return NO_ASSIGNMENTS;
  const bad = new Set<IniLine['assignment']>();
  for (const l of iniLines(ctx)) {
    if (l.via !== 'php_flag' && l.via !== 'php_admin_flag') continue;
    if (fpmBool(l.value) !== undefined) continue;
    bad.add(l.assignment);
    const raw = writtenValue(ctx, l.assignment);
    const word = l.value.trim().toLowerCase();
    const intent = MEANS_ON.has(word) ? true : MEANS_OFF.has(word) ? false : undefined;
    const r = ctx.entryRange(l.assignment);
    ctx.report({
      message: `php-fpm refuses to start: ${shown(raw)} is not a boolean it accepts for ${l.via}[${l.name}] in pool [${l.pool?.name}] ("invalid boolean value"). Use on/off, yes/no, true/false or 1/0.`,
      severity: 'error',
      start: r.start,
      end: r.end,
      directive: l.name,
      fixes: intent === undefined ? [] : [valueFix(ctx, l, boolWord(l, intent), !intent || HARDENING_ON.has(l.name))],
    });
  }
  return bad;
}

function checkBool(ctx: LintContext, l: IniLine): void {
  const v = l.value.trim();
  if (PLAIN_BOOLS.has(v) || iniBool(v) || /^[+-]?\d/.test(v) || PHP_OFF_WORDS.test(v)) return;
  const raw = writtenValue(ctx, l.assignment);
  const word = v.toLowerCase();
  const r = ctx.entryRange(l.assignment);
  const base = { start: r.start, end: r.end, directive: l.name };
  const accepted = 'PHP only reads On/Yes/True or a non-zero number as on';
  if (MEANS_OFF.has(word)) {
    ctx.report({
      ...base,
      severity: 'information',
      message: `PHP reads ${shown(raw)} as off for ${l.name}, as intended, but only because it does not know the word${whereLine(l)}: write ${boolWord(l, false)}.`,
      fixes: [valueFix(ctx, l, boolWord(l, false), true)],
    });
    return;
  }
  const fixes = MEANS_ON.has(word) ? [valueFix(ctx, l, boolWord(l, true), HARDENING_ON.has(l.name))] : [];
  ctx.report({
    ...base,
    message: `PHP reads ${shown(raw)} as off for ${l.name}${whereLine(l)}: ${accepted}, although ini_get() still returns the word.`,
    fixes,
  });
}

function checkInt(ctx: LintContext, l: IniLine): void {
  const v = l.value;
  if (v.trim() === '') return;
  // php-fpm parses pool files after every extension has started, so extension constants (FILTER_FLAG_...)
  // resolve there although the engine only knows the core ones.
  if (l.pool && l.assignment.statement.tokens.some((t) => t.kind === 'constant' && /^[A-Z_][A-Z0-9_]*$/.test(ctx.text.slice(t.start, t.end)))) return;
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)(.*)$/s.exec(v);
  // Nearly every line is a plain number: the message's pieces are built only for a finding.
  if (m && m[2] === '') return;
  const raw = writtenValue(ctx, l.assignment);
  const r = ctx.entryRange(l.assignment);
  const base = { start: r.start, end: r.end, directive: l.name };
  if (!m) {
    ctx.report({ ...base, message: `${l.name} takes a whole number, but ${shown(raw)} does not start with one: PHP reads it as 0 or rejects it and keeps the default${whereLine(l)}.` });
    return;
  }
  const rest = m[2].trim();
  // Hex/octal/binary prefixes and K/M/G suffixes mean different things to different handlers: leave them.
  if (rest === '' || /^[kmg]$/i.test(rest) || /^[+-]?0[xXoObB]/.test(m[1] + m[2].slice(0, 1))) return;
  ctx.report({ ...base, message: `${l.name} takes a whole number: PHP reads ${shown(raw)} as ${Number(m[1])} and drops "${rest}"${whereLine(l)}.` });
}

function checkEnum(ctx: LintContext, l: IniLine): void {
  const e = ownEntry(ENUMS, l.name);
  if (!e) return;
  const v = l.value.trim().toLowerCase();
  if (v === '' || e.values.includes(v)) return;
  const raw = writtenValue(ctx, l.assignment);
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
  const near = e.values.filter((x) => norm(x) === norm(v) || editDistance(norm(x), norm(v)) <= 2);
  const r = ctx.entryRange(l.assignment);
  ctx.report({
    message: `${shown(raw)} is not a value PHP knows for ${l.name} (${e.values.join(', ')})${whereLine(l)}: ${e.effect}.`,
    start: r.start,
    end: r.end,
    directive: l.name,
    fixes: near.length === 1 ? [valueFix(ctx, l, near[0], near[0] === e.safeTarget)] : [],
  });
}

function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

// session-sid-strength explains these: PHP refuses a bad value there and keeps the default, rather
// than reading the leading number as it does for most integers.
const OWNED_ELSEWHERE = new Set(['session.sid_length', 'session.sid_bits_per_character']);

function check(ctx: LintContext): void {
  const brokenFlags = checkFlagSyntax(ctx);
  // An indexed loop: it visits every line of every file, mostly before V8 optimizes this rule.
  const lines = effectiveLines(ctx);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (brokenFlags.has(l.assignment) || l.assignment.offset !== undefined && !l.pool) continue;
    if (OWNED_ELSEWHERE.has(l.name)) continue;
    const type = l.info?.type;
    if (ownEntry(ENUMS, l.name)) checkEnum(ctx, l);
    else if (type === 'bool') checkBool(ctx, l);
    else if (type === 'int') checkInt(ctx, l);
    // Sizes (memory_limit = 128MB) belong to the size-value rule.
  }
}

export const rule: Rule = {
  id: 'invalid-value',
  title: 'Values must be of the type the directive reads',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'PHP rarely rejects a bad value; it reads it its own way. A boolean directive only treats `On`, `Yes`, ' +
    '`True` (in any case) or a non-zero number as on, so `session.cookie_secure = enabled` leaves the cookie ' +
    'without the Secure flag, while `ini_get()` returns the string "enabled" and a script that checks it with ' +
    '`(bool)` believes it is on. An integer directive set to a word reads as 0 (or is refused and keeps its ' +
    'default), and an unknown `session.serialize_handler` makes every `session_start()` fail.\n\n' +
    'In a pool, `php_flag`/`php_admin_flag` values are checked by php-fpm itself: anything but on/off, yes/no, ' +
    'true/false or 1/0 stops php-fpm from starting. Fixes that switch a setting on are only applied ' +
    'automatically when on is the hardened choice; sizes are left to the size-value rule.',
  sources: [
    { title: 'PHP manual: the configuration file (booleans)', url: 'https://www.php.net/manual/en/configuration.file.php' },
    { title: 'PHP manual: session.serialize_handler', url: 'https://www.php.net/manual/en/session.configuration.php#ini.session.serialize-handler' },
    { title: 'PHP manual: FPM configuration (php_flag)', url: 'https://www.php.net/manual/en/install.fpm.configuration.php' },
  ],
  check,
  cases: [
    {
      name: '"enabled" is off for PHP (verified: session cookie not Secure); fixed safely for a hardening directive',
      input: '[Session]\nsession.cookie_secure = enabled\n',
      expect: [{ line: 2, severity: 'warning', message: 'PHP reads "enabled" as off for session.cookie_secure: PHP only reads On/Yes/True or a non-zero number as on, although ini_get() still returns the word.' }],
      fixed: '[Session]\nsession.cookie_secure = On\n',
    },
    {
      name: 'turning a non-hardening directive on is a quick fix only (CRLF)',
      input: 'expose_php = y\r\n',
      expect: [{ line: 1, message: 'PHP reads "y" as off for expose_php: PHP only reads On/Yes/True or a non-zero number as on, although ini_get() still returns the word.' }],
      quickFixed: 'expose_php = On\r\n',
    },
    {
      name: '"disabled" happens to mean off: information, safe rewrite',
      input: 'display_startup_errors = disabled\n',
      expect: [{ line: 1, severity: 'information', message: 'PHP reads "disabled" as off for display_startup_errors, as intended, but only because it does not know the word: write Off.' }],
      fixed: 'display_startup_errors = Off\n',
    },
    {
      name: 'booleans PHP knows, quoted or not, are fine',
      input: 'log_errors = "On"\nhtml_errors = off\nexpose_php = "no"\nfile_uploads = 1\nzlib.output_compression = 4096\n',
      expect: [],
    },
    {
      name: 'a pool: php_value word and a php_flag php-fpm rejects',
      role: 'fpm',
      input: '[www]\nphp_value[session.cookie_httponly] = active\nphp_flag[display_errors] = disabled\n',
      expect: [
        { line: 2, message: 'PHP reads "active" as off for session.cookie_httponly (php_value[session.cookie_httponly] in pool [www]): PHP only reads On/Yes/True or a non-zero number as on, although ini_get() still returns the word.' },
        { line: 3, severity: 'error', message: 'php-fpm refuses to start: "disabled" is not a boolean it accepts for php_flag[display_errors] in pool [www] ("invalid boolean value"). Use on/off, yes/no, true/false or 1/0.' },
      ],
      fixed: '[www]\nphp_value[session.cookie_httponly] = 1\nphp_flag[display_errors] = off\n',
    },
    {
      name: 'php_flag = 2 is refused by php-fpm too (verified with php-fpm8.2 -t)',
      role: 'fpm',
      input: '[www]\nphp_admin_flag[log_errors] = 2\n',
      expect: [{ line: 2, message: 'php-fpm refuses to start: "2" is not a boolean it accepts for php_admin_flag[log_errors] in pool [www] ("invalid boolean value"). Use on/off, yes/no, true/false or 1/0.' }],
    },
    {
      name: 'integers: a word, a unit PHP ignores, and what is fine',
      input: 'session.gc_maxlifetime = "one day"\nsession.cookie_lifetime = 1d\nmax_input_vars = 0x400\nsession.gc_probability = 1\nerror_reporting = E_ALL & ~E_DEPRECATED\nmax_execution_time =\n',
      expect: [
        { line: 1, message: 'session.gc_maxlifetime takes a whole number, but "one day" does not start with one: PHP reads it as 0 or rejects it and keeps the default.' },
        { line: 2, message: 'session.cookie_lifetime takes a whole number: PHP reads "1d" as 1 and drops "d".' },
      ],
    },
    {
      name: 'an extension constant is not known while php.ini is read, but php-fpm knows it',
      role: 'fpm',
      input: '[www]\nphp_value[filter.default_flags] = FILTER_FLAG_NO_ENCODE_QUOTES\nphp_value[session.gc_maxlifetime] = forever\n',
      expect: [{ line: 3, message: 'session.gc_maxlifetime takes a whole number, but "forever" does not start with one: PHP reads it as 0 or rejects it and keeps the default (php_value[session.gc_maxlifetime] in pool [www]).' }],
    },
    {
      name: 'the same constant in php.ini stays a word',
      role: 'fragment',
      input: 'filter.default_flags = FILTER_FLAG_NO_ENCODE_QUOTES\n',
      expect: [{ line: 1, message: 'filter.default_flags takes a whole number, but "FILTER_FLAG_NO_ENCODE_QUOTES" does not start with one: PHP reads it as 0 or rejects it and keeps the default.' }],
    },
    {
      name: 'an unknown session serializer breaks session_start() (verified with php -S); the fix is only offered',
      input: '[Session]\r\nsession.serialize_handler = php_serialise\r\n',
      expect: [{ line: 2, message: '"php_serialise" is not a value PHP knows for session.serialize_handler (php, php_binary, php_serialize, igbinary, msgpack): every session_start() fails with "Cannot find session serialization handler", unless an extension you load registers that name.' }],
      quickFixed: '[Session]\r\nsession.serialize_handler = php_serialize\r\n',
    },
    {
      name: 'serializer names are case-insensitive; extension serializers are known',
      input: 'session.serialize_handler = PHP\n[PATH=/srv/api]\nsession.serialize_handler = igbinary\n',
      expect: [],
    },
    {
      name: 'only the line that decides counts',
      input: 'session.cookie_secure = enabled\nsession.cookie_secure = 1\n',
      expect: [],
    },
  ],
};
