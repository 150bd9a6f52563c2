import { fpmBool } from '../values';
import { FPM_DOCS, inPool, last, poolViews, rawValue } from './_fpm';
import type { Rule } from './types';

// Verified with php-fpm 8.2.36: master started with SECRETX=s3cr3t in its environment.
// - clear_env = no: a worker script saw getenv('SECRETX'), $_SERVER['SECRETX'] and $_ENV['SECRETX'] (with
//   -n, variables_order EGPCS) all equal to 's3cr3t'.
// - clear_env unset (yes): none of them; `env[A] = $SECRETX` and `env[B] = ${SECRETX}` pass it explicitly.
// - `clear_env =` (empty) is accepted and `-tt` prints `clear_env = no`.

export const rule: Rule = {
  id: 'fpm-clear-env',
  title: 'clear_env = no hands the php-fpm master’s whole environment to PHP',
  severity: 'information',
  scopes: ['fpm'],
  rationale:
    'By default php-fpm starts its workers with an empty environment, plus the variables the pool lists ' +
    'with `env[NAME]`. With `clear_env = no` every variable of the master process is visible to PHP code ' +
    'through `getenv()` and `$_SERVER` (and `$_ENV` when `variables_order` contains E). In a container or a ' +
    'systemd unit that environment often holds database passwords, API tokens and cloud credentials, so any ' +
    'code-execution or information-disclosure bug in the application (a stray `phpinfo()`, an error page that ' +
    'dumps `$_SERVER`) leaks all of them.\n\n' +
    'Some setups turn it off on purpose: the official Docker image does, so that applications configured ' +
    'through environment variables work out of the box. That is a reasonable trade-off when the environment ' +
    'holds only what the application needs. Otherwise keep the default and pass the variables the application ' +
    'uses one by one, e.g. `env[DB_HOST] = $DB_HOST`.',
  sources: [
    { title: 'PHP manual: FPM configuration (clear_env, env)', url: `${FPM_DOCS}#clear-env` },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/PHP_Configuration_Cheat_Sheet.html' },
  ],
  check(ctx) {
    for (const view of poolViews(ctx)) {
      const a = last(view, 'clear_env');
      if (!a || fpmBool(a.value) !== false) continue;
      const written = rawValue(ctx, a) || '(empty)';
      const r = ctx.entryRange(a);
      ctx.report({
        message:
          `clear_env = ${written}${inPool(view)}: PHP workers inherit the php-fpm master's whole environment (getenv(), $_SERVER), including any secrets passed to the service or container. ` +
          'That is deliberate where applications are configured through environment variables; otherwise keep it on and pass what is needed with env[NAME] = $NAME.',
        start: r.start,
        end: r.end,
        directive: 'clear_env',
        fixes: [{ title: 'Set clear_env = yes', edits: [ctx.replaceValue(a, 'yes')], safe: false }],
      });
    }
  },
  cases: [
    {
      name: "clear_env = no (docker-library's docker.conf)",
      role: 'fpm',
      input: '[www]\naccess.log = /proc/self/fd/2\nclear_env = no\n',
      expect: [
        {
          line: 3,
          message:
            "clear_env = no in pool [www]: PHP workers inherit the php-fpm master's whole environment (getenv(), $_SERVER), including any secrets passed to the service or container. That is deliberate where applications are configured through environment variables; otherwise keep it on and pass what is needed with env[NAME] = $NAME.",
          severity: 'information',
        },
      ],
      quickFixed: '[www]\naccess.log = /proc/self/fd/2\nclear_env = yes\n',
    },
    {
      name: 'off, false, 0 and an empty value all mean no (CRLF)',
      role: 'fpm',
      input: '[a]\r\nclear_env = Off\r\n[b]\r\nclear_env = "false"\r\n[c]\r\nclear_env = 0\r\n[d]\r\nclear_env =\r\n',
      expect: [
        { line: 2, message: /^clear_env = Off in pool \[a\]: / },
        { line: 4, message: /^clear_env = "false" in pool \[b\]: / },
        { line: 6, message: /^clear_env = 0 in pool \[c\]: / },
        { line: 8, message: /^clear_env = \(empty\) in pool \[d\]: / },
      ],
    },
    {
      name: 'the last line decides',
      role: 'fpm',
      input: '[www]\nclear_env = no\nclear_env = yes\n',
      expect: [],
    },
    {
      name: 'yes, unset, or an invalid value (fpm-config-error reports that) are not reported',
      role: 'fpm',
      input: '[a]\nclear_env = yes\n[b]\nlisten = /run/b.sock\n[c]\nclear_env = maybe\n',
      expect: [],
    },
  ],
};
