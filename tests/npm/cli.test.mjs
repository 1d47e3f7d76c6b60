// `npx flowpen` (the installed tarball's bin) against the native CLI: the same output, exit codes,
// --json, --junit and --coverage on the examples', the corpus flows' and the must-fail test files,
// and on check and fmt.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { native, npx, shared, tempDir } from './helpers.mjs';

/** Runs both and checks they agree exactly (output, errors, exit code). */
function same(args, env = {}) {
  const a = npx(args, undefined, env);
  const b = native(args, undefined, env);
  assert.equal(a.stdout, b.stdout, `stdout of flowpen ${args.join(' ')}`);
  assert.equal(a.stderr, b.stderr, `stderr of flowpen ${args.join(' ')}`);
  assert.equal(a.code, b.code, `exit code of flowpen ${args.join(' ')}`);
  return a;
}

test('the examples pass through npx flowpen test as through the native CLI', () => {
  const out = same(['test', 'www/examples']);
  assert.equal(out.code, 0);
  assert.match(out.stdout, /\n15 passed, 0 failed\n$/);
  same(['test', '--coverage', 'www/examples']);
  same(['test', '--filter', 'quiet', '--coverage', 'www/examples/random-number.test.yaml']);
  same(['test', '--jobs', '1', 'www/examples/retry-counter.test.yaml']);
});

test('the cases that must fail fail the same way', () => {
  const out = same(['test', 'tests/flows/failing']);
  assert.equal(out.code, 1);
  assert.match(out.stdout, /\n0 passed, 9 failed\n$/);
  assert.match(out.stdout, /FAIL {2}tests\/flows\/failing\/random-number\.test\.yaml › wrong text\n/);
});

test('the corpus flows pass the same way (shared: paths)', (t) => {
  const dir = shared(t);
  if (!dir) return;
  const out = same(['test', '--coverage', 'tests/flows/corpus']);
  assert.equal(out.code, 0);
  same(['test', 'tests/flows/corpus/22-ivr.test.yaml'], { FLOWPEN_SHARED: '/nonexistent/shared' });
});

test('--json and --junit say the same (times aside)', () => {
  const dir = tempDir('junit');
  const run = (which) => {
    const file = path.join(dir, `${which.name}.xml`);
    const out = which(['test', '--json', '--coverage', '--junit', file, 'tests/flows/failing', 'www/examples']);
    return { out, xml: fs.readFileSync(file, 'utf8') };
  };
  const a = run(npx);
  const b = run(native);
  assert.equal(a.out.code, 1);
  assert.equal(a.out.code, b.out.code);
  const untimed = (text) => {
    const v = JSON.parse(text);
    for (const f of v.files) for (const c of f.cases) delete c.seconds;
    return v;
  };
  assert.deepEqual(untimed(a.out.stdout), untimed(b.out.stdout));
  const xml = (x) => x.replace(/ time="[0-9.]+"/g, ' time=""');
  assert.equal(xml(a.xml), xml(b.xml));
  assert.match(a.xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="flowpen test" tests="24" failures="9" errors="0"/);
});

test('unreadable files and bad arguments: the same errors and exit codes', () => {
  const dir = tempDir('errors');
  fs.writeFileSync(path.join(dir, 'broken.test.yaml'), 'flow: x.json\ntests:\n  - name: a\n    start: sms\n');
  fs.writeFileSync(path.join(dir, 'noflow.test.yaml'), 'tests: []\n');
  fs.writeFileSync(path.join(dir, 'missing.test.yaml'), 'flow: nowhere.json\ntests: []\n');
  fs.writeFileSync(path.join(dir, 'big.test.yaml'), 'flow: big.json\ntests: []\n');
  fs.writeFileSync(path.join(dir, 'big.json'), Buffer.alloc(17 * 1024 * 1024, 32));
  fs.mkdirSync(path.join(dir, 'dir.json'));
  fs.writeFileSync(path.join(dir, 'isdir.test.yaml'), 'flow: dir.json\ntests: []\n');
  const a = npx(['test', '.'], dir);
  const b = native(['test', '.'], dir);
  assert.equal(a.stdout, b.stdout);
  assert.equal(a.code, 1);
  assert.match(a.stdout, /ERROR \.\/missing\.test\.yaml|nowhere\.json: error cannot read: No such file or directory \(os error 2\)/);
  assert.match(a.stdout, /big\.json: error the file has 17825792 bytes; at most 16777216 are read/);
  assert.match(a.stdout, /\n0 passed, 5 failed\n$/);
  for (const args of [['test', 'nothing-here'], ['test', '--jobs', '0'], ['test', '--junit'], ['check'], ['fmt'], ['fmt', 'a', 'b'], ['bogus'], []]) {
    const x = npx(args);
    const y = native(args);
    assert.equal(x.code, y.code, args.join(' '));
    assert.equal(x.stdout, y.stdout, args.join(' '));
    // Usage texts differ only in what each command offers (the bin has no `flowpen run`).
    assert.equal(x.stderr.split('\n')[0], y.stderr.split('\n')[0], args.join(' '));
  }
  const help = npx(['help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /flowpen test \[--json\]/);
  assert.doesNotMatch(help.stdout, /flowpen run/);
});

test('check and fmt: the same diagnostics, positions and formatting', (t) => {
  const files = ['www/examples/random-number.json', 'www/examples/dog-breed.json', 'www/examples/retry-counter.json'];
  const dir = shared(t);
  if (dir) {
    const corpus = path.join(dir, 'fixtures/studio-flows');
    for (const f of fs.readdirSync(corpus).filter((f) => f.endsWith('.json')).sort()) files.push(path.join(corpus, f));
  }
  same(['check', ...files]);
  same(['check', '--json', ...files]);
  for (const f of files.slice(0, 6)) same(['fmt', f]);
  const bad = tempDir('bad');
  fs.writeFileSync(path.join(bad, 'bad.json'), '{"states": [}');
  same(['check', path.join(bad, 'bad.json'), path.join(bad, 'none.json')]);
  same(['check', '--json', path.join(bad, 'bad.json')]);
  same(['fmt', path.join(bad, 'bad.json')]);
});
