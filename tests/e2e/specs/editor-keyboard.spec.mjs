// The keyboard-only path: the same random-number flow built without the mouse. Tab moves through
// the page, Enter opens the inspector, C on a widget chooses where its next open port leads
// (including "New <widget>", which adds and connects), arrows move widgets, Ctrl+K finds one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Editor, ROOT, withoutOffsets } from '../lib/editor.mjs';

const EXPECTED = JSON.parse(readFileSync(join(ROOT, 'tests/e2e/fixtures/random-number.expected.json'), 'utf8'));

/// What has the focus: a card's name, a port's event or a test id.
const describe = () => {
  const e = document.activeElement;
  if (e?.dataset.event && e.closest('.card')) return `port:${e.closest('.card').dataset.name}.${e.dataset.event}`;
  return e?.dataset.name ? `card:${e.dataset.name}` : e?.dataset.testid ?? e?.tagName;
};

/// Waits (briefly) until `expected` has the focus, as a person would see it before the next key:
/// the app moves the focus after rendering, which Yew may defer by a frame. Returns what has it.
async function focused(page, expected) {
  await page.waitForFunction(`(${describe})() === ${JSON.stringify(expected)}`, null, { timeout: 2000 }).catch(() => {});
  return page.evaluate(describe);
}

export const tests = [
  ['builds the random-number flow with the keyboard only', async ({ page, url, shots }) => {
    const ed = new Editor(page);
    const kb = page.keyboard;
    await ed.open(url);

    // New flow: Tab to the toolbar's first button, Enter, then confirm (Keep editing has the focus).
    await kb.press('Tab');
    assert.equal(await focused(page, 'new-flow'), 'new-flow');
    await kb.press('Enter');
    assert.equal(await focused(page, 'confirm-new-cancel'), 'confirm-new-cancel');
    await kb.press('Tab');
    await kb.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=card]').length === 1);

    // Enter with nothing selected opens the flow's settings.
    await kb.press('Enter');
    assert.equal(await focused(page, 'flow-description'), 'flow-description');
    await kb.press('Control+A');
    await kb.type('Random number generator');
    await kb.press('Escape');
    assert.equal(await focused(page, 'canvas'), 'canvas');

    // Find a widget, connect its first open port to a new widget, name and fill it.
    const step = async (from, newType, name, fill) => {
      await kb.press('Control+K');
      await kb.type(from);
      await kb.press('Enter');
      assert.equal(await focused(page, `card:${from}`), `card:${from}`);
      await kb.press('c');
      await page.getByTestId('connect-menu').waitFor();
      await kb.type(`new ${newType}`);
      await kb.press('Enter');
      await page.getByTestId('connect-menu').waitFor({ state: 'detached' });
      // The new widget's card has the focus.
      await page.waitForFunction(() => document.activeElement?.classList.contains('card'));
      await kb.press('Enter');
      assert.equal(await focused(page, 'inspector-name'), 'inspector-name');
      await kb.type(name);
      await kb.press('Enter');
      await ed.card(name).waitFor();
      await fill();
      await kb.press('Escape');
      assert.equal(await focused(page, `card:${name}`), `card:${name}`);
    };
    await step('Trigger', 'send & wait', 'min_value', async () => {
      await kb.press('Tab');
      await kb.type('Hi! I pick random numbers. What is the smallest number I may pick?');
    });
    // Arrow keys move the focused widget by a grid step (Shift: five).
    const before = await ed.box(ed.card('min_value'));
    await kb.press('Shift+ArrowLeft');
    await page.waitForFunction((x) => document.querySelector('[data-name=min_value]').getBoundingClientRect().x < x - 40, before.x);
    await step('min_value', 'send & wait', 'max_value', async () => {
      await kb.press('Tab');
      await kb.type('And the largest?');
    });
    await step('max_value', 'run', 'get_num', async () => {
      await kb.press('Tab');
      await kb.type('https://flowpen.local/random');
      await kb.press('Tab');
      assert.equal(await focused(page, 'kv-parameters-add'), 'kv-parameters-add');
      await kb.press('Enter');
      assert.equal(await focused(page, 'kv-parameters-0-key'), 'kv-parameters-0-key');
      await kb.type('min');
      await kb.press('Tab');
      await kb.type('{{widgets.min_value.inbound.Body}}');
      await kb.press('Tab');
      assert.equal(await focused(page, 'kv-parameters-0-remove'), 'kv-parameters-0-remove', 'disabled move buttons are skipped');
      await kb.press('Tab');
      await kb.press('Enter');
      assert.equal(await focused(page, 'kv-parameters-1-key'), 'kv-parameters-1-key');
      await kb.type('max');
      await kb.press('Tab');
      await kb.type('{{widgets.max_value.inbound.Body}}');
    });
    await step('get_num', 'send message', 'send_result', async () => {
      await kb.press('Tab');
      await kb.type('Your random number is {{widgets.get_num.parsed.number}}.');
    });

    // Tab goes from a widget to its ports, then to the next widget.
    await kb.press('Control+K');
    await kb.type('max_value');
    await kb.press('Enter');
    assert.equal(await focused(page, 'card:max_value'), 'card:max_value');
    await kb.press('Tab');
    assert.equal(await focused(page, 'port:max_value.incomingMessage'), 'port:max_value.incomingMessage');
    await kb.press('Tab');
    await kb.press('Tab');
    await kb.press('Tab');
    assert.equal(await focused(page, 'card:get_num'), 'card:get_num');
    await page.waitForFunction(() => document.querySelector('[data-name=get_num]').dataset.selected === 'true');
    assert.deepEqual(await ed.selectedNames(), ['get_num'], 'keyboard focus selects');

    // Export with the keyboard (the button reached by focus, activated by Enter).
    await page.getByTestId('export').focus();
    const [download] = await Promise.all([page.waitForEvent('download'), kb.press('Enter')]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(JSON.stringify(withoutOffsets(exported), null, 2), JSON.stringify(withoutOffsets(EXPECTED), null, 2));
    await page.screenshot({ path: join(shots, 'editor-built-by-keyboard.png') });
  }],

  ['a port connects to an existing widget from the list, and Delete removes a widget', async ({ page, url }) => {
    const ed = new Editor(page);
    const kb = page.keyboard;
    await ed.open(url);
    await kb.press('Control+K');
    await kb.type('get_num');
    await kb.press('Enter');
    assert.equal(await focused(page, 'card:get_num'), 'card:get_num');
    // Tab to the Fail port; Enter opens its list; choose send_result.
    await kb.press('Tab');
    assert.equal(await focused(page, 'port:get_num.success'), 'port:get_num.success');
    await kb.press('Tab');
    assert.equal(await focused(page, 'port:get_num.fail'), 'port:get_num.fail');
    await kb.press('Enter');
    await page.getByTestId('connect-menu').waitFor();
    await kb.type('send_res');
    await kb.press('Enter');
    await ed.edge('get_num', 'fail').and(page.locator('[data-to=send_result]')).waitFor();
    // send_error is now unreachable (a warning); delete it from the keyboard.
    await kb.press('Control+K');
    await kb.type('send_error');
    await kb.press('Enter');
    assert.equal(await focused(page, 'card:send_error'), 'card:send_error');
    await kb.press('Delete');
    await ed.card('send_error').waitFor({ state: 'detached' });
    await kb.press('Control+Z');
    await ed.card('send_error').waitFor();
    await kb.press('?');
    await page.getByTestId('help-dialog').waitFor();
    await kb.press('Escape');
    await page.getByTestId('help-dialog').waitFor({ state: 'detached' });
  }],
];
