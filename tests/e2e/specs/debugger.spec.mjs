// The debugger in Chromium, by mouse and by keyboard: rewind an execution to a step and answer
// differently (the abandoned one stays listed), Run from here with edited Flow Data, breakpoints
// from the card's gutter and the B key that pause the execution (Flow Data edited while paused,
// Step with F10, Continue), the widget's menu by right-click and by Shift+F10, and a stubbed Run
// Function answered without its Function.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Editor } from '../lib/editor.mjs';
import { Simulator } from '../lib/simulator.mjs';

/// Runs the random number example with `min` and `max` and waits for its answer.
async function pick(sim, min, max, messages) {
  await sim.say('hi');
  await sim.waitForFlowMessage(messages + 1);
  await sim.say(String(min));
  await sim.waitForFlowMessage(messages + 2);
  await sim.say(String(max));
}

/// Waits until the card `name` has attribute `attr` = `value` (a render follows each key and click).
async function waitCard(page, name, attr, value) {
  await page.waitForFunction(([n, a, v]) => document.querySelector(`[data-testid=card][data-name="${n}"]`)?.getAttribute(a) === v,
    [name, attr, value]);
}

/// The values of the execution list, newest first.
async function executions(page) {
  return page.getByTestId('execution-select').locator('option').evaluateAll((os) => os.map((o) => o.innerText));
}

/// Replaces `"variables": {}` … in the Flow Data editor: sets widgets.get_num.parsed.number.
async function setNumber(page, n) {
  const box = page.getByTestId('flow-data-text');
  const data = JSON.parse(await box.inputValue());
  data.widgets ??= {};
  data.widgets.get_num = { ...(data.widgets.get_num ?? {}), parsed: { number: n } };
  await box.fill(JSON.stringify(data, null, 2));
}

