// Editing on the canvas: multi-select (shift-click, rubber band), copy/cut/paste as Studio JSON,
// duplicate, select all, removing a transition, connecting to a new widget from empty canvas,
// split conditions, raw JSON, zoom and pan.
import assert from 'node:assert/strict';
import { Editor } from '../lib/editor.mjs';

/// Fires a clipboard event on the document the way the browser does for Ctrl+C/X/V, and returns
/// what the app put on the clipboard.
const clipboard = (page, type, text = '') => page.evaluate(([type, text]) => {
  const data = new DataTransfer();
  if (text) data.setData('text/plain', text);
  document.dispatchEvent(new ClipboardEvent(type, { clipboardData: data, bubbles: true, cancelable: true }));
  return data.getData('text/plain');
}, [type, text]);

export const tests = [
  ['shift-click and rubber band select; copy, paste, cut and duplicate as Studio JSON', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await ed.card('min_value').locator('.card-name').click();
    await ed.card('max_value').locator('.card-name').click({ modifiers: ['Shift'] });
    assert.deepEqual(await ed.selectedNames(), ['min_value', 'max_value']);
    await page.getByTestId('multi-panel').waitFor();

    const copied = JSON.parse(await clipboard(page, 'copy'));
    assert.deepEqual(copied.states.map((s) => s.name), ['min_value', 'max_value']);
    await clipboard(page, 'paste', JSON.stringify(copied));
    await ed.card('Copy_of_min_value').waitFor();
    assert.deepEqual(await ed.selectedNames(), ['Copy_of_min_value', 'Copy_of_max_value']);
    assert.equal(await ed.edge('Copy_of_min_value', 'incomingMessage').getAttribute('data-to'), 'Copy_of_max_value',
      'links between pasted widgets follow the new names');

    const cut = JSON.parse(await clipboard(page, 'cut'));
    assert.deepEqual(cut.states.map((s) => s.name), ['Copy_of_min_value', 'Copy_of_max_value']);
    await ed.card('Copy_of_min_value').waitFor({ state: 'detached' });

    // Rubber band (Shift + drag on the background) around the two Send Messages.
    const a = await ed.box(ed.card('send_result'));
    const b = await ed.box(ed.card('send_error'));
    await page.keyboard.down('Shift');
    await ed.mouseDrag({ x: a.x - 12, y: Math.min(a.y, b.y) - 12 }, { x: b.x + b.width + 8, y: Math.max(a.y + a.height, b.y + b.height) + 8 });
    await page.keyboard.up('Shift');
    assert.deepEqual(await ed.selectedNames(), ['send_result', 'send_error']);
    await page.keyboard.press('Control+D');
    await ed.card('Copy_of_send_error').waitFor();
    assert.equal(await ed.cards().count(), 8);

    // Select all, then Delete: everything but the Trigger goes (and comes back with undo).
    await page.keyboard.press('Control+A');
    assert.equal((await ed.selectedNames()).length, 8);
    await page.keyboard.press('Delete');
    assert.deepEqual(await ed.cardNames(), ['Trigger']);
    assert.match((await ed.notice()).text, /Trigger cannot be deleted/);
    await page.keyboard.press('Control+Z');
    assert.equal(await ed.cards().count(), 8);
  }],

  ['a transition is selected by clicking it and removed with Delete', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const edge = ed.edge('get_num', 'fail');
    await edge.locator('.edge-line').waitFor();
    // Click the curve halfway along its length.
    const point = await edge.locator('.edge-hit').evaluate((p) => {
      const mid = p.getPointAtLength(p.getTotalLength() / 2);
      const m = p.getScreenCTM();
      return { x: m.a * mid.x + m.c * mid.y + m.e, y: m.b * mid.x + m.d * mid.y + m.f };
    });
    await page.mouse.click(point.x, point.y);
    await page.locator('[data-testid=edge].selected').waitFor();
    await page.getByTestId('edge-remove').waitFor();
    await page.keyboard.press('Delete');
    await edge.waitFor({ state: 'detached' });
    assert.ok(await ed.card('send_error').isVisible(), 'only the transition is removed');
    await page.keyboard.press('Control+Z');
    await edge.waitFor();
  }],

  ['dropping a connection on empty canvas offers the palette and connects the new widget', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const port = Editor.centre(await ed.box(ed.port('min_value', 'timeout')));
    const c = await ed.box(ed.canvas);
    await ed.mouseDrag(port, { x: c.x + 60, y: port.y + 60 });
    await page.getByTestId('add-menu').waitFor();
    await page.locator('[data-testid=add-menu-item][data-widget-type=send-message]').click();
    await ed.card('send_message_1').waitFor();
    assert.equal(await ed.edge('min_value', 'timeout').getAttribute('data-to'), 'send_message_1');
    assert.equal(await ed.inspector.getByTestId('inspector-name').inputValue(), 'send_message_1');
    // Clicking a port (without dragging) opens the list of targets.
    await ed.port('send_message_1', 'failed').click();
    await page.getByTestId('connect-menu').waitFor();
    await page.getByTestId('connect-filter').fill('send_err');
    await page.locator('[data-testid=connect-target][data-name=send_error]').click();
    assert.equal(await ed.edge('send_message_1', 'failed').getAttribute('data-to'), 'send_error');
  }],

  ['a split gets ordered conditions, each one a port on its card', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await page.locator('[data-testid=palette-item][data-widget-type=split-based-on]').click();
    await ed.card('split_1').waitFor();
    await ed.fill('input', '{{widgets.min_value.inbound.Body}}');
    const add = ed.inspector.getByTestId('cond-add');
    await add.click();
    await add.click();
    await ed.inspector.getByTestId('cond-0-value').fill('1');
    await ed.inspector.getByTestId('cond-1-type').selectOption('is_blank');
    const ports = () => ed.card('split_1').locator('[data-testid=port]').allInnerTexts();
    assert.deepEqual(await ports(), ['No Condition Matches', 'If value equal_to 1', 'If value is_blank Is Blank']);
    await ed.inspector.getByTestId('cond-1-up').click();
    assert.deepEqual(await ports(), ['No Condition Matches', 'If value is_blank Is Blank', 'If value equal_to 1']);
    await ed.connect('split_1', 'match', 'get_num');
    await ed.inspector.getByTestId('cond-0-remove').click();
    assert.deepEqual(await ports(), ['No Condition Matches', 'If value equal_to 1']);
    // The raw JSON shows the condition as Studio writes it.
    await ed.inspector.getByTestId('raw-json-section').locator('summary').click();
    const raw = JSON.parse(await ed.inspector.getByTestId('raw-json').inputValue());
    assert.deepEqual(raw.transitions[1].conditions[0], {
      friendly_name: 'If value equal_to 1', arguments: ['{{widgets.min_value.inbound.Body}}'], type: 'equal_to', value: '1',
    });
  }],

  ['the raw JSON view edits a widget, and refuses what is not valid', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await ed.select('send_error');
    await ed.inspector.getByTestId('raw-json-section').locator('summary').click();
    const raw = ed.inspector.getByTestId('raw-json');
    const json = JSON.parse(await raw.inputValue());
    json.properties.body = 'Edited as JSON';
    await raw.fill(JSON.stringify(json, null, 2));
    await ed.inspector.getByTestId('raw-json-apply').click();
    assert.match(await ed.card('send_error').innerText(), /Edited as JSON/);
    await raw.fill('{ "name": "send_error", ');
    assert.equal(await ed.inspector.getByTestId('raw-json-apply').isDisabled(), true);
    await ed.inspector.locator('[role=alert]').first().waitFor();
  }],

  ['wheel zooms around the pointer; the buttons zoom, fit and reset; dragging the background pans', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const level = page.getByTestId('zoom-level');
    const c = await ed.box(ed.canvas);
    await page.getByTestId('zoom-level').click();
    assert.equal(await level.innerText(), '100%');
    const before = await ed.transform();
    await page.mouse.move(c.x + 100, c.y + 100);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction((t) => document.querySelector('[data-testid=viewport]').style.transform !== t, before);
    assert.ok(parseInt(await level.innerText(), 10) > 100, 'zoomed in');
    await page.getByTestId('zoom-out').click();
    await page.getByTestId('zoom-fit').click();
    const fitted = await ed.transform();
    await ed.mouseDrag({ x: c.x + 30, y: c.y + c.height / 2 }, { x: c.x + 230, y: c.y + c.height / 2 + 50 });
    assert.notEqual(await ed.transform(), fitted, 'panned');
    // Space + drag pans even over a card.
    const t = await ed.transform();
    const card = Editor.centre(await ed.box(ed.card('get_num')));
    await page.keyboard.down(' ');
    await ed.mouseDrag(card, { x: card.x + 80, y: card.y });
    await page.keyboard.up(' ');
    assert.notEqual(await ed.transform(), t, 'panned with space');
    assert.deepEqual(await ed.selectedNames(), [], 'and did not select or move the card');
  }],
];
