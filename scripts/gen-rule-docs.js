#!/usr/bin/env node
// Writes docs/rules/<id>.md and the README's rules table from the rule objects themselves, so the
// docs cannot drift from the code. `--check` exits 1 when something is out of date (used by tests).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const { allRules } = require(path.join(root, 'out', 'server', 'src', 'engine'));
const check = process.argv.includes('--check');
const stale = [];

const scopeNames = { main: 'php.ini', fragment: 'conf.d/*.ini', 'user-ini': '.user.ini', fpm: 'PHP-FPM pools' };

function ruleDoc(rule) {
  const show = (v) => (v instanceof RegExp ? `matching \`${v.source}\`` : v);
  const example = rule.cases.find((c) => c.expect.length > 0);
  let md = `# ${rule.id}\n\n${rule.title}.\n\n`;
  md += `- Default severity: **${rule.severity}**\n- Applies to: ${rule.scopes.map((s) => scopeNames[s] || s).join(', ')}\n`;
  md += `- Fixable: ${rule.cases.some((c) => c.fixed !== undefined) ? 'yes (safe fixes run with "Fix all" and on save)' : rule.cases.some((c) => c.quickFixed !== undefined) ? 'quick fix only' : 'no'}\n\n`;
  md += `## Why\n\n${rule.rationale}\n\n`;
  if (example) {
    const lang = example.dialect === 'php-fpm' || example.role === 'fpm' ? 'ini' : 'ini';
    md += `## Example\n\n\`\`\`${lang}\n${example.input.replace(/\r\n/g, '\n').trimEnd()}\n\`\`\`\n\n`;
    md += example.expect.map((e) => `- line ${e.line}: ${show(e.message)}`).join('\n') + '\n\n';
    if (example.fixed !== undefined) md += `After the fix:\n\n\`\`\`${lang}\n${example.fixed.replace(/\r\n/g, '\n').trimEnd()}\n\`\`\`\n\n`;
  }
  md += `## Turning it off\n\nFor one line: \`; php-ini-lint-disable-next-line ${rule.id}\` on the line above. For a project: \`${rule.id} = off\` under \`[rules]\` in \`.php-ini-lint.ini\`, or \`"phpIniLint.rules": { "${rule.id}": "off" }\` in VS Code settings.\n\n`;
  md += `## Sources\n\n${rule.sources.map((s) => `- [${s.title}](${s.url})`).join('\n')}\n`;
  return md;
}

function write(file, text) {
  const cur = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (cur === text) return;
  if (check) stale.push(path.relative(root, file));
  else fs.writeFileSync(file, text);
}

const dir = path.join(root, 'docs', 'rules');
fs.mkdirSync(dir, { recursive: true });
const ids = new Set(allRules.map((r) => r.id));
for (const rule of allRules) write(path.join(dir, `${rule.id}.md`), ruleDoc(rule));
for (const f of fs.readdirSync(dir)) {
  if (f.endsWith('.md') && !ids.has(f.slice(0, -3))) {
    if (check) stale.push(`docs/rules/${f} (no such rule)`);
    else fs.unlinkSync(path.join(dir, f));
  }
}

const readme = path.join(root, 'README.md');
if (fs.existsSync(readme)) {
  const text = fs.readFileSync(readme, 'utf8');
  const start = '<!-- rules:start -->';
  const end = '<!-- rules:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) {
    const rows = [...allRules].sort((x, y) => x.id.localeCompare(y.id)).map((r) => `| [\`${r.id}\`](docs/rules/${r.id}.md) | ${r.severity} | ${r.title} |`);
    const table = `${start}\n| Rule | Default | What it checks |\n|---|---|---|\n${rows.join('\n')}\n${end}`;
    write(readme, text.slice(0, a) + table + text.slice(b + end.length));
  }
}

if (check && stale.length) {
  console.error(`Out of date (run npm run docs):\n  ${stale.join('\n  ')}`);
  process.exit(1);
}
