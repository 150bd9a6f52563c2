import { OWASP_PHP_CONFIG } from './_shared';
import { PHP_CORE_INI, isProduction, missingRange } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'open-basedir',
  title: 'A production php.ini should limit the files PHP may open with open_basedir',
  severity: 'information',
  scopes: ['main'],
  rationale:
    'open_basedir restricts every file PHP opens (include, fopen, file_get_contents, uploads, sessions…) to ' +
    'the listed directory trees. Without it, a path traversal or a file-inclusion bug in any application can ' +
    'read whatever the PHP user can read: `/etc/passwd`, other sites’ configuration files with database ' +
    'passwords, private keys. It is not a sandbox (extensions such as FFI or shell functions bypass it), but it ' +
    'turns many bugs from “read any file” into nothing.\n\n' +
    'The right directories depend on the site, so there is no fix to apply. Servers with several sites usually ' +
    'set it per pool with `php_admin_value[open_basedir]`, which a script cannot widen; this rule therefore ' +
    'only looks at a main php.ini with the production profile and only gives information.',
  sources: [
    { title: 'PHP manual: open_basedir', url: `${PHP_CORE_INI}#ini.open-basedir` },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: OWASP_PHP_CONFIG },
  ],
  check(ctx) {
    if (!ctx.isMainIni || !isProduction(ctx) || ctx.doc.errors.length) return;
    const s = ctx.settings('open_basedir').find((x) => !x.pool);
    const advice = 'PHP code can open any file the PHP user can read, such as /etc/passwd or other sites’ configuration. Limit it to the application’s directories, here or per pool with php_admin_value.';
    if (s) {
      if (s.value.trim() !== '') return;
      const r = ctx.entryRange(s.assignment);
      ctx.report({ message: `open_basedir is empty: ${advice}`, start: r.start, end: r.end, directive: 'open_basedir' });
      return;
    }
    const { start, end } = missingRange(ctx);
    ctx.report({ message: `open_basedir is not set: ${advice}`, start, end, directive: 'open_basedir' });
  },
  cases: [
    {
      name: 'not set in a production php.ini',
      input: '[PHP]\nmemory_limit = 128M\n',
      expect: [
        {
          line: 1,
          message:
            'open_basedir is not set: PHP code can open any file the PHP user can read, such as /etc/passwd or other sites’ configuration. Limit it to the application’s directories, here or per pool with php_admin_value.',
          severity: 'information',
        },
      ],
    },
    { name: 'set: fine', input: '[PHP]\nopen_basedir = "/srv/www:/tmp"\n', expect: [] },
    { name: 'empty; CRLF', input: '[PHP]\r\nopen_basedir =\r\n', expect: [{ line: 2, message: /^open_basedir is empty: / }] },
    { name: 'unquoted None is empty too', input: 'open_basedir = None\n', expect: [{ line: 1, message: /^open_basedir is empty: / }] },
    { name: 'development profile', profile: 'development', input: '[PHP]\nmemory_limit = 128M\n', expect: [] },
  ],
};