export const tests = [
  ['rewind to a step and answer differently: the rewound execution goes on, the old one stays listed', async ({ page, url, shots }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const sim = new Simulator(page);
    await sim.open();
    await pick(sim, 3, 3, 0);
    assert.equal(await sim.waitForFlowMessage(3), 'Your random number is 3.');
    await sim.openLog();
    // Rewind to the step where min_value got its reply: the flow waits for max_value again.
    await sim.selectStep('min_value');
    await page.getByTestId('rewind').click();
    await page.waitForFunction(() => /rewound from #1 at step 1/.test(document.querySelector('[data-testid=run-summary]')?.innerText ?? ''));
    assert.match(await sim.status(), /#2: waiting for a reply to max_value/);
    assert.deepEqual((await sim.steps()).map((s) => s.widget), ['Trigger', 'min_value']);
    await sim.say('3');
    await page.waitForFunction(() => /#2 ·.*ended/.test(document.querySelector('[data-testid=run-summary]')?.innerText ?? ''));
    assert.deepEqual((await sim.steps()).map((s) => s.widget), ['Trigger', 'min_value', 'max_value', 'get_num', 'send_result']);
    // The flow used the replayed min (3) and the new max (3).
    assert.equal((await sim.flowTexts()).at(-1), 'Your random number is 3.');
    const list = await executions(page);
    assert.equal(list.length, 2);
    assert.match(list[0], /#2 .*rewound from #1 at step 1/);
    assert.match(list[1], /#1 /);
    await page.screenshot({ path: join(shots, 'debugger-rewind.png') });
    // The abandoned execution is still there, as it was.
    await page.getByTestId('execution-select').selectOption({ index: 1 });
    assert.equal((await sim.steps()).length, 5);
  }],

  ['run from here: the keyboard opens it on a widget, Flow Data is edited, the log marks a mid-flow start', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await ed.card('send_result').focus();
    await page.keyboard.press('r');
    await page.getByTestId('run-from-here').waitFor();
    assert.match(await page.getByTestId('run-from-here-source').innerText(), /No execution reached this widget yet/);
    // Not an object: said, and Run is off.
    await page.getByTestId('flow-data-text').fill('[1, 2]');
    assert.match(await page.getByTestId('flow-data-error').innerText(), /must be a JSON object/);
    assert.equal(await page.getByTestId('run-from-here-start').isDisabled(), true);
    await page.getByTestId('flow-data-text').fill('{"widgets": {"get_num": {"parsed": {"number": 42}}}}');
    await page.keyboard.press('Control+Enter');
    const sim = new Simulator(page);
    assert.equal(await sim.waitForFlowMessage(1), 'Your random number is 42.');
    await sim.openLog();
    const steps = await sim.steps();
    assert.deepEqual(steps.map((s) => s.widget), ['send_result', 'send_result']);
    assert.match(await page.getByTestId('run-summary').innerText(), /run from send_result/);
    await sim.selectStep('send_result');
    assert.match(await page.getByTestId('step-outcome').innerText(), /mid-flow|started/i);
  }],

  ['breakpoints from the gutter and the B key pause the execution; Flow Data edited while paused, Step (F10) and Continue', async ({ page, url, shots }) => {
    const ed = new Editor(page);
    await ed.open(url);
    // get_num by the gutter (mouse), send_result by B on the focused card (keyboard).
    await ed.card('get_num').hover();
    await ed.card('get_num').getByTestId('card-breakpoint').click();
    await waitCard(page, 'get_num', 'data-breakpoint-set', 'true');
    await ed.card('send_result').focus();
    await page.keyboard.press('b');
    await waitCard(page, 'send_result', 'data-breakpoint-set', 'true');
    // A card keeps its breakpoint mark while it is dragged (then Undo puts it back).
    const box = await ed.card('send_result').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + 14);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 40, box.y + 54, { steps: 4 });
    await page.waitForFunction(() => document.querySelector('.cards.dragged [data-testid=card][data-name="send_result"]')?.getAttribute('data-breakpoint-set') === 'true');
    await page.mouse.up();
    await page.keyboard.press('Control+z');
    // The same keys again would clear them; the inspector's toggle shows the state.
    await ed.select('get_num');
    assert.equal(await page.getByTestId('inspector-breakpoint').getAttribute('aria-pressed'), 'true');
    const sim = new Simulator(page);
    await sim.open();
    await pick(sim, 5, 5, 0);
    const bar = page.getByTestId('simulator').getByTestId('paused-bar');
    await bar.waitFor();
    assert.equal(await bar.getAttribute('data-widget'), 'get_num');
    await waitCard(page, 'get_num', 'data-paused', 'true');
    assert.match(await sim.status(), /paused at the breakpoint before get_num/);
    await page.screenshot({ path: join(shots, 'debugger-paused.png') });
    // Continue: the Function answers, then the second breakpoint.
    await bar.getByTestId('debug-continue').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=simulator] [data-testid=paused-bar]')?.dataset.widget === 'send_result');
    // Edit Flow Data: the number the message shows.
    await page.getByTestId('simulator').getByTestId('debug-edit-flow-data').click();
    await page.getByTestId('edit-flow-data').waitFor();
    await setNumber(page, 99);
    await page.getByTestId('edit-flow-data-save').click();
    await page.getByTestId('edit-flow-data').waitFor({ state: 'detached' });
    // Step with F10: send_result runs, and the execution ends (nothing after it).
    await page.keyboard.press('F10');
    assert.equal(await sim.waitForFlowMessage(3), 'Your random number is 99.');
    await sim.openLog();
    const widgets = (await sim.steps()).map((s) => s.widget);
    assert.ok(widgets.includes('send_result'), widgets.join());
    assert.ok((await sim.steps()).some((s) => s.event === '' && s.widget === 'send_result'), 'the Flow Data edit is a step');
  }],

  ['the widget menu opens by right-click and by Shift+F10; arrows and Enter act, Escape gives the focus back', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await ed.card('get_num').click({ button: 'right' });
    const menu = page.getByTestId('card-menu');
    await menu.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'card-menu-run');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'detached' });
    await waitCard(page, 'get_num', 'data-breakpoint-set', 'true');
    // The keyboard's way: Shift+F10 on the focused card, Escape back to it.
    await ed.card('max_value').focus();
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.name), 'max_value');
    // And "Run from here…" from the menu opens the dialog for that widget.
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('run-from-here').waitFor();
    assert.match(await page.getByTestId('run-from-here').innerText(), /Run from here: max_value/);
  }],

  ['a stubbed Run Function answers with its stub (the log says so); the real call again when switched back', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await ed.select('get_num');
    await page.getByTestId('stub-on').check();
    await page.getByTestId('stub-body').fill('{"number": 7}');
    await page.getByTestId('stub-status').fill('20');
    assert.match(await page.getByTestId('stub-status-error').innerText(), /from 100 to 999/);
    await page.getByTestId('stub-status').fill('200');
    await ed.card('get_num').getByTestId('card-stub').waitFor();
    const sim = new Simulator(page);
    await sim.open();
    await pick(sim, 1, 3, 0);
    assert.equal(await sim.waitForFlowMessage(3), 'Your random number is 7.');
    await sim.openLog();
    await sim.selectStep('get_num');
    assert.match(await sim.detailText(), /answered by the widget's stub in the simulator/);
    // Back to the real call: the project's Function answers 1 (min = max = 1).
    await ed.select('get_num');
    await page.getByTestId('tab-inspector').click();
    await page.getByTestId('stub-real').check();
    await ed.card('get_num').getByTestId('card-stub').waitFor({ state: 'detached' });
    await sim.open();
    await pick(sim, 1, 1, 3);
    assert.equal(await sim.waitForFlowMessage(6), 'Your random number is 1.');
  }],
];
