import { FPM_DOCS, inPool, last, poolViews, rawValue, usesEnvVariable } from './_fpm';
import type { Rule } from './types';

// Verified with php-fpm 8.2.36 (`php-fpm8.2 -n -F -y pool.conf`, requests with cgi-fcgi; evil.jpg, evil.txt,
// ok.php and up.PHP all contain `<?php echo "EXECUTED";`):
// - `security.limit_extensions =` (also `""` and `none`; `-tt` prints an empty value): all four ran, with no
//   warning at start-up.
// - `.php .html .jpg`: evil.jpg ran; evil.txt and up.PHP were refused ("Access to the script ... has been
//   denied (see security.limit_extensions)").
// - `.php` / `php`: only ok.php ran. The comparison is a case-sensitive suffix match.
// - unset: `-tt` prints the default `.php .phar`.

/** Extensions that hold PHP code by convention; anything else is a file type a site may accept from users. */
const PHP_LIKE = /^\.?(php\d*|phtml|pht|phar|phps|inc)$/i;

export const rule: Rule = {
  id: 'fpm-limit-extensions',
  title: 'security.limit_extensions must only allow PHP file extensions',
  severity: 'warning',
  scopes: ['fpm'],
  rationale:
    '`security.limit_extensions` is php-fpm’s last line of defence when the web server hands it a file that ' +
    'is not a PHP script, for example an uploaded avatar named `photo.jpg` that contains PHP code, reached ' +
    'through a misconfigured location block or `cgi.fix_pathinfo` path tricks. php-fpm only runs a script ' +
    'whose name ends in one of the listed extensions. An empty value removes the check altogether, and ' +
    'listing `.html`, `.jpg` or `.txt` makes exactly the files users are allowed to upload executable. The ' +
    'default, `.php .phar`, is right for almost every site.',
  sources: [
    { title: 'PHP manual: FPM configuration (security.limit_extensions)', url: `${FPM_DOCS}#security-limit-extensions` },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/PHP_Configuration_Cheat_Sheet.html' },
  ],
  check(ctx) {
    for (const view of poolViews(ctx)) {
      const a = last(view, 'security.limit_extensions');
      if (!a || usesEnvVariable(ctx, a)) continue;
      const r = ctx.entryRange(a);
      const items = a.value.split(/[ \t]+/).filter(Boolean);
      if (items.length === 0) {
        ctx.report({
          message: `security.limit_extensions is empty${inPool(view)}: php-fpm will run any file the web server passes to it as PHP, whatever its extension (an uploaded .jpg containing PHP code included).`,
          start: r.start,
          end: r.end,
          directive: 'security.limit_extensions',
          fixes: [{ title: 'Allow only .php', edits: [ctx.replaceValue(a, '.php')], safe: false }],
        });
        continue;
      }
      const foreign = items.filter((x) => !PHP_LIKE.test(x));
      if (!foreign.length) continue;
      const kept = items.filter((x) => PHP_LIKE.test(x));
      const list = foreign.map((x) => `"${x}"`).join(', ');
      ctx.report({
        message:
          `security.limit_extensions = ${rawValue(ctx, a)}${inPool(view)} allows ${list}: php-fpm will run files with ${foreign.length === 1 ? 'this extension' : 'these extensions'} as PHP, ` +
          'so an uploaded file containing PHP code becomes executable if the web server passes it on.',
        start: r.start,
        end: r.end,
        directive: 'security.limit_extensions',
        fixes: [
          {
            title: kept.length ? `Allow only ${kept.join(' ')}` : 'Allow only .php',
            edits: [ctx.replaceValue(a, kept.length ? kept.join(' ') : '.php')],
            // A site that really serves .html through PHP would break.
            safe: false,
          },
        ],
      });
    }
  },
  cases: [
    {
      name: 'image and text extensions',
      role: 'fpm',
      input: '[www]\nsecurity.limit_extensions = .php .html .jpg\n',
      expect: [
        {
          line: 2,
          message:
            'security.limit_extensions = .php .html .jpg in pool [www] allows ".html", ".jpg": php-fpm will run files with these extensions as PHP, so an uploaded file containing PHP code becomes executable if the web server passes it on.',
        },
      ],
      quickFixed: '[www]\nsecurity.limit_extensions = .php\n',
    },
    {
      name: 'an empty value disables the check (also written "" or none), CRLF',
      role: 'fpm',
      input: '[www]\r\nsecurity.limit_extensions =\r\n[b]\r\nsecurity.limit_extensions = ""\r\n[c]\r\nsecurity.limit_extensions = none\r\n',
      expect: [
        {
          line: 2,
          message:
            'security.limit_extensions is empty in pool [www]: php-fpm will run any file the web server passes to it as PHP, whatever its extension (an uploaded .jpg containing PHP code included).',
        },
        { line: 4, message: /^security\.limit_extensions is empty in pool \[b\]/ },
        { line: 6, message: /^security\.limit_extensions is empty in pool \[c\]/ },
      ],
      quickFixed: '[www]\r\nsecurity.limit_extensions = .php\r\n[b]\r\nsecurity.limit_extensions = ""\r\n[c]\r\nsecurity.limit_extensions = none\r\n',
    },
    {
      name: 'one foreign extension in a header-less fragment',
      role: 'fpm',
      input: 'security.limit_extensions = .txt\n',
      expect: [{ line: 1, message: /^security\.limit_extensions = \.txt allows "\.txt": php-fpm will run files with this extension as PHP/ }],
      quickFixed: 'security.limit_extensions = .php\n',
    },
    {
      name: 'PHP extensions (remi’s commented suggestion), the default, and unset are fine',
      role: 'fpm',
      input: '[a]\nsecurity.limit_extensions = .php .php3 .php4 .php5 .php7\n[b]\nsecurity.limit_extensions = .php .phar\n[c]\nlisten = /run/c.sock\n',
      expect: [],
    },
  ],
};
