// Calls in the browser: a real Studio IVR (corpus #22) answers an incoming call, the caller uses
// the keypad (mouse and keyboard) and hangs up mid-call; a transfer waits for the outside world,
// which answers with an event; a parent flow runs its subflow from the project's tabs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Editor, corpusDir } from '../lib/editor.mjs';
import { Simulator } from '../lib/simulator.mjs';

/// Opens a corpus flow by its number, or returns false (skipped outside CI when ../shared is missing).
async function openCorpus(page, url, prefix, test) {
  const dir = corpusDir(test);
  if (!dir) return false;
  const ed = new Editor(page);
  await ed.open(url);
  const file = readFileSync(join(dir, (await import('node:fs')).readdirSync(dir).find((f) => f.startsWith(prefix))), 'utf8');
  await ed.importText(file);
  await ed.cards().first().waitFor();
  return true;
}

async function callBubbles(page) {
  return page.locator('[data-testid=chat-bubble]').evaluateAll((els) => els.map((e) => ({
    from: e.dataset.from, kind: e.dataset.kind ?? null, widget: e.dataset.widget ?? null,
    text: (e.querySelector('.bubble-text') ?? e).innerText.trim(),
  })));
}

export const tests = [
  ['a corpus IVR answers a call; the caller presses keys on the keypad and hangs up mid-call', async ({ page, url, shots }) => {
    if (!await openCorpus(page, url, '22_', 'voice IVR')) return;
    const sim = new Simulator(page);
    await sim.open();
    await page.getByTestId('sim-call').click();
    await page.getByTestId('keypad').waitFor();
    let bubbles = await callBubbles(page);
    const say = bubbles.find((b) => b.kind === 'say');
    assert.equal(say.widget, 'gather_input');
    assert.match(say.text, /Press 1 for sales/);
    // The menu has no finish key: the keys go to the flow after its timeout, or now with Skip wait.
    await page.getByTestId('key-1').click();
    assert.match(await page.getByTestId('call-status').innerText(), /pressed so far: 1/);
    await page.getByTestId('sim-skip-wait').click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=chat-bubble][data-kind=say]')]
      .some((e) => e.dataset.widget === 'gather_1'));
    // gather_1 ends on #: the keyboard types into the focused keypad.
    await page.getByTestId('keypad').focus();
    await page.keyboard.type('2');
    assert.match(await page.getByTestId('call-status').innerText(), /gather_1 .*pressed so far: 2/);
    await page.screenshot({ path: join(shots, 'voice-keypad.png') });
    // Hang up mid-call: the execution ends because the call did.
    await page.getByTestId('sim-hangup').click();
    await sim.waitForEvent(/the caller hung up/);
    assert.equal(await page.getByTestId('keypad').count(), 0);
    bubbles = await callBubbles(page);
    assert.deepEqual(bubbles.filter((b) => b.kind === 'keys' || b.kind === 'hangup').map((b) => b.text),
      ['Pressed 1', 'Pressed 2', 'Hung up']);
    await sim.openLog();
    const steps = await sim.steps();
    assert.deepEqual(steps.map((s) => s.widget), ['Trigger', 'gather_input', 'split_key_press', 'gather_1']);
  }],

  ['six keys end a Gather that takes six digits; the flow goes on at once', async ({ page, url }) => {
    if (!await openCorpus(page, url, '22_', 'voice digits')) return;
    const sim = new Simulator(page);
    await sim.open();
    await page.getByTestId('sim-call').click();
    await page.getByTestId('keypad').focus();
    await page.keyboard.type('2');
    await page.getByTestId('sim-skip-wait').click();
    await page.getByTestId('keypad').focus();
    await page.keyboard.type('123456');
    await sim.waitForEvent(/ended/);
    // Corpus #22's split_1 tests the menu's digits, not the ticket's: it says "You typed 2".
    const bubbles = await callBubbles(page);
    assert.ok(bubbles.some((b) => b.kind === 'say' && /You typed 2/.test(b.text)), JSON.stringify(bubbles));
  }],

  ['an outside-world widget waits for one of its events, with editable variables', async ({ page, url }) => {
    const flow = {
      description: 'Transfer',
      states: [
        { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingMessage' }, { event: 'incomingCall', next: 'transfer' }, { event: 'incomingRequest' }], properties: { offset: { x: 0, y: 0 } } },
        { name: 'transfer', type: 'connect-call-to', transitions: [{ event: 'callCompleted', next: 'bye' }, { event: 'hangup' }],
          properties: { noun: 'number', to: '+15550009999', caller_id: '{{contact.channel.address}}', timeout: 30, offset: { x: 0, y: 200 } } },
        { name: 'bye', type: 'say-play', transitions: [{ event: 'audioComplete' }], properties: { say: 'Dial status {{widgets.transfer.DialCallStatus}}', offset: { x: 0, y: 400 } } },
      ],
      initial_state: 'Trigger',
      flags: { allow_concurrent_calls: true },
    };
    const ed = new Editor(page);
    await ed.open(url);
    await ed.importText(JSON.stringify(flow));
    await ed.card('transfer').waitFor();
    const sim = new Simulator(page);
    await sim.open();
    await page.getByTestId('sim-call').click();
    const ext = page.getByTestId('external');
    await ext.waitFor();
    assert.match(await ext.innerText(), /\+15550009999/);
    assert.equal(await page.getByTestId('external-callCompleted').count(), 1);
    assert.equal(await page.getByTestId('external-hangup').count(), 1);
    await ext.locator('summary').click();
    const vars = page.getByTestId('external-variables');
    const defaults = JSON.parse(await vars.inputValue());
    assert.equal(defaults.DialCallStatus, 'completed');
    await vars.fill(JSON.stringify({ ...defaults, DialCallStatus: 'no-answer' }));
    await page.getByTestId('external-send').click();
    await sim.waitForEvent(/ended/);
    const bubbles = await callBubbles(page);
    assert.ok(bubbles.some((b) => b.kind === 'say' && b.text === 'Dial status no-answer'), JSON.stringify(bubbles));
    assert.ok(bubbles.some((b) => b.kind === 'outcome' && /transfer → callCompleted/.test(b.text)));
  }],

  ['a parent flow runs its subflow from the project, and the subflow has its own tab', async ({ page, url, shots }) => {
    const dir = corpusDir('voice subflow');
    if (!dir) return;
    const files = (await import('node:fs')).readdirSync(dir);
    const child = readFileSync(join(dir, files.find((f) => f.startsWith('15_'))), 'utf8');
    const parent = {
      description: 'Parent',
      states: [
        { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingMessage', next: 'ask_questions' }, { event: 'incomingCall' }, { event: 'incomingRequest' }], properties: { offset: { x: 0, y: 0 } } },
        { name: 'ask_questions', type: 'run-subflow', transitions: [{ event: 'completed', next: 'done' }, { event: 'failed' }],
          properties: { flow_sid: 'FW50120385f4d1e8dcf30c0bcd83695969', flow_revision: 'LatestPublished', parameters: [{ key: 'name', value: 'ada' }], offset: { x: 0, y: 200 } } },
        { name: 'done', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }],
          properties: { body: 'Thanks', from: '{{flow.channel.address}}', to: '{{contact.channel.address}}', offset: { x: 0, y: 400 } } },
      ],
      initial_state: 'Trigger',
      flags: { allow_concurrent_calls: true },
    };
    const ed = new Editor(page);
    await ed.open(url);
    await ed.importText(JSON.stringify(parent));
    await ed.card('ask_questions').waitFor();
    // The menu's "Open a Studio JSON file as a subflow…" clicks this input.
    await page.getByTestId('add-subflow-input').setInputFiles({ name: 'child.json', mimeType: 'application/json', buffer: Buffer.from(child) });
    await page.getByTestId('flow-tab-0').waitFor();
    assert.equal(await page.getByTestId('flow-tab-0').getAttribute('aria-selected'), 'true');
    assert.equal(await page.getByTestId('subflow-sid').inputValue(), 'FW50120385f4d1e8dcf30c0bcd83695969', 'mapped from the Run Subflow widget');
    await ed.card('yesterday').waitFor();
    await page.screenshot({ path: join(shots, 'voice-subflow-tab.png') });
    await page.getByTestId('flow-tab-main').click();
    await ed.card('ask_questions').waitFor();
    const sim = new Simulator(page);
    await sim.open();
    await sim.say('hi');
    assert.match(await sim.waitForFlowMessage(1), /what did you do yesterday\?/);
    assert.equal((await sim.bubbles()).find((b) => b.from === 'flow').widget, 'yesterday');
  }],
];
