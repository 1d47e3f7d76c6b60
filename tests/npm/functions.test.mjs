// Playground Functions in the npm package: each call in a worker thread of the same Node process,
// with the browser's Functions runtime and the native CLI's Node adapter, stopped at the 10 s
// limit. The contract's cases (tests/flows/node-contract) give the native CLI's results.

import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { flowpen, native, npx, npxAsync, root, tempDir } from './helpers.mjs';

const contract = path.join(root, 'tests/flows/node-contract');

test('the Functions contract: every case ends as under the native CLI', () => {
  const a = npx(['test', '--json', 'functions.test.yaml'], contract);
  const b = native(['test', '--json', 'functions.test.yaml'], contract);
  const ours = JSON.parse(a.stdout);
  const theirs = JSON.parse(b.stdout);
  assert.equal(a.code, 1);
  assert.equal(b.code, 1);
  const outcome = (v) => v.files[0].cases.map((c) => [c.name, c.passed, c.failure && c.failure.message, c.path, c.status]);
  assert.deepEqual(outcome(ours), outcome(theirs));
  const failed = ours.files[0].cases.filter((c) => !c.passed).map((c) => c.name);
  assert.deepEqual(failed, ['unknown path']);
  const transcript = (name) => ours.files[0].cases.find((c) => c.name === name).transcript.join('\n');
  assert.match(transcript('hello'), /\[log\] hi Ada/);
  assert.match(transcript('chatty'), /…\[truncated\]/);
  assert.match(transcript('chatty'), /were dropped: at most 65536 characters a message, 2097152 a call/);
  assert.ok(transcript('chatty').length < 2_300_000);
  assert.match(transcript('stdout'), /\[info\] info/);
  assert.match(transcript('silent'), /did not call callback within 10000 ms/);
  assert.match(transcript('rogue'), /not text/);
  const silent = ours.files[0].cases.find((c) => c.name === 'silent');
  assert.ok(silent.seconds >= 9.5 && silent.seconds < 20, `the 10 s kill: ${silent.seconds}`);
  // The transcripts agree line for line, but for the order of the chatty Function's dropped lines.
  for (const name of ['hello', 'response', 'twiml', 'error', 'late', 'silent', 'rogue', 'stdout', 'fetch', 'offline', 'noexport']) {
    const mine = ours.files[0].cases.find((c) => c.name === name).transcript;
    const other = theirs.files[0].cases.find((c) => c.name === name).transcript;
    assert.deepEqual(mine, other, name);
  }
});

test('runTests runs a project file with its own Functions, in-process', async () => {
  const { runTests } = await flowpen();
  const flow = JSON.parse(fs.readFileSync(path.join(contract, 'flow.json'), 'utf8'));
  const project = { flowpen: 1, flow, functions: [{ path: '/hello', code: fs.readFileSync(path.join(contract, 'hello.js'), 'utf8') }], env: { GREETING: 'from the project' } };
  const files = { 'app.flowpen.json': JSON.stringify(project) };
  const report = await runTests(
    'flow: app.flowpen.json\ntests:\n  - {name: hello, start: rest, parameters: {fn: hello}, conversation: [{flow: "200 Hello Ada from flowpen.local with from the project"}]}\n',
    { path: 'app.test.yaml', readFile: (p) => files[p] },
  );
  assert.equal(report.failed, 0, JSON.stringify(report, null, 2));
  assert.equal(report.passed, 1);
  // Functions given to runTests add to (and replace) the project's.
  const replaced = await runTests(
    'flow: app.flowpen.json\ntests:\n  - {name: hello, start: rest, parameters: {fn: hello}, conversation: [{flow: "200 replaced"}]}\n',
    { path: 'app.test.yaml', readFile: (p) => files[p], functions: { '/hello': "exports.handler = (c, e, cb) => cb(null, 'replaced');" } },
  );
  assert.equal(replaced.passed, 1, JSON.stringify(replaced.files[0].cases[0].failure));
});

test('--allow-network: real requests with fetch, only when allowed', async () => {
  const server = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(req.url === '/big' ? JSON.stringify({ pad: 'x'.repeat(70000) }) : '{"score": 12}');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  try {
    const dir = tempDir('network');
    const flow = (p) => ({
      description: 'net',
      states: [
        { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingMessage', next: 'get' }], properties: { offset: { x: 0, y: 0 } } },
        { name: 'get', type: 'make-http-request', transitions: [{ event: 'success', next: 'say' }, { event: 'failed', next: 'oops' }], properties: { method: 'GET', url: `${url}${p}`, offset: { x: 0, y: 0 } } },
        { name: 'say', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'score {{widgets.get.parsed.score}}', offset: { x: 0, y: 0 } } },
        { name: 'oops', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'failed {{widgets.get.status_code}}', offset: { x: 0, y: 0 } } },
      ],
      initial_state: 'Trigger',
      flags: { allow_concurrent_calls: true },
    });
    fs.writeFileSync(path.join(dir, 'flow.json'), JSON.stringify(flow('/score')));
    fs.writeFileSync(path.join(dir, 'big.json'), JSON.stringify(flow('/big')));
    fs.writeFileSync(path.join(dir, 'net.test.yaml'), 'flow: flow.json\ntests:\n  - name: asks the server\n    conversation:\n      - contact: hi\n      - flow: score 12\n');
    fs.writeFileSync(path.join(dir, 'big.test.yaml'), 'flow: big.json\ntests:\n  - name: too large\n    conversation:\n      - contact: hi\n      - flow: "failed*"\n');
    const off = await npxAsync(['test', 'net.test.yaml'], dir);
    assert.equal(off.code, 1);
    assert.ok(off.stdout.includes(`GET ${url}/score has no stub; add it under \`stubs:\`, or allow the network (flowpen test --allow-network)`), off.stdout);
    const on = await npxAsync(['test', '--allow-network', 'net.test.yaml', 'big.test.yaml'], dir);
    assert.equal(on.code, 0, on.stdout);
    const { run } = await flowpen();
    const r = await run(flow('/score'), { conversation: [{ contact: 'hi' }], allowNetwork: true });
    assert.equal(r.messages.at(-1).text, 'score 12');
    assert.equal(r.requests[0].by, 'network');
  } finally {
    server.close();
  }
});
