// `npx flowpen check|fmt|test`: the native CLI's commands with the same output and exit codes.
// Arguments, usage, the files read, the cases run and every line printed come from the Rust core
// (flowpen-command, through the wasm module); this file reads files, runs the cases (project
// Functions in worker threads, the network with fetch) and writes the output.

import fs from 'node:fs';
import * as wasm from '../wasm/flowpen.js';
import { load, runSession } from './core.js';
import { host, platform } from './node.js';

const write = (stream, text) =>
  new Promise((resolve) => {
    if (!text) return resolve();
    stream.write(text, () => resolve());
  });

async function test(args) {
  const o = wasm.testOptions(args);
  if (o.error) {
    await write(process.stderr, o.error);
    return 2;
  }
  const session = new wasm.Session(o);
  try {
    for (const found of wasm.collectTestFiles(o.paths, host)) {
      if (found.error) {
        session.addError(found.path, found.error);
        continue;
      }
      const loader = new wasm.Loader(found.file, wasm.sharedDirFor(found.file, host));
      await load(loader, (p, limit) => host.read(p, limit), (p) => host.canonical(p));
      for (const note of session.addLoaded(loader)) await write(process.stderr, `${note}\n`);
    }
    await runSession(session, o.jobs ?? platform.parallelism);
    const report = session.report();
    await write(process.stdout, report.stdout);
    let failed = report.failed;
    if (report.junit) {
      const [path, xml] = report.junit;
      try {
        fs.writeFileSync(path, xml);
      } catch (e) {
        await write(process.stderr, `flowpen test: cannot write ${path}: ${e && e.message}\n`);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  } finally {
    session.free();
  }
}

/** Runs the command; resolves to the exit status. */
export async function main(argv) {
  const [command, ...args] = argv;
  switch (command) {
    case 'check':
    case 'fmt': {
      const out = command === 'check' ? wasm.commandCheck(args, host) : wasm.commandFmt(args, host);
      await write(process.stdout, out.stdout);
      await write(process.stderr, out.stderr);
      return out.code;
    }
    case 'test':
      return test(args);
    case 'help':
    case '--help':
    case '-h':
      await write(process.stdout, `${wasm.usage()}\n`);
      return 0;
    case 'run':
      await write(process.stderr, `flowpen run is the native CLI's (cargo install --path crates/flowpen-cli); this package runs flows with run() in JavaScript\n\n${wasm.usage()}\n`);
      return 2;
    default:
      await write(process.stderr, `${wasm.usage()}\n`);
      return 2;
  }
}
