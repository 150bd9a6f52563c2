import { statusFor } from '../catalog';
import type { LintContext } from '../lint';
import type { Fix, Rule } from './types';

function check(ctx: LintContext): void {
  if (!ctx.ini) return;
  for (const st of ctx.doc.statements) {
    if (st.kind !== 'bare-key' || st.name === undefined) continue;
    const text = st.name.trim();
    // `# ...` lines are PHP 5 comments; the hash-comment rule explains those.
    if (text === '' || text.startsWith('#')) continue;
    const key = st.tokens[st.keyToken ?? 0] ?? st.tokens[0];
    // Only a line of its own: text PHP reads as a bare key after a value it cut short (the second `'`
    // of `x = ''`, a word after a NUL) is part of that line's value, not a line PHP ignores.
    const lineStart = ctx.lines.lineStart(ctx.lines.positionAt(key.start).line);
    if (ctx.text.slice(lineStart, key.start).trim() !== '' && ctx.text.slice(lineStart, key.start).replace(/^\uFEFF/, '').trim() !== '') continue;
    const [word, ...rest] = text.split(/[ \t]+/);
    const known = statusFor(word, ctx.phpVersion) !== 'unknown';
    const fixes: Fix[] = [];
    let hint = '';
    if (known && rest.length) {
      const line = `${word} = ${rest.join(' ')}`;
      hint = ` If you meant to set ${word}, write "${line}".`;
      fixes.push({ title: `Write "${line}"`, edits: [{ start: key.start, end: key.end, newText: line }], safe: false });
    } else if (known) {
      hint = ` To set ${word}, add "=" and a value.`;
    }
    fixes.push({ title: 'Turn the line into a comment', edits: [{ start: key.start, end: key.start, newText: '; ' }], safe: false });
    ctx.report({
      message: `"${text}" has no "=", so PHP ignores this line.${hint}`,
      start: key.start,
      end: key.end,
      directive: known ? word : null,
      tags: ['unnecessary'],
      fixes,
    });
  }
}

export const rule: Rule = {
  id: 'bare-key',
  title: 'A php.ini line without "=" sets nothing',
  severity: 'information',
  scopes: ['main', 'fragment', 'user-ini'],
  rationale:
    'PHP\'s php.ini parser accepts a line that is just a word, or several words, and then throws it away: ' +
    '`display_errors` on its own, or `memory_limit 256M` with the `=` forgotten, leaves the directive at ' +
    'whatever it was before, with no warning at start-up. Such a line is either a leftover or a setting that ' +
    'never took effect.\n\n' +
    'Lines starting with `#` are reported by the hash-comment rule; in php-fpm files a bare word is a fatal ' +
    'error and is reported there.',
  sources: [{ title: 'PHP manual: the configuration file', url: 'https://www.php.net/manual/en/configuration.file.php' }],
  check,
  cases: [
    {
      name: 'a directive with its "=" forgotten (verified: memory_limit stays 128M)',
      input: '[PHP]\nmemory_limit 256M\n',
      expect: [{ line: 2, severity: 'information', message: '"memory_limit 256M" has no "=", so PHP ignores this line. If you meant to set memory_limit, write "memory_limit = 256M".' }],
      quickFixed: '[PHP]\nmemory_limit = 256M\n',
    },
    {
      name: 'a lone directive name (CRLF)',
      input: 'display_errors\r\nlog_errors = On\r\n',
      expect: [{ line: 1, message: '"display_errors" has no "=", so PHP ignores this line. To set display_errors, add "=" and a value.' }],
      quickFixed: '; display_errors\r\nlog_errors = On\r\n',
    },
    {
      name: 'a stray word in a .user.ini',
      role: 'user-ini',
      input: 'upload_max_filesize = 16M\nfoo\n',
      expect: [{ line: 2, message: '"foo" has no "=", so PHP ignores this line.' }],
      quickFixed: 'upload_max_filesize = 16M\n; foo\n',
    },
    { name: 'hash lines belong to the hash-comment rule', input: '# old style comment\n#\n', expect: [] },
    { name: 'normal lines and comments', input: '; comment\n[Session]\nsession.name = SID\n\n', expect: [] },
    { name: 'pool files are not this rule\'s (php-fpm refuses bare words itself)', role: 'fpm', input: '[www]\nlisten\n', expect: [] },
  ],
};
