import type { LintContext } from '../lint';
import type { Assignment, FpmPool } from '../model';
import { isHashKey, isModuleLoader, shown, writtenValue } from './_catalog';
import type { Rule } from './types';

/** zend_symtable: canonical decimal integers are integer keys, so `a[01]` and `a[1]` differ but `a[1]` twice does not. */
function arrayKey(offset: string): string {
  return offset.length <= 20 && /^(0|-?[1-9][0-9]*)$/.test(offset) ? `#${BigInt(offset)}` : `s${offset}`;
}

/** Does `later` (same scope, same name) replace what `earlier` set? */
function replaces(earlier: Assignment, later: Assignment): boolean {
  if (later.offset === undefined) return true; // a scalar replaces a scalar and a whole array
  if (earlier.offset === undefined) return true; // the first array line replaces a scalar
  if (earlier.offset === null || later.offset === null) return false; // `key[]` appends
  return arrayKey(earlier.offset) === arrayKey(later.offset);
}

function label(a: Assignment): string {
  if (a.offset === undefined || a.offset === null) return a.name;
  return `${a.name}[${a.offset}]`;
}

function lineOf(ctx: LintContext, a: Assignment): number {
  return ctx.lines.positionAt(a.statement.start).line + 1;
}

function report(ctx: LintContext, dead: Assignment, winner: Assignment, what: string, why: string): void {
  const r = ctx.entryRange(dead);
  const w = ctx.entryRange(winner);
  const line = lineOf(ctx, winner);
  const deadValue = shown(writtenValue(ctx, dead));
  const winValue = shown(writtenValue(ctx, winner));
  const same = dead.value === winner.value;
  ctx.report({
    message: same
      ? `${what} is set to the same value again on line ${line}${why}: this line is redundant.`
      : `${what} is set again on line ${line} (${winValue})${why}, which is the value that applies: this line (${deadValue}) has no effect.`,
    start: r.start,
    end: r.end,
    directive: dead.name,
    tags: ['unnecessary'],
    related: [{ start: w.start, end: w.end, message: `${what}: the value that applies` }],
    fixes: [{ title: `Remove the overridden ${what} line`, edits: [ctx.removeLine(dead)], safe: false }],
  });
}

function checkIni(ctx: LintContext): void {
  const ini = ctx.ini;
  if (!ini || !ini.overridden.length) return;
  // Assignments per scope and name, in file order, so each dead line only looks at its own kind.
  const byKey = new Map<unknown, Map<string, Assignment[]>>();
  for (const a of ini.assignments) {
    const scope = ini.scopeOf.get(a);
    let names = byKey.get(scope);
    if (!names) byKey.set(scope, (names = new Map()));
    const list = names.get(a.name);
    if (list) list.push(a);
    else names.set(a.name, [a]);
  }
  // Which line finally decides each line's value, found in one backward pass per list so that a file
  // repeating one key a hundred thousand times stays linear: a line is replaced by the next scalar,
  // and an array element also by the next line for the same key.
  const decider = new Map<Assignment, Assignment>();
  for (const names of byKey.values()) {
    for (const list of names.values()) {
      if (list.length < 2) continue;
      const winner: number[] = new Array(list.length);
      let nextScalar = -1;
      const nextSameKey = new Map<string, number>();
      for (let i = list.length - 1; i >= 0; i--) {
        const a = list[i];
        let j = -1;
        if (a.offset === undefined) j = i + 1 < list.length ? i + 1 : -1;
        else {
          j = nextScalar;
          if (a.offset !== null) {
            const k = nextSameKey.get(arrayKey(a.offset));
            if (k !== undefined && (j < 0 || k < j)) j = k;
          }
        }
        winner[i] = j < 0 ? i : winner[j];
        if (winner[i] !== i) decider.set(a, list[winner[i]]);
        if (a.offset === undefined) nextScalar = i;
        else if (a.offset !== null) nextSameKey.set(arrayKey(a.offset), i);
      }
    }
  }
  for (const dead of ini.overridden) {
    if (isModuleLoader(dead.name) || isHashKey(dead.name)) continue;
    const winner = decider.get(dead);
    if (winner) report(ctx, dead, winner, label(dead), '');
  }
}

