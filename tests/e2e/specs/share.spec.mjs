// Share links v2: Share makes short links (#share=2.… and #view=2.…, the packed project deflated
// with the frozen dictionary); opening one never costs the opener's project (it asks first when
// that project has changes no file holds, and keeps it in Recent); shared code runs only after
// Trust and run; environment values stay home unless included; a view link is read-only until
// Fork; a tampered, truncated or oversized link shows its error and keeps everything.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { launch } from '../lib/browser.mjs';
import { Editor, ROOT } from '../lib/editor.mjs';
import { Functions, Simulator } from '../lib/simulator.mjs';

/// Format 2's preset dictionary, to read links independently of the app (Node's zlib).
const DICTIONARY = readFileSync(join(ROOT, 'crates/flowpen-playground/src/share/dictionary-v2.txt'));

/// The packed project inside a format 2 link: base64url, raw deflate with the dictionary, then a
/// 3-byte check.
function packedOf(link) {
  const m = /#(?:share|view)=2\.([A-Za-z0-9_-]+)$/.exec(link);
  assert.ok(m, `a format 2 link: ${link.slice(0, 80)}…`);
  const data = Buffer.from(m[1], 'base64url');
  return JSON.parse(inflateRawSync(data.subarray(0, data.length - 3), { dictionary: DICTIONARY }).toString('utf8'));
}

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

/// Opens the Share dialog and returns { link, view } (closing it again).
async function shareLinks(page) {
  await page.getByTestId('share').click();
  await page.getByTestId('share-dialog').waitFor();
  const link = await page.getByTestId('share-link').inputValue();
  const view = await page.getByTestId('share-view-link').inputValue();
  await page.keyboard.press('Escape');
  await page.getByTestId('share-dialog').waitFor({ state: 'detached' });
  return { link, view };
}

/// The titles and details of the Recent menu (opened and closed again).
async function recentEntries(page) {
  await page.getByTestId('recent').click();
  await page.getByTestId('recent-menu').waitFor();
  const entries = await page.locator('[data-testid=recent-open]').evaluateAll((els) => els.map((e) => ({
    title: e.dataset.title, detail: e.querySelector('.recent-detail')?.innerText ?? '',
  })));
  await page.keyboard.press('Escape');
  await page.getByTestId('recent-menu').waitFor({ state: 'detached' });
  return entries;
}

/// The texts of the Recent projects in storage (each under a key of its own), joined.
async function recentTexts(page) {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => /^flowpen\.recent\.[0-9a-f]{16}$/.test(k))
    .map((k) => localStorage.getItem(k)).join('\n'));
}

/// Waits until autosave has stored a project containing `text`.
async function savedWith(page, text) {
  await page.waitForFunction((t) => (localStorage.getItem('flowpen.project') ?? '').includes(t), text);
}

