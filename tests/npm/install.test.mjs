// The packed tarball in an empty Node project: `npm install <tarball>` offline (the package has
// no dependencies), then `npx flowpen test` runs a project's flow tests, with its Functions, with
// the native CLI's results; the package imports as an ES module and requires from CommonJS.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { install, native, root, tarball, tempDir } from './helpers.mjs';

test('npm install <tarball> offline into an empty project, then npx flowpen test', () => {
  const project = tempDir('empty');
  install(project);
  const pkg = JSON.parse(fs.readFileSync(path.join(project, 'node_modules/flowpen/package.json'), 'utf8'));
  assert.equal(pkg.dependencies, undefined, 'no runtime dependencies');
  assert.equal(path.basename(tarball), `flowpen-${pkg.version}.tgz`);
  const lock = JSON.parse(fs.readFileSync(path.join(project, 'package-lock.json'), 'utf8'));
  assert.deepEqual(Object.keys(lock.packages).sort(), ['', 'node_modules/flowpen']);
  // The project's flows, tests and Functions.
  fs.cpSync(path.join(root, 'www/examples'), path.join(project, 'flows'), { recursive: true });
  const npx = spawnSync('npx', ['--offline', 'flowpen', 'test'], { cwd: project, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(npx.status, 0, npx.stdout + npx.stderr);
  assert.match(npx.stdout, /^ok {4}\.\/flows\/dog-breed\.test\.yaml › /);
  assert.match(npx.stdout, /\n15 passed, 0 failed\n$/);
  const cli = native(['test'], project);
  assert.equal(npx.stdout, cli.stdout);
  assert.equal(npx.status, cli.code);
});

test('the package imports as an ES module and requires from CommonJS', () => {
  const project = tempDir('imports');
  install(project);
  const esm = spawnSync(process.execPath, ['--input-type=module', '-e', "import { Liquid, validate, version } from 'flowpen'; console.log(new Liquid().render('{{a}}', {a: version}), validate('{}').length);"], { cwd: project, encoding: 'utf8' });
  assert.equal(esm.status, 0, esm.stderr);
  assert.match(esm.stdout, /^\d+\.\d+\.\d+ \d+\n$/);
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19)) {
    const cjs = spawnSync(process.execPath, ['--no-warnings', '-e', "const { Liquid } = require('flowpen'); console.log(new Liquid().render('{{a}}!', {a: 'hi'}));"], { cwd: project, encoding: 'utf8' });
    assert.equal(cjs.status, 0, cjs.stderr);
    assert.equal(cjs.stdout, 'hi!\n');
  }
});
