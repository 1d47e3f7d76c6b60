// Shared by the npm package's Node tests (`node --test tests/npm/`, run by `make test` after
// `make npm`): the packed tarball installed into a project of its own, the native CLI to compare
// with, and the shared fixtures folder.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const version = (() => {
  const cargo = fs.readFileSync(path.join(root, 'Cargo.toml'), 'utf8');
  return /\[workspace\.package\][^[]*?\nversion = "([^"]+)"/.exec(cargo)[1];
})();
export const tarball = process.env.FLOWPEN_TGZ ?? path.join(root, `target/npm/flowpen-${version}.tgz`);

const temps = [];
process.on('exit', () => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder in the system's temp dir (removed when the test process exits). */
export function tempDir(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `flowpen-npm-${name}-`));
  temps.push(dir);
  return dir;
}

/** Installs the tarball into an empty project in `dir` with npm, offline; returns npm's output. */
export function install(dir) {
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'empty-project', private: true, version: '1.0.0' }));
  return execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

let project = null;
/** A project with the tarball installed (one per test process). */
export function installed() {
  if (!project) {
    if (!fs.existsSync(tarball)) throw new Error(`${tarball} is missing: run \`make npm\` first`);
    project = tempDir('project');
    install(project);
  }
  return project;
}

/** The installed package, imported. */
export async function flowpen() {
  const dir = path.join(installed(), 'node_modules/flowpen');
  return import(pathToFileURL(path.join(dir, 'index.js')).href);
}

/** Runs `npx flowpen ARGS` from the installed project's bin in `cwd`. */
export function npx(args, cwd = root, env = {}) {
  const bin = path.join(installed(), 'node_modules/.bin/flowpen');
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** Like `npx`, without blocking this process (a server in it must answer the bin). */
export function npxAsync(args, cwd = root, env = {}) {
  const bin = path.join(installed(), 'node_modules/.bin/flowpen');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

/** The native CLI (built by `cargo build -p flowpen-cli`; FLOWPEN_BIN names another). */
export const nativeBin =
  process.env.FLOWPEN_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'debug/flowpen');

export function native(args, cwd = root, env = {}) {
  const r = spawnSync(nativeBin, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`${nativeBin}: ${r.error.message} (build it with cargo build -p flowpen-cli)`);
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/**
 * The shared fixtures folder (`FLOWPEN_SHARED`, else `../shared` beside the repository), or null
 * with the reason printed; under CI=true a missing folder fails instead, as the Rust tests do.
 */
export function shared(t) {
  const dir = process.env.FLOWPEN_SHARED ?? path.join(root, '../shared');
  if (fs.existsSync(dir)) return dir;
  if (process.env.CI === 'true') throw new Error(`${dir} is missing (CI=true: tests that read it must run)`);
  t.skip(`${dir} is missing`);
  return null;
}
