import type { LintContext, PhpSetting } from '../lint';
import type { Assignment } from '../model';
import { iniBool } from '../values';
import { boolFix, isProduction, settingsHere, sibling, where, written } from './_hardening';
import type { Fix, Severity } from './types';
import type { Rule } from './types';
import { ownEntry } from '../own';

const XDEBUG_DOCS = 'https://xdebug.org/docs/all_settings';

interface Module {
  name: string;
  severity: Severity;
  message: string;
}

const MODULES: Record<string, Module> = {
  xdebug: {
    name: 'Xdebug',
    severity: 'warning',
    message:
      'This line loads Xdebug, a development tool: it slows down every request and, depending on xdebug.mode, shows detailed error pages or lets a request start a debugging session. Production servers should not load it.',
  },
  zenddebugger: {
    name: 'Zend Debugger',
    severity: 'warning',
    message: 'This line loads Zend Debugger, a remote debugger: a debugging session can read and change everything in the PHP process. Production servers should not load it.',
  },
  pcov: {
    name: 'PCOV',
    severity: 'information',
    message: 'This line loads PCOV, a code-coverage driver for test runs: it has no use in production and adds work to every request.',
  },
};

/** `/usr/lib/php/20220829/xdebug.so`, `php_xdebug.dll`, `"xdebug"` -> `xdebug`. */
function moduleKey(value: string): string {
  const base = value.trim().split(/[\\/]/).pop() ?? '';
  return base
    .toLowerCase()
    .replace(/\.(so|dll)$/, '')
    .replace(/^php_/, '')
    .replace(/[-_]/g, '');
}

/** Xdebug 3 modes, most dangerous first. */
const MODES: Array<[string, string]> = [
  ['debug', 'any request can start a step-debugging session (XDEBUG_SESSION), which can read and change everything in the process'],
  ['develop', 'Xdebug replaces PHP’s error messages with detailed ones, stack traces and arguments included'],
  ['profile', 'Xdebug writes a profile of requests to disk'],
  ['trace', 'Xdebug writes a trace of every function call to disk'],
  ['gcstats', 'Xdebug writes garbage-collection statistics to disk'],
  ['coverage', 'Xdebug collects code coverage on every request'],
];

/** Xdebug 2 switches that turn a development feature on. */
const XDEBUG2: Record<string, string> = {
  'xdebug.remote_enable': 'a request can start a debugging session, which can read and change everything in the process',
  'xdebug.default_enable': 'Xdebug 2 replaces PHP’s error messages with detailed ones, stack traces included',
  'xdebug.profiler_enable': 'Xdebug writes a profile of every request to disk',
  'xdebug.auto_trace': 'Xdebug writes a trace of every function call to disk',
};

function modes(value: string): string[] {
  return value
    .toLowerCase()
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
}

/** Whether step debugging is on in the same scope: true, false, or undefined (this file does not say). */
function debuggingOn(ctx: LintContext, s: PhpSetting): boolean | undefined {
  if (s.directive === 'xdebug.remote_connect_back') {
    const e = sibling(ctx, s, 'xdebug.remote_enable');
    return e ? iniBool(e.value) : undefined;
  }
  const m = sibling(ctx, s, 'xdebug.mode');
  return m ? modes(m.value).includes('debug') : undefined;
}

