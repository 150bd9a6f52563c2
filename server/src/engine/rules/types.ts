// The shape of a rule. A rule is one file in this folder exporting `rule: Rule`; the build
// (scripts/gen-rule-index.js) registers every file, and test/rules.test.ts runs each rule's cases.

import type { Assignment } from '../model';
import type { Dialect, IniFileRole } from '../types';
import type { LintContext } from '../lint';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Where a rule applies: php.ini-dialect files by role, and/or php-fpm files. */
export type RuleScope = IniFileRole | 'fpm';

export interface TextEdit {
  /** Offsets into the document text. */
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /**
   * Safe fixes are applied by "fix all" and on save: they only harden a setting and cannot change
   * anything else. Unsafe ones (removing lines, guesses) are offered as quick fixes only.
   */
  safe: boolean;
}

export interface RelatedLocation {
  start: number;
  end: number;
  message: string;
}

export interface Finding {
  message: string;
  start: number;
  end: number;
  /** The directive the finding is about, e.g. `session.cookie_secure`; null for file-level findings. */
  directive: string | null;
  /** Overrides the rule's default severity for this one finding (e.g. a hint-level variant). */
  severity?: Severity;
  tags?: Array<'deprecated' | 'unnecessary'>;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

export interface RuleCase {
  /** What the case shows, used as the test title. */
  name: string;
  input: string;
  dialect?: Dialect;
  role?: RuleScope;
  phpVersion?: string;
  profile?: 'production' | 'development';
  httpsOnly?: boolean;
  /** Expected findings of this rule: 1-based line, and the exact message or a pattern for it. */
  expect: Array<{ line: number; message: string | RegExp; severity?: Severity }>;
  /** The text after applying every SAFE fix of this rule (fix-all); omit when there is nothing to fix. */
  fixed?: string;
  /** The text after applying the first fix of the first finding (quick fix), when it differs. */
  quickFixed?: string;
}

export interface Rule {
  /** Stable kebab-case id, e.g. `session-use-strict-mode`. */
  id: string;
  /** One line for the README table and hovers. */
  title: string;
  severity: Severity;
  scopes: RuleScope[];
  /** Why it matters, in our own words (Markdown, a short paragraph or two). */
  rationale: string;
  sources: Array<{ title: string; url: string }>;
  check(ctx: LintContext): void;
  /** Table-driven tests, kept beside the rule. */
  cases: RuleCase[];
}

export type { Assignment };
