// flowpen for Node: the wasm module is loaded synchronously from this package, then the API is
// ready (no await). See README.md and index.d.ts.
import { readFileSync } from 'node:fs';
import { initSync, version as wasmVersion } from './wasm/flowpen.js';
import { setPlatform } from './lib/core.js';
import { platform } from './lib/node.js';

initSync({ module: readFileSync(new URL('./wasm/flowpen_bg.wasm', import.meta.url)) });
setPlatform(platform);

export { validate, format, Liquid, LiquidError, run, runTests } from './lib/core.js';
/** The package's version (the Rust workspace's). */
export const version = wasmVersion();
