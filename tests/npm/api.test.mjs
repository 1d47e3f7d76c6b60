// The JavaScript API of the installed package: validate and format against `flowpen check --json`
// and `flowpen fmt`, run() driving executions, runTests() against `flowpen test --json`.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { flowpen, native, root, shared } from './helpers.mjs';

const examples = path.join(root, 'www/examples');
const read = (p) => fs.readFileSync(p, 'utf8');

test('validate: the same codes and positions as flowpen check --json', async (t) => {
  const { validate } = await flowpen();
  const files = ['random-number.json', 'dog-breed.json', 'retry-counter.json'].map((f) => path.join(examples, f));

  const dir = shared(t);
  if (dir) {
    const corpus = path.join(dir, 'fixtures/studio-flows');
    for (const f of fs.readdirSync(corpus).filter((f) => f.endsWith('.json')).sort()) files.push(path.join(corpus, f));
  }
  const cli = JSON.parse(native(['check', '--json', ...files]).stdout);
  const api = files.flatMap((file) => validate(read(file)).map((d) => ({ file, ...d })));
  assert.deepEqual(api, cli);
  assert.ok(api.some((d) => d.line !== null), 'some diagnostics have positions');
  // An object works too, and a text that is not a flow is one parse-error with its place.
  assert.deepEqual(validate(JSON.parse(read(files[0]))), validate(read(files[0])));
  const [bad] = validate('{\n  "states": [}');
  assert.equal(bad.code, 'parse-error');
  assert.equal(bad.severity, 'error');
  assert.deepEqual([bad.line, bad.column], [2, 14]);
});

test('format: the flow as flowpen fmt prints it', async () => {
  const { format } = await flowpen();
  for (const f of ['random-number.json', 'dog-breed.json']) {
    const file = path.join(examples, f);
    const text = read(file);
    const cli = native(['fmt', file]).stdout;
    assert.equal(format(text), cli.replace(/\n$/, ''));
    assert.equal(format(JSON.parse(text)), format(text));
  }
  assert.throws(() => format('{"states": 1}'), /states/);
});

test('run: an execution driven by inputs, with its step log and Flow Data', async () => {
  const { run } = await flowpen();
  const flow = read(path.join(examples, 'random-number.json'));
  const code = read(path.join(examples, 'functions/random.js'));
  const waiting = await run(flow, { conversation: [{ contact: 'hi' }, { contact: '3' }] });
  assert.equal(waiting.status, 'waiting');
  assert.equal(waiting.waiting.widget, 'max_value');
  assert.deepEqual(waiting.path, ['Trigger', 'min_value', 'max_value']);
  assert.deepEqual(waiting.messages.map((m) => m.widget), ['min_value', 'max_value']);
  assert.equal(waiting.flowData.widgets.min_value.inbound.Body, '3');
  assert.equal(waiting.error, null);
  // With the project's Function (run in a worker thread), to the end.
  const ended = await run(JSON.parse(flow), {
    conversation: [{ contact: 'hi' }, { contact: '7' }, { contact: '7' }],
    functions: { '/random': code },
    time: new Date('2026-01-05T17:00:00Z'),
  });
  assert.equal(ended.status, 'ended', JSON.stringify(ended, null, 2));
  assert.equal(ended.end.kind, 'no-next');
  assert.match(ended.messages.at(-1).text, /7/);
  assert.equal(ended.requests[0].by, 'function');
  assert.equal(ended.steps[0].widget, 'Trigger');
  assert.ok(ended.steps.every((s) => typeof s.widget === 'string' && 'event' in s));
  // Stubs answer instead of the Function.
  const stubbed = await run(flow, {
    conversation: [{ contact: 'hi' }, { contact: '1' }, { contact: '9' }],
    stubs: { 'https://flowpen.local/random': { status: 200, json: { number: 4 } } },
  });
  assert.match(stubbed.messages.at(-1).text, /4/);
  assert.equal(stubbed.requests[0].by, 'stub');
  // An input the execution does not take, and a request nobody answers, are reported.
  const refused = await run(flow, { conversation: [{ contact: 'hi' }, { press: '1' }] });
  assert.match(refused.error, /press: 1, but the execution does not take it/);
  const unanswered = await run(flow, { conversation: [{ contact: 'hi' }, { contact: '1' }, { contact: '2' }] });
  assert.match(unanswered.error, /has no stub, and no Function of the project serves that path/);
  // Bad options are thrown.
  await assert.rejects(run(flow, { conversation: [{ contact: 'hi' }, { flow: 'Hi' }] }), /inputs only/);
  await assert.rejects(run(flow, { start: 'sms' }), /start/);
  await assert.rejects(run('{"nope": 1}'), /not a Studio flow/);
});

