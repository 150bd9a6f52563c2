// Short explanations of directives, sections and values, written for this project (the catalog has
// facts but no prose): a phrase derived from a directive's type and extension, where it can be
// changed, and its version history relative to the PHP version being checked.

import { compareVersions, constantValue, getIniConstant, type Changeable, type DirectiveInfo, type FpmDirectiveInfo } from '../catalog';

/** Where a php.ini directive can be set, in plain words. */
export function changeableText(mode: Changeable | null): string | undefined {
  switch (mode) {
    case 'PHP_INI_SYSTEM':
      return 'php.ini only (or php_admin_value in a PHP-FPM pool / httpd.conf)';
    case 'PHP_INI_PERDIR':
      return 'php.ini, .htaccess, .user.ini (or a PHP-FPM pool); not ini_set()';
    case 'PHP_INI_ALL':
      return 'anywhere, including ini_set() in scripts';
    case 'PHP_INI_USER':
      return 'scripts (ini_set()) and .user.ini only';
    default:
      return undefined;
  }
}

function extensionText(info: DirectiveInfo): string {
  const ext = info.extension;
  if (!ext || ext === 'core') return 'PHP core';
  if (ext === 'standard') return 'the standard library';
  return `the ${ext} extension${info.bundled ? '' : ' (PECL)'}`;
}

/** What kind of value a name suggests, when the catalog type alone says little. */
function nameHint(name: string): string | undefined {
  const last = name.split('.').pop() ?? name;
  if (/(^|_)(path|dir|directory|root)s?$/.test(last) || /_dir(_|$)/.test(last)) return 'a directory or path';
  if (/(^|_)file$/.test(last) || /_log$/.test(last) || last === 'error_log') return 'a file path';
  if (/timeout|lifetime|_ttl$|(^|_)ttl|maxlifetime|_time$|interval/.test(last)) return 'a duration in seconds';
  if (/(^|_)(max|limit)|_size$|size$/.test(last)) return 'a limit';
  if (/(^|_)name$/.test(last)) return 'a name';
  if (/domain$/.test(last)) return 'a domain';
  if (/url|host/.test(last)) return 'a URL or host';
  if (/^(enable|enabled|use_|allow_)/.test(last)) return 'an on/off switch';
  return undefined;
}

/** One compact line about a php.ini directive (our own wording, derived from its type, name and extension). */
export function describeDirective(info: DirectiveInfo): string {
  const where = extensionText(info);
  const hint = nameHint(info.name);
  let what: string;
  switch (info.type) {
    case 'bool':
      what = 'On/off switch';
      break;
    case 'size':
      what = 'Size in bytes (K, M and G suffixes allowed)';
      break;
    case 'int':
      what = hint && hint !== 'an on/off switch' ? `Number: ${hint}` : 'Integer';
      break;
    case 'float':
      what = 'Decimal number';
      break;
    default:
      what = hint ? hint.charAt(0).toUpperCase() + hint.slice(1) : 'Text setting';
  }
  return `${what}, read by ${where}.`;
}

