import { errorLines, hashToSemicolonFix, lineRange, startsWithHash } from './_fpm';
import type { Rule } from './types';

// Verified with PHP 8.2.36 CLI:
// - `# hash comment` then `error_log = /tmp/b.log`: `php -n -c c2.ini -r 'var_dump(ini_get("error_log"));'`
//   prints "/tmp/b.log" with no warning (the # line is a bare key, ignored).
// - `# session.name = HASHED`: ini_get("session.name") stays "PHPSESSID" and get_cfg_var("# session.name")
//   is "HASHED".
// - `# comment (with parens)`: "PHP:  syntax error, unexpected '('" and the rest of the file is lost
//   (reported by the syntax-error rule, not here).
// php-fpm files are handled by fpm-config-error, where a # line is fatal.

export const rule: Rule = {
  id: 'hash-comment',
  title: '# does not start a comment in php.ini (since PHP 7.0); use ;',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini'],
  rationale:
    'PHP 7.0 removed `#` comments from INI files, but many hand-written configurations still use them. What ' +
    'PHP does with such a line depends on its content, which makes it a trap:\n\n' +
    '- `# some text` is read as a key without a value and happens to be ignored;\n' +
    '- `# session.name = x` sets a configuration key literally named `# session.name`: the directive stays ' +
    'unchanged, so the line works like a comment by accident;\n' +
    '- `# enable this (later)` or any line with `( ) ! ~ & | ^ { } " [ ] $` is a syntax error, and PHP ' +
    'ignores the rest of the file (the `syntax-error` rule reports those).\n\n' +
    'Editing the text of a harmless `#` line can therefore silently drop every setting below it. Start ' +
    'comments with `;`. The fix replaces the `#` and changes nothing PHP applies. In php-fpm files a `#` ' +
    'line is fatal; `fpm-config-error` reports it there.',
  sources: [
    { title: 'PHP 7.0 migration: # comments in INI files removed', url: 'https://www.php.net/manual/en/migration70.incompatible.php#migration70.incompatible.other.ini-comments' },
    { title: 'PHP manual: the configuration file', url: 'https://www.php.net/manual/en/configuration.file.php' },
  ],
  check(ctx) {
    const ini = ctx.ini;
    if (!ini) return;
    // Built at the first # line (most files have none):
    // - a # line with ( ) ! ... is a syntax error; the syntax-error rule reports it, and making it a
    //   comment would change what PHP applies (the rest of the file), so it is not a safe fix;
    // - entries inside [PATH=]/[HOST=] sections are stored in that section's array, not as a key of
    //   their own.
    let seen: Set<number> | undefined;
    let special: Set<number> | undefined;
    // An indexed loop, not forEach: it visits every statement of every file, mostly in code V8 has not
    // optimized yet.
    const statements = ctx.doc.statements;
    for (let index = 0; index < statements.length; index++) {
      const st = statements[index];
      if ((st.kind !== 'bare-key' && st.kind !== 'entry') || !startsWithHash(ctx, st)) continue;
      seen ??= errorLines(ctx);
      special ??= new Set(ini.assignments.filter((a) => ini.scopeOf.get(a)).map((a) => a.index));
      const r = lineRange(ctx, st);
      const line = ctx.lines.positionAt(r.start).line;
      if (seen.has(line)) continue;
      seen.add(line);
      const name = st.name ?? '';
      const offset = st.offset !== undefined ? `[${st.offset ?? ''}]` : '';
      const target = name.replace(/^#+\s*/, '') + (name.replace(/^#+\s*/, '') ? offset : '');
      // A tab ends a key: `#<TAB>session.name = x` is the bare key `#`, then an entry PHP applies.
      const next = statements[index + 1];
      const setsAfter = st.kind === 'bare-key' && next?.kind === 'entry' && next.start < r.end ? next : undefined;
      const setName = setsAfter ? `${setsAfter.name ?? ''}${setsAfter.offset !== undefined ? `[${setsAfter.offset ?? ''}]` : ''}` : '';
      const message = setsAfter
        ? `# does not start a comment in php.ini (since PHP 7.0): PHP reads "${name}" as a key without a value, then the rest of the line, so this line sets ${setName}. Start comments with ; (which would turn that setting off).`
        : st.kind === 'entry'
          ? `# does not start a comment in php.ini (since PHP 7.0): this line sets a key named "${name}${offset}"${target ? `, not ${target},` : ''} so it only works like a comment by accident. Start comments with ;.`
          : '# does not start a comment in php.ini (since PHP 7.0): PHP reads this line as a key without a value and ignores it, but the same line with "=" or a character such as ( or ! would set a key or break the rest of the file. Start comments with ;.';
      // The key PHP stores for `# key = value` (what the fix removes); a bare key stores nothing.
      const fix = hashToSemicolonFix(ctx, st);
      // In a [PATH=]/[HOST=] section the fix changes the section's array, and after a tab it removes a
      // setting PHP applies: a quick fix then, never an automatic one.
      if (special.has(index) || setsAfter) fix.safe = false;
      const directive = setsAfter ? (setsAfter.name ?? null) : st.kind === 'entry' ? name : null;
      ctx.report({ message, start: r.start, end: r.end, directive, fixes: [fix] });
    }
  },
  cases: [
    {
      name: 'a tab ends the key: `#<TAB>key = value` sets that key (verified: php -n -c reads session.name as XSID), so the fix is not automatic',
      role: 'fragment',
      input: '#\tsession.name = XSID\n',
      expect: [
        {
          line: 1,
          message:
            '# does not start a comment in php.ini (since PHP 7.0): PHP reads "#" as a key without a value, then the rest of the line, so this line sets session.name. Start comments with ; (which would turn that setting off).',
        },
      ],
      fixed: '#\tsession.name = XSID\n',
      quickFixed: ';\tsession.name = XSID\n',
    },
    {
      name: 'a plain # comment line',
      role: 'fragment',
      input: '# Xdebug settings\nxdebug.mode = debug\n',
      expect: [
        {
          line: 1,
          message:
            '# does not start a comment in php.ini (since PHP 7.0): PHP reads this line as a key without a value and ignores it, but the same line with "=" or a character such as ( or ! would set a key or break the rest of the file. Start comments with ;.',
        },
      ],
      fixed: '; Xdebug settings\nxdebug.mode = debug\n',
    },
    {
      name: 'a commented-out directive sets a key named "# session.name" (CRLF, indented, ###)',
      input: '[Session]\r\n  ### session.name = HASHED\r\nsession.use_strict_mode = 1\r\n',
      expect: [
        {
          line: 2,
          message: '# does not start a comment in php.ini (since PHP 7.0): this line sets a key named "### session.name", not session.name, so it only works like a comment by accident. Start comments with ;.',
        },
      ],
      fixed: '[Session]\r\n  ;## session.name = HASHED\r\nsession.use_strict_mode = 1\r\n',
    },
    {
      name: 'a .user.ini with an array-looking # line',
      role: 'user-ini',
      input: '#php_value[memory_limit] = 1G\n',
      expect: [{ line: 1, message: /sets a key named "#php_value\[memory_limit\]", not php_value\[memory_limit\],/ }],
      fixed: ';php_value[memory_limit] = 1G\n',
    },
    {
      name: 'a # line whose quoted value spans lines: reported, but ; would only comment out the first line',
      role: 'fragment',
      input: '# user_agent = "a\nb"\nexpose_php = Off\n',
      expect: [{ line: 1, message: /sets a key named "# user_agent", not user_agent,/ }],
      quickFixed: '; user_agent = "a\nb"\nexpose_php = Off\n',
    },
    {
      name: 'inside a [HOST=] section the fix is only offered (the line is stored in the section array)',
      input: '[HOST=example.com]\n# session.cookie_secure = Off\n',
      expect: [{ line: 2, message: /sets a key named "# session\.cookie_secure", not session\.cookie_secure,/ }],
      quickFixed: '[HOST=example.com]\n; session.cookie_secure = Off\n',
    },
    {
      name: '# with parentheses is a syntax error: left to the syntax-error rule',
      role: 'fragment',
      input: '# enable this (later)\nexpose_php = Off\n',
      expect: [],
    },
    {
      name: '; comments, and # inside a value or a key, are fine',
      input: '; comment\nerror_log = /tmp/a.log # not a comment\nuser_agent = "a#b"\n',
      expect: [],
    },
  ],
};