export const tests = [
  ['the random number example shared, opened in a browser with its own work: declined, accepted, the old project in Recent, trust and run', async ({ page, url, shots }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await ed.card('get_num').waitFor();

    // Share, from the keyboard: the link is selected in the dialog, Tab reaches Copy.
    await page.getByTestId('share').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('share-dialog');
    await dialog.waitFor();
    const field = page.getByTestId('share-link');
    const link = await field.inputValue();
    assert.ok(link.startsWith(`${url}/#share=2.`), link.slice(0, 60));
    // The example opens with its flow tests (random-number.test.yaml, 7.4 kB of commented YAML),
    // and a link carries the whole project: under the ~2,000 characters chat apps keep (its flow
    // and Function alone: ≤ 800, tests/share/links.rs).
    assert.ok(link.length <= 2000, `${link.length} characters`);
    assert.ok(await field.evaluate((e) => document.activeElement === e && e.selectionStart === 0 && e.selectionEnd === e.value.length));
    assert.equal(await page.getByTestId('share-length').innerText(), `${link.length.toLocaleString('en-US')} characters`);
    assert.equal(await page.getByTestId('share-warning').count(), 0);
    assert.match(await dialog.innerText(), /It holds this flow, 1 Function, no environment variables and 8 flow tests\. .*They see its Functions and choose whether to run them\./s);
    const viewLink = await page.getByTestId('share-view-link').inputValue();
    assert.ok(viewLink.startsWith(`${url}/#view=2.`), viewLink.slice(0, 60));
    // The link holds the packed project file, read here with Node's zlib and the dictionary.
    const packed = packedOf(link);
    assert.equal(packed.flowpen, 1);
    assert.equal(packed.flow.description, 'Random number generator');
    assert.deepEqual(packed.flow.states.n, ['Trigger', 'min_value', 'max_value', 'get_num', 'send_result', 'send_error']);
    assert.equal(packed.functions[0].path, '/random');
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

    const other = await otherBrowser();
    try {
      const p2 = other.page;
      const ed2 = new Editor(p2);
      // That browser has its own work, which no file holds.
      await ed2.open(url);
      await ed2.rename('get_num', 'my_number');
      await savedWith(p2, '"my_number"');
      // The link opens in a new page load: it asks first.
      await p2.goto('about:blank');
      await p2.goto(link);
      const ask = p2.getByTestId('confirm-shared');
      await ask.waitFor();
      assert.match(await ask.innerText(), /Open the shared project\? Yours stays in Recent/);
      assert.match(await ask.innerText(), /The link holds “Random number generator”: 6 widgets and 1 Function\./);
      assert.equal(await p2.evaluate(() => document.activeElement?.dataset.testid), 'confirm-shared-open');
      assert.equal(await p2.evaluate(() => location.hash), '', 'the fragment is removed');
      await p2.screenshot({ path: join(shots, 'share-ask.png') });
      // Declined: everything stays, nothing went to Recent.
      await p2.getByTestId('confirm-shared-keep').click();
      await ask.waitFor({ state: 'detached' });
      await ed2.card('my_number').waitFor();
      assert.equal(await ed2.card('get_num').count(), 0);
      assert.equal(await p2.getByTestId('recent-menu').count(), 0);
      await p2.getByTestId('recent').click();
      await p2.getByTestId('recent-empty').waitFor();
      await p2.keyboard.press('Escape');

      // The same link again (pasted into the address bar): accepted this time.
      await p2.evaluate((hash) => { location.hash = hash; }, link.slice(link.indexOf('#')));
      await ask.waitFor();
      await p2.getByTestId('confirm-shared-open').click();
      await ed2.card('get_num').waitFor();
      assert.equal(await ed2.card('my_number').count(), 0);
      const notice = await noticeMatching(p2, /shared project/);
      assert.equal(notice.level, 'info');
      assert.match(notice.text, /Opened a shared project — yours is in Recent, and Undo brings it back\. Its Function does not run until you look at it in the Functions tab and choose Trust and run\./);
      // The old project is in Recent.
      await savedWith(p2, '"untrusted"');
      const recent = await recentEntries(p2);
      assert.equal(recent.length, 1);
      assert.equal(recent[0].title, 'Random number generator');
      assert.match(recent[0].detail, /^just now, before opening a shared link$/);
      assert.ok((await recentTexts(p2)).includes('my_number'));

      // Shared code does not run before consent: the step says why, the flow takes Fail.
      const sim = new Simulator(p2);
      await sim.open();
      await sim.say('hi');
      await sim.waitForFlowMessage(1);
      await sim.say('1');
      await sim.waitForFlowMessage(2);
      await sim.say('6');
      assert.match(await sim.waitForFlowMessage(3), /^Sorry, I could not pick a number/);
      await sim.openLog();
      await sim.step('get_num').click();
      assert.match(await sim.detailText(), /not run: \/random is a Function that came with a shared link, and shared code runs only after you look at it and choose Trust and run/);
      await p2.screenshot({ path: join(shots, 'share-untrusted-step.png') });

      // The project's flow tests do not run its Function either: the case that needs the real
      // Function fails and says why; the cases with stubs pass.
      await p2.getByTestId('tab-tests').click();
      await p2.getByTestId('tests-run-all').click();
      await p2.waitForFunction(() => [...document.querySelectorAll('[data-testid=test-case]')]
        .every((c) => c.dataset.status === 'passed' || c.dataset.status === 'failed'));
      const statuses = await p2.locator('[data-testid=test-case]').evaluateAll((els) => els.map((e) => [e.dataset.name, e.dataset.status]));
      const real = statuses.find(([name]) => /real Function/.test(name));
      assert.equal(real?.[1], 'failed', JSON.stringify(statuses));
      assert.ok(statuses.some(([, st]) => st === 'passed'), JSON.stringify(statuses));
      await p2.locator('[data-testid=test-case][data-status=failed]').first().getByTestId('test-show').click();
      await p2.waitForFunction(() => /flow test "the real Function/.test(document.querySelector('[data-testid=run-summary]')?.innerText ?? ''));
      await sim.step('get_num').click();
      assert.match(await sim.detailText(), /not run: \/random is a Function that came with a shared link/);

      // Look, then trust and run.
      const fns = new Functions(p2);
      await fns.open();
      const banner = p2.getByTestId('trust-banner');
      assert.match(await banner.innerText(), /These Functions came with a shared link\./);
      assert.equal(await fns.code(), packed.functions[0].code);
      await p2.screenshot({ path: join(shots, 'share-trust.png') });
      await p2.getByTestId('trust-run').click();
      await banner.waitFor({ state: 'detached' });
      await sim.open();
      // A new execution; the conversation goes on below the first one.
      await sim.say('hi');
      await sim.waitForFlowMessage(4);
      await sim.say('1');
      await sim.waitForFlowMessage(5);
      await sim.say('6');
      assert.match(await sim.waitForFlowMessage(6), /^Your random number is [1-6]\.$/);

      // A reload keeps the shared project (autosaved) and the consent (per link content).
      await p2.reload();
      await ed2.card('get_num').waitFor();
      await fns.open();
      assert.equal(await p2.getByTestId('trust-banner').count(), 0);
      // Consent can be taken back (and given again).
      assert.match(await p2.getByTestId('trusted-note').innerText(), /These Functions came with a shared link, and you chose to trust them\./);
      await p2.getByTestId('trust-forget').click();
      await p2.getByTestId('trust-banner').waitFor();
      assert.match((await noticeMatching(p2, /No longer trusted/)).text, /until you choose Trust and run again/);
      await p2.getByTestId('trust-run').click();
      await p2.getByTestId('trust-banner').waitFor({ state: 'detached' });
      await p2.getByTestId('trusted-note').waitFor();

      // Recent brings the old project back. The shared one was the untouched example, which the
      // app always has: it is not kept (an edited one would be, as the next test shows).
      await p2.getByTestId('recent').click();
      await p2.locator('[data-testid=recent-open][data-title="Random number generator"]').first().click();
      await ed2.card('my_number').waitFor();
      assert.match((await noticeMatching(p2, /from Recent/)).text, /^Opened "Random number generator" from Recent\.$/);
      const after = await recentEntries(p2);
      assert.equal(after.length, 1);
      await p2.screenshot({ path: join(shots, 'share-recent.png') });
    } finally {
      await other.close();
    }
  }],

  ['a link pasted into an open tab opens at once when nothing would be lost; environment values stay home unless included; a view link is read-only until Fork', async ({ page, url, shots }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await openExample(page, 'retry-counter.json');
    await ed.card('check_count').waitFor();
    await page.getByTestId('share').click();
    assert.match(await page.getByTestId('share-env-note').innerText(), /travel by name only, with empty values/);
    const link = await page.getByTestId('share-link').inputValue();
    assert.deepEqual(packedOf(link).env, { SUCCEEDS_AT: '' });
    // Include values: a warning, and the value travels.
    await page.getByTestId('share-include-values').check();
    assert.match(await page.getByTestId('share-env-warning').innerText(), /anyone who has it can read them/);
    const withValues = await page.getByTestId('share-link').inputValue();
    assert.deepEqual(packedOf(withValues).env, { SUCCEEDS_AT: '3' });
    await page.keyboard.press('Escape');

    // An example is not lost by opening a link: no question.
    await openExample(page, 'dog-breed.json');
    await ed.card('get-doge-image').waitFor();
    await page.evaluate((hash) => { location.hash = hash; }, link.slice(link.indexOf('#')));
    await ed.card('check_count').waitFor();
    assert.equal(await page.getByTestId('confirm-shared').count(), 0);
    await page.waitForFunction(() => location.hash === '');
    const fns = new Functions(page);
    await fns.open();
    assert.equal(await page.getByTestId('env-0-name').inputValue(), 'SUCCEEDS_AT');
    assert.equal(await page.getByTestId('env-0-value').inputValue(), '', 'the value stayed home');

    // The view link: read-only, then Fork.
    const { view } = await shareLinks(page);
    await page.getByTestId('tab-inspector').click();
    await ed.rename('check_count', 'mine');
    await page.evaluate((hash) => { location.hash = hash; }, view.slice(view.indexOf('#')));
    await page.getByTestId('view-only').waitFor();
    await ed.card('check_count').waitFor();
    assert.equal(await page.getByTestId('confirm-shared').count(), 0, 'a view replaces nothing the user keeps');
    assert.equal(await page.locator('[data-testid=palette-item]').count(), 0);
    assert.equal(await page.getByTestId('tab-inspector').count(), 0);
    await page.screenshot({ path: join(shots, 'share-view.png') });
    await page.getByTestId('canvas').focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await ed.card('check_count').waitFor();
    assert.match((await noticeMatching(page, /read-only/)).text, /read-only view of a shared project: Fork makes a copy you can edit/);
    // Nothing of the view was saved: the stored project is still the user's.
    assert.ok((await page.evaluate(() => localStorage.getItem('flowpen.project'))).includes('"mine"'));
    await page.getByTestId('fork').click();
    await page.getByTestId('view-only').waitFor({ state: 'detached' });
    await ed.rename('check_count', 'forked');
    await savedWith(page, '"forked"');
    const recent = await recentEntries(page);
    assert.equal(recent.length, 1, JSON.stringify(recent));
    assert.match(recent[0].detail, /before opening a shared link/);
    // The Recent menu from the keyboard: Enter opens it, Tab reaches its project, Esc closes it.
    await page.getByTestId('recent').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('recent-menu').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'recent-open');
    await page.keyboard.press('Escape');
    await page.getByTestId('recent-menu').waitFor({ state: 'detached' });
    assert.ok((await recentTexts(page)).includes('mine'));

    // A long link is made all the same, with a warning.
    await fns.open();
    await fns.select('/flaky');
    let noise = '';
    for (let i = 0; noise.length < 12_000; i++) noise += ((i * 2654435761) >>> 0).toString(36);
    await fns.setCode(`exports.handler = (c, e, cb) => cb(null, {});\n// ${noise}\n`);
    await page.getByTestId('share').click();
    const long = await page.getByTestId('share-link').inputValue();
    assert.ok(long.length > 8_000, `${long.length}`);
    assert.match(await page.getByTestId('share-warning').innerText(), /This link is long \(over 8,000 characters\): some chat apps, sites and proxies cut or refuse long links/);
  }],

  ['a tampered, truncated or oversized link shows its error and keeps everything; a format 1 link still opens', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await openExample(page, 'dog-breed.json');
    await ed.card('get-doge-image').waitFor();
    await ed.rename('get-doge-image', 'mine');
    await savedWith(page, '"mine"');
    const names = await ed.cardNames();
    const { link: good } = await shareLinks(page);
    const data = good.slice(good.indexOf('#share=2.') + '#share=2.'.length);
    const bytes = Buffer.from(data, 'base64url');
    const tampered = Buffer.from(bytes);
    tampered[Math.floor(bytes.length / 2)] ^= 0x10;
    const bomb = Buffer.concat([deflateRawSync(Buffer.alloc(8 << 20, 32), { level: 9 }), Buffer.from([0, 0, 0])]);
    const b64 = (buf) => buf.toString('base64url');
    const cases = [
      ['#share=3.' + data, /format 3 link, and this Flowpen reads format 1 and 2 links only/],
      ['#share=' + data, /does not say its format/],
      ['#share=2.', /holds nothing after the format/],
      ['#share=2.abc$def', /character 4 of its data, "\$", is not base64url/],
      ['#share=2.' + data.slice(0, -40), /ends too soon: the link was cut short/],
      ['#share=2.' + b64(tampered), /altered/],
      ['#share=2.' + b64(bomb), /expands to more than 4 MB/],
      ['#share=1.' + b64(Buffer.from('{"flowpen": 1, "flow": ')), /not JSON/],
    ];
    const recentBefore = await page.evaluate(() => localStorage.getItem('flowpen.recent')) + await recentTexts(page);
    for (const [hash, says] of cases) {
      await page.evaluate((h) => { location.hash = h; }, hash);
      const notice = await noticeMatching(page, /Could not open the shared link/);
      assert.equal(notice.level, 'error', hash.slice(0, 40));
      assert.match(notice.text, says, hash.slice(0, 40));
      assert.match(notice.text, /Your project was kept\.$/);
      assert.deepEqual(await ed.cardNames(), names, hash.slice(0, 40));
      assert.equal(await page.getByTestId('confirm-shared').count(), 0);
      await page.waitForFunction(() => location.hash === '');
      await page.getByTestId('notice').getByRole('button', { name: 'Dismiss' }).click();
    }
    assert.equal(await page.evaluate(() => localStorage.getItem('flowpen.recent')) + await recentTexts(page), recentBefore, 'Recent untouched');
    await savedWith(page, '"mine"');

    // A page opened with a broken link keeps the saved project too.
    await page.goto('about:blank');
    await page.goto(`${url}/#share=2.${data.slice(0, -3)}!`);
    await ed.card('mine').waitFor();
    assert.equal((await noticeMatching(page, /Could not open the shared link/)).level, 'error');
    assert.deepEqual(await ed.cardNames(), names);

    // A format 1 link (what earlier versions wrote) still opens, after the same question.
    const project = {
      flowpen: 1,
      flow: JSON.parse(readFileSync(join(ROOT, 'www/examples/retry-counter.json'), 'utf8')),
      functions: [{ path: '/flaky', code: readFileSync(join(ROOT, 'www/examples/functions/flaky.js'), 'utf8') }],
      env: { SUCCEEDS_AT: '3' },
    };
    await page.evaluate((h) => { location.hash = h; }, `#share=1.${b64(Buffer.from(JSON.stringify(project)))}`);
    await page.getByTestId('confirm-shared-open').click();
    await ed.card('check_count').waitFor();
    const fns = new Functions(page);
    await fns.open();
    assert.deepEqual(await fns.paths(), ['/flaky']);
    assert.equal(await page.getByTestId('env-0-value').inputValue(), '3');
    await page.getByTestId('trust-banner').waitFor();
  }],

  ['when the browser refuses to keep a project in Recent, the user hears it and the old project stays saved', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await ed.rename('get_num', 'mine');
    await savedWith(page, '"mine"');
    // Storage takes everything but the Recent list.
    await page.evaluate(() => {
      const real = Storage.prototype.setItem;
      window.__refuseRecent = (refuse) => {
        Storage.prototype.setItem = function (k, v) {
          if (refuse && k.startsWith('flowpen.recent')) throw new DOMException('full', 'QuotaExceededError');
          return real.call(this, k, v);
        };
      };
      window.__refuseRecent(true);
    });
    await openExample(page, 'dog-breed.json');
    await ed.card('get-doge-image').waitFor();
    const notice = await noticeMatching(page, /could not be kept in Recent/);
    assert.equal(notice.level, 'error');
    assert.match(notice.text, /It is still saved as it was, and this one is not autosaved until there is room/);
    assert.ok((await page.evaluate(() => localStorage.getItem('flowpen.project'))).includes('"mine"'), 'the old project stays saved');
    // Undo goes back to it: nothing is lost, autosave goes on.
    await page.getByTestId('undo').click();
    await ed.card('mine').waitFor();
    await ed.rename('mine', 'mine_again');
    await savedWith(page, '"mine_again"');
    // With room again, the next replacement keeps it.
    await page.evaluate(() => window.__refuseRecent(false));
    await openExample(page, 'retry-counter.json');
    await ed.card('check_count').waitFor();
    await savedWith(page, 'check_count');
    const recent = await recentEntries(page);
    assert.equal(recent.length, 1);
    assert.ok((await recentTexts(page)).includes('mine_again'));
  }],
];