/** Our own one-liners for the php-fpm directives that matter most; the rest get a phrase from their type. */
const FPM_PHRASES: Record<string, string> = {
  php_value: 'Sets a php.ini directive for this pool; scripts can still change it with ini_set().',
  php_flag: 'Sets a boolean php.ini directive for this pool; scripts can still change it with ini_set().',
  php_admin_value: 'Sets a php.ini directive for this pool and locks it: ini_set() in scripts cannot change it.',
  php_admin_flag: 'Sets a boolean php.ini directive for this pool and locks it: ini_set() in scripts cannot change it.',
  env: 'An environment variable given to the pool’s worker processes.',
  listen: 'Where the pool accepts FastCGI requests: a Unix socket path or an address:port.',
  'listen.allowed_clients': 'Addresses allowed to connect to a TCP listen socket (everyone when unset).',
  'listen.owner': 'Owner of the Unix socket file.',
  'listen.group': 'Group of the Unix socket file.',
  'listen.mode': 'Permissions of the Unix socket file.',
  user: 'Unix user the worker processes run as.',
  group: 'Unix group the worker processes run as.',
  pm: 'How the pool manages its number of worker processes.',
  'pm.max_children': 'Most worker processes the pool runs at once.',
  'pm.status_path': 'URL path of the pool’s status page (off when unset).',
  'pm.status_listen': 'A separate socket for the status page.',
  'ping.path': 'URL path of the pool’s health-check page (off when unset).',
  chroot: 'Directory the workers chroot into at start-up.',
  chdir: 'Directory the workers change into at start-up.',
  clear_env: 'Whether workers start with an empty environment (only env[...] entries are passed).',
  'security.limit_extensions': 'File extensions the pool agrees to run as PHP scripts.',
  catch_workers_output: 'Whether the workers’ stdout/stderr go to the main error log.',
  'access.log': 'File the pool writes an access log to.',
  slowlog: 'File the pool writes backtraces of slow requests to.',
  'process.dumpable': 'Whether workers may produce core dumps and be traced (PR_SET_DUMPABLE).',
  include: 'Loads more configuration files matching a path pattern.',
  pid: 'File the php-fpm master writes its process id to.',
  error_log: 'Where the php-fpm master logs.',
  daemonize: 'Whether php-fpm runs in the background.',
};

function fpmTypeText(info: FpmDirectiveInfo): string {
  switch (info.type) {
    case 'bool':
      return 'yes or no';
    case 'time':
      return 'a duration: seconds, or a number with s, m, h or d';
    case 'octal-mode':
      return 'an octal permission mode such as 0660';
    case 'int|unlimited':
      return 'a number or "unlimited"';
    case 'glob-path':
      return 'a path; wildcards allowed';
    case 'enum':
      return `one of ${(info.enum ?? []).join(', ')}`;
    case 'int':
      return 'a number';
    case 'array':
      return info.array === 'list' ? `written as ${info.name}[] = value` : `written as ${info.name}[KEY] = value`;
    default:
      return 'text';
  }
}

export function describeFpmDirective(info: FpmDirectiveInfo): string {
  const own = FPM_PHRASES[info.name];
  const scope = info.scope === 'global' ? 'php-fpm global setting' : 'php-fpm pool setting';
  const type = fpmTypeText(info);
  return own ? `${own} (${scope}; ${type}.)` : `A ${scope}: ${type}.`;
}

/** Version history relative to the target, e.g. "Deprecated in PHP 8.4 (you target 8.4)". */
export function versionNotes(
  info: { since: string | null; deprecated: string | null; removed: string | null; deprecatedWhen?: string | null },
  target: string,
): string[] {
  const out: string[] = [];
  const atOrAfter = (v: string) => compareVersions(target, v.split('.').slice(0, target.split('.').length).join('.')) >= 0;
  if (info.since) out.push(atOrAfter(info.since) ? `Since PHP ${info.since}` : `Added in PHP ${info.since}: PHP ${target} does not know it`);
  if (info.deprecated) {
    const which = info.deprecatedWhen && info.deprecatedWhen !== 'always' ? ` (${deprecatedWhenText(info.deprecatedWhen)})` : '';
    out.push(`${atOrAfter(info.deprecated) ? 'Deprecated' : 'Will be deprecated'} in PHP ${info.deprecated}${which}`);
  }
  if (info.removed) out.push(atOrAfter(info.removed) ? `Removed in PHP ${info.removed}: PHP ${target} ignores it` : `Removed in PHP ${info.removed}`);
  return out;
}

function deprecatedWhenText(when: string): string {
  switch (when) {
    case 'non-empty':
      return 'when set to a non-empty value';
    case 'changed':
      return 'when changed from the default';
    case 'on':
      return 'when turned on';
    case 'off':
      return 'when turned off';
    default:
      return when;
  }
}

// ---------------------------------------------------------------------------------------------
// Sections

