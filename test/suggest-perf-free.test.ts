// "Did you mean" prunes candidates with bag and character-mask bounds, bands the edit distance and
// trims common prefixes and suffixes before aligning. None of that may change an answer: this
// compares suggest() and suggestFpm() with a plain implementation (full distance matrix, every
// candidate of a possible length, sort) on seeded typos of catalogued names.
import assert from 'node:assert/strict';
import { allDirectives, allFpmDirectives, getFpmDirective, suggest, suggestFpm } from '../server/src/engine/catalog';

interface Entry {
  name: string;
  key: string;
  rank: number;
}

const fold = (s: string) => s.toLowerCase().replace(/-/g, '_');
const budget = (len: number) => (len <= 2 ? 0 : len <= 5 ? 1 : len <= 12 ? 2 : 3);

/** Optimal-string-alignment distance, whole matrix. */
function osa(a: string, b: string): number {
  const w = b.length + 1;
  const d = new Int32Array((a.length + 1) * w);
  for (let j = 0; j < w; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    d[i * w] = i;
    for (let j = 1; j < w; j++) {
      const sub = d[(i - 1) * w + j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      let v = Math.min(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, sub);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * w + j - 2] + 1);
      d[i * w + j] = v;
    }
  }
  return d[a.length * w + b.length];
}

/** Every answer, best first: the answer for `max` is its first `max` names. */
function reference(entries: Entry[], name: string): string[] {
  if (!name) return [];
  const key = fold(name);
  const k = budget(key.length);
  const first = key.split('.')[0];
  const hits: Array<{ e: Entry; d: number }> = [];
  for (const e of entries) {
    // The length difference alone bounds the distance; skipping those only saves time.
    if (e.name === name || Math.abs(e.key.length - key.length) > k) continue;
    const d = osa(key, e.key);
    if (d <= k) hits.push({ e, d });
  }
  if (hits.length === 0) return [];
  const best = Math.min(...hits.map((h) => h.d));
  return hits
    .filter((h) => h.d <= best + 1)
    .sort(
      (x, y) =>
        x.d - y.d ||
        Number(y.e.key.split('.')[0] === first) - Number(x.e.key.split('.')[0] === first) ||
        x.e.rank - y.e.rank ||
        Math.abs(x.e.key.length - key.length) - Math.abs(y.e.key.length - key.length) ||
        (x.e.name < y.e.name ? -1 : x.e.name > y.e.name ? 1 : 0),
    )
    .map((h) => h.e.name);
}

/** Deterministic typos: inserted, deleted, replaced and swapped characters, case and `-`. */
function typos(names: string[], count: number, seed: number): string[] {
  let s = seed;
  const rnd = (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  const alphabet = 'abcdefghijklmnopqrstuvwxyz_.0123456789-XÉ';
  const out: string[] = [];
  for (let t = 0; t < count; t++) {
    let w = names[rnd(names.length)];
    for (let edits = 1 + rnd(4); edits > 0; edits--) {
      const i = rnd(w.length + 1);
      const c = alphabet[rnd(alphabet.length)];
      switch (rnd(6)) {
        case 0:
          w = w.slice(0, i) + c + w.slice(i);
          break;
        case 1:
          w = w.slice(0, i) + w.slice(i + 1);
          break;
        case 2:
          w = w.slice(0, i) + c + w.slice(i + 1);
          break;
        case 3:
          if (i + 1 < w.length) w = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
          break;
        case 4:
          w = w.toUpperCase().replace(/_/g, '-');
          break;
        default:
          w += `_${rnd(200)}`; // like a generated file's renamed keys
      }
    }
    out.push(w);
  }
  return out;
}

describe('suggest: same answers as a plain implementation', () => {
  it('php.ini names', () => {
    const list = allDirectives();
    const known = new Set(list.map((d) => d.name));
    const entries = list
      .filter((d) => !d.pattern)
      .map((d) => ({ name: d.name, key: fold(d.name), rank: (d.removed ? 2 : 0) + (d.bundled ? 0 : 1) }));
    const inputs = [...typos(entries.map((e) => e.name), 800, 1), '', 'a', 'ab', 'abc', 'ENGINE', 'memory-limit'];
    for (const name of inputs) {
      const expected = known.has(name) ? [] : reference(entries, name);
      for (const max of [1, 3, 5]) {
        assert.deepEqual(suggest(name, max), expected.slice(0, max), `${JSON.stringify(name)}, max ${max}`);
      }
    }
  });

  it('php-fpm names', () => {
    const names = [...new Set(allFpmDirectives().map((d) => d.name))];
    const entries = names.map((name) => ({ name, key: fold(name), rank: 0 }));
    for (const name of typos(entries.map((e) => e.name), 600, 2)) {
      const expected = getFpmDirective(name) ? [] : reference(entries, name);
      for (const max of [1, 3]) {
        assert.deepEqual(suggestFpm(name, max), expected.slice(0, max), `${JSON.stringify(name)}, max ${max}`);
      }
    }
  });
});
