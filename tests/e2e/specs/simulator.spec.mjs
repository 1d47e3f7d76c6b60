// The simulator end to end: the three examples run in the browser with their in-browser
// Functions; the canvas highlights the path; the log and Flow Data follow the steps; a Function
// that throws takes the fail path; skip wait, failing sends, stop and restart.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Editor } from '../lib/editor.mjs';
import { Functions, Simulator } from '../lib/simulator.mjs';

async function openExample(page, file) {
  await page.getByTestId('examples').click();
  await page.getByTestId(`example-${file}`).click();
}

/// Names of the cards with data-ATTR=true.
async function cardsWith(page, attr) {
  return page.locator(`[data-testid=card][data-${attr}=true]`).evaluateAll((els) => els.map((e) => e.dataset.name));
}

/// The transitions drawn as taken: "from:event>to".
async function takenEdges(page) {
  return page.locator('[data-testid=edge][data-taken=true]').evaluateAll((els) => els.map((e) => `${e.dataset.from}:${e.dataset.event}>${e.dataset.to}`).sort());
}

export const tests = [
  ['random number: hi, 1, 6 gets a number from 1 to 6; the path, the log and Flow Data follow', async ({ page, url, shots }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const sim = new Simulator(page);
    await page.getByTestId('run').click();
    await sim.panel.waitFor();
    // The Run button puts the cursor in the message field.
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'chat-input');
    await page.keyboard.type('hi');
    await page.keyboard.press('Enter');
    assert.equal(await sim.waitForFlowMessage(1), 'Hi! I pick random numbers. What is the smallest number I may pick?');
    // While it waits for the reply, min_value is the current widget.
    await page.locator('[data-testid=card][data-name=min_value][data-current=true]').waitFor();
    assert.deepEqual(await cardsWith(page, 'current'), ['min_value']);
    assert.match(await sim.status(), /waiting for a reply to min_value/);
    await sim.say('1');
    assert.equal(await sim.waitForFlowMessage(2), 'And the largest?');
    await sim.say('6');
    const answer = await sim.waitForFlowMessage(3);
    const m = /^Your random number is (\d+)\.$/.exec(answer);
    assert.ok(m, answer);
    const n = Number(m[1]);
    assert.ok(n >= 1 && n <= 6, `${n} is between 1 and 6`);
    await sim.waitForEvent(/Execution #1 ended: send_result has no next widget for "sent"/);

    // The canvas shows the path taken, and only that.
    assert.deepEqual(await cardsWith(page, 'current'), []);
    assert.deepEqual((await cardsWith(page, 'visited')).sort(), ['Trigger', 'get_num', 'max_value', 'min_value', 'send_result']);
    assert.deepEqual(await takenEdges(page), [
      'Trigger:incomingMessage>min_value', 'get_num:success>send_result',
      'max_value:incomingMessage>get_num', 'min_value:incomingMessage>max_value',
    ]);

    // The log lists the steps; a step selects its widget and shows Flow Data after it.
    await sim.openLog();
    assert.deepEqual(await sim.steps(), [
      { index: 0, widget: 'Trigger', event: 'incomingMessage' },
      { index: 1, widget: 'min_value', event: 'incomingMessage' },
      { index: 2, widget: 'max_value', event: 'incomingMessage' },
      { index: 3, widget: 'get_num', event: 'success' },
      { index: 4, widget: 'send_result', event: 'sent' },
    ]);
    await sim.selectStep('get_num');
    assert.deepEqual(await ed.selectedNames(), ['get_num']);
    // The log keeps its keys: Backspace on a step does not delete the selected widget.
    await page.keyboard.press('Backspace');
    assert.equal(await ed.card('get_num').count(), 1);
    assert.equal(await sim.flowDataValue('widgets.get_num.parsed.number'), String(n));
    assert.equal(await sim.flowDataValue('widgets.get_num.status_code'), '200');
    const detail = await sim.detailText();
    assert.match(detail, /POST https:\/\/flowpen\.local\/random/);
    assert.match(detail, /min=1&max=6/);
    assert.match(detail, /HTTP 200/);
    assert.match(detail, /answered by this project's Function/);
    // Before get_num ran, Flow Data has no get_num.
    await sim.selectStep('max_value');
    assert.equal(await page.locator('[data-testid=flow-data] li[data-path="widgets.get_num"]').count(), 0);
    await sim.selectStep('get_num');
    await page.screenshot({ path: join(shots, 'simulator-random-number.png') });
  }],

  ['a Function that throws makes Run Function follow fail, with the error in the log', async ({ page, url, shots }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const fns = new Functions(page);
    await fns.open();
    await fns.select('/random');
    await fns.setCode("exports.handler = function(context, event, callback) {\n  console.log('rolling', event.min, event.max);\n  throw new Error('the dice fell off the table');\n};\n");
    const sim = new Simulator(page);
    await sim.open();
    await sim.say('hi');
    await sim.waitForFlowMessage(1);
    await sim.say('1');
    await sim.waitForFlowMessage(2);
    await sim.say('6');
    const answer = await sim.waitForFlowMessage(3);
    assert.match(answer, /^Sorry, I could not pick a number \(500\): .*the dice fell off the table/);
    const bubbles = await sim.bubbles();
    assert.equal(bubbles[bubbles.length - 2].widget, 'send_error');
    assert.deepEqual((await cardsWith(page, 'visited')).sort(), ['Trigger', 'get_num', 'max_value', 'min_value', 'send_error']);
    assert.ok((await takenEdges(page)).includes('get_num:fail>send_error'));
    await sim.openLog();
    assert.equal((await sim.steps())[3].event, 'fail');
    await sim.selectStep('get_num');
    const detail = await sim.detailText();
    assert.match(detail, /HTTP 500/);
    assert.match(await page.getByTestId('function-logs').innerText(), /rolling 1 6/);
    assert.equal(await sim.flowDataValue('widgets.get_num.status_code'), '500');
    await page.screenshot({ path: join(shots, 'simulator-fail-path.png') });
  }],

  ['dog breed: a picture for a known breed (offline), an apology for an unknown one', async ({ page, url, shots }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await openExample(page, 'dog-breed.json');
    await ed.card('get-doge-image').waitFor();
    const sim = new Simulator(page);
    await sim.open();
    await sim.say('dogs please');
    assert.equal(await sim.waitForFlowMessage(1), 'Which dog breed would you like to see?');
    await sim.say('Golden Retriever');
    assert.equal(await sim.waitForFlowMessage(2), "Here's an image of a Golden Retriever! 🐶");
    const img = page.locator('[data-testid=chat-media] img').last();
    await img.waitFor();
    assert.match(await img.getAttribute('src'), /^data:image\/svg\+xml,/);
    // The picture is drawn (a data: URL needs no network).
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=chat-media] img')].every((i) => i.complete && i.naturalWidth > 0));
    await sim.waitForEvent(/Execution #1 ended: send-doge-image has no next widget for "sent"/);

    // Another conversation: an unknown breed gets the quickstart's apology, without a picture.
    await sim.say('show me a dog');
    await sim.waitForFlowMessage(3);
    await sim.say('unicorn');
    assert.equal(await sim.waitForFlowMessage(4), "Sorry, we couldn't find any unicorns 🥲");
    assert.equal(await page.locator('[data-testid=chat-media]').count(), 1, 'no media for the apology');
    await sim.openLog();
    await sim.selectStep('get-doge-image');
    assert.match(await sim.flowDataValue('widgets.get-doge-image.parsed.text'), /couldn't find any unicorns/);
    assert.match(await page.getByTestId('function-logs').innerText(), /No picture of "unicorn"/);
    await page.screenshot({ path: join(shots, 'simulator-dog-breed.png') });
  }],

  ['retry counter: a REST request starts it, the Function fails twice and then succeeds', async ({ page, url, shots }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await openExample(page, 'retry-counter.json');
    await ed.card('check_count').waitFor();
    const sim = new Simulator(page);
    await sim.open();
    await page.getByTestId('rest-form').locator('summary').click();
    await page.getByTestId('rest-parameters').fill('{"order": "A-17"');
    await page.getByTestId('rest-error').waitFor();
    assert.equal(await page.getByTestId('rest-start').isDisabled(), true);
    await page.getByTestId('rest-parameters').fill('{"order": "A-17"}');
    await page.getByTestId('rest-start').click();
    assert.equal(await sim.waitForFlowMessage(1), 'Done after 3 attempt(s): order placed on attempt 3');
    await sim.waitForEvent(/started by a REST API request \(From \+15559870000, To \+15551230000\)/);
    await sim.openLog();
    const steps = await sim.steps();
    assert.deepEqual(steps.map((s) => `${s.widget}:${s.event}`), [
      'Trigger:incomingRequest',
      'call_api:fail', 'set_count:next', 'check_count:noMatch',
      'call_api:fail', 'set_count:next', 'check_count:noMatch',
      'call_api:success', 'send_success:sent',
    ]);
    assert.deepEqual(await takenEdges(page), [
      'Trigger:incomingRequest>call_api', 'call_api:fail>set_count', 'call_api:success>send_success',
      'check_count:noMatch>call_api', 'set_count:next>check_count',
    ]);
    assert.equal(await page.locator('[data-testid=card][data-name=send_failure][data-visited=true]').count(), 0);
    // The split shows what it compared; Flow Data has the REST parameters and the counter.
    await sim.selectStep('check_count', 1);
    assert.match(await page.getByTestId('split-comparisons').innerText(), /equal_to[\s\S]*"3"[\s\S]*no match/);
    assert.equal(await sim.flowDataValue('flow.variables.count'), '2');
    assert.equal(await sim.flowDataValue('flow.data.order'), '"A-17"');
    await sim.selectStep('call_api', 1);
    assert.match(await page.getByTestId('function-logs').innerText(), /attempt 2: the service is still down/);
    await page.screenshot({ path: join(shots, 'simulator-retry-counter.png') });
  }],

  ['skip wait fires the reply timeout; the next message can fail; restart and stop', async ({ page, url, shots }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const sim = new Simulator(page);
    await sim.open();
    await sim.say('hi');
    await sim.waitForFlowMessage(1);
    await page.getByTestId('sim-skip-wait').click();
    await sim.waitForEvent(/Execution #1 ended: min_value has no next widget for "timeout"/);
    await sim.openLog();
    assert.deepEqual((await sim.steps()).map((s) => s.event), ['incomingMessage', 'timeout']);
    // The step says an hour passed (Studio's default timeout), not the second it took.
    assert.match(await sim.step('min_value').innerText(), /\+1 h 0 min/);

    await page.getByTestId('sim-fail-next').check();
    await sim.say('hello again');
    await sim.waitForEvent(/Execution #2 ended: min_value has no next widget for "deliveryFailure"/);
    assert.equal(await page.locator('.bubble.flow.failed').count(), 1);
    assert.equal(await page.getByTestId('sim-fail-next').isChecked(), false, 'only the next message fails');

    await page.getByTestId('sim-restart').click();
    await sim.waitForEvent(/Execution #3 restarted with the same trigger/);
    await sim.waitForFlowMessage(3);
    await page.locator('[data-testid=card][data-name=min_value][data-current=true]').waitFor();
    await page.getByTestId('sim-stop').click();
    await sim.waitForEvent(/Execution #3 was stopped/);
    assert.deepEqual(await cardsWith(page, 'current'), []);
    const options = await page.getByTestId('execution-select').locator('option').allInnerTexts();
    assert.equal(options.length, 3);
    assert.match(options[0], /#3 .* stopped/);
    // The older executions stay in the list; choosing one shows its log.
    await page.getByTestId('execution-select').selectOption('1');
    assert.deepEqual((await sim.steps()).map((s) => s.event), ['incomingMessage', 'timeout']);
    await page.screenshot({ path: join(shots, 'simulator-executions.png') });
  }],

  ['text from Functions and responses is shown as text, never as HTML', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const fns = new Functions(page);
    await fns.open();
    await fns.select('/random');
    await fns.setCode(`exports.handler = (context, event, callback) => {
  console.log('<b>logged</b><img src=x onerror="window.__pwned=1">');
  callback(null, { number: '<img src=x onerror="window.__pwned=2"><i>six</i>' });
};`);
    const sim = new Simulator(page);
    await sim.open();
    await sim.say('<b>hi</b>');
    await sim.waitForFlowMessage(1);
    await sim.say('1');
    await sim.waitForFlowMessage(2);
    await sim.say('6');
    assert.equal(await sim.waitForFlowMessage(3), 'Your random number is <img src=x onerror="window.__pwned=2"><i>six</i>.');
    await sim.openLog();
    await sim.selectStep('get_num');
    assert.match(await page.getByTestId('function-logs').innerText(), /<b>logged<\/b>/);
    assert.equal(await page.locator('[data-testid=chat] b, [data-testid=chat] i, [data-testid=run-log] b, [data-testid=run-log] i, [data-testid=run-log] img').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  }],
];
