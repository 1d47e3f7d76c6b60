// `make bench`: the npm package's Liquid API (target/npm/package, built by `make npm`) against
// liquidjs, in one Node process. Prints a Markdown table of renders per second and the ratio.
//
// Both sides get the context as a JavaScript object on every call, as a user of either library
// passes it: liquidjs reads it in place; Flowpen copies what the template can read into the wasm
// module (serde-wasm-bindgen) and renders there. Templates are parsed once (liquidjs: `parse`;
// Flowpen caches by source). Outputs are compared so that the two engines are timed doing the
// same work. BENCH_PACKAGE=<dir> points at another build of the package.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'tests/e2e/package.json'));
const pkg = process.env.BENCH_PACKAGE ?? path.join(root, 'target/npm/package');
const flowpen = await import(pathToFileURL(path.join(pkg, 'index.js')).href);
const { Liquid } = require('liquidjs');

const shared = process.env.FLOWPEN_SHARED ?? path.join(root, '../shared');
// liquidjs reads the system clock for `'now'` (fixture 001 prints the year), so both sides get it.
const NOW_MS = Date.now();
const BUDGET_MS = Number(process.env.BENCH_MS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Calls `fn` for about BUDGET_MS and returns calls per second. */
function rate(fn) {
  for (let i = 0; i < 200; i++) fn();
  let n = 0;
  let batch = 1;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < BUDGET_MS) {
    for (let i = 0; i < batch; i++) fn();
    n += batch;
    batch = Math.min(batch * 2, 4096);
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (n * 1000) / elapsed;
}

const rows = [];
/** Alternates the two sides ROUNDS times and keeps each side's best (the machine is shared). */
function row(name, ours, theirs, ourOut, theirOut) {
  let a = 0;
  let b = 0;
  for (let r = 0; r < ROUNDS; r++) {
    a = Math.max(a, rate(ours));
    b = Math.max(b, rate(theirs));
  }
  const same = ourOut === theirOut ? 'same' : 'differs';
  rows.push(`| ${name} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(a / b).toFixed(2)} | ${same} |`);
}

// golden-liquid benchmark fixtures, standard mode.
for (const name of ['001', '002', '004']) {
  const dir = path.join(shared, 'fixtures/golden-liquid/benchmark_fixtures', name);
  const partials = {};
  for (const file of fs.readdirSync(path.join(dir, 'templates'))) {
    if (file !== 'index.liquid') partials[file] = fs.readFileSync(path.join(dir, 'templates', file), 'utf8');
  }
  const index = fs.readFileSync(path.join(dir, 'templates/index.liquid'), 'utf8');
  const data = JSON.parse(fs.readFileSync(path.join(dir, 'data.json'), 'utf8'));
  const ours = new flowpen.Liquid({ studio: false, partials });
  const options = { now: NOW_MS };
  const engine = new Liquid({ root: path.join(dir, 'templates'), extname: '', cache: true });
  const parsed = engine.parse(index);
  row(
    `golden-liquid benchmark ${name} (standard)`,
    () => ours.render(index, data, options),
    () => engine.renderSync(parsed, data),
    ours.render(index, data, options),
    engine.renderSync(parsed, data),
  );
}

// Studio-style templates, Studio mode.
const studio = JSON.parse(fs.readFileSync(path.join(here, 'studio_templates.json'), 'utf8'));
const ours = new flowpen.Liquid({ studio: true });
const options = { now: NOW_MS };
const engine = new Liquid();
engine.registerFilter('to_json', (v) => JSON.stringify(v));
for (const { name, template } of studio.cases) {
  const parsed = engine.parse(template);
  row(
    `${name} (studio)`,
    () => ours.render(template, studio.context, options),
    () => engine.renderSync(parsed, studio.context),
    ours.render(template, studio.context, options),
    engine.renderSync(parsed, studio.context),
  );
}

// The same greeting with a new context object on every call (parsed from JSON text each time, on
// both sides): nothing can be kept from one call to the next.
{
  const { template } = studio.cases[0];
  const text = JSON.stringify(studio.context);
  const parsed = engine.parse(template);
  row(
    'greeting, a new context object each call (studio)',
    () => ours.render(template, JSON.parse(text), options),
    () => engine.renderSync(parsed, JSON.parse(text)),
    ours.render(template, JSON.parse(text), options),
    engine.renderSync(parsed, studio.context),
  );
}

console.log(`Node ${process.version}, liquidjs ${require('liquidjs/package.json').version}, flowpen ${flowpen.version} (${pkg}), best of ${ROUNDS} × ${BUDGET_MS} ms per side`);
console.log('');
console.log('| template | flowpen renders/s | liquidjs renders/s | flowpen/liquidjs | output |');
console.log('|---|---:|---:|---:|---|');
for (const r of rows) console.log(r);
