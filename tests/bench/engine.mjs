// `make bench`: the execution engine compiled to wasm (crates/flowpen-bindings, built by
// scripts/bench.sh into target/bench-wasm), running the generated 1,000-step flow in Node, the
// JavaScript runtime of the browser's engine. Prints a Markdown table row of steps per second.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(import.meta.url);
const wasm = require(path.join(process.env.BENCH_WASM_DIR ?? path.join(root, 'target/bench-wasm'), 'flowpen_bindings.js'));

const runner = new wasm.Runner(wasm.generatedFlow(999, false));
const steps = runner.run(); // Warms the template cache, as a simulator's first execution does.
if (steps !== 1000) throw new Error(`expected 1000 steps, got ${steps}`);
const samples = [];
for (let i = 0; i < 15; i++) {
  const start = process.hrtime.bigint();
  runner.run();
  samples.push(Number(process.hrtime.bigint() - start) / 1e6);
}
samples.sort((a, b) => a - b);
const ms = samples[Math.floor(samples.length / 2)];
console.log(`| wasm (release, opt-level z), Node ${process.versions.node} | ${steps} | ${ms.toFixed(2)} ms | ${Math.round((steps * 1000) / ms)} steps/s |`);
