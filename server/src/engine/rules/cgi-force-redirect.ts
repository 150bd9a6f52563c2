import { PHP_CORE_INI, checkBool } from './_hardening';
import type { Rule } from './types';

export const rule: Rule = {
  id: 'cgi-force-redirect',
  title: 'cgi.force_redirect must stay on, so php-cgi refuses to be called directly as a CGI program',
  severity: 'warning',
  scopes: ['main', 'fragment'],
  rationale:
    'When php-cgi runs as a classic CGI program (for example under `/cgi-bin/`), cgi.force_redirect makes it ' +
    'refuse requests that did not come through the web server’s redirect (no `REDIRECT_STATUS`). With it ' +
    'off, anyone can call the binary directly, as in `/cgi-bin/php/secret/page.html` or ' +
    '`/cgi-bin/php?/etc/passwd`, and make PHP open files the web server’s own access rules were supposed ' +
    'to protect.\n\n' +
    'It is on by default. The check only exists in php-cgi’s plain CGI mode: php-fpm and php-cgi running as a ' +
    'FastCGI server never look at it, and old advice to turn it off for IIS dates from CGI-mode setups. That is ' +
    'also why php-fpm pools are not checked.',
  sources: [
    { title: 'PHP manual: cgi.force_redirect', url: `${PHP_CORE_INI}#ini.cgi.force-redirect` },
    { title: 'PHP manual: installed as a CGI binary', url: 'https://www.php.net/manual/en/security.cgi-bin.php' },
    { title: 'PHP manual: case 2, using cgi.force_redirect', url: 'https://www.php.net/manual/en/security.cgi-bin.force-redirect.php' },
  ],
  check(ctx) {
    checkBool(ctx, {
      directive: 'cgi.force_redirect',
      bad: false,
      message: 'cgi.force_redirect is {value}: if php-cgi can be reached as a CGI program, anyone can call it directly and make it open files the web server’s access rules protect.',
      safe: true,
    });
  },
  cases: [
    {
      name: 'off is reported and turned back on',
      input: '[PHP]\ncgi.force_redirect = 0\n',
      expect: [
        {
          line: 2,
          message: 'cgi.force_redirect is 0: if php-cgi can be reached as a CGI program, anyone can call it directly and make it open files the web server’s access rules protect.',
          severity: 'warning',
        },
      ],
      fixed: '[PHP]\ncgi.force_redirect = 1\n',
    },
    {
      name: 'Off with CRLF keeps the On/Off style',
      input: '[PHP]\r\ncgi.force_redirect = Off ; IIS\r\n',
      expect: [{ line: 2, message: /^cgi\.force_redirect is Off: / }],
      fixed: '[PHP]\r\ncgi.force_redirect = On ; IIS\r\n',
    },
    { name: 'on is fine', input: '[PHP]\ncgi.force_redirect = 1\n', expect: [] },
    { name: 'missing is fine (PHP’s default is on)', input: '[PHP]\nmemory_limit = 128M\n', expect: [] },
    { name: 'a fragment turning it off', role: 'fragment', input: 'cgi.force_redirect=no\n', expect: [{ line: 1, message: /^cgi\.force_redirect is no: / }], fixed: 'cgi.force_redirect=yes\n' },
  ],
};
