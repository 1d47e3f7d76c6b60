// Flowpen's Node adapter: runs one playground Function call with the browser's worker runtime
// (flowpen-playground's functions/worker.js), giving it what a Web Worker gives it. Two shells
// start it, and it talks to each its own way:
//
// - The native `flowpen test` starts `node -e <this file>` once per call and writes one JSON
//   object to its standard input: {"runtime": <worker.js source>, "invocation": <the invocation
//   message text>}. Standard output carries the worker's messages, one per line, each a JSON
//   string literal of the message text (the same texts the sandbox frame forwards in the browser).
// - The npm package starts it as a worker thread (`new Worker(<this file>, {eval: true,
//   workerData: {runtime, invocation}})`); the messages go to the parent with postMessage, as
//   text.
//
// Either shell applies the frame's limits (protocol::Intake), stops the process or the thread at
// the time limit and after the outcome.
//
// What a worker has and Node does not: `self` (the global object), `location.href` (the runtime's
// file name, which the runtime uses to drop its own stack frames), `postMessage` and `onmessage`,
// and the `error` / `unhandledrejection` events (from process.on('uncaughtException') and
// process.on('unhandledRejection')). A worker also stays alive until it is terminated: so does
// this process, until the Rust side stops it. Console output never reaches standard output: the
// runtime captures console calls as log messages, and the originals are silenced here.
'use strict';

const fs = require('fs');
const vm = require('vm');
const { isMainThread, parentPort, workerData } = require('worker_threads');

const RUNTIME_FILE = 'flowpen-runtime.js';

// Standard output may be a non-blocking pipe: a full pipe answers EAGAIN, so wait and go on.
const pause = new Int32Array(new SharedArrayBuffer(4));
const writeLine = (text) => {
  const bytes = Buffer.from(`${JSON.stringify(text)}\n`, 'utf8');
  let done = 0;
  while (done < bytes.length) {
    try {
      done += fs.writeSync(1, bytes, done);
    } catch (e) {
      if (!e || e.code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
};
const post = parentPort ? parentPort.postMessage.bind(parentPort) : null;
const write = isMainThread ? writeLine : (text) => post(text);
const crash = (message) => {
  write(JSON.stringify({ type: 'crash', message }));
  process.exit(0);
};

// Nothing but the protocol on standard output.
for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
  console[method] = () => {};
}
process.stdout.write = process.stderr.write.bind(process.stderr);

const listeners = { error: [], unhandledrejection: [] };
const dispatch = (type, event) => {
  for (const listener of listeners[type]) listener(event);
};

globalThis.self = globalThis;
globalThis.location = { href: RUNTIME_FILE };
globalThis.addEventListener = (type, listener) => {
  if (listeners[type] && typeof listener === 'function') listeners[type].push(listener);
};
globalThis.postMessage = (data) => {
  if (typeof data !== 'string') {
    crash('the Function posted a message that is not text (with self.postMessage); the sandbox stopped it');
    return;
  }
  write(data);
  let type = null;
  try {
    type = JSON.parse(data).type;
  } catch (e) {
    type = null;
  }
  // Twilio ends execution at the first callback: so does the frame, by terminating the worker.
  if (type === 'outcome') process.exit(0);
};

process.on('uncaughtException', (error) => {
  const message = error && error.message !== undefined ? String(error.message) : String(error);
  dispatch('error', { error, message, preventDefault() {} });
});
process.on('unhandledRejection', (reason) => {
  dispatch('unhandledrejection', { reason, preventDefault() {} });
});

// A worker waits until it is terminated, even with nothing left to do.
setInterval(() => {}, 1 << 30);

const start = (input) => {
  try {
    vm.runInThisContext(String(input.runtime), { filename: RUNTIME_FILE });
  } catch (e) {
    crash(`the Functions runtime could not start under Node: ${e && e.message}`);
    return;
  }
  if (typeof globalThis.onmessage !== 'function') {
    crash('the Functions runtime did not install its message handler');
    return;
  }
  globalThis.onmessage({ data: String(input.invocation) });
};

if (isMainThread) {
  const chunks = [];
  process.stdin.on('data', (chunk) => chunks.push(chunk));
  process.stdin.on('end', () => {
    let input;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      crash('the Node adapter received an input that is not JSON');
      return;
    }
    start(input);
  });
} else {
  start(workerData || {});
}
