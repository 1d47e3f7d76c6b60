// flowpen for the browser (and bundlers): the wasm module is fetched and compiled next to this
// file (top-level await), then the API is ready. See README.md and index.d.ts.
import init, { version as wasmVersion } from './wasm/flowpen.js';
import { setPlatform } from './lib/core.js';
import { platform } from './lib/browser.js';

await init({ module_or_path: new URL('./wasm/flowpen_bg.wasm', import.meta.url) });
setPlatform(platform);

export { validate, format, Liquid, LiquidError, run, runTests } from './lib/core.js';
/** The package's version (the Rust workspace's). */
export const version = wasmVersion();
