import { defaultFor } from '../catalog';
import { iniBool } from '../values';
import { OWASP_PHP_CONFIG, PHP_SESSION_DOCS, boolText, where } from './_shared';
import { canReportMissing, missingRange, sameScope, shownBool } from './_session';
import type { Rule } from './types';

const ENABLED = (shown: string) =>
  `session.upload_progress.enabled is ${shown}: any client can make PHP store data it chooses (a form field value, file names) in a session by sending a multipart upload, even to scripts that never use sessions, which turns a file-inclusion bug into code execution. Turn it off unless the application shows upload progress.`;
const MISSING =
  "session.upload_progress.enabled is not set, so it is on with PHP's own builds (Debian's packages switch it off): any client can then make PHP store data it chooses in a session by sending a multipart upload, even to scripts that never use sessions. Set it to Off unless the application shows upload progress.";
const NO_CLEANUP = (shown: string) =>
  `session.upload_progress.cleanup is ${shown}: the progress data of every upload, including values the client chose, stays in the session after the upload ends.`;

export const rule: Rule = {
  id: 'session-upload-progress',
  title: 'Session upload progress should be off unless used, and must clean up after itself',
  severity: 'information',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'With `session.upload_progress.enabled` on, PHP watches every multipart POST: when the body contains a ' +
    'field named after `session.upload_progress.name`, PHP opens the session of the request (or a new one) ' +
    'while the upload runs and stores an entry keyed by that field\'s value, with file names and byte counts. ' +
    'This happens before any script runs, even for scripts that never use sessions, so a client can put ' +
    'text of its choice into a session file at a path it can predict; together with a local file inclusion ' +
    'bug that is a known way to run code. Leave it off unless the application displays upload progress. ' +
    'PHP\'s built-in default is on (Debian builds default to off), so a php.ini that does not set it gets ' +
    'it in production.\n\n' +
    '`session.upload_progress.cleanup` removes the entry as soon as the upload ends; with it off, ' +
    'client-supplied data stays in the session. Turning cleanup back on is PHP\'s default and safe; ' +
    'turning the feature off is only offered, because it breaks progress bars that rely on it.',
  sources: [
    { title: 'PHP manual: session upload progress', url: 'https://www.php.net/manual/en/session.upload-progress.php' },
    { title: 'PHP manual: session.upload_progress.enabled', url: `${PHP_SESSION_DOCS}#ini.session.upload-progress.enabled` },
    { title: 'PHP manual: session.upload_progress.cleanup', url: `${PHP_SESSION_DOCS}#ini.session.upload-progress.cleanup` },
    { title: 'OWASP PHP Configuration Cheat Sheet', url: OWASP_PHP_CONFIG },
  ],
  check(ctx) {
    const production = ctx.options.profile === 'production';
    const enabled = ctx.settings('session.upload_progress.enabled');
    if (production) {
      for (const s of enabled) {
        if (!iniBool(s.value)) continue;
        const r = ctx.entryRange(s.assignment);
        ctx.report({
          message: ENABLED(shownBool(ctx, s) + where(s)),
          start: r.start,
          end: r.end,
          directive: 'session.upload_progress.enabled',
          // Not safe: it breaks upload progress bars that rely on it.
          fixes: [{ title: `Set session.upload_progress.enabled to ${boolText(ctx, s, false)}`, edits: [ctx.replaceValue(s.assignment, boolText(ctx, s, false))], safe: false }],
        });
      }
      const def = defaultFor('session.upload_progress.enabled', ctx.phpVersion);
      if (!enabled.length && canReportMissing(ctx) && def != null && iniBool(def)) {
        const r = missingRange(ctx);
        ctx.report({
          message: MISSING,
          start: r.start,
          end: r.end,
          directive: 'session.upload_progress.enabled',
          fixes: [{ title: 'Add session.upload_progress.enabled = Off', edits: [ctx.insertDirective('session.upload_progress.enabled', 'Off', 'Session')], safe: false }],
        });
      }
    }
    for (const s of ctx.settings('session.upload_progress.cleanup')) {
      if (iniBool(s.value)) continue;
      const on = sameScope(ctx, s, 'session.upload_progress.enabled');
      if (on.known && !iniBool(on.value)) continue; // the feature is off: cleanup does nothing
      const r = ctx.entryRange(s.assignment);
      ctx.report({
        message: NO_CLEANUP(shownBool(ctx, s) + where(s)),
        start: r.start,
        end: r.end,
        directive: 'session.upload_progress.cleanup',
        severity: 'warning',
        fixes: [{ title: `Set session.upload_progress.cleanup to ${boolText(ctx, s, true)}`, edits: [ctx.replaceValue(s.assignment, boolText(ctx, s, true))], safe: true }],
      });
    }
  },
  cases: [
    {
      name: 'on is reported; turning it off is only offered (checked with php-fpm 8.2: a script without sessions got a client-named session file with client-chosen content)',
      input: '[Session]\nsession.upload_progress.enabled = On\n',
      expect: [{ line: 2, message: ENABLED('On'), severity: 'information' }],
      quickFixed: '[Session]\nsession.upload_progress.enabled = Off\n',
    },
    { name: 'off is fine', input: '[Session]\nsession.upload_progress.enabled = Off\n', expect: [] },
    { name: 'on is expected in development', profile: 'development', input: '[Session]\nsession.upload_progress.enabled = 1\n', expect: [] },
    {
      name: "absent from a main php.ini: PHP's default is on",
      input: '[PHP]\nexpose_php = Off\n[Session]\nsession.name = SID\n',
      expect: [{ line: 3, message: MISSING }],
      quickFixed: '[PHP]\nexpose_php = Off\n[Session]\nsession.name = SID\nsession.upload_progress.enabled = Off\n',
    },
    { name: 'absent from a conf.d fragment is normal', role: 'fragment', input: 'session.name = SID\n', expect: [] },
    {
      name: 'cleanup off keeps client data in the session (checked with php-fpm 8.2); fixed',
      role: 'fragment',
      input: 'session.upload_progress.cleanup = 0\r\n',
      expect: [{ line: 1, message: NO_CLEANUP('0'), severity: 'warning' }],
      fixed: 'session.upload_progress.cleanup = 1\r\n',
    },
    {
      name: 'cleanup off does nothing while the feature is off in the same scope',
      input: '[Session]\nsession.upload_progress.enabled = Off\nsession.upload_progress.cleanup = Off\n',
      expect: [],
    },
    {
      name: 'a pool that enables it without cleanup',
      role: 'fpm',
      input: '[www]\nphp_flag[session.upload_progress.enabled] = on\nphp_flag[session.upload_progress.cleanup] = off\n',
      expect: [
        { line: 2, message: ENABLED('on (php_flag[session.upload_progress.enabled] in pool [www])') },
        { line: 3, message: NO_CLEANUP('off (php_flag[session.upload_progress.cleanup] in pool [www])'), severity: 'warning' },
      ],
      fixed: '[www]\nphp_flag[session.upload_progress.enabled] = on\nphp_flag[session.upload_progress.cleanup] = On\n',
    },
  ],
};
