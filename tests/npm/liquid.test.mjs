// The Liquid API of the installed package against the native crate's golden cases: every
// golden-liquid case (standard mode, with partials) gives the result the native suite accepts
// (its expected failures aside), every Studio case gives its output or its error with the same
// kind, line and column; contexts are plain objects, never changed.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { flowpen, root, shared } from './helpers.mjs';

const NOW_MS = 1_700_000_000_000;
const crate = path.join(root, 'crates/flowpen-liquid/tests');

test('golden-liquid: the cases the native crate passes pass through the JS API', async (t) => {
  const dir = shared(t);
  if (!dir) return;
  const { Liquid } = await flowpen();
  const suite = JSON.parse(fs.readFileSync(path.join(dir, 'fixtures/golden-liquid/golden_liquid.json'), 'utf8'));
  const expectedFailures = new Set(
    fs
      .readFileSync(path.join(crate, 'golden_expected_failures.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(' :: ')[0].trim()),
  );
  const problems = [];
  let passed = 0;
  for (const c of suite.tests) {
    if (expectedFailures.has(c.name)) continue;
    const liquid = new Liquid({ studio: false, partials: c.templates });
    const data = c.data ?? {};
    const before = JSON.stringify(data);
    let got;
    try {
      got = { out: liquid.render(c.template, data, { now: NOW_MS }) };
    } catch (e) {
      got = { error: e };
    }
    assert.equal(JSON.stringify(data), before, `${c.name}: the context was changed`);
    if (c.invalid) {
      if (!got.error) problems.push(`${c.name}: expected an error, got ${JSON.stringify(got.out)}`);
      else if (got.error.name !== 'LiquidError') problems.push(`${c.name}: ${got.error}`);
    } else {
      const expected = [c.result, ...(c.results ?? [])].filter((r) => typeof r === 'string');
      if (got.error) problems.push(`${c.name}: ${got.error.message}`);
      else if (!expected.includes(got.out)) problems.push(`${c.name}: expected ${JSON.stringify(expected[0])}, got ${JSON.stringify(got.out)}`);
    }
    passed += 1;
  }
  assert.deepEqual(problems, []);
  assert.ok(passed > 1000, `${passed} cases`);
});

test('Studio cases: the same output, or the same error at the same place', async () => {
  const { Liquid, LiquidError } = await flowpen();
  const { cases } = JSON.parse(fs.readFileSync(path.join(crate, 'studio_cases.json'), 'utf8'));
  const kinds = { Syntax: 'syntax', Render: 'render', OutputTooLarge: 'output-too-large' };
  const problems = [];
  let n = 0;
  for (const c of cases) {
    // The JS API has Studio's and standard mode, not the crate's other caps.
    if (c.config && (c.config.loop_limit !== undefined || c.config.output_limit !== undefined)) continue;
    const liquid = new Liquid({ studio: c.config?.mode !== 'standard' });
    const now = c.now_ms ?? 1_704_220_200_000;
    let got;
    try {
      got = { out: liquid.render(c.template, c.context ?? {}, { now: new Date(now) }) };
    } catch (e) {
      got = { error: e };
    }
    n += 1;
    if (typeof c.expected === 'string') {
      if (got.out !== c.expected) problems.push(`${c.name}: expected ${JSON.stringify(c.expected)}, got ${got.error ? got.error.message : JSON.stringify(got.out)}`);
    } else {
      const e = got.error;
      const ok = e instanceof LiquidError && e.kind === kinds[c.error.kind] && e.reason.includes(c.error.message ?? '') && e.line === c.error.line && e.column === c.error.column;
      if (!ok) problems.push(`${c.name}: expected error ${JSON.stringify(c.error)}, got ${e ? `${e.kind} ${e.line}:${e.column} ${e.message}` : JSON.stringify(got.out)}`);
      if (c.error.kind === 'Syntax' && !liquid.check(c.template)) problems.push(`${c.name}: check() found no error`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(n > 80, `${n} cases`);
});

test('render: context objects, the clock, reads, errors', async () => {
  const { Liquid, LiquidError } = await flowpen();
  const liquid = new Liquid({ studio: true });
  const context = {
    flow: { data: { first_name: 'Ada', big: 'x'.repeat(100000) } },
    widgets: { menu: { parsed: { items: [{ name: 'tea', price: 2, secret: { x: 1 } }, { name: 'cake', price: 3 }] } } },
    when: new Date(Date.UTC(2024, 0, 2, 18, 30)),
  };
  const frozen = JSON.stringify(context);
  assert.equal(liquid.render('Hi {{ flow.data.first_name }}', context), 'Hi Ada');
  assert.equal(liquid.render('{{ widgets.menu.parsed.items[1].name }} {{ widgets.menu.parsed.items.size }} {{ widgets.menu.parsed.items.first.price }}', context), 'cake 2 2');
  assert.equal(liquid.render('{% for i in widgets.menu.parsed.items %}{{ i.name }}{% endfor %}', context), 'teacake');
  assert.equal(liquid.render("{{ 'now' | date: '%Y-%m-%d %H:%M' }}", {}, { now: Date.UTC(2024, 0, 2, 18, 30) }), '2024-01-02 10:30');
  assert.equal(liquid.render("{{ 'now' | date: '%Y' }}", {}, { now: new Date(Date.UTC(2031, 5, 1)) }), '2031');
  assert.equal(liquid.render('{{ when }}', context), '2024-01-02T18:30:00.000Z');
  assert.equal(JSON.stringify(context), frozen, 'the context is never changed');
  assert.deepEqual(liquid.reads('{{ widgets.menu.parsed.items[i].name }} {{ flow.data }}'), [
    ['flow', 'data'],
    ['i'],
    ['widgets', 'menu', 'parsed', 'items', null, 'name'],
  ]);
  assert.equal(liquid.reads('{{ [name] }}'), true);
  assert.equal(liquid.check('{{ ok }}'), null);
  const e = liquid.check('Hi {{ name');
  assert.ok(e instanceof LiquidError);
  assert.equal(e.kind, 'syntax');
  assert.deepEqual([e.line, e.column], [1, 4]);
  assert.throws(() => liquid.render('{% for %}', {}), (x) => x instanceof LiquidError && x.kind === 'syntax');
  assert.throws(() => liquid.render('{{ x | nosuchfilter }}', {}), /unknown filter/);
  // Studio's caps: a huge loop stops at 15, a huge output is an error.
  assert.equal(liquid.render('{% for i in (1..100000000) %}x{% endfor %}', {}).length, 15);
  assert.throws(() => liquid.render('{{ flow.data.big }}', context), (x) => x.kind === 'output-too-large');
  // Standard mode has no caps and Ruby's printing.
  assert.equal(new Liquid({ studio: false }).render('{{ a }}', { a: { k: 1 } }), '{"k" => 1}');
  assert.equal(liquid.render('{{ a }}', { a: { k: 1 } }), '{k=1}');
  // Partials.
  const withPartials = new Liquid({ studio: false, partials: { p: 'Hello {{ who.name }}' } });
  assert.equal(withPartials.render("{% include 'p' %}!", { who: { name: 'Ada', other: 1 } }), 'Hello Ada!');
  // Odd keys and values: __proto__ as a key, undefined, functions, nested arrays.
  const odd = JSON.parse('{"__proto__": {"x": "proto"}, "a": [[1, 2], [3]]}');
  odd.u = undefined;
  odd.f = () => 1;
  assert.equal(liquid.render('{{ __proto__.x }} {{ a[1][0] }} {{ a.first.last }} [{{ u }}{{ f }}]', odd), 'proto 3 2 []');
  assert.throws(() => liquid.render('{{ a }}', { a: 10n }), /JSON/);
});

test('many templates: the prepared templates start over together with the wrapper plans', async () => {
  const { Liquid } = await flowpen();
  const liquid = new Liquid({ studio: true });
  const context = { flow: { data: { n: 7 } } };
  // More than the 1,000 each side keeps, then earlier ones again: each renders as itself.
  for (let i = 0; i < 2_100; i++) {
    assert.equal(liquid.render(`${i}:{{ flow.data.n | plus: ${i} }}`, context), `${i}:${7 + i}`);
  }
  for (const i of [0, 999, 1000, 1001, 2099]) {
    assert.equal(liquid.render(`${i}:{{ flow.data.n | plus: ${i} }}`, context), `${i}:${7 + i}`);
  }
});
