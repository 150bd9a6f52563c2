import type { Rule } from './types';

export const rule: Rule = {
  id: 'syntax-error',
  title: 'A line PHP cannot parse; PHP ignores it and everything after it in the file',
  severity: 'error',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'When PHP meets a syntax error in an INI file it prints a warning and stops reading that file: every ' +
    'directive from the error to the end of the file is silently ignored, so hardening settings further down ' +
    'never take effect. php-fpm refuses to start instead. The message is the one PHP itself prints.',
  sources: [{ title: 'PHP manual: the configuration file', url: 'https://www.php.net/manual/en/configuration.file.php' }],
  check(ctx) {
    for (const e of ctx.doc.errors) {
      const rest = ctx.lines.lineCount - 1 - ctx.lines.positionAt(e.start).line;
      const tail =
        ctx.doc.dialect === 'php-fpm'
          ? ' php-fpm refuses to start with this file.'
          : rest > 0
            ? ` PHP ignores the rest of this file (${rest} more line${rest === 1 ? '' : 's'}).`
            : '';
      ctx.report({ message: `${capitalize(e.message)}.${tail}`, start: e.start, end: e.end, directive: null });
    }
    if (ctx.doc.truncatedAt !== undefined) {
      const at = ctx.doc.truncatedAt;
      const rest = ctx.lines.lineCount - 1 - ctx.lines.positionAt(at).line;
      const what =
        ctx.text[at] === "'"
          ? 'This apostrophe starts a single-quoted string that never ends, so PHP reads everything after it as part of this value'
          : 'PHP stops reading the file at this character';
      ctx.report({
        message: `${what} and silently ignores the rest of the file${rest > 0 ? ` (${rest} more line${rest === 1 ? '' : 's'})` : ''}. Quote the whole value: "..."`,
        start: at,
        end: Math.min(at + 1, ctx.text.length),
        directive: null,
      });
    }
  },
  cases: [
    {
      name: 'an unbalanced parenthesis, with PHP’s wording',
      input: 'error_reporting = (E_ALL\ndisplay_errors = Off\n',
      expect: [{ line: 1, message: "Syntax error, unexpected END_OF_LINE, expecting '^' or '|' or '&' or ')'. PHP ignores the rest of this file (2 more lines)." }],
    },
    {
      name: 'a comment line written with # that contains parentheses',
      input: '# enable this (later)\nexpose_php = Off\n',
      expect: [{ line: 1, message: "Syntax error, unexpected '('. PHP ignores the rest of this file (2 more lines)." }],
    },
    {
      name: 'a boolean word used as a key',
      input: 'on = 1\n',
      expect: [{ line: 1, message: 'Syntax error, unexpected BOOL_TRUE. PHP ignores the rest of this file (1 more line).' }],
    },
    {
      name: 'an apostrophe in an unquoted value swallows the rest of the file without any error from PHP',
      input: "error_log = /var/log/php's.log\ndisplay_errors = Off\n",
      expect: [{ line: 1, message: 'This apostrophe starts a single-quoted string that never ends, so PHP reads everything after it as part of this value and silently ignores the rest of the file (2 more lines). Quote the whole value: "..."' }],
    },
    { name: 'a valid file', input: 'a = 1\n[Session]\nsession.name = "x"\n', expect: [] },
    {
      name: 'php-fpm refuses the file',
      dialect: 'php-fpm',
      role: 'fpm',
      input: '[www]\nlisten.mode = (0660\n',
      expect: [{ line: 2, message: "Syntax error, unexpected END_OF_LINE, expecting '^' or '|' or '&' or ')'. php-fpm refuses to start with this file." }],
    },
  ],
};

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
