// The package's API, the same in Node and in the browser. The entry points (index.js for Node,
// browser.js) load the wasm module, then give this module their platform: how a project Function
// runs (a worker thread in Node, a Web Worker in the browser) and how files are read by default.
// Every rule lives in the Rust core (crates/flowpen-js and the pure crates under it); this file
// converts options and drives the core's sans-IO state machines.

import * as wasm from '../wasm/flowpen.js';
import { plan, pickJson } from './pick.js';
import { perform } from './network.js';

let platform = null;

/** Called once by the entry point. */
export function setPlatform(p) {
  platform = p;
}

const text = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The diagnostics of a flow (text or object), as `flowpen check --json` lists them. */
export function validate(flow) {
  return wasm.validate(text(flow));
}

/** The flow as Studio exports it. Throws when it is not a flow. */
export function format(flow) {
  return wasm.format(text(flow));
}

/** A template error: `kind` (syntax, render, output-too-large, too-much-work), `line`, `column`. */
export class LiquidError extends Error {
  constructor(e) {
    super(e.text);
    this.name = 'LiquidError';
    this.kind = e.kind;
    this.line = e.line;
    this.column = e.column;
    this.reason = e.message;
  }
}

const liquidError = (e) => (e && typeof e === 'object' && typeof e.kind === 'string' && !(e instanceof Error) ? new LiquidError(e) : e);

/** The most templates whose reads a Liquid instance remembers (then it starts over). */
const PLANS = 1000;

const clock = (now) => {
  if (now === undefined || now === null) return Date.now();
  if (now instanceof Date) return now.getTime();
  return Number(now);
};

/** Studio's Liquid (`{ studio: false }`: Shopify's), with optional `partials` (name → source). */
export class Liquid {
  #service;
  #plans = new Map();

  constructor(options = {}) {
    this.#service = new wasm.LiquidService(options.studio !== false, options.partials);
  }

  /**
   * Renders `template` against `context` (a plain object; only what the template can read is
   * copied into the module, as JSON: see pick.js). `options.now` (a Date or Unix milliseconds; default: now) is the
   * clock for `now` and `today`. Throws a LiquidError.
   */
  render(template, context = {}, options = undefined) {
    const source = String(template);
    let prepared = this.#plans.get(source);
    if (prepared === undefined) {
      const reads = this.#service.reads(source);
      // The module keeps as many prepared templates as this map (PLANS): both start over together.
      if (this.#plans.size >= PLANS) this.#plans.clear();
      prepared = { tree: reads === true || reads === false ? reads : plan(reads), id: this.#service.prepare(source) };
      this.#plans.set(source, prepared);
    }
    const tree = prepared.tree;
    let json;
    try {
      json = tree === false ? '{}' : tree === true ? JSON.stringify(context ?? {}) ?? '{}' : pickJson(context, tree);
    } catch (e) {
      throw new TypeError(`the context cannot be written as JSON: ${e && e.message}`);
    }
    try {
      return this.#service.render_prepared(prepared.id, json, clock(options?.now));
    } catch (e) {
      throw liquidError(e);
    }
  }

  /** `null` when the template parses, else its syntax error (a LiquidError). */
  check(template) {
    const e = this.#service.check(String(template));
    return e === null || e === undefined ? null : new LiquidError(e);
  }

  /** The context paths the template can read (`true`: anything), as the render copies them. */
  reads(template) {
    const r = this.#service.reads(String(template));
    if (r === false) throw this.check(template);
    return r;
  }
}

/** Answers one case's shell requests until it is over. */
async function drive(handle, runFunction) {
  for (;;) {
    const request = handle.poll();
    if (request === null || request === undefined) return;
    if (request.kind === 'function') {
      if (runFunction) {
        await runFunction(request, handle);
      } else {
        handle.fail(`${request.url} could not be answered: this platform cannot run the project's Functions (no worker); stub it in the test`);
      }
    } else {
      await perform(request, handle);
    }
  }
}

/** The project's Functions as the core takes them: `{ "/path": code }`. */
function functionsObject(functions) {
  if (functions === undefined || functions === null) return undefined;
  if (Array.isArray(functions)) {
    return Object.fromEntries(functions.map((f) => [f.path, f.code]));
  }
  return functions;
}

/**
 * Runs `flow` (a Studio flow or a project file, text or object) with `options.conversation`
 * (test-file input steps: `{contact: 'hi'}`, `{press: '1#'}`, `'timeout'`, …), `stubs`, `start`,
 * `from`, `to`, `time`, `parameters`, `functions` (`{"/path": code}`), `env`, `subflows`
 * (`{key: flow}`), `allowNetwork`. Resolves to `{status, end, waiting, path, steps, flowData,
 * messages, requests, logs, transcript, error}`.
 */
export async function run(flow, options = {}) {
  const o = { ...options };
  o.functions = functionsObject(options.functions);
  if (o.time instanceof Date) o.time = o.time.toISOString();
  if (o.subflows) o.subflows = Object.fromEntries(Object.entries(o.subflows).map(([k, v]) => [k, text(v)]));
  const handle = wasm.startRun(text(flow), o);
  try {
    await drive(handle, platform?.runFunction);
    return handle.runResult();
  } finally {
    handle.free();
  }
}

/** Runs `count` jobs with at most `jobs` at once. */
async function pool(count, jobs, job) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const j = next++;
      await job(j);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, count)) }, worker));
}

