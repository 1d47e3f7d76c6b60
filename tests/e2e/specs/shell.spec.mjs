// The page boots into the editor shell: palette, canvas, inspector.
import assert from 'node:assert/strict';
import { join } from 'node:path';

const PALETTE = ['Trigger', 'Send & Wait For Reply', 'Run Function', 'Set Variables',
  'Split Based On…', 'Send Message', 'Make HTTP Request'];

export const tests = [
  ['boots into the editor shell', async ({ page, url, shots }) => {
    await page.goto(url);
    const palette = page.getByTestId('palette');
    await palette.waitFor();
    const items = await palette.locator('[data-widget-type]').allInnerTexts();
    for (const label of PALETTE) assert.ok(items.includes(label), `palette lists ${label}: ${items}`);
    const canvas = page.getByTestId('canvas');
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    assert.ok(box.width > 300 && box.height > 300, `canvas is visible: ${JSON.stringify(box)}`);
    await page.getByTestId('inspector').waitFor();
    await page.screenshot({ path: join(shots, 'shell.png') });
  }],
];
