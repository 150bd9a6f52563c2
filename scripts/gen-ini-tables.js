#!/usr/bin/env node
// Generates the LALR(1) tables the engine's php.ini parser runs on, from the grammar of
// PHP's Zend/zend_ini_parser.y (structure only; the semantic actions live in server/src/engine/parser.ts).
// Driving our parser with the same automaton as PHP's bison-built parser is what makes our
// "syntax error, unexpected X, expecting Y" messages identical to PHP's, token lists and all.
// Dev-time only (needs `bison`, Debian package bison 3.8); the output JSON is committed.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// The rules, in PHP's order. Rule numbers (1-based, 0 is $accept) index the actions in parser.ts.
const RULES = [
  ['statement_list', 'statement_list statement'],
  ['statement_list', ''],
  ['statement', "TC_SECTION section_string_or_value ']'"],
  ['statement', "TC_LABEL '=' string_or_value"],
  ['statement', "TC_OFFSET option_offset ']' '=' string_or_value"],
  ['statement', 'TC_LABEL'],
  ['statement', 'END_OF_LINE'],
  ['section_string_or_value', 'var_string_list_section'],
  ['section_string_or_value', ''],
  ['string_or_value', 'expr'],
  ['string_or_value', 'BOOL_TRUE'],
  ['string_or_value', 'BOOL_FALSE'],
  ['string_or_value', 'NULL_NULL'],
  ['string_or_value', 'END_OF_LINE'],
  ['option_offset', 'var_string_list'],
  ['option_offset', ''],
  ['encapsed_list', 'encapsed_list cfg_var_ref'],
  ['encapsed_list', 'encapsed_list TC_QUOTED_STRING'],
  ['encapsed_list', ''],
  ['var_string_list_section', 'cfg_var_ref'],
  ['var_string_list_section', 'constant_literal'],
  ['var_string_list_section', "'\"' encapsed_list '\"'"],
  ['var_string_list_section', 'var_string_list_section cfg_var_ref'],
  ['var_string_list_section', 'var_string_list_section constant_literal'],
  ['var_string_list_section', "var_string_list_section '\"' encapsed_list '\"'"],
  ['var_string_list', 'cfg_var_ref'],
  ['var_string_list', 'constant_string'],
  ['var_string_list', "'\"' encapsed_list '\"'"],
  ['var_string_list', 'var_string_list cfg_var_ref'],
  ['var_string_list', 'var_string_list constant_string'],
  ['var_string_list', "var_string_list '\"' encapsed_list '\"'"],
  ['expr', 'var_string_list'],
  ['expr', "expr '|' expr"],
  ['expr', "expr '&' expr"],
  ['expr', "expr '^' expr"],
  ['expr', "'~' expr"],
  ['expr', "'!' expr"],
  ['expr', "'(' expr ')'"],
  ['cfg_var_ref', "TC_DOLLAR_CURLY TC_VARNAME '}'"],
  ['cfg_var_ref', "TC_DOLLAR_CURLY TC_VARNAME TC_FALLBACK fallback '}'", 'fallback'],
  ['fallback', 'var_string_list', 'fallback'],
  ['fallback', '', 'fallback'],
  ['constant_literal', 'TC_CONSTANT'],
  ['constant_literal', 'TC_RAW'],
  ['constant_literal', 'TC_NUMBER'],
  ['constant_literal', 'TC_STRING'],
  ['constant_literal', 'TC_WHITESPACE'],
  ['constant_string', 'TC_CONSTANT'],
  ['constant_string', 'TC_RAW'],
  ['constant_string', 'TC_NUMBER'],
  ['constant_string', 'TC_STRING'],
  ['constant_string', 'TC_WHITESPACE'],
];

