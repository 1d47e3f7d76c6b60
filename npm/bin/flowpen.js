#!/usr/bin/env node
// `npx flowpen check|fmt|test …`: see lib/cli.js.
import '../index.js';
import { main } from '../lib/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`flowpen: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 1;
  },
);