export function describeIniSection(name: string): string {
  const prefix = name.slice(0, 4).toLowerCase();
  if (name.length >= 4 && prefix === 'path') {
    const key = name.slice(4).replace(/^[= \t]+/, '').replace(/[/\\]+$/, '');
    return (
      `**[PATH=${key}]**: the directives below apply only to scripts under \`${key || '(empty)'}\`, ` +
      'and only with the CGI/FastCGI SAPIs (PHP-FPM included); the CLI and the Apache module ignore them. ' +
      'PHP never returns to the main scope in this file: every later directive belongs to this or a later [PATH=]/[HOST=] section.'
    );
  }
  if (name.length >= 4 && prefix === 'host') {
    const key = name.slice(4).replace(/^[= \t]+/, '').replace(/[/\\]+$/, '').toLowerCase();
    return (
      `**[HOST=${key}]**: the directives below apply only to requests for host \`${key || '(empty)'}\`, ` +
      'and only with the CGI/FastCGI SAPIs (PHP-FPM included); the CLI and the Apache module ignore them. ' +
      'PHP never returns to the main scope in this file: every later directive belongs to this or a later [PATH=]/[HOST=] section.'
    );
  }
  return `**[${name}]**: a label only. PHP ignores ordinary section names; the directives below belong to the main configuration like the ones above.`;
}

export function describeFpmSection(name: string): string {
  if (name.toLowerCase() === 'global') {
    return '**[global]**: settings of the php-fpm master process (pid file, error log, process limits, events). Pool directives do not belong here.';
  }
  return `**[${name}]**: a pool — a group of worker processes with its own user, listen socket and PHP settings. \`$pool\` in values below expands to \`${name}\`.`;
}

// ---------------------------------------------------------------------------------------------
// Values

/** What a php.ini boolean word becomes. */
export function booleanWordValue(word: string): string {
  return /^(on|yes|true)$/i.test(word) ? '1' : '';
}

const ERROR_LEVELS = [
  'E_ERROR',
  'E_WARNING',
  'E_PARSE',
  'E_NOTICE',
  'E_CORE_ERROR',
  'E_CORE_WARNING',
  'E_COMPILE_ERROR',
  'E_COMPILE_WARNING',
  'E_USER_ERROR',
  'E_USER_WARNING',
  'E_USER_NOTICE',
  'E_STRICT',
  'E_RECOVERABLE_ERROR',
  'E_DEPRECATED',
  'E_USER_DEPRECATED',
];

/** An error_reporting-style bit mask in words for the target version, e.g. "E_ALL & ~E_DEPRECATED". */
export function describeErrorLevel(value: string, phpVersion: string): string | undefined {
  if (!/^-?\d+$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  if (!Number.isSafeInteger(n)) return undefined;
  const all = Number(constantValue('E_ALL', phpVersion) ?? '32767');
  if (n === 0) return 'no errors reported';
  const bits = ERROR_LEVELS.map((name) => ({ name, bit: Number(getIniConstant(name)?.value ?? '0') })).filter((e) => e.bit > 0 && (all & e.bit) !== 0);
  const masked = n & 0x7fffffff;
  if ((masked & all) === all) return `E_ALL (every error level of PHP ${phpVersion})`;
  const on = bits.filter((b) => (masked & b.bit) !== 0);
  const off = bits.filter((b) => (masked & b.bit) === 0);
  if (on.length > off.length) return `E_ALL & ~${off.map((b) => b.name).join(' & ~')}`;
  return on.map((b) => b.name).join(' | ') || 'no known error levels';
}

/** How a value reads in Markdown: as a JSON string literal in code, so "" and spaces are visible. */
export function codeValue(value: string): string {
  return inlineCode(JSON.stringify(value));
}

/** Inline code that survives backticks in the text. */
export function inlineCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Escapes text that goes into Markdown outside code. */
export function escapeMarkdown(text: string): string {
  // Only what CommonMark would act on inside a sentence (intraword `_` is literal).
  return text.replace(/([\\`*[\]<>|])/g, '\\$1').replace(/(^|\s)_/g, '$1\\_');
}
