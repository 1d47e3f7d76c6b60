// Files: open every corpus flow (file picker), a dropped file, pasted JSON and the examples;
// a broken file shows where it is broken and keeps the current flow; Copy JSON copies the flow;
// text from flows is never HTML.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Editor, corpusDir, corpusFiles } from '../lib/editor.mjs';

/// Transitions that lead to an existing widget (the curves the canvas draws).
function drawnEdges(flow) {
  const names = new Set(flow.states.map((s) => s.name));
  return flow.states.flatMap((s) => s.transitions ?? []).filter((t) => t.next && names.has(t.next)).length;
}

const SCREENSHOTS = { '26_': 'corpus-26-fit.png', '08_': 'corpus-08.png', '02_': 'corpus-02.png' };

export const tests = [
  ['opens every corpus flow and draws a card per widget and a curve per transition', async ({ page, url, shots }) => {
    const dir = corpusDir('opens every corpus flow');
    if (!dir) return;
    const ed = new Editor(page);
    await ed.open(url);
    const files = corpusFiles(dir);
    assert.equal(files.length, 39);
    for (const [name, path] of files) {
      const flow = JSON.parse(readFileSync(path, 'utf8'));
      await ed.importFile(path);
      await page.waitForFunction((n) => document.querySelector('[data-testid=notice]')?.innerText.includes(n), name);
      const notice = await ed.notice();
      assert.equal(notice.level, 'info', `${name}: ${notice.text}`);
      assert.equal(await ed.cards().count(), flow.states.length, name);
      assert.equal(await page.locator('[data-testid=edge]').count(), drawnEdges(flow), name);
      const shot = Object.entries(SCREENSHOTS).find(([prefix]) => name.startsWith(prefix));
      if (shot) {
        await page.getByTestId('notice').getByRole('button', { name: 'Dismiss' }).click();
        await page.getByTestId('problems-toggle').click();
        await page.getByTestId('zoom-fit').click();
        await page.screenshot({ path: join(shots, shot[1]) });
        if (name.startsWith('26_')) {
          // The same flow at 100%, around the first widget after the Trigger (found with Ctrl+K).
          await page.getByTestId('zoom-level').click();
          await page.keyboard.press('Control+K');
          await page.keyboard.type('ask_language_sms_english');
          await page.keyboard.press('Enter');
          await page.waitForFunction(() => document.activeElement?.dataset.name === 'ask_language_sms_english');
          await page.screenshot({ path: join(shots, 'corpus-26-at-100.png') });
        }
        await page.getByTestId('problems-toggle').click();
      }
    }
  }],

  ['a broken file shows line and column and keeps the current flow', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const names = await ed.cardNames();
    await ed.importText('{\n  "description": "x",\n  "states": [\n    { "name": "a" "type": "trigger" }\n  ]\n}');
    const notice = await ed.notice();
    assert.equal(notice.level, 'error');
    assert.match(notice.text, /line 4, column 19/);
    assert.match(notice.text, /current flow was kept/);
    assert.deepEqual(await ed.cardNames(), names);
    await page.getByTestId('import-dialog').waitFor();
    // JSON that is not a flow is refused too, with the place that is wrong.
    await page.getByTestId('import-text').fill('{"states": [{"name": 7, "type": "trigger"}]}');
    await page.getByTestId('import-open').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.innerText.includes('states[0].name'));
    assert.deepEqual(await ed.cardNames(), names);
    // And a file that is not JSON at all.
    await page.keyboard.press('Escape');
    await page.getByTestId('import-file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.innerText.includes('notes.json'));
    assert.equal((await ed.notice()).level, 'error');
    assert.deepEqual(await ed.cardNames(), names);
  }],

  ['a file dropped on the page, pasted JSON and the examples open', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const dog = readFileSync(new URL('../../../www/examples/dog-breed.json', import.meta.url), 'utf8');
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      const target = document.querySelector('[data-testid=inspector]');
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, dog);
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.innerText.includes('dropped.json'));
    assert.equal(await ed.cards().count(), JSON.parse(dog).states.length);

    await ed.importText(readFileSync(new URL('../../../www/examples/retry-counter.json', import.meta.url), 'utf8'));
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
    await ed.card('check_count').waitFor();
    assert.equal(await ed.cards().count(), 6);

    await page.getByTestId('examples').click();
    await page.getByTestId('example-random-number.json').click();
    await ed.card('get_num').waitFor();
    assert.equal(await ed.cards().count(), 6);
  }],

  ['Copy JSON puts the whole flow on the clipboard', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await page.evaluate(() => {
      document.addEventListener('copy', (e) => { window.__copied = e.clipboardData.getData('text/plain'); });
    });
    await page.getByTestId('copy-json').click();
    const copied = await page.evaluate(() => window.__copied);
    const { text } = await ed.exportText();
    assert.equal(copied, text);
  }],

  ['text from a flow is shown as text, never as HTML', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    const flow = {
      description: evil,
      states: [
        { name: 'Trigger', type: 'trigger', transitions: [{ next: 'x<b>', event: 'incomingMessage' }], properties: { offset: { x: 0, y: 0 } } },
        { name: 'x<b>', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }],
          properties: { offset: { x: 0, y: 200 }, body: evil, from: 'a', to: 'b' } },
        { name: 'odd', type: 'say-play', transitions: [{ event: '<i>audioComplete</i>' }], properties: { offset: { x: 300, y: 200 }, say: evil } },
      ],
      initial_state: 'Trigger',
      flags: { allow_concurrent_calls: true },
    };
    await ed.importText(JSON.stringify(flow));
    await ed.cards().nth(2).waitFor();
    assert.equal(await page.locator('[data-testid=canvas] img, [data-testid=canvas] b, [data-testid=canvas] i').count(), 0);
    assert.match(await ed.cards().nth(1).innerText(), /<img src=x/);
    await ed.cards().nth(1).locator('.card-name').click();
    assert.equal(await page.locator('[data-testid=inspector] img, [data-testid=inspector] b').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  }],
];
