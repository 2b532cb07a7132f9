import type { Browser } from 'playwright-core';

export type { Browser };

// No sandbox (tests run as root in containers) and nothing that phones home: tests allow loopback only.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Launches the headless Chromium that `npm test` found or installed (it passes CHROMIUM_PATH). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH;
  if (!executablePath)
    throw new Error(
      'CHROMIUM_PATH is not set: run browser tests through `npm test`, which finds or installs Chromium, or set it to a Chromium binary.',
    );
  // Loaded here, not at the top: requiring playwright-core takes about a second, and most test files never open a browser.
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
