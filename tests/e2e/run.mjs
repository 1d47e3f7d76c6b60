// The end-to-end runner: serves dist/ on loopback, runs every specs/*.spec.mjs in Debian Chromium
// and prints `e2e: N passed, M failed`. E2E_GREP=text runs only the tests whose name contains it.
//
// A spec module exports `tests`: an array of [name, async ({ page, url, server, shots }) => void,
// optional { timeoutMs }].
// Each test gets a fresh browser context (fresh storage). On failure a screenshot goes to target/e2e/.
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from './lib/browser.mjs';
import { startServer } from './lib/serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const dist = resolve(root, process.env.DIST ?? 'dist');
const shots = resolve(root, 'target/e2e');
mkdirSync(shots, { recursive: true });
const grep = process.env.E2E_GREP ?? '';
const TEST_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 60_000);

const routes = {};
const { server, url } = await startServer(dist, 0, routes);
let passed = 0, failed = 0;
const specs = readdirSync(join(here, 'specs')).filter((f) => f.endsWith('.spec.mjs')).sort();
for (const spec of specs) {
  const mod = await import(pathToFileURL(join(here, 'specs', spec)).href);
  for (const [name, fn, opts] of mod.tests) {
    const full = `${spec.replace('.spec.mjs', '')} › ${name}`;
    if (grep && !full.includes(grep)) continue;
    const browser = await launch();
    const page = browser.context.pages()[0] ?? await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    const started = Date.now();
    let timer;
    try {
      await Promise.race([
        fn({ page, url, routes, shots, errors, context: browser.context }),
        new Promise((_, fail) => {
          const limit = opts?.timeoutMs ?? TEST_TIMEOUT_MS;
          timer = setTimeout(() => fail(new Error(`timed out after ${limit} ms`)), limit);
        }),
      ]);
      if (errors.length) throw new Error(`uncaught page error: ${errors[0].stack ?? errors[0]}`);
      passed++;
      console.log(`  ✓ ${full} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`  ✗ ${full}\n    ${String(e.stack ?? e).split('\n').join('\n    ')}`);
      const file = join(shots, `FAILED-${full.replace(/[^a-z0-9]+/gi, '_')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.log(`    screenshot: ${file}`);
    } finally {
      clearTimeout(timer);
      for (const k of Object.keys(routes)) delete routes[k];
      await browser.close();
    }
  }
}
server.close();
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
