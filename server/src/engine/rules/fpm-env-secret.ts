import type { Assignment } from '../model';
import { FPM_DOCS, inPool, poolViews, rawValue } from './_fpm';
import type { Rule } from './types';

// Verified with php-fpm 8.2.36, master started with SECRETX=s3cr3t:
// - env[A] = $SECRETX and env[D] = "$SECRETX": the worker sees 's3cr3t' (a value that STARTS with $ is
//   looked up in the master's environment; an unset variable gives '').
// - env[B] = ${SECRETX}: 's3cr3t' too (the INI parser expands it while reading the file).
// - env[C] = pre$SECRETX: the literal text 'pre$SECRETX'.
// - `php-fpm8.2 -tt` prints every env[] value into the log, e.g. "NOTICE: env[B] = s3cr3t".

/** Words that name a secret when they are a whole part of the variable name (DB_PASS, APP_KEY). */
const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PASS', 'PASSPHRASE', 'PWD', 'SECRET', 'SECRETS', 'TOKEN', 'KEY', 'APIKEY', 'SALT', 'CREDENTIAL', 'CREDENTIALS']);
/** Written without separators they are still recognizable (DBPASSWORD, MYAPITOKEN). */
const SECRET_INFIX = /PASSWORD|PASSWD|SECRET|TOKEN|APIKEY|CREDENTIAL/;
/** Names that point at a secret instead of holding it, or hold something public. */
const NOT_A_SECRET_LAST = new Set(['FILE', 'PATH', 'DIR', 'ID', 'NAME', 'USER', 'HOST', 'URL', 'TYPE', 'LENGTH', 'TTL']);
/** A URL with user:password@. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^@\s]+@/i;

function secretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (upper === 'PWD' || /PUBLIC|PUBLISHABLE/.test(upper)) return false;
  const parts = upper.split(/[^A-Z0-9]+/).filter(Boolean);
  if (!parts.length || NOT_A_SECRET_LAST.has(parts[parts.length - 1])) return false;
  return parts.some((p) => SECRET_WORDS.has(p)) || SECRET_INFIX.test(upper);
}

export const rule: Rule = {
  id: 'fpm-env-secret',
  title: 'Secrets in env[...] should come from php-fpm’s environment, not be written in the pool file',
  severity: 'warning',
  scopes: ['fpm'],
  rationale:
    'A password, token or key written as `env[DB_PASSWORD] = s3cr3t` is readable by everyone who can read ' +
    'the pool file: other administrators, configuration-management repositories, backups and support ' +
    'bundles. `php-fpm -tt` also prints every `env[]` value into its log. php-fpm can pass a variable through ' +
    'from its own environment instead: a value that starts with `$` (`env[DB_PASSWORD] = $DB_PASSWORD`) is ' +
    'looked up in the environment php-fpm was started with, where a systemd credential, a container secret ' +
    'or an `EnvironmentFile` readable only by root can supply it. The rule looks at variable names such as ' +
    '`*_PASSWORD`, `*_SECRET`, `*_TOKEN`, `*_KEY` and at URLs with a password in them; names ending in ' +
    '`_FILE` or `_PATH` point at a secret rather than hold it and are left alone.',
  sources: [
    { title: 'PHP manual: FPM configuration (env)', url: FPM_DOCS },
    { title: 'OWASP Secrets Management Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html' },
  ],
  check(ctx) {
    for (const view of poolViews(ctx)) {
      const seen: Assignment[] = [...view.env.values()];
      for (const a of seen) {
        const name = a.offset as string;
        const raw = rawValue(ctx, a);
        const unquoted = raw.replace(/^["']/, '');
        // Pass-through from php-fpm's environment: `$NAME`, `"$NAME"`, `${NAME}`.
        if (unquoted.startsWith('$') || raw.includes('${')) continue;
        const value = a.value;
        if (/^\s*(|0|1)\s*$/.test(value)) continue;
        const byName = secretName(name);
        const byUrl = URL_WITH_PASSWORD.test(value.trim());
        if (!byName && !byUrl) continue;
        const r = ctx.entryRange(a);
        ctx.report({
          message:
            `env[${name}]${inPool(view)} ${byUrl && !byName ? 'contains a password' : 'holds a secret'} in plain text: anyone who can read this file (or its backups) can read it, and php-fpm -tt prints it. ` +
            `Pass it from php-fpm's own environment instead: env[${name}] = $${name}.`,
          start: r.start,
          end: r.end,
          directive: 'env',
          fixes: [{ title: `Read ${name} from php-fpm's environment ($${name})`, edits: [ctx.replaceValue(a, `$${name}`)], safe: false }],
        });
      }
    }
  },
  cases: [
    {
      name: 'a literal database password',
      role: 'fpm',
      input: '[www]\nenv[DB_HOST] = db\nenv[DB_PASSWORD] = s3cr3t\n',
      expect: [
        {
          line: 3,
          message:
            "env[DB_PASSWORD] in pool [www] holds a secret in plain text: anyone who can read this file (or its backups) can read it, and php-fpm -tt prints it. Pass it from php-fpm's own environment instead: env[DB_PASSWORD] = $DB_PASSWORD.",
        },
      ],
      quickFixed: '[www]\nenv[DB_HOST] = db\nenv[DB_PASSWORD] = $DB_PASSWORD\n',
    },
    {
      name: "pass-through values (laradock's xlaravel.pool.conf) are fine: $VAR, \"$VAR\" and ${VAR}",
      role: 'fpm',
      input:
        'env[DB_1_ENV_MYSQL_USER] = $DB_1_ENV_MYSQL_USER\nenv[DB_1_ENV_MYSQL_PASSWORD] = $DB_1_ENV_MYSQL_PASSWORD\n[www]\nenv[APP_KEY] = "$APP_KEY"\nenv[API_TOKEN] = ${API_TOKEN}\n',
      expect: [],
    },
    {
      name: 'keys, tokens and URLs with a password, in a header-less fragment (CRLF)',
      role: 'fpm',
      input: 'env[APP_KEY] = "base64:abcd"\r\nenv[GITHUB_TOKEN] = ghp_x1\r\nenv[DATABASE_URL] = "mysql://app:hunter2@db/app"\r\nenv[TMPDIR] = /tmp\r\n',
      expect: [
        { line: 1, message: /^env\[APP_KEY\] holds a secret in plain text/ },
        { line: 2, message: /^env\[GITHUB_TOKEN\] holds a secret/ },
        { line: 3, message: /^env\[DATABASE_URL\] contains a password in plain text/ },
      ],
    },
    {
      name: 'names that point at a secret or are not secrets, and flag-like values',
      role: 'fpm',
      input:
        '[www]\nenv[DB_PASSWORD_FILE] = /run/secrets/db\nenv[AWS_ACCESS_KEY_ID] = AKIAEXAMPLE\nenv[STRIPE_PUBLIC_KEY] = pk_test\nenv[KEYBOARD] = us\nenv[USE_TOKEN] = 1\nenv[PATH] = /usr/bin:/bin\n',
      expect: [],
    },
  ],
};