test('run: a call, its speech and keys', async (t) => {
  const dir = shared(t);
  if (!dir) return;
  const { run } = await flowpen();
  const corpus = path.join(dir, 'fixtures/studio-flows');
  const ivr = fs.readdirSync(corpus).find((f) => f.startsWith('22'));
  const r = await run(read(path.join(corpus, ivr)), { start: 'call', conversation: [{ press: '1' }, 'hangup'] });
  assert.ok(r.messages.some((m) => m.type === 'say'), JSON.stringify(r.messages));
  assert.equal(r.status, 'ended');
});

test('runTests: the same results as flowpen test --json', async () => {
  const { runTests } = await flowpen();
  for (const name of ['random-number', 'dog-breed', 'retry-counter']) {
    const file = `www/examples/${name}.test.yaml`;
    const cli = JSON.parse(native(['test', '--json', '--coverage', file]).stdout);
    const api = await runTests(read(path.join(root, file)), { path: file, coverage: true, readFile: (p) => fs.readFileSync(path.join(root, p)) });
    const untimed = (v) => {
      for (const f of v.files) for (const c of f.cases) delete c.seconds;
      return v;
    };
    // Coverage is per flow file, keyed by its canonical path in the CLI; with a readFile of its
    // own, runTests keys it by the path as named.
    assert.deepEqual(untimed(api), untimed(cli));
  }
});

test('runTests: defaults, a flow given in memory, filters and errors', async () => {
  const { runTests } = await flowpen();
  // In Node the files are read from the file system by default (relative to the working folder).
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const r = await runTests(read(path.join(examples, 'random-number.test.yaml')), { path: 'www/examples/random-number.test.yaml', filter: 'quiet' });
    assert.equal(r.passed, 1);
    assert.equal(r.files[0].cases[0].name, 'the contact goes quiet');
  } finally {
    process.chdir(cwd);
  }
  const flow = JSON.parse(read(path.join(examples, 'random-number.json')));
  const inMemory = await runTests('tests:\n  - name: asks\n    conversation:\n      - contact: hi\n      - flow: "Hi!*"\n    expect: {status: waiting}\n', { flow });
  assert.equal(inMemory.files[0].error, 'flow.test.yaml: error the test file names no `flow:` (the Studio flow or project file its cases run)');
  const given = await runTests('flow: anything.json\ntests:\n  - name: asks\n    conversation:\n      - contact: hi\n      - flow: "Hi!*"\n    expect: {status: waiting}\n', { flow });
  assert.equal(given.passed, 1, JSON.stringify(given));
  const broken = await runTests('tests:\n  - name: a\n    start: sms\n', { path: 'x.test.yaml' });
  assert.equal(broken.failed, 1);
  assert.match(broken.files[0].error, /^x\.test\.yaml:3:12: error `start` is one of message/);
  const missing = await runTests('flow: nowhere.json\ntests: []\n', { path: 'x.test.yaml', readFile: () => { throw new Error('nope'); } });
  assert.equal(missing.files[0].error, 'nowhere.json: error cannot read: nope');
});
