// `make bench`: the Flowpen Liquid crate compiled to wasm (crates/flowpen-bindings, built by
// scripts/bench.sh into target/bench-wasm) against liquidjs, in one Node process. Prints a Markdown
// table of renders per second and the ratio wasm/liquidjs.
//
// Both sides parse each template once and render it many times against a context already in memory
// (the Rust side keeps a parsed JSON context; liquidjs gets a JS object). Outputs are compared so
// that the two engines are timed doing the same work.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'tests/e2e/package.json'));
const wasm = require(path.join(process.env.BENCH_WASM_DIR ?? path.join(root, 'target/bench-wasm'), 'flowpen_bindings.js'));
const { Liquid } = require('liquidjs');

const shared = process.env.FLOWPEN_SHARED ?? path.join(root, '../shared');
// liquidjs reads the system clock for `'now'` (fixture 001 prints the year), so both sides get it.
const NOW_MS = Date.now();
const BUDGET_MS = Number(process.env.BENCH_MS ?? 1000);

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
function row(name, ours, theirs, ourOut, theirOut) {
  const a = rate(ours);
  const b = rate(theirs);
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
  const dataText = fs.readFileSync(path.join(dir, 'data.json'), 'utf8');
  const data = JSON.parse(dataText);
  const ours = new wasm.Renderer('standard', JSON.stringify(partials));
  ours.setContext(dataText);
  const engine = new Liquid({ root: path.join(dir, 'templates'), extname: '', cache: true });
  const parsed = engine.parse(index);
  const ourOut = ours.renderCurrent(index, NOW_MS);
  const theirOut = engine.renderSync(parsed, data);
  row(`golden-liquid benchmark ${name} (standard)`, () => ours.renderCurrent(index, NOW_MS), () => engine.renderSync(parsed, data), ourOut, theirOut);
}

// Studio-style templates, Studio mode.
const studio = JSON.parse(fs.readFileSync(path.join(here, 'studio_templates.json'), 'utf8'));
const ours = new wasm.Renderer('studio', '{}');
ours.setContext(JSON.stringify(studio.context));
const engine = new Liquid();
engine.registerFilter('to_json', (v) => JSON.stringify(v));
for (const { name, template } of studio.cases) {
  const parsed = engine.parse(template);
  const ourOut = ours.renderCurrent(template, NOW_MS);
  const theirOut = engine.renderSync(parsed, studio.context);
  row(`${name} (studio)`, () => ours.renderCurrent(template, NOW_MS), () => engine.renderSync(parsed, studio.context), ourOut, theirOut);
}

// The same greeting with the context crossing the JS/wasm boundary as JSON text on every call.
{
  const { template } = studio.cases[0];
  const text = JSON.stringify(studio.context);
  const parsed = engine.parse(template);
  row(
    'greeting, context passed as JSON text each call (studio)',
    () => wasm.render(template, text, NOW_MS),
    () => engine.renderSync(parsed, JSON.parse(text)),
    wasm.render(template, text, NOW_MS),
    engine.renderSync(parsed, studio.context),
  );
}

console.log(`Node ${process.version}, liquidjs ${require('liquidjs/package.json').version}, ${BUDGET_MS} ms per measurement`);
console.log('');
console.log('| template | wasm renders/s | liquidjs renders/s | wasm/liquidjs | output |');
console.log('|---|---:|---:|---:|---|');
for (const r of rows) console.log(r);
