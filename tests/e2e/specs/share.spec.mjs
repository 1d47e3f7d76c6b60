// Share links: Share makes a link with the project in the fragment (#share=1.<base64url>); the
// link opens in another browser (no autosave there) with the flow and its edited Function, the
// simulator runs it, and Undo brings back that browser's own flow. A link pasted into an open tab
// (hashchange) opens too; a broken link shows why and keeps the current flow; the fragment is
// removed once read, so a reload does not open the link again.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch } from '../lib/browser.mjs';
import { Editor } from '../lib/editor.mjs';
import { Functions, Simulator } from '../lib/simulator.mjs';

/// Opens an example from the Examples menu.
async function openExample(page, file) {
  await page.getByTestId('examples').click();
  await page.getByTestId(`example-${file}`).click();
}

/// A page in a browser of its own (fresh storage); page errors fail the test.
async function otherBrowser() {
  const browser = await launch();
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  return {
    page,
    async close() {
      await browser.close();
      if (errors.length) throw new Error(`uncaught page error: ${errors[0].stack ?? errors[0]}`);
    },
  };
}

/// Waits for a notice whose text matches `re`; returns { level, text }.
async function noticeMatching(page, re) {
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('[data-testid=notice]')?.innerText ?? ''), re.source);
  const n = page.getByTestId('notice');
  return { level: await n.getAttribute('data-level'), text: await n.innerText() };
}

/// The project inside a link, decoded independently of the app (Node's base64url).
function projectOf(link) {
  const m = /#share=1\.([A-Za-z0-9_-]+)$/.exec(link);
  assert.ok(m, `a share link: ${link.slice(0, 80)}…`);
  return JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8'));
}

