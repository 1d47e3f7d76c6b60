// Flow tests in the browser: a conversation saved as a test passes in the Tests panel and, exported
// with the project, in `flowpen test` (the same runner in the CLI); an edited case fails with the
// first mismatch and shows its run in the execution log; coverage greys what no case reached; the
// test file's text has live errors at a line and column.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Editor } from '../lib/editor.mjs';
import { Simulator } from '../lib/simulator.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/// Chats 2, 2 with the random number example and saves the conversation as `name`, the only
/// case (the example's own cases are cleared first).
async function saveConversation(page, name) {
  await page.getByTestId('tab-tests').click();
  assert.equal(await page.getByTestId('tests-count').innerText(), '8 cases', 'the example comes with its tests');
  await page.locator('.tests-editor summary').click();
  await page.getByTestId('tests-text').fill('');
  await page.getByTestId('tests-empty').waitFor();
  const sim = new Simulator(page);
  await sim.open();
  await sim.say('hi');
  await sim.waitForFlowMessage(1);
  await sim.say('2');
  await sim.waitForFlowMessage(2);
  await sim.say('2');
  assert.equal(await sim.waitForFlowMessage(3), 'Your random number is 2.');
  await page.getByTestId('sim-save-test').click();
  await page.getByTestId('save-test-name').fill(name);
  await page.keyboard.press('Enter');
  await page.getByTestId('tests-panel').waitFor();
}

async function download(page, testid, dir) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  const file = join(dir, d.suggestedFilename());
  await d.saveAs(file);
  return file;
}

async function runAll(page) {
  await page.getByTestId('tests-run-all').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=test-case]')]
    .every((c) => c.dataset.status === 'passed' || c.dataset.status === 'failed'));
}

export const tests = [
  ['a conversation saved as a test passes in the panel and, exported, in flowpen test', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await saveConversation(page, 'picks two');
    assert.match((await ed.notice()).text, /Saved "picks two" as a flow test; it passes/);
    assert.equal(await page.getByTestId('tests-count').innerText(), '1 case');
    await runAll(page);
    assert.equal(await page.locator('[data-testid=test-case]').getAttribute('data-status'), 'passed');
    assert.equal(await page.getByTestId('tests-summary').innerText(), '1 passed, 0 failed');
    // Export both files for CI and run the CLI on them.
    const dir = mkdtempSync(join(tmpdir(), 'flowpen-e2e-'));
    try {
      const testFile = await download(page, 'tests-export', dir);
      const project = await download(page, 'export-project', dir);
      assert.match(readFileSync(testFile, 'utf8'), /^flow: random-number-generator\.flowpen\.json/);
      assert.ok(project.endsWith('random-number-generator.flowpen.json'), project);
      let out;
      try {
        out = execFileSync('cargo', ['run', '--quiet', '--locked', '-p', 'flowpen-cli', '--bin', 'flowpen', '--', 'test', testFile],
          { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        throw new Error(`flowpen test failed (${e.status}):\n${e.stdout}\n${e.stderr}`);
      }
      assert.match(out, /picks two/);
      assert.match(out.trim().split('\n').at(-1), /^1 passed, 0 failed$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, { timeoutMs: 240_000 }],

  ['an edited case fails with its first mismatch, shows its run in the log; coverage greys the unreached; text errors say where', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    await saveConversation(page, 'picks two');
    if (!await page.locator('.tests-editor').evaluate((d) => d.open)) await page.locator('.tests-editor summary').click();
    const box = page.getByTestId('tests-text');
    const text = await box.inputValue();
    await box.fill(text.replace('Your random number is 2.', 'Your random number is 3.'));
    await runAll(page);
    const c = page.locator('[data-testid=test-case]');
    assert.equal(await c.getAttribute('data-status'), 'failed');
    assert.match(await page.getByTestId('test-failure').innerText(),
      /step 6 \(line \d+\): expected the flow to send "Your random number is 3\.", but it sent "Your random number is 2\."/);
    assert.match(await page.getByTestId('test-diff').innerText(), /- expected: "Your random number is 3\."\n\+ actual: +"Your random number is 2\."/);
    assert.equal(await page.getByTestId('tests-summary').innerText(), '0 passed, 1 failed');
    // Its run in the log: a flow test's execution, its widget selected on the canvas.
    await page.getByTestId('test-show').click();
    await page.waitForFunction(() => /flow test "picks two"/.test(document.querySelector('[data-testid=run-summary]')?.innerText ?? ''));
    assert.deepEqual(await ed.selectedNames(), ['send_result']);
    // Like any execution, the test's run rewinds: to min_value's reply, then the contact answers.
    const sim = new Simulator(page);
    await sim.openLog();
    await sim.selectStep('min_value');
    await page.getByTestId('rewind').click();
    await page.waitForFunction(() => /rewound from #\d+ at step 1/.test(document.querySelector('[data-testid=run-summary]')?.innerText ?? ''));
    assert.deepEqual((await sim.steps()).map((st) => st.widget), ['Trigger', 'min_value']);
    await page.getByTestId('tab-tests').click();
    // Coverage: send_error was never reached, nor the Fail transition of get_num.
    await page.getByTestId('tests-coverage').check();
    await page.waitForFunction(() => document.querySelector('[data-testid=card][data-name=send_error]')?.dataset.uncovered === 'true');
    const uncovered = await page.locator('[data-testid=card][data-uncovered=true]').evaluateAll((els) => els.map((e) => e.dataset.name));
    assert.deepEqual(uncovered, ['send_error']);
    assert.equal(await page.locator('[data-testid=edge].uncovered[data-from=get_num][data-event=fail]').count(), 1);
    // Broken text: the error says where; the panel lists nothing to run until it reads.
    await box.fill(`${text}\n  - name: [broken`);
    assert.match(await page.getByTestId('tests-error').innerText(), /^line \d+, column \d+: /);
    assert.equal(await page.getByTestId('tests-run-all').isDisabled(), true);
  }],
];