const seconds = () => (typeof performance !== 'undefined' ? performance.now() : Date.now()) / 1000;

/** Runs every planned case of a session, `jobs` at once; finishes each in the session. */
export async function runSession(session, jobs) {
  const count = session.plan();
  await pool(count, jobs, async (j) => {
    const handle = session.start(j);
    const started = seconds();
    try {
      await drive(handle, platform?.runFunction);
      session.finish(j, handle, seconds() - started);
    } finally {
      handle.free();
    }
  });
}

/** Loads a test file with `read(path, limit)` (sync or async: bytes, text, {tooLarge}, {error}). */
export async function load(loader, read, canonical) {
  for (;;) {
    const need = loader.next();
    if (need === null || need === undefined) return;
    if (need.flow && canonical) {
      const key = await canonical(need.path);
      if (key) loader.setFlowKey(key);
    }
    let got;
    try {
      got = await read(need.path, need.limit);
    } catch (e) {
      got = { error: e && e.message ? e.message : String(e) };
    }
    loader.give(got ?? { error: 'nothing was read' });
  }
}

/**
 * Runs a test file's cases: `testFileText` is its text; `options.path` its path (the base of
 * `flow:` and the other files it names, and the name in the results), `readFile(path)` (sync or
 * async; default in Node: the file system) reads them, `flow` gives the flow instead,
 * `functions`/`env` add to the project's, `allowNetwork`, `filter`, `coverage`, `jobs`,
 * `shared` (the folder of `shared:` paths). Resolves to what `flowpen test --json` prints:
 * `{files: [{file, flow, cases: [...]}], passed, failed, coverage?}`.
 */
export async function runTests(testFileText, options = {}) {
  const path = options.path ?? 'flow.test.yaml';
  const readFile = options.readFile ?? platform?.readFile;
  const shared = options.shared ?? platform?.sharedDir?.(path);
  const session = new wasm.Session({
    coverage: !!options.coverage,
    allowNetwork: !!options.allowNetwork,
    filter: options.filter ?? null,
  });
  try {
    const loader = new wasm.Loader(path, shared ?? undefined);
    let first = true;
    let flowGiven = false;
    await load(
      loader,
      async (p, limit) => {
        if (first) {
          first = false;
          return String(testFileText);
        }
        if (options.flow !== undefined && !flowGiven) {
          flowGiven = true;
          return text(options.flow);
        }
        if (!readFile) throw new Error(`runTests needs options.readFile to read ${p}`);
        return readFile(p, limit);
      },
      options.readFile ? null : platform?.canonical,
    );
    session.addLoaded(loader);
    if (options.functions !== undefined || options.env !== undefined) {
      session.addFunctions(functionsObject(options.functions), options.env);
    }
    await runSession(session, options.jobs ?? platform?.parallelism ?? 4);
    return session.json();
  } finally {
    session.free();
  }
}

export { wasm };
