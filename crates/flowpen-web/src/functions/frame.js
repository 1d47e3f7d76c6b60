// Flowpen's Functions sandbox frame: the script of the hidden iframe that starts the workers.
//
// The iframe is created by the Rust host (functions/host.rs) with sandbox="allow-scripts" and no
// allow-same-origin, so this document and every worker it starts live in an opaque origin: they
// cannot read the app's storage, cookies or DOM. RUNTIME_SOURCE (defined just before this script
// by the host) is the worker bootstrap, worker.js.
//
// Protocol: the app posts the invocation (JSON text) to this window together with a MessagePort.
// The frame starts one Worker for it, forwards the worker's "log" and "outcome" messages to the
// port, and terminates the worker after the outcome or when the time limit passes (then it sends
// {"type":"timeout"}). If the worker cannot start or fails outside the Function's own error
// handling, it sends {"type":"crash","message":...}. The app may post {"type":"cancel"} on the
// port to stop the worker early. This script must not contain a less-than sign: it is inlined in
// an HTML script element.
//
// Limits: the worker's own caps (1,000 log lines of 10,000 characters) are advice, since Function
// code can call self.postMessage itself; the frame's are the rule. It forwards a log message of at
// most MAX_LOG_MESSAGE characters and at most MAX_CALL_LOG characters of log messages per call
// (dropping the rest with one note each), an outcome of at most MAX_OUTCOME characters (a larger
// one ends the call as a crash that says why), and nothing that is not text: a message that is not
// a string, or a string beyond the limits that is not the runtime's, stops the worker. The host
// (functions/host.rs, flowpen_playground::functions::protocol::Intake) checks the same numbers.
'use strict';

(() => {
  const runtimeUrl = URL.createObjectURL(new Blob([RUNTIME_SOURCE], { type: 'text/javascript' }));

  const MAX_LOG_MESSAGE = 65536;
  const MAX_CALL_LOG = 2097152;
  const MAX_OUTCOME = 1048576;

  const typeOf = (text) => {
    try {
      const message = JSON.parse(text);
      return message && typeof message.type === 'string' ? message.type : null;
    } catch (e) {
      return null;
    }
  };

  function run(text, port) {
    let worker = null;
    let timer = null;
    let done = false;

    // Ends the invocation: stops the worker and sends the frame's own last message, if any.
    const finish = (message) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (worker) worker.terminate();
      if (message) port.postMessage(JSON.stringify(message));
    };

    port.onmessage = (event) => {
      if (typeof event.data === 'string' && typeOf(event.data) === 'cancel') finish(null);
    };

    let timeoutMs = 0;
    try {
      timeoutMs = Math.max(0, Number(JSON.parse(text).timeout_ms) || 0);
    } catch (e) {
      finish({ type: 'crash', message: 'the sandbox received an invocation that is not JSON' });
      return;
    }

    try {
      worker = new Worker(runtimeUrl, { name: 'flowpen-function' });
    } catch (e) {
      finish({ type: 'crash', message: `the sandbox could not start a worker: ${e}` });
      return;
    }
    let logChars = 0;
    let droppedLogs = 0;
    const note = (text) => port.postMessage(JSON.stringify({ type: 'log', level: 'warn', text }));
    worker.onmessage = (event) => {
      if (done) return;
      const data = event.data;
      if (typeof data !== 'string') {
        finish({
          type: 'crash',
          message: 'the Function posted a message that is not text (with self.postMessage); the sandbox stopped it',
        });
        return;
      }
      const size = data.length;
      if (size > MAX_OUTCOME) {
        // Too large to be worth parsing, whatever it claims to be.
        finish({
          type: 'crash',
          message: `the Function posted ${size} characters at once; the playground accepts at most ${MAX_OUTCOME} (Studio reads at most 64 kB of a response), so the sandbox stopped it`,
        });
        return;
      }
      const type = typeOf(data);
      if (type === 'log') {
        if (size > MAX_LOG_MESSAGE || logChars + size > MAX_CALL_LOG) {
          droppedLogs += 1;
          if (droppedLogs === 1) {
            note(`console output past the sandbox's limits was dropped (at most ${MAX_LOG_MESSAGE} characters a message and ${MAX_CALL_LOG} a call)`);
          }
          return;
        }
        logChars += size;
        port.postMessage(data);
      } else if (type === 'outcome') {
        port.postMessage(data);
        finish(null);
      } else if (size > MAX_LOG_MESSAGE) {
        finish({
          type: 'crash',
          message: `the Function posted ${size} characters of its own (with self.postMessage); the sandbox stopped it`,
        });
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish({ type: 'crash', message: `the Function's worker failed: ${event.message || 'unknown error'}` });
    };
    timer = setTimeout(() => finish({ type: 'timeout', timeout_ms: timeoutMs }), timeoutMs);
    worker.postMessage(text);
  }

  window.addEventListener('message', (event) => {
    const port = event.ports && event.ports[0];
    if (event.source !== window.parent || !port || typeof event.data !== 'string') return;
    run(event.data, port);
  });
})();
