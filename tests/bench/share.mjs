// `make bench` (its share links section): reads target/bench-share/ (written by the
// share_lengths example in the same run) and prints the length of a share link, in characters
// against http://127.0.0.1:8080/, for the three examples, the median corpus flow and corpus #26:
// format 1, format 2, and lz-string's compressToEncodedURIComponent of the same text (the
// compact project file) behind the same page and a prefix as long as ours (`#share=2.`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
// lz-string comes from tests/e2e's npm packages (scripts/setup.sh installs them).
const require = createRequire(path.join(root, 'tests/e2e/package.json'));
const LZString = require('lz-string');
const dir = path.join(root, 'target/bench-share');
const PAGE = 'http://127.0.0.1:8080/';
const cases = JSON.parse(readFileSync(path.join(dir, 'lengths.json'), 'utf8')).map((c) => {
  const text = readFileSync(path.join(dir, c.text), 'utf8');
  const lz = PAGE.length + '#share=2.'.length + LZString.compressToEncodedURIComponent(text).length;
  return { ...c, lz };
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const corpus = cases.filter((c) => c.name.startsWith('corpus '));
const rows = cases.filter((c) => c.name.startsWith('example '));
if (corpus.length) {
  rows.push({
    name: `corpus median (${corpus.length} flows)`,
    bytes: median(corpus.map((c) => c.bytes)),
    v1: median(corpus.map((c) => c.v1)),
    v2: median(corpus.map((c) => c.v2)),
    lz: median(corpus.map((c) => c.lz)),
  });
  const n26 = corpus.find((c) => c.name.startsWith('corpus 26_'));
  if (n26) rows.push({ ...n26, name: 'corpus #26 (largest)' });
}
const n = (x) => x.toLocaleString('en-US');
console.log('| project | compact text (bytes) | format 1 | format 2 | lz-string 1.5.0 | format 2 / lz-string |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.name} | ${n(r.bytes)} | ${n(r.v1)} | ${n(r.v2)} | ${n(r.lz)} | ${(r.v2 / r.lz).toFixed(2)} |`);
}