export const rule: Rule = {
  id: 'debugger-in-production',
  title: 'Debuggers and coverage tools (Xdebug, Zend Debugger, PCOV) do not belong in a production configuration',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'Xdebug and similar extensions are development tools. Loaded in production they slow down every request, ' +
    'and depending on their settings they print detailed error pages with stack traces and arguments, write ' +
    'profiles and traces to disk, or let a request open a step-debugging session. A debugging session can ' +
    'evaluate arbitrary PHP code.\n\n' +
    'The worst case is connect-back: with `xdebug.remote_connect_back = 1` (Xdebug 2) or ' +
    '`xdebug.discover_client_host = 1` (Xdebug 3), Xdebug connects to whatever address the request came from ' +
    '(or names in `X-Forwarded-For`) instead of a fixed developer machine. Anyone who can reach the site can ' +
    'then add `XDEBUG_SESSION_START` to a URL, receive the connection and run code on the server. That is ' +
    'an error when step debugging is on in the same file, and a warning when the file does not say.\n\n' +
    'Settings that keep everything off, like laradock’s `xdebug.ini` with `remote_enable=0` and ' +
    '`remote_connect_back=0`, are not reported. Production only: with the `development` profile all of this is ' +
    'expected.',
  sources: [
    { title: 'Xdebug: all settings', url: XDEBUG_DOCS },
    { title: 'Xdebug: step debugging, connecting back', url: 'https://xdebug.org/docs/step_debug#connect_back' },
    { title: 'PHP manual: extension loading', url: 'https://www.php.net/manual/en/ini.core.php#ini.extension' },
  ],
  check(ctx) {
    if (!isProduction(ctx)) return;
    // Modules loaded by this file (php.ini extension= / zend_extension=, or a pool's php_admin_value[extension]).
    const loads: Array<{ a: Assignment; value: string; suffix: string }> = [];
    const ini = ctx.ini;
    if (ini && ctx.options.role !== 'user-ini') {
      for (const a of [...ini.zendExtensions, ...ini.extensions]) loads.push({ a, value: a.value, suffix: '' });
    }
    if (ctx.fpm) for (const s of ctx.settings('extension')) loads.push({ a: s.assignment, value: s.value, suffix: where(s) });
    for (const l of loads) {
      const m = ownEntry(MODULES, moduleKey(l.value));
      if (!m) continue;
      const r = ctx.entryRange(l.a);
      const fix: Fix = { title: `Remove the line that loads ${m.name}`, edits: [ctx.removeLine(l.a)], safe: false };
      ctx.report({ message: m.message + l.suffix, start: r.start, end: r.end, directive: l.a.name, severity: m.severity, fixes: [fix] });
    }
    // Xdebug 3: xdebug.mode is PHP_INI_SYSTEM (a .user.ini cannot set it).
    if (ctx.options.role !== 'user-ini') {
      for (const s of ctx.settings('xdebug.mode')) {
        const on = modes(s.value);
        const hit = MODES.find(([mode]) => on.includes(mode));
        if (!hit) continue;
        const r = ctx.entryRange(s.assignment);
        ctx.report({
          message: `xdebug.mode is ${written(ctx, s)}: ${hit[1]}. Production servers should not run Xdebug.` + where(s),
          start: r.start,
          end: r.end,
          directive: 'xdebug.mode',
          fixes: [{ title: 'Set xdebug.mode to off', edits: [ctx.replaceValue(s.assignment, 'off')], safe: false }],
        });
      }
    }
    for (const [directive, what] of Object.entries(XDEBUG2)) {
      for (const s of settingsHere(ctx, directive)) {
        if (!iniBool(s.value)) continue;
        const r = ctx.entryRange(s.assignment);
        ctx.report({ message: `${directive} is ${written(ctx, s)}: ${what}.` + where(s), start: r.start, end: r.end, directive, fixes: [boolFix(ctx, s, false, true)] });
      }
    }
    for (const directive of ['xdebug.remote_connect_back', 'xdebug.discover_client_host']) {
      for (const s of settingsHere(ctx, directive)) {
        if (!iniBool(s.value)) continue;
        const on = debuggingOn(ctx, s);
        if (on === false) continue;
        const r = ctx.entryRange(s.assignment);
        const value = written(ctx, s);
        const message =
          on === true
            ? `${directive} is ${value} and step debugging is on: Xdebug connects back to whichever address sent the request, so anyone who can reach the site can open a debugging session and run code.`
            : `${directive} is ${value}: as soon as step debugging is on, Xdebug connects back to whichever address sent the request, so anyone who can reach the site can open a debugging session and run code.`;
        ctx.report({
          message: message + where(s),
          start: r.start,
          end: r.end,
          directive,
          severity: on === true ? 'error' : 'warning',
          fixes: [boolFix(ctx, s, false, true)],
        });
      }
    }
  },
  cases: [
    {
      name: 'zend_extension=xdebug in a production php.ini; removing the line is a quick fix',
      input: '[PHP]\nzend_extension=xdebug\nmemory_limit = 128M\n',
      expect: [
        {
          line: 2,
          message:
            'This line loads Xdebug, a development tool: it slows down every request and, depending on xdebug.mode, shows detailed error pages or lets a request start a debugging session. Production servers should not load it.',
          severity: 'warning',
        },
      ],
      quickFixed: '[PHP]\nmemory_limit = 128M\n',
    },
    {
      name: 'Xdebug 3 with discover_client_host and debug mode: anyone can attach (error); CRLF',
      role: 'fragment',
      input: 'zend_extension="/usr/lib/php/20220829/xdebug.so"\r\nxdebug.mode=debug,develop\r\nxdebug.discover_client_host=1\r\n',
      expect: [
        { line: 1, message: /^This line loads Xdebug/ },
        { line: 2, message: 'xdebug.mode is debug,develop: any request can start a step-debugging session (XDEBUG_SESSION), which can read and change everything in the process. Production servers should not run Xdebug.', severity: 'warning' },
        {
          line: 3,
          message: 'xdebug.discover_client_host is 1 and step debugging is on: Xdebug connects back to whichever address sent the request, so anyone who can reach the site can open a debugging session and run code.',
          severity: 'error',
        },
      ],
      fixed: 'zend_extension="/usr/lib/php/20220829/xdebug.so"\r\nxdebug.mode=debug,develop\r\nxdebug.discover_client_host=0\r\n',
    },
    {
      name: 'laradock’s Xdebug 2 file with everything off is fine',
      role: 'fragment',
      input: 'xdebug.remote_host="host.docker.internal"\nxdebug.remote_connect_back=0\nxdebug.remote_autostart=0\nxdebug.remote_enable=0\nxdebug.profiler_enable=0\n',
      expect: [],
    },
    {
      name: 'Xdebug 2: remote_enable with connect-back',
      role: 'fragment',
      input: 'xdebug.remote_enable=1\nxdebug.remote_connect_back=1\n',
      expect: [
        { line: 1, message: 'xdebug.remote_enable is 1: a request can start a debugging session, which can read and change everything in the process.', severity: 'warning' },
        { line: 2, message: /^xdebug\.remote_connect_back is 1 and step debugging is on: /, severity: 'error' },
      ],
      fixed: 'xdebug.remote_enable=0\nxdebug.remote_connect_back=0\n',
    },
    {
      name: 'connect-back where the file does not say whether debugging is on: warning',
      role: 'fragment',
      input: 'xdebug.discover_client_host = true\n',
      expect: [{ line: 1, message: /^xdebug\.discover_client_host is true: as soon as step debugging is on, /, severity: 'warning' }],
      fixed: 'xdebug.discover_client_host = false\n',
    },
    { name: 'xdebug.mode=off and connect-back with mode off are fine', role: 'fragment', input: 'xdebug.mode = off\nxdebug.discover_client_host = 1\n', expect: [] },
    {
      name: 'PCOV is information',
      input: '[PHP]\nextension=pcov.so\nextension=intl\n',
      expect: [{ line: 2, message: 'This line loads PCOV, a code-coverage driver for test runs: it has no use in production and adds work to every request.', severity: 'information' }],
    },
    {
      name: 'a pool loading Xdebug through php_admin_value[extension]',
      role: 'fpm',
      input: '[www]\nphp_admin_value[extension] = xdebug.so\n',
      expect: [{ line: 2, message: /^This line loads Xdebug.* \(php_admin_value\[extension\] in pool \[www\]\)$/ }],
    },
    { name: 'the development profile expects debuggers', profile: 'development', input: '[PHP]\nzend_extension=xdebug\nxdebug.mode=debug\nxdebug.discover_client_host=1\n', expect: [] },
  ],
};
