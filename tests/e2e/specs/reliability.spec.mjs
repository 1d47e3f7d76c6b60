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

/// A flow whose one Send Message body is `body`.
function sendOnly(body) {
  return JSON.stringify({
    description: 'Expensive template',
    states: [
      { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingMessage', next: 'say' }, { event: 'incomingCall' }, { event: 'incomingRequest' }], properties: { offset: { x: 0, y: 0 } } },
      { name: 'say', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }],
        properties: { body, from: '{{flow.channel.address}}', to: '{{contact.channel.address}}', offset: { x: 0, y: 200 } } },
    ],
    initial_state: 'Trigger',
    flags: { allow_concurrent_calls: true },
  });
}

export const tests = [
  ['templates built to exhaust the browser end with an error, quickly, and the page stays alive', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const templates = [
      '{{ "now" | date: "%3000000000d" }}',
      '{% assign s = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" %}{% for i in (1..15) %}{% assign s = s | append: s %}{% endfor %}{{ s | replace: "x", s }}',
      '{{ (1..999999) | uniq | size }}',
    ];
    for (const [i, body] of templates.entries()) {
      await ed.importText(sendOnly(body));
      await ed.card('say').waitFor();
      await page.getByTestId('tab-simulator').click();
      const input = page.getByTestId('chat-input');
      const started = Date.now();
      await input.fill(`try ${i}`);
      await input.press('Enter');
      await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid=chat-bubble][data-from=event]')]
        .filter((e) => /ended/.test(e.innerText)).length >= n, i + 1, { timeout: 10_000 });
      const lines = await page.locator('[data-testid=chat-bubble][data-from=event]').allInnerTexts();
      assert.match(lines[lines.length - 1], /error in "say": body: .*(too much work|too large|1 MiB|budget)/i, lines[lines.length - 1]);
      assert.ok(Date.now() - started < 5000, `template ${i} took ${Date.now() - started} ms`);
      assert.equal(await page.getByTestId('crash').count(), 0);
      await page.getByTestId('tab-inspector').click();
    }
  }],


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
