// The package in a browser (headless Debian Chromium through playwright-core, as the e2e suite
// runs it): browser.js loads the same wasm module; validate, Liquid, run() with a project
// Function in a Web Worker, and runTests() reading files with fetch.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { installed, root, tempDir } from './helpers.mjs';

const e2e = path.join(root, 'tests/e2e');

test('browser.js: validate, Liquid, run with a Function in a Web Worker, runTests with fetch', async (t) => {
  const { CHROMIUM, launch } = await import(path.join(e2e, 'lib/browser.mjs'));
  if (!fs.existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing (CI=true)`);
    t.skip(`${CHROMIUM} is missing`);
    return;
  }
  const { startServer } = await import(path.join(e2e, 'lib/serve.mjs'));
  const site = tempDir('site');
  fs.cpSync(path.join(installed(), 'node_modules/flowpen'), path.join(site, 'flowpen'), { recursive: true });
  fs.cpSync(path.join(root, 'www/examples'), path.join(site, 'examples'), { recursive: true });
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>flowpen</title>');
  const { server, url } = await startServer(site);
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/index.html`);
    const result = await page.evaluate(async () => {
      const flowpen = await import('/flowpen/browser.js');
      const text = async (p) => (await fetch(p)).text();
      const flow = await text('/examples/random-number.json');
      const out = {};
      out.version = flowpen.version;
      out.diagnostics = flowpen.validate(flow).length;
      out.parseError = flowpen.validate('{').map((d) => d.code);
      out.rendered = new flowpen.Liquid({ studio: true }).render('Hi {{ flow.data.name | upcase }}', { flow: { data: { name: 'Ada' } } });
      const ran = await flowpen.run(flow, {
        conversation: [{ contact: 'hi' }, { contact: '7' }, { contact: '7' }],
        functions: { '/random': await text('/examples/functions/random.js') },
      });
      out.run = { status: ran.status, last: ran.messages.at(-1).text, by: ran.requests[0].by, error: ran.error };
      const report = await flowpen.runTests(await text('/examples/random-number.test.yaml'), {
        path: '/examples/random-number.test.yaml',
        readFile: text,
      });
      out.tests = { passed: report.passed, failed: report.failed, failures: report.files.flatMap((f) => f.cases.filter((c) => !c.passed).map((c) => c.failure.message)) };
      return out;
    });
    assert.deepEqual(errors, []);
    assert.match(result.version, /^\d+\.\d+\.\d+$/);
    assert.deepEqual(result.parseError, ['parse-error']);
    assert.equal(result.rendered, 'Hi ADA');
    assert.equal(result.run.status, 'ended', JSON.stringify(result.run));
    assert.equal(result.run.by, 'function');
    assert.match(result.run.last, /7/);
    assert.deepEqual(result.tests, { passed: 8, failed: 0, failures: [] });
  } finally {
    await browser.close();
    server.close();
  }
});
