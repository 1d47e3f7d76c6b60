// Building the seed's random-number flow from an empty canvas, by mouse: drag widgets from the
// palette, connect ports by dragging, name and configure them in the inspector, fix a Liquid
// mistake the editor points out, then export and compare with the expected Studio JSON.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Editor, ROOT, withoutOffsets } from '../lib/editor.mjs';

const EXPECTED = JSON.parse(readFileSync(join(ROOT, 'tests/e2e/fixtures/random-number.expected.json'), 'utf8'));

export const tests = [
  ['builds, fixes and exports the random-number flow by mouse', async ({ page, url, shots }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await ed.newFlow();
    assert.deepEqual(await ed.cardNames(), ['Trigger']);

    // Make room: zoom out, and pan the Trigger to the top by dragging the background.
    await page.getByTestId('zoom-out').click();
    await page.getByTestId('zoom-out').click();
    const c = await ed.box(ed.canvas);
    await ed.mouseDrag({ x: c.x + 40, y: c.y + c.height - 120 }, { x: c.x + 40, y: c.y + c.height - 420 });
    const t = await ed.box(ed.card('Trigger'));
    const cx = t.x + t.width / 2 - c.x;
    const below = t.y + t.height - c.y;

    const ask1 = await ed.dragFromPalette('send-and-wait-for-reply', cx - 170, below + 60);
    const ask2 = await ed.dragFromPalette('send-and-wait-for-reply', cx + 170, below + 60);
    const fn = await ed.dragFromPalette('run-function', cx - 170, below + 240);
    const say = await ed.dragFromPalette('send-message', cx + 170, below + 240);
    assert.deepEqual([ask1, ask2, fn, say], ['send_and_reply_1', 'send_and_reply_2', 'function_1', 'send_message_1']);

    await ed.rename(ask1, 'min_value');
    await ed.fill('body', 'Hi! I pick random numbers. What is the smallest number I may pick?');
    await ed.rename(ask2, 'max_value');
    await ed.fill('body', 'And the largest?');
    await ed.rename(fn, 'get_num');
    await ed.fill('url', 'https://flowpen.local/random');
    await ed.addKeyValue('parameters', 'min', '{{widgets.min_value.inbound.Body}}');
    await ed.addKeyValue('parameters', 'max', '{{widgets.max_value.inbound.Body}}');
    await ed.rename(say, 'send_result');
    // A typo the editor catches as you type: the output tag is not closed.
    await ed.fill('body', 'Your random number is {{widgets.get_num.parsed.number}.');
    const liquidError = ed.inspector.getByTestId('liquid-error');
    await liquidError.waitFor();
    assert.match(await liquidError.innerText(), /line 1, column \d+/);
    const errorBadge = ed.card('send_result').locator('[data-testid=card-badge].error');
    await errorBadge.waitFor();
    await ed.fill('body', 'Your random number is {{widgets.get_num.parsed.number}}.');
    await liquidError.waitFor({ state: 'detached' });
    await errorBadge.waitFor({ state: 'detached' });

    await ed.connect('Trigger', 'incomingMessage', 'min_value');
    await ed.connect('min_value', 'incomingMessage', 'max_value');
    await ed.connect('max_value', 'incomingMessage', 'get_num');
    await ed.connect('get_num', 'success', 'send_result');

    // Nothing selected: the inspector shows the flow, whose description is edited there.
    await page.keyboard.press('Escape');
    await page.getByTestId('flow-description').fill('Random number generator');
    const errors = await page.getByTestId('problems').locator('.count.error').innerText();
    assert.equal(errors.trim(), '0', 'no errors left');

    const { name, text } = await ed.exportText();
    assert.equal(name, 'random-number-generator.json');
    assert.ok(text.endsWith('}\n'), 'exported as Studio does (pretty, final newline)');
    const exported = JSON.parse(text);
    assert.equal(JSON.stringify(withoutOffsets(exported), null, 2), JSON.stringify(withoutOffsets(EXPECTED), null, 2));
    for (const s of exported.states) {
      assert.ok(Number.isInteger(s.properties.offset.x) && Number.isInteger(s.properties.offset.y), `${s.name} has an offset`);
    }
    await page.getByTestId('zoom-fit').click();
    await page.screenshot({ path: join(shots, 'editor-built-by-mouse.png') });
  }],

  ['a problem in the list selects its widget', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await ed.select('get_num');
    await ed.fill('url', '');
    await page.keyboard.press('Escape');
    await page.getByTestId('problems-toggle').click();
    const problem = page.locator('[data-testid=problem][data-widget=get_num]');
    await problem.first().click();
    assert.deepEqual(await ed.selectedNames(), ['get_num']);
    assert.equal(await ed.inspector.getByTestId('inspector-name').inputValue(), 'get_num');
    assert.match(await ed.inspector.getByTestId('widget-problems').innerText(), /Function URL/);
  }],
];
