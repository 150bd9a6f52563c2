import { PHP_CORE_INI, settingsHere, valueFix, where } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'auto-prepend-file',
  title: 'auto_prepend_file and auto_append_file run code around every script: they must name a trusted local file',
  severity: 'information',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'auto_prepend_file and auto_append_file make PHP include a file before (or after) every script it runs. ' +
    'Legitimate uses exist (monitoring agents, WAF bootstraps), so a local file is only reported for ' +
    'information: whoever can write that file runs code in every request, so it should belong to root and not ' +
    'be writable by the PHP user.\n\n' +
    'In a `.user.ini` the same line is a well-known persistence trick: an attacker who can upload files drops ' +
    'a `.user.ini` next to any PHP script and gets their code run on every request to that directory, so it is ' +
    'a warning there. Errors:\n\n' +
    '- a stream URL (`php://input`, `data://`, `http://`): with allow_url_include on, PHP runs that code, and ' +
    '`php://input` is the body of each request, so anyone can run code (checked with php-fpm 8.2); with ' +
    'allow_url_include off, every request dies with “Failed opening required”.\n' +
    '- `"none"` in quotes: only the bare word none means “no file”. Quoted, it is a file name, and every ' +
    'request fails with “Failed opening required \'none\'” (checked with PHP 8.2).',
  sources: [
    { title: 'PHP manual: auto_prepend_file', url: `${PHP_CORE_INI}#ini.auto-prepend-file` },
    { title: 'PHP manual: auto_append_file', url: `${PHP_CORE_INI}#ini.auto-append-file` },
    { title: 'PHP manual: .user.ini files', url: 'https://www.php.net/manual/en/configuration.file.per-user.php' },
  ],
  check(ctx) {
    for (const directive of ['auto_prepend_file', 'auto_append_file']) {
      const when = directive === 'auto_prepend_file' ? 'before' : 'after';
      for (const s of settingsHere(ctx, directive)) {
        const v = s.value.trim();
        if (v === '') continue;
        const r = ctx.entryRange(s.assignment);
        const report = (message: string, severity?: 'error' | 'warning', fix = false) =>
          ctx.report({
            message: message + where(s),
            start: r.start,
            end: r.end,
            directive,
            severity,
            fixes: fix ? [valueFix(ctx, s, 'none', false, `Set ${directive} to none (no file)`)] : [],
          });
        if (v.toLowerCase() === 'none') {
          report(`${directive} is "${s.value}" as a string, so PHP looks for a file named ${s.value} and every request fails with “Failed opening required”. Write none without quotes, or leave the value empty.`, 'error', true);
        } else if (/^php:\/\/input$/i.test(v)) {
          report(`${directive} is "${s.value}": with allow_url_include on, PHP runs the body of each request as code ${when} every script; with it off, every request fails.`, 'error', true);
        } else if (/^(data:|[a-z][a-z0-9+.-]*:\/\/)/i.test(v) && !/^file:\/\//i.test(v)) {
          report(`${directive} is "${s.value}": with allow_url_include on, PHP runs code from that URL ${when} every script; with it off, every request fails.`, 'error', true);
        } else if (ctx.options.role === 'user-ini') {
          report(`This .user.ini makes every PHP script below it run "${s.value}" ${when} itself, a common way to plant a backdoor: make sure you put it here on purpose.`, 'warning');
        } else {
          report(`${directive} runs "${s.value}" ${when} every script: make sure that file belongs to root and the PHP user cannot change it.`);
        }
      }
    }
  },
  cases: [
    {
      name: 'a local file: information',
      input: '[PHP]\nauto_prepend_file = /opt/agent/prepend.php\nauto_append_file =\n',
      expect: [{ line: 2, message: 'auto_prepend_file runs "/opt/agent/prepend.php" before every script: make sure that file belongs to root and the PHP user cannot change it.', severity: 'information' }],
    },
    { name: 'empty and bare none are fine', input: '[PHP]\r\nauto_prepend_file =\r\nauto_append_file = none\r\n', expect: [] },
    {
      name: 'quoted "none" is a file name (verified: PHP 8.2 fails every request)',
      input: '[PHP]\nauto_prepend_file = "none"\n',
      expect: [{ line: 2, message: 'auto_prepend_file is "none" as a string, so PHP looks for a file named none and every request fails with “Failed opening required”. Write none without quotes, or leave the value empty.', severity: 'error' }],
      quickFixed: '[PHP]\nauto_prepend_file = none\n',
    },
    {
      name: 'php://input runs the request body (verified with php-fpm 8.2 and allow_url_include on); CRLF',
      role: 'fpm',
      input: '[www]\r\nphp_admin_value[auto_prepend_file] = php://input\r\n',
      expect: [{ line: 2, message: 'auto_prepend_file is "php://input": with allow_url_include on, PHP runs the body of each request as code before every script; with it off, every request fails. (php_admin_value[auto_prepend_file] in pool [www])', severity: 'error' }],
      quickFixed: '[www]\r\nphp_admin_value[auto_prepend_file] = none\r\n',
    },
    {
      name: 'a URL',
      role: 'fragment',
      input: 'auto_append_file = "http://example.com/footer.php"\n',
      expect: [{ line: 1, message: /^auto_append_file is "http:\/\/example\.com\/footer\.php": with allow_url_include on, PHP runs code from that URL after every script/, severity: 'error' }],
    },
    {
      name: 'in a .user.ini: a warning',
      role: 'user-ini',
      input: 'auto_prepend_file = .cache.php\n',
      expect: [{ line: 1, message: 'This .user.ini makes every PHP script below it run ".cache.php" before itself, a common way to plant a backdoor: make sure you put it here on purpose.', severity: 'warning' }],
    },
  ],
};
