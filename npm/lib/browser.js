// The browser platform: a project Function runs in a Web Worker started from the Functions
// runtime (the Rust core's, which the Flowpen app runs in its sandbox frame), stopped after the
// outcome or at the time limit. The worker runs in the page's origin: unlike the app's sandbox it
// is not isolated, so run only Functions you trust. Files have no default: give runTests a
// readFile (fetch them, say).

import * as wasm from '../wasm/flowpen.js';
import { callOnWorker } from './worker-call.js';

let url = null;
const runtimeUrl = () => {
  url ??= URL.createObjectURL(new Blob([wasm.workerJs()], { type: 'text/javascript' }));
  return url;
};

export function runFunction(request, handle) {
  return callOnWorker(request, handle, {
    max: wasm.maxMessageChars(),
    start(events) {
      const worker = new Worker(runtimeUrl(), { name: 'flowpen-function' });
      worker.onmessage = (event) => events.message(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        events.crash(`the Function's worker failed: ${event.message || 'unknown error'}`);
      };
      worker.postMessage(request.invocation);
      return () => worker.terminate();
    },
    startFailure: (e) => `the Function's worker could not start: ${e}`,
  });
}

export const platform = {
  runFunction: typeof Worker === 'function' ? runFunction : null,
  readFile: null,
  canonical: null,
  sharedDir: null,
  parallelism: (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 4,
};