function checkPool(ctx: LintContext, pool: FpmPool | undefined, directives: Map<string, Assignment[]>): void {
  const where = pool ? ` in pool [${pool.name}]` : ' in the global section';
  for (const list of directives.values()) {
    if (list.length < 2) continue;
    const winner = list[list.length - 1];
    for (const dead of list.slice(0, -1)) report(ctx, dead, winner, dead.name, where);
  }
}

function checkPoolArrays(ctx: LintContext, pool: FpmPool): void {
  // php-fpm prepends each php_value/php_flag/php_admin_*/env entry to a list and then walks that list,
  // so the FIRST line in the file is applied last and wins; php_admin_* lines are applied after all
  // php_value/php_flag lines. Verified with php-fpm 8.2 (two php_value[memory_limit] lines: the first wins).
  const php = new Map<string, typeof pool.php>();
  for (const p of pool.php) {
    if (p.directive === 'extension') continue; // php-fpm loads a module for each one
    const list = php.get(p.directive) ?? [];
    list.push(p);
    php.set(p.directive, list);
  }
  for (const list of php.values()) {
    if (list.length < 2) continue;
    const winner = list.find((p) => p.admin) ?? list[0];
    for (const p of list) {
      if (p === winner) continue;
      const what = `${p.via}[${p.directive}]`;
      const why = winner.admin && !p.admin
        ? ` in pool [${pool.name}] by ${winner.via}, which php-fpm applies after every php_value and php_flag`
        : ` in pool [${pool.name}], but php-fpm applies the first ${winner.admin ? 'php_admin_*' : 'php_value/php_flag'} line for a directive last, so line ${lineOf(ctx, winner.assignment)} wins`;
      reportPhp(ctx, p.assignment, winner.assignment, what, why);
    }
  }
  const env = new Map<string, Assignment[]>();
  for (const a of ctx.fpm?.assignments ?? []) {
    if (a.name !== 'env' || !a.offset || ctx.fpm?.poolOf.get(a) !== pool) continue;
    const list = env.get(a.offset) ?? [];
    list.push(a);
    env.set(a.offset, list);
  }
  for (const list of env.values()) {
    for (const dead of list.slice(1)) {
      reportPhp(ctx, dead, list[0], `env[${dead.offset}]`, ` in pool [${pool.name}], but php-fpm sets the first env line for a variable last, so line ${lineOf(ctx, list[0])} wins`);
    }
  }
}

/** Pool arrays: the winner may come BEFORE the dead line, so the wording differs. */
function reportPhp(ctx: LintContext, dead: Assignment, winner: Assignment, what: string, why: string): void {
  const r = ctx.entryRange(dead);
  const w = ctx.entryRange(winner);
  const line = lineOf(ctx, winner);
  const same = dead.value === winner.value;
  ctx.report({
    message: same
      ? `${what} repeats the value of line ${line}${why}: this line is redundant.`
      : `${what} is overridden by line ${line} (${shown(writtenValue(ctx, winner))})${why}: this line (${shown(writtenValue(ctx, dead))}) has no effect.`,
    start: r.start,
    end: r.end,
    directive: dead.offset ?? dead.name,
    tags: ['unnecessary'],
    related: [{ start: w.start, end: w.end, message: `${what}: the value that applies` }],
    fixes: [{ title: `Remove the overridden ${what} line`, edits: [ctx.removeLine(dead)], safe: false }],
  });
}

function check(ctx: LintContext): void {
  checkIni(ctx);
  const fpm = ctx.fpm;
  if (!fpm) return;
  checkPool(ctx, undefined, fpm.global);
  for (const pool of fpm.pools) {
    checkPool(ctx, pool, pool.directives);
    checkPoolArrays(ctx, pool);
  }
}

