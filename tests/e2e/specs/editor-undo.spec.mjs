// Undo and redo: a whole drag is one step, typing into one field is one step, and Ctrl/Cmd+Z
// never steals a text field's own undo.
import assert from 'node:assert/strict';
import { Editor } from '../lib/editor.mjs';

const near = (a, b) => Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5;

export const tests = [
  ['undo and redo an add, a drag (one step) and a rename', async ({ page, url }) => {
    const ed = new Editor(page);
    const kb = page.keyboard;
    await ed.open(url);
    const undo = page.getByTestId('undo');
    assert.equal(await undo.isDisabled(), true, 'nothing to undo after load');

    await page.locator('[data-testid=palette-item][data-widget-type=set-variables]').click();
    await ed.card('set_variables_1').waitFor();
    const placed = await ed.box(ed.card('set_variables_1'));
    await ed.moveCard('set_variables_1', 180, 90);
    const moved = await ed.box(ed.card('set_variables_1'));
    assert.ok(moved.x > placed.x + 100 && moved.y > placed.y + 40, 'dragged');

    await kb.press('Escape');
    await kb.press('Control+Z');
    assert.ok(near(await ed.box(ed.card('set_variables_1')), placed), 'one undo step reverts the whole drag');
    await kb.press('Control+Z');
    await ed.card('set_variables_1').waitFor({ state: 'detached' });
    await kb.press('Control+Shift+Z');
    await ed.card('set_variables_1').waitFor();
    await page.getByTestId('redo').click();
    assert.ok(near(await ed.box(ed.card('set_variables_1')), moved), 'redo repeats the drag');

    await ed.rename('min_value', 'lowest');
    const edge = page.locator('[data-testid=edge][data-from=Trigger][data-event=incomingMessage]');
    assert.equal(await edge.getAttribute('data-to'), 'lowest', 'transitions follow a rename');
    await kb.press('Escape');
    await undo.click();
    await ed.card('min_value').waitFor();
    assert.equal(await edge.getAttribute('data-to'), 'min_value');
  }],

  ['typing into a field is one undo step, and Ctrl+Z in a field is the field\'s own', async ({ page, url }) => {
    const ed = new Editor(page);
    const kb = page.keyboard;
    await ed.open(url);
    await ed.select('max_value');
    const body = ed.field('body');
    await body.click();
    await kb.press('End');
    await kb.type(' Please answer.');
    assert.equal(await body.inputValue(), 'And the largest? Please answer.');
    assert.match(await ed.card('max_value').innerText(), /Please answer\./, 'the card follows as you type');
    // Escape leaves the field for the widget's card; then Ctrl+Z is the flow's undo.
    await kb.press('Escape');
    await page.waitForFunction(() => document.activeElement?.dataset.name === 'max_value');
    await kb.press('Control+Z');
    await page.waitForFunction(() => document.querySelector('[data-testid=field-body]')?.value === 'And the largest?');
    await kb.press('Control+Shift+Z');
    await page.waitForFunction(() => document.querySelector('[data-testid=field-body]')?.value === 'And the largest? Please answer.');
    // In the field, Ctrl+Z belongs to the field: the flow's history does not move.
    const undoable = await page.getByTestId('undo').isEnabled();
    await body.click();
    await kb.press('Control+Z');
    assert.equal(await ed.cardNames().then((n) => n.length), 6);
    assert.equal(await page.getByTestId('undo').isEnabled(), undoable);
  }],
];
