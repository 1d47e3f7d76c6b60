// Page object for the flow editor: finds cards, ports and fields by their data-testid, and does
// what a user does (drag from the palette, connect ports, rename, type, export, import).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../../..');

/// The Studio corpus directory, or null (after printing why) when ../shared is missing outside CI.
export function corpusDir(test) {
  const shared = process.env.FLOWPEN_SHARED ?? resolve(ROOT, '../shared');
  const dir = join(shared, 'fixtures', 'studio-flows');
  if (existsSync(dir)) return dir;
  const msg = `${test}: ../shared not found at ${shared} (set FLOWPEN_SHARED to point at it)`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.log(`    SKIPPED ${msg}`);
  return null;
}

/// Every corpus file: [name, path], sorted.
export function corpusFiles(dir) {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => [f, join(dir, f)]);
}

/// A flow's JSON value without the widgets' offsets (positions depend on where things were dropped).
export function withoutOffsets(flow) {
  const copy = structuredClone(flow);
  for (const s of copy.states ?? []) delete s.properties?.offset;
  return copy;
}

export class Editor {
  constructor(page) {
    this.page = page;
    this.canvas = page.getByTestId('canvas');
    this.inspector = page.getByTestId('inspector');
  }

  /// Opens the app and waits until the flow is drawn.
  async open(url) {
    await this.page.goto(url);
    await this.cards().first().waitFor();
    return this;
  }

  cards() { return this.page.locator('[data-testid=card]'); }
  card(name) { return this.page.locator(`[data-testid=card][data-name="${name}"]`); }
  /// A port by event (the `nth` one for repeated events such as a split's conditions).
  port(name, event, nth = 0) { return this.card(name).locator(`[data-testid=port][data-event="${event}"]`).nth(nth); }
  edge(from, event) { return this.page.locator(`[data-testid=edge][data-from="${from}"][data-event="${event}"]`); }
  field(key) { return this.inspector.getByTestId(`field-${key}`); }

  async cardNames() {
    return this.cards().evaluateAll((els) => els.map((e) => e.dataset.name));
  }

  async selectedNames() {
    return this.page.locator('[data-testid=card][data-selected=true]').evaluateAll((els) => els.map((e) => e.dataset.name));
  }

  async box(locator) {
    const b = await locator.boundingBox();
    if (!b) throw new Error('element is not visible');
    return b;
  }

  /// Drags a widget type from the palette onto the canvas at (x, y) relative to the canvas.
  async dragFromPalette(type, x, y) {
    const before = (await this.cardNames()).length;
    const item = this.page.locator(`[data-testid=palette-item][data-widget-type="${type}"]`);
    await item.dragTo(this.canvas, { targetPosition: { x, y } });
    await this.page.waitForFunction((n) => document.querySelectorAll('[data-testid=card]').length === n, before + 1);
    const names = await this.cardNames();
    return names[names.length - 1];
  }

  /// Presses at `from` and moves to `to` in steps, like a hand would.
  async mouseDrag(from, to, steps = 12) {
    const m = this.page.mouse;
    await m.move(from.x, from.y);
    await m.down();
    await m.move(from.x + 6, from.y + 6, { steps: 2 });
    await m.move(to.x, to.y, { steps });
    await m.up();
  }

  static centre(b) { return { x: b.x + b.width / 2, y: b.y + b.height / 2 }; }

  /// Drags from a port to the middle of another widget's card.
  async connect(from, event, to) {
    const p = Editor.centre(await this.box(this.port(from, event)));
    const t = await this.box(this.card(to));
    await this.mouseDrag(p, { x: t.x + t.width / 2, y: t.y + 40 });
    await this.edge(from, event).and(this.page.locator(`[data-to="${to}"]`)).first().waitFor();
  }

  /// Moves a card by dragging its header.
  async moveCard(name, dx, dy) {
    const b = await this.box(this.card(name));
    const from = { x: b.x + 40, y: b.y + 12 };
    await this.mouseDrag(from, { x: from.x + dx, y: from.y + dy });
  }

  /// Clicks a card (its name), which selects it and shows it in the inspector.
  async select(name) {
    await this.card(name).locator('.card-name').click();
    await this.page.waitForFunction((n) => document.querySelector('[data-testid=inspector-name]')?.value === n, name);
  }

  async rename(name, newName) {
    await this.select(name);
    const input = this.inspector.getByTestId('inspector-name');
    await input.fill(newName);
    await input.press('Enter');
    await this.card(newName).waitFor();
  }

  async fill(key, value) {
    await this.field(key).fill(value);
  }

  /// Adds a key/value item to the list property `key` of the selected widget.
  async addKeyValue(key, k, v) {
    const add = this.inspector.getByTestId(`kv-${key}-add`);
    const n = await this.inspector.locator(`[data-testid^="kv-${key}-"][data-testid$="-key"]`).count();
    await add.click();
    await this.inspector.getByTestId(`kv-${key}-${n}-key`).fill(k);
    await this.inspector.getByTestId(`kv-${key}-${n}-value`).fill(v);
  }

  /// Clicks Export and returns the downloaded file's text.
  async exportText() {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByTestId('export').click(),
    ]);
    const path = await download.path();
    return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
  }

  async newFlow() {
    await this.page.getByTestId('new-flow').click();
    await this.page.getByTestId('confirm-new-ok').click();
    await this.page.waitForFunction(() => document.querySelectorAll('[data-testid=card]').length === 1);
  }

  async importFile(path) {
    await this.page.getByTestId('import-file').setInputFiles(path);
  }

  async importText(text) {
    await this.page.getByTestId('open').click();
    await this.page.getByTestId('import-text').fill(text);
    await this.page.getByTestId('import-open').click();
  }

  async notice() {
    const n = this.page.getByTestId('notice');
    await n.waitFor();
    return { level: await n.getAttribute('data-level'), text: await n.innerText() };
  }

  async transform() {
    return this.page.getByTestId('viewport').evaluate((e) => e.style.transform);
  }

  /// Presses a shortcut with focus away from text fields.
  async shortcut(keys) {
    await this.page.keyboard.press(keys);
  }
}
