// Nothing a flow, a Function or the browser does loses the user's work: a panic shows an overlay
// and a reload brings the last change back; failed saves are reported; a second tab never
// overwrites the first one's project silently; unreadable saved text is never overwritten.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Editor } from '../lib/editor.mjs';

/// Waits until autosave has stored a project that contains `text`.
async function savedWith(page, text) {
  await page.waitForFunction((t) => (localStorage.getItem('flowpen.project') ?? '').includes(t), text);
}

export const tests = [
  ['a panic shows the crash overlay, and Reload brings back the last change', async ({ page, url, shots, errors }) => {
    const ed = new Editor(page);
    await ed.open(`${url}/?flowpen-test-hooks`);
    await ed.rename('get_num', 'get_number');
    await savedWith(page, '"get_number"');
    // The test hook panics inside the app (the release build then traps, as any panic would).
    await page.evaluate(() => { try { window.flowpenTestPanic(); } catch (e) { /* the trap */ } });
    const crash = page.getByTestId('crash');
    await crash.waitFor();
    assert.equal(await crash.getAttribute('role'), 'alertdialog');
    assert.match(await page.getByTestId('crash-details').innerText(), /a test panic, asked for with flowpenTestPanic/);
    assert.match(await crash.innerText(), /Flowpen hit an internal error/);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), 'crash-reload');
    await page.screenshot({ path: join(shots, 'reliability-crash.png') });
    errors.length = 0; // the trap is the expected page error
    await page.getByTestId('crash-reload').click();
    await ed.card('get_number').waitFor();
    assert.equal(await page.getByTestId('crash').count(), 0);
  }],

  ['a failed save is reported once per run of failures, and again after a success', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await page.evaluate(() => {
      const real = Storage.prototype.setItem;
      window.__breakStorage = (broken) => {
        Storage.prototype.setItem = broken
          ? function () { throw new DOMException('full', 'QuotaExceededError'); }
          : real;
      };
      window.__breakStorage(true);
    });
    await ed.rename('get_num', 'first');
    const notice = await ed.notice();
    assert.equal(notice.level, 'error');
    assert.match(notice.text, /Autosave failed/);
    await page.getByTestId('notice-dismiss').click();
    await ed.rename('first', 'second');
    await page.waitForTimeout(300);
    assert.equal(await page.getByTestId('notice').count(), 0, 'not again while it keeps failing');
    await page.evaluate(() => window.__breakStorage(false));
    await ed.rename('second', 'third');
    await savedWith(page, '"third"');
    await page.evaluate(() => window.__breakStorage(true));
    await ed.rename('third', 'fourth');
    assert.match((await ed.notice()).text, /Autosave failed/, 'a success re-armed the report');
  }],

  ['a second tab asks before its project replaces this one, and Undo brings this one back', async ({ page, url, context, shots }) => {
    const a = new Editor(page);
    await a.open(url);
    const other = await context.newPage();
    const b = new Editor(other);
    await b.open(url);
    await b.rename('get_num', 'from_tab_b');
    await savedWith(other, '"from_tab_b"');
    // Tab A hears of it and pauses autosave until the user chooses.
    await page.getByTestId('changed-elsewhere').waitFor();
    await page.screenshot({ path: join(shots, 'reliability-other-tab.png') });
    await page.getByTestId('changed-elsewhere-load').click();
    await a.card('from_tab_b').waitFor();
    await page.getByTestId('undo').click();
    await a.card('get_num').waitFor();
    // Keeping A's version saves it over B's, and B is asked in turn.
    await a.rename('get_num', 'from_tab_a');
    await savedWith(page, '"from_tab_a"');
    await other.getByTestId('changed-elsewhere').waitFor();
    await other.getByTestId('changed-elsewhere-keep').click();
    await savedWith(other, '"from_tab_b"');
    await page.getByTestId('changed-elsewhere').waitFor();
    await page.getByTestId('changed-elsewhere-keep').click();
    await savedWith(page, '"from_tab_a"');
  }],

  ['unreadable saved text that cannot be copied aside is never overwritten', async ({ page, url, context }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const bad = '{"flowpen": 1, "flow": [oops';
    await page.evaluate((t) => localStorage.setItem('flowpen.project', t), bad);
    await context.addInitScript(() => {
      const real = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key, value) {
        if (key === 'flowpen.project.unreadable') throw new DOMException('full', 'QuotaExceededError');
        return real.call(this, key, value);
      };
    });
    await page.reload();
    await ed.cards().first().waitFor();
    const notice = await ed.notice();
    assert.equal(notice.level, 'error');
    assert.match(notice.text, /Autosave is off/);
    await ed.rename('get_num', 'edited');
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => localStorage.getItem('flowpen.project')), bad);
  }],
];
