import type { LintContext, PhpSetting } from '../lint';
import { PHP_CORE_INI, describeBytes, phpSize, settingsHere, sibling, sizeBytes, valueFix, where, written } from './_hardening';
import { defaultFor } from '../catalog';
import type { Rule } from './types';

interface Side {
  setting?: PhpSetting;
  bytes: bigint;
  text: string;
}

/** The effective size in one scope: the setting, or PHP's default in a main php.ini. */
function side(ctx: LintContext, directive: string, s: PhpSetting | undefined, pooled: boolean): Side | undefined {
  if (s) {
    const q = phpSize(ctx, s.value);
    return { setting: s, bytes: sizeBytes(q), text: written(ctx, s) };
  }
  if (!ctx.isMainIni || pooled) return undefined;
  const def = defaultFor(directive, ctx.phpVersion);
  if (def === undefined || def === null) return undefined;
  return { bytes: sizeBytes(phpSize(ctx, def)), text: `${def}, PHP’s default` };
}

export const rule: Rule = {
  id: 'post-max-size',
  title: 'post_max_size must leave room for upload_max_filesize, and should not be unlimited',
  severity: 'warning',
  scopes: ['main', 'fragment', 'user-ini', 'fpm'],
  rationale:
    'A file upload travels inside a POST body, so post_max_size caps it too. When post_max_size is smaller ' +
    'than upload_max_filesize, a file between the two sizes can never arrive: PHP sees a body over ' +
    'post_max_size, warns “POST Content-Length … exceeds the limit” and discards the whole request body, ' +
    'leaving `$_POST` and `$_FILES` empty, so the application cannot even tell the user what went wrong ' +
    '(checked with php-fpm 8.2). post_max_size must also fit the other form fields and multipart overhead, ' +
    'so set it somewhat above upload_max_filesize.\n\n' +
    'post_max_size = 0, any negative value, or an empty value (which PHP reads as 0) removes the limit altogether: PHP accepts ' +
    'and parses request bodies of any size, and spools uploads of any size to disk. That is reported for ' +
    'information. A post_max_size larger than memory_limit is not reported: uploads go to temporary files, ' +
    'not memory.',
  sources: [
    { title: 'PHP manual: post_max_size', url: `${PHP_CORE_INI}#ini.post-max-size` },
    { title: 'PHP manual: upload_max_filesize', url: `${PHP_CORE_INI}#ini.upload-max-filesize` },
    { title: 'PHP manual: handling file uploads, common pitfalls', url: 'https://www.php.net/manual/en/features.file-upload.common-pitfalls.php' },
  ],
  check(ctx) {
    const posts = settingsHere(ctx, 'post_max_size');
    const scopes = new Map<string, PhpSetting | undefined>();
    for (const s of [...posts, ...settingsHere(ctx, 'upload_max_filesize')]) scopes.set(s.pool?.name ?? '', s.pool ? s : undefined);
    if (ctx.isMainIni && !scopes.has('')) scopes.set('', undefined);
    for (const [key, any] of scopes) {
      const pooled = key !== '' || !!ctx.fpm;
      const postSetting = any ? sibling(ctx, any, 'post_max_size') : posts.find((p) => !p.pool);
      const uploadSetting = any ? sibling(ctx, any, 'upload_max_filesize') : ctx.settings('upload_max_filesize').find((p) => !p.pool);
      const post = side(ctx, 'post_max_size', postSetting, pooled);
      const upload = side(ctx, 'upload_max_filesize', uploadSetting, pooled);
      if (post?.setting && post.bytes <= 0n) {
        const r = ctx.entryRange(post.setting.assignment);
        ctx.report({
          message: `post_max_size is ${post.text}, which PHP treats as no limit: request bodies and uploads of any size are accepted.` + where(post.setting),
          start: r.start,
          end: r.end,
          directive: 'post_max_size',
          severity: 'information',
        });
        continue;
      }
      if (!post || !upload || post.bytes <= 0n || upload.bytes <= 0n || upload.bytes <= post.bytes) continue;
      const at = post.setting ?? upload.setting;
      if (!at) continue;
      const other = at === post.setting ? upload.setting : post.setting;
      const r = ctx.entryRange(at.assignment);
      const fix = post.setting ? [valueFix(ctx, post.setting, describeBytes(upload.bytes), false, `Set post_max_size to ${describeBytes(upload.bytes)}`)] : [];
      ctx.report({
        message:
          `post_max_size (${post.text}) is smaller than upload_max_filesize (${upload.text}): a file between the two sizes never arrives, because PHP discards the whole POST body, $_FILES included.` +
          where(at),
        start: r.start,
        end: r.end,
        directive: at.directive,
        related: other ? [{ ...ctx.entryRange(other.assignment), message: `${other.directive} is set here` }] : undefined,
        fixes: fix,
      });
    }
  },
  cases: [
    {
      name: 'post smaller than upload (verified: php-fpm 8.2 empties $_POST and $_FILES)',
      input: '[PHP]\npost_max_size = 8M\nupload_max_filesize = 20M\n',
      expect: [
        {
          line: 2,
          message: 'post_max_size (8M) is smaller than upload_max_filesize (20M): a file between the two sizes never arrives, because PHP discards the whole POST body, $_FILES included.',
          severity: 'warning',
        },
      ],
      quickFixed: '[PHP]\npost_max_size = 20M\nupload_max_filesize = 20M\n',
    },
    {
      name: 'a main php.ini raising only upload_max_filesize above the 8M default; CRLF',
      input: '[PHP]\r\nupload_max_filesize = 64M\r\n',
      expect: [{ line: 2, message: 'post_max_size (8M, PHP’s default) is smaller than upload_max_filesize (64M): a file between the two sizes never arrives, because PHP discards the whole POST body, $_FILES included.' }],
    },
    { name: 'post at least as large: fine (laradock’s laravel.ini)', role: 'fragment', input: 'upload_max_filesize = 20M\npost_max_size = 20M\n', expect: [] },
    { name: 'a fragment setting only one of them cannot be judged', role: 'fragment', input: 'upload_max_filesize = 64M\n', expect: [] },
    {
      name: 'units are compared as PHP reads them: 1G is more than 900M',
      input: '[PHP]\npost_max_size = 900M\nupload_max_filesize = 1g\n',
      expect: [{ line: 2, message: /^post_max_size \(900M\) is smaller than upload_max_filesize \(1g\)/ }],
    },
    {
      name: 'post_max_size = 0 (or empty) means no limit (verified with php-fpm 8.2)',
      input: '[PHP]\npost_max_size = 0\nupload_max_filesize = 2M\n',
      expect: [{ line: 2, message: 'post_max_size is 0, which PHP treats as no limit: request bodies and uploads of any size are accepted.', severity: 'information' }],
    },
    {
      name: 'a negative value removes the limit too (verified with php-fpm 8.2)',
      role: 'fragment',
      input: 'post_max_size = -1\n',
      expect: [{ line: 1, message: 'post_max_size is -1, which PHP treats as no limit: request bodies and uploads of any size are accepted.' }],
    },
    {
      name: 'pools are judged one by one (pothi’s 28M/20M is fine)',
      role: 'fpm',
      input: '[wp]\nphp_admin_value[upload_max_filesize] = 20M\nphp_admin_value[post_max_size] = 28M\n[bad]\nphp_admin_value[upload_max_filesize] = 50M\nphp_admin_value[post_max_size] = 40M\n[half]\nphp_admin_value[upload_max_filesize] = 50M\n',
      expect: [{ line: 6, message: /^post_max_size \(40M\) is smaller than upload_max_filesize \(50M\): .* \(php_admin_value\[post_max_size\] in pool \[bad\]\)$/ }],
    },
    {
      name: 'a .user.ini can set both (PHP_INI_PERDIR)',
      role: 'user-ini',
      input: 'upload_max_filesize = 100M\npost_max_size = 10M\n',
      expect: [{ line: 2, message: /^post_max_size \(10M\) is smaller than upload_max_filesize \(100M\)/ }],
    },
  ],
};