export const rule: Rule = {
  id: 'duplicate-directive',
  title: 'A directive set twice in the same scope leaves a dead line',
  severity: 'information',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'When php.ini sets the same directive twice, the later line silently wins and the earlier one does ' +
    'nothing. A reader who finds the hardened value first (say `expose_php = Off` near the top) may never ' +
    'notice the line further down that undoes it. Directive names are case-sensitive in php.ini, so ' +
    '`Display_Errors` is a different (unknown) key; `extension` and `zend_extension` lines and `key[] =` ' +
    'appends accumulate and are never duplicates; `key[name]` lines are compared per key; `[PATH=]` and ' +
    '`[HOST=]` sections are separate scopes.\n\n' +
    'php-fpm is less intuitive. Plain pool directives follow "last wins" (names compared case-insensitively), ' +
    'but for `php_value`, `php_flag`, `php_admin_value`, `php_admin_flag` and `env` it is the FIRST line for ' +
    'a name that takes effect, and any `php_admin_*` line beats every `php_value`/`php_flag` line whatever ' +
    'the order.',
  sources: [
    { title: 'PHP manual: the configuration file', url: 'https://www.php.net/manual/en/configuration.file.php' },
    { title: 'PHP manual: FPM configuration', url: 'https://www.php.net/manual/en/install.fpm.configuration.php' },
  ],
  check,
  cases: [
    {
      name: 'the later line wins in php.ini',
      input: 'expose_php = Off\ndisplay_errors = Off\nexpose_php = On\n',
      expect: [{ line: 1, severity: 'information', message: 'expose_php is set again on line 3 ("On"), which is the value that applies: this line ("Off") has no effect.' }],
      quickFixed: 'display_errors = Off\nexpose_php = On\n',
    },
    {
      name: 'three times: the earlier ones point at the last (CRLF)',
      input: 'memory_limit = 64M\r\nmemory_limit = 128M\r\nmemory_limit = 128M\r\n',
      expect: [
        { line: 1, message: 'memory_limit is set again on line 3 ("128M"), which is the value that applies: this line ("64M") has no effect.' },
        { line: 2, message: 'memory_limit is set to the same value again on line 3: this line is redundant.' },
      ],
    },
    {
      name: 'extensions, appends, per-key arrays, other case, other scopes',
      input: 'extension=redis\nextension=redis\nx[] = 1\nx[] = 2\ny[a] = 1\ny[b] = 2\ny[a] = 3\nDisplay_Errors = 1\ndisplay_errors = 0\n[PATH=/srv]\ndisplay_errors = 1\n',
      expect: [{ line: 5, message: 'y[a] is set again on line 7 ("3"), which is the value that applies: this line ("1") has no effect.' }],
    },
    {
      name: 'a pool: the FIRST php_value wins, admin beats value (verified with php-fpm 8.2)',
      role: 'fpm',
      input: '[www]\nphp_value[memory_limit] = 128M\nphp_value[memory_limit] = 512M\nphp_value[session.name] = A\nphp_admin_value[session.name] = B\n',
      expect: [
        { line: 3, message: 'php_value[memory_limit] is overridden by line 2 ("128M") in pool [www], but php-fpm applies the first php_value/php_flag line for a directive last, so line 2 wins: this line ("512M") has no effect.' },
        { line: 4, message: 'php_value[session.name] is overridden by line 5 ("B") in pool [www] by php_admin_value, which php-fpm applies after every php_value and php_flag: this line ("A") has no effect.' },
      ],
      quickFixed: '[www]\nphp_value[memory_limit] = 128M\nphp_value[session.name] = A\nphp_admin_value[session.name] = B\n',
    },
    {
      name: 'plain pool directives: last wins, names case-insensitive; env keeps the first',
      role: 'fpm',
      input: '[global]\nlog_level = notice\nlog_level = debug\n[www]\npm.max_children = 5\nPM.MAX_CHILDREN = 10\nenv[APP_ENV] = prod\nenv[APP_ENV] = dev\n',
      expect: [
        { line: 2, message: 'log_level is set again on line 3 ("debug") in the global section, which is the value that applies: this line ("notice") has no effect.' },
        { line: 5, message: 'pm.max_children is set again on line 6 ("10") in pool [www], which is the value that applies: this line ("5") has no effect.' },
        { line: 8, message: 'env[APP_ENV] is overridden by line 7 ("prod") in pool [www], but php-fpm sets the first env line for a variable last, so line 7 wins: this line ("dev") has no effect.' },
      ],
    },
    {
      name: 'a .user.ini: last wins',
      role: 'user-ini',
      input: 'upload_max_filesize = 8M\nupload_max_filesize = 8M\n',
      expect: [{ line: 1, message: 'upload_max_filesize is set to the same value again on line 2: this line is redundant.' }],
    },
  ],
};
