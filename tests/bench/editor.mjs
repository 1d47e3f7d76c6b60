// Editor benchmark (headless Chromium through playwright-core): how long the largest corpus flow
// (#26, 129 widgets) and a generated 1,000-widget flow take to open, and how much work each
// pointer move costs while dragging a widget of the 1,000-widget flow.
//
// Usage: node tests/bench/editor.mjs [DIST]   (default dist/, a release build)
// Prints a Markdown section for BENCHMARKS.md.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../e2e/lib/browser.mjs';
import { startServer } from '../e2e/lib/serve.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = resolve(root, process.argv[2] ?? 'dist');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MOVES = Number(process.env.BENCH_MOVES ?? 240);

/// A valid 1,000-widget flow (Studio's maximum): a Trigger and 999 widgets of the six palette
/// types on a grid, each connected to the next, with Liquid in their templates.
export function generatedFlow(n = 1000) {
  const kinds = ['send-and-wait-for-reply', 'run-function', 'set-variables', 'split-based-on', 'send-message', 'make-http-request'];
  const name = (i) => (i === 0 ? 'Trigger' : `w${i}`);
  const states = [{
    name: 'Trigger', type: 'trigger',
    transitions: [{ next: 'w1', event: 'incomingMessage' }, { event: 'incomingCall' }, { event: 'incomingConversationMessage' }, { event: 'incomingRequest' }, { event: 'incomingParent' }],
    properties: { offset: { x: 0, y: 0 } },
  }];
  for (let i = 1; i < n; i++) {
    const kind = kinds[i % kinds.length];
    const next = i + 1 < n ? name(i + 1) : undefined;
    const col = i % 25, row = Math.floor(i / 25);
    const offset = { x: col * 420 - 5000, y: row * 260 + 300 };
    const prev = `{{widgets.${name(i - 1)}.body}}`;
    const to = (event) => (next ? { next, event } : { event });
    let s;
    switch (kind) {
      case 'send-and-wait-for-reply':
        s = { transitions: [to('incomingMessage'), { event: 'timeout' }, { event: 'deliveryFailure' }],
          properties: { offset, body: `Step ${i}: ${prev}?`, from: '{{flow.channel.address}}', timeout: '3600' } };
        break;
      case 'run-function':
        s = { transitions: [to('success'), { event: 'fail' }],
          properties: { offset, url: `https://example.com/f${i}`, parameters: [{ key: 'prev', value: prev }] } };
        break;
      case 'set-variables':
        s = { transitions: [to('next')], properties: { offset, variables: [{ key: `v${i}`, value: `{{ ${i} | plus: 1 }}` }] } };
        break;
      case 'split-based-on': {
        const input = `{{widgets.${name(i - 1)}.inbound.Body}}`;
        s = { transitions: [to('noMatch'),
          { next: name(Math.max(1, i - 3)), event: 'match', conditions: [{ friendly_name: 'If value equal_to yes', arguments: [input], type: 'equal_to', value: 'yes' }] },
          { event: 'match', conditions: [{ friendly_name: 'If value contains no', arguments: [input], type: 'contains', value: 'no' }] }],
          properties: { input, offset } };
        break;
      }
      case 'send-message':
        s = { transitions: [to('sent'), { event: 'failed' }],
          properties: { offset, body: `Done ${i}: {{flow.variables.v${i - 1}}}`, from: '{{flow.channel.address}}', to: '{{contact.channel.address}}' } };
        break;
      default:
        s = { transitions: [to('success'), { event: 'failed' }],
          properties: { offset, method: 'GET', url: `https://example.com/h/${i}`, content_type: 'application/x-www-form-urlencoded;charset=utf-8', parameters: [] } };
    }
    states.push({ name: name(i), type: kind, ...s });
  }
  return { description: 'Generated 1,000-widget flow', states, initial_state: 'Trigger', flags: { allow_concurrent_calls: true } };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, p50: q(0.5), p95: q(0.95), max: s[s.length - 1], median: q(0.5) };
};
const ms = (x) => `${x.toFixed(1)} ms`;

/// Opens `text` through the file input and returns the time until the cards are drawn and a
/// frame has been painted.
async function timeOpen(page, text, n) {
  return page.evaluate(async ({ text, n }) => {
    const input = document.querySelector('[data-testid=import-file]');
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'bench.json', { type: 'application/json' }));
    input.files = dt.files;
    const t0 = performance.now();
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await new Promise((done) => {
      const check = () => (document.querySelectorAll('[data-testid=card]').length === n ? done() : setTimeout(check, 0));
      check();
    });
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
  }, { text, n });
}

