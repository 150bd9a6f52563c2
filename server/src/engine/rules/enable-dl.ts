import { OWASP_PHP_CONFIG } from './_shared';
import { PHP_INFO_INI, checkBool } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'enable-dl',
  title: 'enable_dl should be Off, so scripts cannot load PHP extensions at run time',
  severity: 'information',
  scopes: ['main', 'fragment'],
  rationale:
    'enable_dl allows `dl()`, which loads a shared extension from `extension_dir` into the running process. ' +
    'PHP turns it on by default; both shipped php.ini files turn it off.\n\n' +
    'The risk is smaller than older guides suggest, which is why this is informational: in PHP 8, `dl()` only ' +
    'exists in the CLI, the embed SAPI and php-cgi run from a shell. php-fpm has no `dl()` function at all ' +
    '(checked with php-fpm 8.2, whatever enable_dl says), neither has the Apache module, and `dl()` refuses ' +
    'file names with a directory part, so only libraries already in `extension_dir` can be loaded. It still ' +
    'matters for command-line PHP run by cron jobs and workers, which is why the rule does not look at php-fpm ' +
    'pools. A missing enable_dl is reported as a hint only.',
  sources: [
    { title: 'PHP manual: enable_dl', url: `${PHP_INFO_INI}#ini.enable-dl` },
    { title: 'PHP manual: dl()', url: 'https://www.php.net/manual/en/function.dl.php' },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: OWASP_PHP_CONFIG },
  ],
  check(ctx) {
    checkBool(ctx, {
      directive: 'enable_dl',
      bad: true,
      message: 'enable_dl is {value}: command-line PHP scripts can load extensions from extension_dir with dl(). (php-fpm and the Apache module have no dl().)',
      missingMessage: 'enable_dl is not set and defaults to On: command-line PHP scripts can load extensions from extension_dir with dl().',
      missingSeverity: 'hint',
      safe: true,
      near: ['extension_dir', 'doc_root'],
    });
  },
  cases: [
    {
      name: 'On is reported and fixed',
      input: '[PHP]\nenable_dl = On\n',
      expect: [{ line: 2, message: 'enable_dl is On: command-line PHP scripts can load extensions from extension_dir with dl(). (php-fpm and the Apache module have no dl().)', severity: 'information' }],
      fixed: '[PHP]\nenable_dl = Off\n',
    },
    {
      name: 'CRLF, true/false style',
      input: '[PHP]\r\nenable_dl = true\r\n',
      expect: [{ line: 2, message: /^enable_dl is true: / }],
      fixed: '[PHP]\r\nenable_dl = false\r\n',
    },
    { name: 'Off is fine', input: '[PHP]\nenable_dl = Off\n', expect: [] },
    {
      name: 'missing from a main php.ini: a hint, inserted after extension_dir',
      input: '[PHP]\nextension_dir = "/usr/lib/php"\nfile_uploads = On\n',
      expect: [{ line: 1, message: 'enable_dl is not set and defaults to On: command-line PHP scripts can load extensions from extension_dir with dl().', severity: 'hint' }],
      fixed: '[PHP]\nextension_dir = "/usr/lib/php"\nenable_dl = Off\nfile_uploads = On\n',
    },
    { name: 'missing from a fragment says nothing', role: 'fragment', input: 'memory_limit = 1G\n', expect: [] },
  ],
};
