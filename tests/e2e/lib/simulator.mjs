// Page object for the simulator, the execution log and the Functions panel: chat as the contact,
// read the flow's replies, click steps, read Flow Data, edit Functions. Everything is found by
// data-testid.
import { createServer } from 'node:http';

export class Simulator {
  constructor(page) {
    this.page = page;
    this.panel = page.getByTestId('simulator');
    this.log = page.getByTestId('run-log');
  }

  async open() {
    await this.page.getByTestId('tab-simulator').click();
    await this.panel.waitFor();
  }

  /// Every chat bubble: { from: contact|flow|event, text, widget }.
  async bubbles() {
    return this.page.locator('[data-testid=chat-bubble]').evaluateAll((els) => els.map((e) => ({
      from: e.dataset.from,
      widget: e.dataset.widget ?? null,
      text: (e.querySelector('.bubble-text') ?? e).innerText.trim(),
    })));
  }

  /// The texts the flow sent, in order.
  async flowTexts() {
    return (await this.bubbles()).filter((b) => b.from === 'flow').map((b) => b.text);
  }

  /// Waits until the flow has sent `n` messages in total; returns the last one.
  async waitForFlowMessage(n) {
    await this.page.waitForFunction((n) => document.querySelectorAll('[data-testid=chat-bubble][data-from=flow]').length >= n, n);
    const texts = await this.flowTexts();
    return texts[n - 1];
  }

  /// Waits for a chat line about the execution matching `re`.
  async waitForEvent(re) {
    await this.page.waitForFunction((src) => [...document.querySelectorAll('[data-testid=chat-bubble][data-from=event]')]
      .some((e) => new RegExp(src).test(e.innerText)), re.source);
  }

  /// Types a message as the contact and sends it.
  async say(text) {
    const input = this.page.getByTestId('chat-input');
    await input.fill(text);
    await input.press('Enter');
  }

  async status() {
    return this.page.getByTestId('sim-status').innerText();
  }

  /// Opens the execution drawer (it opens by itself when an execution starts).
  async openLog() {
    const expanded = await this.page.getByTestId('run-log-toggle').getAttribute('aria-expanded');
    if (expanded !== 'true') await this.page.getByTestId('run-log-toggle').click();
    await this.page.getByTestId('steps').waitFor();
  }

  /// The steps of the selected execution: [{ index, widget, event }].
  async steps() {
    return this.page.locator('[data-testid=step]').evaluateAll((els) => els.map((e) => ({
      index: Number(e.dataset.index), widget: e.dataset.widget, event: e.dataset.event,
    })));
  }

  step(widget, nth = 0) {
    return this.page.locator(`[data-testid=step][data-widget="${widget}"]`).nth(nth);
  }

  /// Clicks a step; the detail and Flow Data follow it.
  async selectStep(widget, nth = 0) {
    await this.step(widget, nth).click();
    await this.page.waitForFunction(() => /after step/i.test(document.querySelector('[data-testid=flow-data-title]')?.innerText ?? ''));
  }

  async flowDataText() {
    return this.page.getByTestId('flow-data').innerText();
  }

  /// The value shown for a Flow Data path like `widgets.get_num.parsed.number`.
  async flowDataValue(path) {
    const li = this.page.locator(`[data-testid=flow-data] li[data-path="${path}"]`);
    return (await li.locator(':scope > .tree-val').innerText()).trim();
  }

  async detailText() {
    return this.page.getByTestId('step-detail').innerText();
  }
}

export class Functions {
  constructor(page) {
    this.page = page;
    this.panel = page.getByTestId('functions-panel');
  }

  async open() {
    await this.page.getByTestId('tab-functions').click();
    await this.panel.waitFor();
  }

  async paths() {
    return this.page.locator('[data-testid=function-item]').evaluateAll((els) => els.map((e) => e.dataset.path));
  }

  async select(path) {
    await this.page.locator(`[data-testid=function-item][data-path="${path}"]`).click();
    await this.page.waitForFunction((p) => document.querySelector('[data-testid=function-path]')?.value === p, path);
  }

  async code() {
    return this.page.getByTestId('function-code').inputValue();
  }

  async setCode(code) {
    await this.page.getByTestId('function-code').fill(code);
  }
}

/// A loopback HTTP server on its own port (another origin than the app): `handler(req, body, res)`.
/// Resolves to { url, close, requests } where `requests` lists what it received.
export async function startEndpoint(handler) {
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}
