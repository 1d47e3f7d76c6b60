// Run Function over fetch: real HTTP endpoints on loopback, on another origin than the app. With
// Access-Control-Allow-Origin the call succeeds; without it the step explains CORS; a port where
// nothing listens is a network error; a slow endpoint times out at 10 s; a 401 from a *.twil.io
// host is explained as a protected Function.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch } from '../lib/browser.mjs';
import { Editor } from '../lib/editor.mjs';
import { Simulator, startEndpoint } from '../lib/simulator.mjs';

/// Points get_num at `target` and chats hi, 1, 6; returns the flow's last message.
async function runRandom(page, target, { from = 0 } = {}) {
  const ed = new Editor(page);
  await page.getByTestId('tab-inspector').click();
  // The execution drawer may cover it: fit the flow into the canvas first.
  await page.getByTestId('zoom-fit').click();
  await ed.select('get_num');
  await ed.fill('url', target);
  const sim = new Simulator(page);
  await sim.open();
  await sim.say('hi');
  await sim.waitForFlowMessage(from + 1);
  await sim.say('1');
  await sim.waitForFlowMessage(from + 2);
  await sim.say('6');
  return sim.waitForFlowMessage(from + 3);
}

/// The get_num step of the selected execution: its detail text.
async function getNumDetail(page) {
  const sim = new Simulator(page);
  await sim.openLog();
  await sim.selectStep('get_num');
  return sim.detailText();
}

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export const tests = [
  ['a 3xx without a Location is a success with its own status and body, as in Studio', async ({ page, url }) => {
    const ep = await startEndpoint((req, body, res) => {
      res.writeHead(302, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(JSON.stringify({ number: 4 }));
    });
    try {
      const ed = new Editor(page);
      await ed.open(url);
      assert.equal(await runRandom(page, `${ep.url}/moved`), 'Your random number is 4.');
      const detail = await getNumDetail(page);
      assert.match(detail, /HTTP 302/);
    } finally {
      await ep.close();
    }
  }],

  ['a loopback endpoint with CORS headers answers; without them the step explains CORS', async ({ page, url, shots }) => {
    const ep = await startEndpoint((req, body, res) => {
      const cors = req.url.startsWith('/cors') ? { 'access-control-allow-origin': '*', 'x-served-by': 'loopback' } : {};
      json(res, 200, { number: 4 }, cors);
    });
    try {
      const ed = new Editor(page);
      await ed.open(url);
      assert.equal(await runRandom(page, `${ep.url}/cors`), 'Your random number is 4.');
      const seen = ep.requests.find((r) => r.url === '/cors');
      assert.equal(seen.method, 'POST');
      assert.equal(seen.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(seen.body, 'min=1&max=6');
      assert.equal(ep.requests.filter((r) => r.method === 'OPTIONS').length, 0, 'a simple request: no preflight');
      let detail = await getNumDetail(page);
      assert.match(detail, /sent by the browser \(fetch\)/);
      assert.match(detail, /HTTP 200/);
      const sim = new Simulator(page);
      assert.equal(await sim.flowDataValue('widgets.get_num.parsed.number'), '4');
      assert.equal(await sim.flowDataValue('widgets.get_num.content_type'), '"application/json"');

      const answer = await runRandom(page, `${ep.url}/nocors`, { from: 3 });
      assert.equal(answer, 'Sorry, I could not pick a number ():');
      detail = await getNumDetail(page);
      const error = await page.getByTestId('step-error').innerText();
      assert.match(error, /the browser blocked the response \(CORS\): 127\.0\.0\.1 answered/);
      assert.match(error, /Access-Control-Allow-Origin/);
      assert.match(error, /response\.appendHeader\('Access-Control-Allow-Origin', '\*'\)/);
      assert.match(detail, /fail → send_error/);
      // The server did get the request (CORS hides the answer, it does not stop the call).
      assert.ok(ep.requests.some((r) => r.url === '/nocors' && r.method === 'POST'));
      await page.screenshot({ path: join(shots, 'http-cors-explained.png') });
    } finally {
      await ep.close();
    }
  }],

  ['a port where nothing listens is a network error', async ({ page, url }) => {
    // Take a free port, then close it: nothing listens there.
    const ep = await startEndpoint((req, body, res) => res.end());
    const dead = ep.url;
    await ep.close();
    const ed = new Editor(page);
    await ed.open(url);
    assert.equal(await runRandom(page, `${dead}/random`), 'Sorry, I could not pick a number ():');
    await getNumDetail(page);
    assert.match(await page.getByTestId('step-error').innerText(), /^network error: 127\.0\.0\.1 could not be reached/);
  }],

  ['a slow endpoint is aborted at 10 s and the step says so', async ({ page, url }) => {
    const ep = await startEndpoint(() => { /* never answers */ });
    try {
      const ed = new Editor(page);
      await ed.open(url);
      const started = Date.now();
      assert.equal(await runRandom(page, `${ep.url}/slow`), 'Sorry, I could not pick a number ():');
      const took = Date.now() - started;
      assert.ok(took >= 9_500, `the widget waited for the time limit (${took} ms)`);
      await getNumDetail(page);
      assert.match(await page.getByTestId('step-error').innerText(), /no response within 10 s/);
    } finally {
      await ep.close();
    }
  }],

  ['a 401 from a *.twil.io Function is explained as a protected Function', async ({ url }) => {
    const ep = await startEndpoint((req, body, res) => {
      if (req.url.startsWith('/protected')) {
        json(res, 401, { message: 'Unauthorized' }, { 'access-control-allow-origin': '*' });
      } else {
        json(res, 401, { message: 'Unauthorized' });
      }
    });
    const port = new URL(ep.url).port;
    // demo-1234-dev.twil.io resolves to the loopback endpoint in this browser only.
    const browser = await launch({ args: [`--host-resolver-rules=MAP demo-1234-dev.twil.io 127.0.0.1:${port}`] });
    try {
      const page = browser.context.pages()[0] ?? await browser.context.newPage();
      const ed = new Editor(page);
      await ed.open(url);
      assert.equal(await runRandom(page, 'http://demo-1234-dev.twil.io/protected'), 'Sorry, I could not pick a number (401): {"message":"Unauthorized"}');
      await getNumDetail(page);
      const note = await page.getByTestId('step-note').innerText();
      assert.match(note, /most likely a Protected Function/);
      assert.match(note, /X-Twilio-Signature/);
      // Without CORS headers (what Twilio's 401 looks like), the CORS explanation says it too.
      await runRandom(page, 'http://demo-1234-dev.twil.io/other', { from: 3 });
      await getNumDetail(page);
      assert.match(await page.getByTestId('step-error').innerText(), /If the Function is Protected, a browser cannot call it at all/);
    } finally {
      await browser.close();
      await ep.close();
    }
  }],
];
