// Never lose work: every change is saved to localStorage; a reload restores the flow, the
// selection and the viewport; unreadable saved data never bricks the app; "New flow" asks first.
import assert from 'node:assert/strict';
import { Editor } from '../lib/editor.mjs';

export const tests = [
  ['a reload restores the flow, the selection and the viewport', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await page.locator('[data-testid=palette-item][data-widget-type=make-http-request]').click();
    await ed.rename('http_1', 'lookup');
    await ed.fill('url', 'https://example.com/{{flow.data.id}}');
    await page.getByTestId('zoom-in').click();
    const c = await ed.box(ed.canvas);
    await ed.mouseDrag({ x: c.x + 30, y: c.y + 30 }, { x: c.x + 130, y: c.y + 80 });
    await ed.select('get_num');
    const names = await ed.cardNames();
    const transform = await ed.transform();
    const saved = await page.evaluate(() => localStorage.getItem('flowpen.project'));
    assert.match(saved, /"lookup"/);

    await page.reload();
    await ed.cards().first().waitFor();
    assert.deepEqual(await ed.cardNames(), names);
    assert.deepEqual(await ed.selectedNames(), ['get_num']);
    assert.equal(await ed.inspector.getByTestId('inspector-name').inputValue(), 'get_num');
    assert.equal(await ed.transform(), transform);
    await ed.select('lookup');
    assert.equal(await ed.field('url').inputValue(), 'https://example.com/{{flow.data.id}}');
  }],

  ['unreadable saved data opens the example, says so, and keeps the text', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const bad = '{"flowpen": 1, "flow": {"states": [ {"name": "half a flow", ';
    await page.evaluate((t) => {
      localStorage.setItem('flowpen.project', t);
      localStorage.setItem('flowpen.view', '{"viewport": {"x": "NaN"}, "selection": 7}');
    }, bad);
    await page.reload();
    await ed.cards().first().waitFor();
    const notice = await ed.notice();
    assert.equal(notice.level, 'error');
    assert.match(notice.text, /could not be read/);
    assert.equal(await page.evaluate(() => localStorage.getItem('flowpen.project.unreadable')), bad);
    assert.equal((await ed.cardNames()).length, 6, 'the example opened');
    await ed.select('get_num');
    await page.reload();
    await ed.cards().first().waitFor();
    assert.deepEqual(await ed.selectedNames(), ['get_num'], 'and autosave works again');
  }],

  ['an autosave from before the project key is read, saved under it, and its old keys removed', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const bad = '{"states": [ {"name": "half a flow", ';
    await page.evaluate((t) => {
      localStorage.removeItem('flowpen.project');
      localStorage.setItem('flowpen.flow', t);
    }, bad);
    await page.reload();
    await ed.cards().first().waitFor();
    assert.match((await ed.notice()).text, /saved flow could not be read/);
    assert.equal(await page.evaluate(() => localStorage.getItem('flowpen.flow.unreadable')), bad);
    await page.waitForFunction(() => localStorage.getItem('flowpen.project') !== null
      && localStorage.getItem('flowpen.flow') === null);
  }],

  ['"New flow" asks before discarding, and can be undone', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await page.getByTestId('new-flow').click();
    await page.getByTestId('confirm-new').waitFor();
    await page.getByTestId('confirm-new-cancel').click();
    assert.equal((await ed.cardNames()).length, 6, 'kept');
    await ed.newFlow();
    assert.deepEqual(await ed.cardNames(), ['Trigger']);
    await page.getByTestId('undo').click();
    await ed.card('get_num').waitFor();
  }],
];
