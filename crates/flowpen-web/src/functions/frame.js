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
'use strict';

(() => {
  const runtimeUrl = URL.createObjectURL(new Blob([RUNTIME_SOURCE], { type: 'text/javascript' }));

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
    worker.onmessage = (event) => {
      if (done || typeof event.data !== 'string') return;
      const type = typeOf(event.data);
      if (type === 'log') {
        port.postMessage(event.data);
      } else if (type === 'outcome') {
        port.postMessage(event.data);
        finish(null);
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
