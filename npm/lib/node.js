// The Node platform: project Functions run in this process, one worker thread per call with the
// Node adapter and the Functions runtime the browser uses (both from the Rust core, shared with
// the native CLI), stopped after the outcome or at the time limit; files come from `fs`.

import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import * as wasm from '../wasm/flowpen.js';
import { callOnWorker } from './worker-call.js';

let sources = null;
const runtime = () => {
  sources ??= { adapter: wasm.nodeAdapterJs(), worker: wasm.workerJs(), max: wasm.maxMessageChars() };
  return sources;
};

/** Runs a project Function call (`request.invocation`) and gives its messages to the case. */
export function runFunction(request, handle) {
  const { adapter, worker: code, max } = runtime();
  return callOnWorker(request, handle, {
    max,
    start(events) {
      const worker = new Worker(adapter, {
        eval: true,
        workerData: { runtime: code, invocation: request.invocation },
        stdout: true,
        stderr: true,
      });
      // What the Function writes to its standard streams is dropped (the runtime captures console).
      worker.stdout.resume();
      worker.stderr.resume();
      worker.on('message', (data) => events.message(data));
      worker.on('error', (e) => events.crash(`the Function's worker failed: ${e && e.message ? e.message : e}`));
      worker.on('exit', (code) => events.crash(`the Function's worker ended without an answer (exit code ${code})`));
      return () => worker.terminate().catch(() => {});
    },
    startFailure: (e) => `the Function's worker could not start: ${e && e.message}`,
  });
}

/** std::io::Error's words for the errors Node reports by code (the native CLI's messages). */
const IO = {
  ENOENT: 'No such file or directory (os error 2)',
  EACCES: 'Permission denied (os error 13)',
  EPERM: 'Operation not permitted (os error 1)',
  EISDIR: 'Is a directory (os error 21)',
  ENOTDIR: 'Not a directory (os error 20)',
  ELOOP: 'Too many levels of symbolic links (os error 40)',
  EMFILE: 'Too many open files (os error 24)',
  ENAMETOOLONG: 'File name too long (os error 36)',
};
export const ioMessage = (e) => (e && IO[e.code]) || (e && e.message) || String(e);

/** The file system as the core asks for it (synchronously). */
export const host = {
  read(path, limit) {
    try {
      if (limit !== Infinity) {
        const size = fs.statSync(path).size;
        if (size > limit) return { tooLarge: size };
      }
      return fs.readFileSync(path);
    } catch (e) {
      return { error: ioMessage(e) };
    }
  },
  kind(path) {
    try {
      return fs.statSync(path).isDirectory() ? 'dir' : 'file';
    } catch {
      return 'missing';
    }
  },
  list(dir) {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  },
  canonical(path) {
    try {
      return fs.realpathSync(path);
    } catch {
      return null;
    }
  },
  env(name) {
    return process.env[name] ?? null;
  },
};

export const platform = {
  runFunction,
  readFile: (path, limit) => host.read(path, limit),
  canonical: (path) => host.canonical(path),
  sharedDir: (path) => wasm.sharedDirFor(path, host),
  parallelism: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
};