function grammar(withFallback) {
  const tokens = ['TC_SECTION', 'TC_RAW', 'TC_CONSTANT', 'TC_NUMBER', 'TC_STRING', 'TC_WHITESPACE', 'TC_LABEL',
    'TC_OFFSET', 'TC_DOLLAR_CURLY', 'TC_VARNAME', 'TC_QUOTED_STRING', ...(withFallback ? ['TC_FALLBACK'] : []),
    'BOOL_TRUE', 'BOOL_FALSE', 'NULL_NULL', 'END_OF_LINE'];
  const rules = RULES.filter((r) => withFallback || r[2] !== 'fallback');
  const byLhs = new Map();
  for (const [lhs, rhs] of rules) {
    if (!byLhs.has(lhs)) byLhs.set(lhs, []);
    byLhs.get(lhs).push(rhs === '' ? '%empty' : rhs);
  }
  let y = '%define parse.error verbose\n%define api.value.type {int}\n%expect 0\n';
  y += '%token END 0 "end of file"\n' + tokens.map((t) => `%token ${t}\n`).join('');
  y += "%token '=' ':' ',' '.' '\"' '\\'' '^' '+' '-' '/' '*' '%' '$' '~' '<' '>' '?' '@' '{' '}'\n";
  y += "%left '|' '&' '^'\n%precedence '~' '!'\n%%\n";
  for (const [lhs, alts] of byLhs) y += `${lhs}:\n\t\t${alts.join('\n\t|\t')}\n;\n`;
  y += '%%\n';
  return { y, rules };
}

function cArray(src, name) {
  const m = new RegExp(`(?:yytype_\\w+|short|int|char|const char \\*const) ${name}\\[\\] =\\s*\\{([^}]*)\\}`).exec(src);
  if (!m) throw new Error(`table ${name} not found`);
  return m[1];
}
const nums = (src, name) => cArray(src, name).split(',').map((s) => s.trim()).filter(Boolean).map(Number);
function define(src, name) {
  const m = new RegExp(`#define ${name}\\s+\\(?(-?\\d+)\\)?`).exec(src);
  if (!m) throw new Error(`define ${name} not found`);
  return Number(m[1]);
}

function build(withFallback) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ini-y-'));
  const { y, rules } = grammar(withFallback);
  fs.writeFileSync(path.join(dir, 'g.y'), y);
  execFileSync('bison', ['-o', path.join(dir, 'g.c'), path.join(dir, 'g.y')], { stdio: 'inherit' });
  const src = fs.readFileSync(path.join(dir, 'g.c'), 'utf8');
  // yytname holds quoted C strings; parse them with JSON after normalising the char literals.
  const tnameSrc = /yytname\[\] =\s*\{([\s\S]*?)YY_NULLPTR/.exec(src)[1];
  const names = [...tnameSrc.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`));
  if (!process.env.KEEP) fs.rmSync(dir, { recursive: true });
  return {
    final: define(src, 'YYFINAL'),
    last: define(src, 'YYLAST'),
    ntokens: define(src, 'YYNTOKENS'),
    pactNinf: define(src, 'YYPACT_NINF'),
    tableNinf: define(src, 'YYTABLE_NINF'),
    maxUtok: define(src, 'YYMAXUTOK'),
    translate: nums(src, 'yytranslate'),
    pact: nums(src, 'yypact'),
    defact: nums(src, 'yydefact'),
    pgoto: nums(src, 'yypgoto'),
    defgoto: nums(src, 'yydefgoto'),
    table: nums(src, 'yytable'),
    check: nums(src, 'yycheck'),
    r1: nums(src, 'yyr1'),
    r2: nums(src, 'yyr2'),
    tname: names,
    rules: rules.map(([lhs, rhs]) => `${lhs}: ${rhs}`),
  };
}

const out = path.join(__dirname, '..', 'server', 'src', 'engine', 'data', 'ini-grammar.json');
fs.writeFileSync(out, JSON.stringify({ php82: build(false), php83: build(true) }) + '\n');
console.log(`wrote ${out}`);