export const tests = [
  ['a link to the dog breed example with an edited Function opens in another browser, runs, and Undo brings that browser\'s flow back', async ({ page, url, shots }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await openExample(page, 'dog-breed.json');
    await ed.card('get-doge-image').waitFor();
    const fns = new Functions(page);
    await fns.open();
    await fns.select('/get-doge');
    const code = (await fns.code()).replace("Here's an image of a ${event.breed}! 🐶", 'Shared pup: a ${event.breed} 🐾');
    assert.ok(code.includes('Shared pup'));
    await fns.setCode(code);

    // Share, from the keyboard: the link is selected in the dialog, Tab reaches Copy link.
    await page.getByTestId('share').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('share-dialog');
    await dialog.waitFor();
    const field = page.getByTestId('share-link');
    const link = await field.inputValue();
    assert.ok(link.startsWith(`${url}/#share=1.`), link.slice(0, 60));
    assert.ok(await field.evaluate((e) => document.activeElement === e && e.selectionStart === 0 && e.selectionEnd === e.value.length));
    assert.equal(await page.getByTestId('share-length').innerText(), `${link.length.toLocaleString('en-US')} characters`);
    assert.equal(await page.getByTestId('share-warning').count(), 0);
    assert.match(await dialog.innerText(), /It holds this flow, 1 Function and no environment variables\./);
    // The link holds the project file that Export project writes.
    const project = projectOf(link);
    assert.equal(project.flowpen, 1);
    assert.equal(project.flow.description, 'Dog breed pictures');
    assert.deepEqual(project.functions, [{ path: '/get-doge', code }]);
    await page.evaluate(() => {
      document.addEventListener('copy', (e) => { window.__copied = e.clipboardData.getData('text/plain'); });
    });
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'share-copy');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => window.__copied), link);
    assert.match((await noticeMatching(page, /share link/)).text, /Copied the share link/);
    await page.screenshot({ path: join(shots, 'share-dialog.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Another browser, nothing saved: it shows the random number example until the link opens.
    const other = await otherBrowser();
    try {
      const p2 = other.page;
      const ed2 = new Editor(p2);
      await ed2.open(link);
      await ed2.card('get-doge-image').waitFor();
      const notice = await noticeMatching(p2, /shared flow/);
      assert.equal(notice.level, 'info');
      assert.match(notice.text, /Opened a shared flow — Undo brings yours back\./);
      assert.equal(await p2.evaluate(() => location.hash), '', 'the fragment is removed');
      assert.equal(await p2.evaluate(() => location.href), `${url}/`);
      const fns2 = new Functions(p2);
      await fns2.open();
      assert.deepEqual(await fns2.paths(), ['/get-doge']);
      await fns2.select('/get-doge');
      assert.equal(await fns2.code(), code);
      const sim = new Simulator(p2);
      await sim.open();
      await sim.say('hi');
      assert.equal(await sim.waitForFlowMessage(1), 'Which dog breed would you like to see?');
      await sim.say('beagle');
      assert.equal(await sim.waitForFlowMessage(2), 'Shared pup: a beagle 🐾');

      // Undo: that browser's own flow (the example it opened with) and its Function.
      await p2.getByTestId('undo').click();
      await ed2.card('get_num').waitFor();
      assert.equal(await ed2.card('get-doge-image').count(), 0);
      await fns2.open();
      assert.deepEqual(await fns2.paths(), ['/random']);
      // A reload keeps what was saved since: the link is not opened again.
      await p2.waitForFunction(() => (localStorage.getItem('flowpen.project') ?? '').includes('get_num'));
      await p2.reload();
      await ed2.card('get_num').waitFor();
      assert.equal(await ed2.card('get-doge-image').count(), 0);
    } finally {
      await other.close();
    }
  }],

  ['a link pasted into an open tab opens (hashchange), and the same tab can share it back', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await openExample(page, 'retry-counter.json');
    await ed.card('check_count').waitFor();
    await page.getByTestId('share').click();
    const link = await page.getByTestId('share-link').inputValue();
    await page.keyboard.press('Escape');
    await openExample(page, 'dog-breed.json');
    await ed.card('get-doge-image').waitFor();

    // As if pasted into the address bar: the same page with a new fragment.
    await page.evaluate((hash) => { location.hash = hash; }, link.slice(link.indexOf('#')));
    await ed.card('check_count').waitFor();
    assert.match((await noticeMatching(page, /shared flow/)).text, /Undo brings yours back/);
    await page.waitForFunction(() => location.hash === '');
    const fns = new Functions(page);
    await fns.open();
    assert.deepEqual(await fns.paths(), ['/flaky']);
    assert.equal(await page.getByTestId('env-0-value').inputValue(), '3');
    // The environment variable travels in the link, and the dialog says so.
    await page.getByTestId('share').click();
    assert.equal(await page.getByTestId('share-link').inputValue(), link);
    assert.match(await page.getByTestId('share-env-note').innerText(), /leave secrets out/);
    await page.keyboard.press('Escape');
    await page.getByTestId('undo').click();
    await ed.card('get-doge-image').waitFor();

    // A very long link is made all the same, with a warning.
    await fns.open();
    await fns.select('/get-doge');
    const big = `exports.handler = (c, e, cb) => cb(null, {});\n// ${'long '.repeat(16_000)}\n`;
    await fns.setCode(big);
    await page.getByTestId('share').click();
    const long = await page.getByTestId('share-link').inputValue();
    assert.ok(long.length > 100_000, `${long.length}`);
    assert.match(await page.getByTestId('share-warning').innerText(), /very long \(over 100 kB\): some chat apps/);
    assert.equal(projectOf(long).functions[0].code, big);
  }],

  ['a broken link shows what is wrong and keeps the current flow', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await openExample(page, 'dog-breed.json');
    await ed.card('get-doge-image').waitFor();
    const names = await ed.cardNames();
    await page.getByTestId('share').click();
    const good = await page.getByTestId('share-link').inputValue();
    await page.keyboard.press('Escape');
    const data = good.slice(good.indexOf('#share=1.') + '#share=1.'.length);
    const b64 = (text) => Buffer.from(text).toString('base64url');
    const cases = [
      ['#share=2.' + data, /format 2 link, and this Flowpen reads format 1 links only/],
      ['#share=' + data, /does not say its format/],
      ['#share=1.', /holds nothing after #share=1\./],
      ['#share=1.abc$def', /character 4 of its data, "\$", is not base64url/],
      ['#share=1.' + data.slice(0, -40), /cut short/],
      ['#share=1.' + Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url'), /not UTF-8 text/],
      ['#share=1.' + b64('{"flowpen": 1, "flow": '), /not JSON/],
      ['#share=1.' + b64('{"flowpen": 1, "flow": {"states": [{"name": 7}]}}'), /no Flowpen project or Studio flow .*at \$\.flow\.states\[0\]\.name/],
    ];
    for (const [hash, says] of cases) {
      await page.evaluate((h) => { location.hash = h; }, hash);
      const notice = await noticeMatching(page, /Could not open the shared link/);
      assert.equal(notice.level, 'error', hash);
      assert.match(notice.text, says, hash);
      assert.match(notice.text, /Your flow was kept\.$/);
      assert.deepEqual(await ed.cardNames(), names, hash);
      await page.waitForFunction(() => location.hash === '');
      await page.getByTestId('notice').getByRole('button', { name: 'Dismiss' }).click();
    }
    // Nothing was replaced, so there is nothing new to undo: Undo goes back past the example.
    await page.getByTestId('undo').click();
    await ed.card('get_num').waitFor();

    // A page opened with a broken link keeps the saved flow too.
    await page.getByTestId('redo').click();
    await ed.card('get-doge-image').waitFor();
    await page.waitForFunction(() => (localStorage.getItem('flowpen.project') ?? '').includes('get-doge-image'));
    await page.goto('about:blank');
    await page.goto(`${url}/#share=1.${data.slice(0, -3)}!`);
    await ed.card('get-doge-image').waitFor();
    assert.equal((await noticeMatching(page, /Could not open the shared link/)).level, 'error');
    assert.deepEqual(await ed.cardNames(), names);
    assert.equal(await page.getByTestId('undo').isDisabled(), true, 'a fresh page with nothing to undo');
    const fns = new Functions(page);
    await fns.open();
    assert.deepEqual(await fns.paths(), ['/get-doge']);
  }],
];
