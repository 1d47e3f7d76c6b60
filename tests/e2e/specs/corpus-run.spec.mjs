// Every corpus flow runs in the browser: it starts with the trigger its Trigger connects (a message,
// a call, a REST request, a Conversations message or a subflow start) and is driven to an end (a
// reply of "1", keys, a voicemail, the outside world's first event, skipped waits) without any
// "cannot run" stop. Outside hosts are mapped to a closed loopback port, so HTTP widgets fail fast.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from '../lib/browser.mjs';
import { Editor, corpusDir, corpusFiles } from '../lib/editor.mjs';

const STARTS = ['incomingMessage', 'incomingCall', 'incomingRequest', 'incomingConversationMessage', 'incomingParent'];

/// The first Trigger event that leads somewhere (message when none does).
function start(flow) {
  const trigger = flow.states.find((s) => s.type === 'trigger');
  const connected = (trigger?.transitions ?? []).filter((t) => t.next).map((t) => t.event);
  return STARTS.find((e) => connected.includes(e)) ?? 'incomingMessage';
}

/// Opens a <details> form (whatever state an earlier flow left it in).
async function expand(page, testid) {
  await page.getByTestId(testid).evaluate((d) => { d.open = true; });
}

async function begin(page, event) {
  switch (event) {
    case 'incomingCall': return page.getByTestId('sim-call').click();
    case 'incomingRequest':
      await expand(page, 'rest-form');
      return page.getByTestId('rest-start').click();
    case 'incomingConversationMessage':
      await expand(page, 'conversation-form');
      return page.getByTestId('conversation-start').click();
    case 'incomingParent':
      await expand(page, 'subflow-form');
      return page.getByTestId('subflow-start').click();
    default: {
      const input = page.getByTestId('chat-input');
      await input.fill('hi');
      return input.press('Enter');
    }
  }
}

/// One move of the contact, the caller or the outside world; false when the execution ended.
async function drive(page) {
  const status = await page.getByTestId('sim-status').innerText().catch(() => '');
  if (/Write again/.test(status)) return false;
  if (await page.getByTestId('external').count()) {
    await page.getByTestId('external').locator('.external-events button').first().click();
  } else if (await page.getByTestId('record-input').count()) {
    await page.getByTestId('record-input').fill('Hello, please call me back.');
    await page.getByTestId('record-send').click();
  } else if (await page.getByTestId('keypad').count()) {
    await page.getByTestId('key-1').click();
    if (await page.getByTestId('keypad').count()) await page.getByTestId('sim-skip-wait').click();
  } else if (/waiting for a reply/.test(status)) {
    const input = page.getByTestId('chat-input');
    await input.fill('1');
    await input.press('Enter');
  } else {
    // A request in flight (it fails fast or times out at 10 s), or audio playing.
    await page.waitForTimeout(200);
  }
  return true;
}

export const tests = [
  ['every corpus flow starts with its trigger and runs to an end in the browser', async ({ url, shots }) => {
    const dir = corpusDir('every corpus flow runs in the browser');
    if (!dir) return;
    const browser = await launch({ args: ['--host-resolver-rules=MAP * 127.0.0.1:9, EXCLUDE 127.0.0.1'] });
    try {
      const page = browser.context.pages()[0] ?? await browser.context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e));
      const ed = new Editor(page);
      await ed.open(url);
      for (const [name, path] of corpusFiles(dir)) {
        try {
          await runOne(page, ed, name, path);
        } catch (e) {
          await page.screenshot({ path: join(shots, `FAILED-corpus-run-${name}.png`) });
          throw new Error(`${name}: ${e.message}\npage errors: ${errors.map(String).join('; ')}`);
        }
      }
      assert.equal(errors.length, 0, String(errors[0]));
    } finally {
      await browser.close();
    }
  }, { timeoutMs: 600_000 }],
];

/// Imports one corpus flow, starts it and drives it to an end.
async function runOne(page, ed, name, path) {
        const text = readFileSync(path, 'utf8');
        const event = start(JSON.parse(text));
        // A file, as a user opens one (typing 100 kB into the dialog is slow in any textarea).
        await ed.importFile(path);
        await page.waitForFunction((n) => document.querySelectorAll('[data-testid=card]').length === n, JSON.parse(text).states.length);
        await page.getByTestId('tab-simulator').click();
        // A fresh conversation for each flow.
        if (await page.getByTestId('sim-stop').isEnabled()) await page.getByTestId('sim-stop').click();
        if (await page.getByTestId('sim-clear').count()) await page.getByTestId('sim-clear').click();
        await begin(page, event);
        console.log(`    ${name}: ${event}`);
        let moves = 0;
        while (await drive(page)) {
          moves += 1;
          assert.ok(moves < 200, `${name}: still running after 200 moves`);
        }
        const lines = await page.locator('[data-testid=chat-bubble][data-from=event]').allInnerTexts();
        const last = lines[lines.length - 1] ?? '';
        assert.doesNotMatch(last, /cannot run|unsupported/i, `${name} (${event}): ${last}`);
        assert.match(last, /Execution #\d+ (ended|was stopped)/, `${name} (${event}): ${last}`);
        await page.getByTestId('tab-inspector').click();
}
