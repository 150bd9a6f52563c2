// The shared corpus of real configs (../shared/corpus beside the repository; PHP_INI_LINT_CORPUS
// overrides it). Tests that walk it skip themselves when it is absent.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CORPUS = process.env.PHP_INI_LINT_CORPUS || path.join(__dirname, '..', '..', '..', 'shared', 'corpus');

/** Every config file of the corpus, sorted; [] when there is no corpus. */
export function corpusFiles(): string[] {
  const walk = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  return fs.existsSync(CORPUS) ? walk(CORPUS).filter((f) => !/SOURCES\.md$|SHA256SUMS$/.test(f)).sort() : [];
}
