// The browser platform: a project Function runs in a Web Worker started from the Functions
// runtime (the Rust core's, which the Flowpen app runs in its sandbox frame), stopped after the
// outcome or at the time limit. The worker runs in the page's origin: unlike the app's sandbox it
// is not isolated, so run only Functions you trust. Files have no default: give runTests a
// readFile (fetch them, say).

import * as wasm from '../wasm/flowpen.js';

let url = null;
const runtimeUrl = () => {
  url ??= URL.createObjectURL(new Blob([wasm.workerJs()], { type: 'text/javascript' }));
  return url;
};

export function runFunction(request, handle) {
  const max = wasm.maxMessageChars();
  return new Promise((resolve) => {
    let done = false;
    let worker = null;
    let timer = null;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (worker) worker.terminate();
      handle.functionDone();
      resolve();
    };
    try {
      worker = new Worker(runtimeUrl(), { name: 'flowpen-function' });
    } catch (e) {
      handle.functionCrash(`the Function's worker could not start: ${e}`);
      finish();
      return;
    }
    timer = setTimeout(() => {
      if (done) return;
      handle.functionTimeout();
      finish();
    }, request.timeoutMs);
    worker.onmessage = (event) => {
      if (done) return;
      const data = event.data;
      if (typeof data !== 'string') {
        handle.functionCrash('the Function posted a message that is not text (with self.postMessage); the sandbox stopped it');
        finish();
      } else if (data.length > max) {
        handle.functionTooLarge(data.length);
        finish();
      } else if (handle.functionMessage(data)) {
        finish();
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (done) return;
      handle.functionCrash(`the Function's worker failed: ${event.message || 'unknown error'}`);
      finish();
    };
    worker.postMessage(request.invocation);
  });
}

export const platform = {
  runFunction: typeof Worker === 'function' ? runFunction : null,
  readFile: null,
  canonical: null,
  sharedDir: null,
  parallelism: (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 4,
};
