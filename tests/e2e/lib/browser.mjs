// Launches Debian's Chromium through playwright-core: never a browser download.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/// A persistent context in a fresh --user-data-dir; `close()` also removes the directory.
/// `args` adds Chromium flags (a test may map a host name to loopback with --host-resolver-rules).
export async function launch({ viewport = { width: 1280, height: 800 }, args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'flowpen-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...args], viewport,
  });
  return {
    context,
    async close() { await context.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}
