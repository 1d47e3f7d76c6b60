// The Functions panel: create, rename, edit and delete Functions; the Run Function URL picker
// lists them; environment variables reach `context`; Functions are autosaved with the flow,
// exported with it as a project file that Open… reads back, and old autosaves still load.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Editor, ROOT } from '../lib/editor.mjs';
import { Functions, Simulator } from '../lib/simulator.mjs';

/// Chats hi, 1, 6 and returns the flow's answer (the `from`-th message sent before).
async function roll(page, from = 0) {
  const sim = new Simulator(page);
  await sim.open();
  await sim.say('hi');
  await sim.waitForFlowMessage(from + 1);
  await sim.say('1');
  await sim.waitForFlowMessage(from + 2);
  await sim.say('6');
  return sim.waitForFlowMessage(from + 3);
}

export const tests = [
  ['Functions are created, renamed, edited and deleted; the URL picker lists them', async ({ page, url, shots }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const fns = new Functions(page);
    await fns.open();
    assert.deepEqual(await fns.paths(), ['/random']);
    await page.getByTestId('functions-add').click();
    assert.deepEqual(await fns.paths(), ['/random', '/function']);
    const path = page.getByTestId('function-path');
    await path.fill('/random');
    assert.match(await page.getByTestId('function-path-error').innerText(), /already has the path \/random/);
    await path.fill('/two words');
    assert.match(await page.getByTestId('function-path-error').innerText(), /found a space/);
    await path.fill('/dice');
    await path.press('Enter');
    await page.locator('[data-testid=function-item][data-path="/dice"]').waitFor();
    assert.equal(await page.getByTestId('function-url').innerText(), 'https://flowpen.local/dice');
    await fns.setCode("exports.handler = (context, event, callback) => callback(null, { number: 6 });\n");
    // Tab indents in the code editor.
    await page.getByTestId('function-code').press('End');
    await page.getByTestId('function-code').press('Tab');
    assert.match(await fns.code(), /\n {2}$/);
    await page.screenshot({ path: join(shots, 'functions-panel.png') });

    // The Run Function's picker lists the project's Functions and sets the URL.
    await page.getByTestId('tab-inspector').click();
    await ed.select('get_num');
    const options = await page.getByTestId('function-picker').locator('option').allInnerTexts();
    assert.deepEqual(options.slice(1), ['/random', '/dice']);
    await page.getByTestId('function-picker').selectOption('/dice');
    await page.waitForFunction(() => document.querySelector('[data-testid=field-url]')?.value === 'https://flowpen.local/dice');
    assert.match(await page.getByTestId('field-url-hint').innerText(), /in-browser Function of this project \(\/dice\)/);
    assert.equal(await roll(page), 'Your random number is 6.');

    // "Edit /dice in Functions" goes there; deleting asks first.
    await page.getByTestId('tab-inspector').click();
    await page.getByTestId('function-open').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=function-path]')?.value === '/dice');
    assert.match(await page.locator('[data-testid=function-item][data-path="/dice"]').innerText(), /1 widget/);
    await page.getByTestId('function-delete').click();
    await page.getByTestId('function-delete-confirm').click();
    assert.deepEqual(await fns.paths(), ['/random']);
    await page.getByTestId('tab-inspector').click();
    await page.getByTestId('zoom-fit').click();
    await ed.select('get_num');
    assert.match(await page.getByTestId('function-missing').innerText(), /no Function \/dice/);
    // Calling it anyway: the in-browser host answers 404 and the step says why.
    assert.equal(await roll(page, 3), 'Sorry, I could not pick a number (404): Could not find requested resource');
    const sim = new Simulator(page);
    await sim.openLog();
    await sim.selectStep('get_num');
    assert.match(await page.getByTestId('step-note').innerText(), /no Function at \/dice/);
  }],

  ['environment variables reach context, and console output shows with the step', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const fns = new Functions(page);
    await fns.open();
    await fns.select('/random');
    await fns.setCode(`exports.handler = function(context, event, callback) {
  console.log('lucky is', context.LUCKY, 'path', context.PATH);
  return callback(null, { number: Number(context.LUCKY) });
};`);
    await page.getByTestId('env-add').click();
    await page.getByTestId('env-0-name').fill('LUCKY');
    await page.getByTestId('env-0-value').fill('7');
    assert.equal(await roll(page), 'Your random number is 7.');
    const sim = new Simulator(page);
    await sim.openLog();
    await sim.selectStep('get_num');
    assert.match(await page.getByTestId('function-logs').innerText(), /lucky is 7 path \/random/);
  }],

  ['Functions are autosaved; Export project writes them with the flow and Open… reads them back', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const fns = new Functions(page);
    await fns.open();
    await fns.select('/random');
    const code = "exports.handler = (context, event, callback) => callback(null, { number: 3 });\n";
    await fns.setCode(code);
    await page.getByTestId('env-add').click();
    await page.getByTestId('env-0-name').fill('REGION');
    await page.getByTestId('env-0-value').fill('eu');
    await page.waitForFunction((c) => JSON.parse(localStorage.getItem('flowpen.project') ?? '{}').functions?.[0]?.code === c, code);

    await page.reload();
    await ed.cards().first().waitFor();
    await fns.open();
    await fns.select('/random');
    assert.equal(await fns.code(), code);
    assert.equal(await page.getByTestId('env-0-value').inputValue(), 'eu');

    // Export stays pure Studio JSON; Export project adds the Functions.
    const { text: studio } = await ed.exportText();
    assert.equal(JSON.parse(studio).flowpen, undefined);
    assert.ok(!studio.includes('exports.handler'));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-project').click(),
    ]);
    assert.equal(download.suggestedFilename(), 'random-number-generator.flowpen.json');
    const projectText = readFileSync(await download.path(), 'utf8');
    const project = JSON.parse(projectText);
    assert.equal(project.flowpen, 1);
    assert.deepEqual(project.flow, JSON.parse(studio));
    assert.deepEqual(project.functions, [{ path: '/random', code }]);
    assert.deepEqual(project.env, { REGION: 'eu' });

    // Another example replaces the Functions; opening the project file brings them back.
    await page.getByTestId('examples').click();
    await page.getByTestId('example-dog-breed.json').click();
    await ed.card('get-doge-image').waitFor();
    assert.deepEqual(await fns.paths(), ['/get-doge']);
    await ed.importFile({ name: 'mine.flowpen.json', mimeType: 'application/json', buffer: Buffer.from(projectText) });
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.innerText.includes('mine.flowpen.json'));
    assert.match((await ed.notice()).text, /6 widgets and 1 Function/);
    await ed.card('get_num').waitFor();
    assert.deepEqual(await fns.paths(), ['/random']);
    await fns.select('/random');
    assert.equal(await fns.code(), code);
    assert.equal(await roll(page), 'Your random number is 3.');
    // Undo brings back the dog breed flow and its Function.
    await page.getByTestId('undo').click();
    await ed.card('get-doge-image').waitFor();
    assert.deepEqual(await fns.paths(), ['/get-doge']);
  }],

  ['an autosave from before Functions existed gets the bundled Functions its flow calls', async ({ page, url }) => {
    const ed = new Editor(page);
    await ed.open(url);
    const dog = JSON.parse(readFileSync(join(ROOT, 'www/examples/dog-breed.json'), 'utf8'));
    await page.evaluate((flow) => {
      localStorage.removeItem('flowpen.project');
      localStorage.setItem('flowpen.flow', JSON.stringify(flow));
      localStorage.removeItem('flowpen.functions');
      localStorage.removeItem('flowpen.view');
    }, dog);
    await page.reload();
    await ed.card('get-doge-image').waitFor();
    const fns = new Functions(page);
    await fns.open();
    assert.deepEqual(await fns.paths(), ['/get-doge']);
    const sim = new Simulator(page);
    await sim.open();
    await sim.say('hi');
    await sim.waitForFlowMessage(1);
    await sim.say('beagle');
    assert.equal(await sim.waitForFlowMessage(2), "Here's an image of a beagle! 🐶");
  }],
];