async function main() {
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no build in ${dist}: run trunk build --release first`);
  const { server, url } = await startServer(dist, 0, {});
  const browser = await launch({ viewport: { width: 1440, height: 900 } });
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(url);
  await page.locator('[data-testid=card]').first().waitFor();
  const small = await page.locator('[data-testid=card]').count();

  // The example's cards on screen after a navigation: a new visit (empty storage; the page and
  // its wasm from the browser's cache, as on a second visit), from navigation start to the frame
  // after the first card is in the DOM (recorded in the page, so polling adds nothing).
  await page.addInitScript(() => {
    const seen = new MutationObserver(() => {
      if (document.querySelector('[data-testid=card]')) {
        seen.disconnect();
        requestAnimationFrame(() => { window.__cardsAt = performance.now(); });
      }
    });
    seen.observe(document, { childList: true, subtree: true });
  });
  const visits = [];
  for (let i = 0; i < RUNS; i++) {
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForFunction(() => window.__cardsAt !== undefined, null, { timeout: 20000 });
    visits.push(await page.evaluate(() => window.__cardsAt));
  }
  const visit = stats(visits);

  const shared = process.env.FLOWPEN_SHARED ?? resolve(root, '../shared');
  const corpus26 = join(shared, 'fixtures/studio-flows/26_mgmuscari__accfb-foodnow__studio_bot_flow.json');
  const rows = [];
  rows.push([`example on screen after navigation (${small} cards, empty storage)`, ms(visit.median), ms(visit.max), '< 500 ms', visit.max < 500 ? 'yes' : 'NO']);
  const reset = async () => {
    const example = readFileSync(join(root, 'www/examples/random-number.json'), 'utf8');
    await timeOpen(page, example, small);
  };
  if (existsSync(corpus26)) {
    const text = readFileSync(corpus26, 'utf8');
    const n = JSON.parse(text).states.length;
    const times = [];
    for (let i = 0; i < RUNS; i++) { await reset(); times.push(await timeOpen(page, text, n)); }
    const s = stats(times);
    rows.push([`open corpus #26 (${n} widgets)`, ms(s.median), ms(s.max), '< 300 ms', s.max < 300 ? 'yes' : 'NO']);
  } else {
    rows.push(['open corpus #26', 'skipped: ../shared missing', '', '< 300 ms', '']);
  }

  const big = JSON.stringify(generatedFlow(1000), null, 2);
  const openTimes = [];
  for (let i = 0; i < RUNS; i++) { await reset(); openTimes.push(await timeOpen(page, big, 1000)); }
  const o = stats(openTimes);
  rows.push(['open generated flow (1,000 widgets)', ms(o.median), ms(o.max), '< 1,500 ms', o.max < 1500 ? 'yes' : 'NO']);

  // Reload with the 1,000-widget flow in autosave: navigation to a painted canvas (includes
  // fetching and compiling the wasm).
  const reloads = [];
  for (let i = 0; i < 3; i++) {
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=card]').length === 1000, null, { timeout: 20000 });
    reloads.push(await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now())))));
  }
  const rl = stats(reloads);

  // Drag a widget at 100% zoom: per pointer move, the work from the event to an updated,
  // laid-out DOM (handler, reducer, Yew render, style and layout), and the frame intervals.
  await page.getByTestId('zoom-level').click();
  await page.keyboard.press('Control+K');
  await page.keyboard.type('w500');
  await page.keyboard.press('Enter');
  const card = page.locator('[data-testid=card][data-name=w500]');
  const box = await card.boundingBox();
  await page.evaluate(() => {
    window.__moves = [];
    window.__frames = [];
    let t0 = 0;
    addEventListener('pointermove', () => { t0 = performance.now(); }, { capture: true });
    addEventListener('pointermove', () => { void document.body.offsetHeight; window.__moves.push(performance.now() - t0); });
    let last = 0;
    const tick = (t) => { if (last) window.__frames.push(t - last); last = t; window.__raf = requestAnimationFrame(tick); };
    window.__raf = requestAnimationFrame(tick);
  });
  const start = { x: box.x + 60, y: box.y + 12 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= MOVES; i++) {
    const a = (i / MOVES) * Math.PI * 4;
    await page.mouse.move(start.x + 150 * Math.sin(a) + i * 0.5, start.y + 90 * (1 - Math.cos(a)));
  }
  await page.mouse.up();
  const { moves, frames, undo } = await page.evaluate(async () => {
    cancelAnimationFrame(window.__raf);
    await new Promise((r) => setTimeout(r, 50));
    return { moves: window.__moves, frames: window.__frames, undo: !document.querySelector('[data-testid=undo]').disabled };
  });
  if (!undo) throw new Error('the drag did not commit');
  const mv = stats(moves.slice(2)); // The first moves start the drag (the card changes layer).
  const fr = stats(frames);
  rows.push(['drag a widget of the 1,000-widget flow: work per pointer move (p95)', ms(mv.p50), ms(mv.p95), '< 16 ms', mv.p95 < 16 ? 'yes' : 'NO']);

  await browser.close();
  server.close();
  if (errors.length) throw errors[0];

  const chromium = await (async () => {
    try { const { execSync } = await import('node:child_process'); return execSync('/usr/bin/chromium --version 2>/dev/null').toString().trim(); } catch { return 'chromium'; }
  })();
  console.log('## Editor\n');
  console.log(`Command: \`make bench\` (runs \`node tests/bench/editor.mjs\` against the release build in \`dist/\`; ${chromium}, headless, 1440×900).\n`);
  console.log('| measurement | median / p50 | worst / p95 | target | met |\n|---|---:|---:|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\nOpen = from the file input's \`change\` to the cards in the DOM and the next frame painted (${RUNS} runs each; worst of them shown).`);
  console.log(`Drag = ${mv.n} pointer moves: time from the move event to an updated, laid-out DOM (event handler, reducer, Yew render, style and layout; paint excluded); max ${ms(mv.max)}. Frame intervals during the drag: p50 ${ms(fr.p50)}, p95 ${ms(fr.p95)} (${fr.n} frames).`);
  console.log(`Reload with the 1,000-widget flow in autosave (navigation start to painted canvas, wasm compile included): median ${ms(rl.median)}.`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => { console.error(e); process.exit(1); });
}
