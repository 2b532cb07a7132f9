// Programs the test suite runs besides Node, PostgreSQL and Redis (services.js starts those).
// Each is found, or installed when this machine can, and its path handed to jest in the env;
// a missing one stops `npm test` naming what to install. New ones (say, redis-server for a
// Redis Cluster suite) go in ensureTestPrerequisites.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runSelf, commandExists } = require('./proc');

/** Whether file is an executable file (following links). */
function executable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Chromium builds Playwright downloaded earlier (~/.cache/ms-playwright/chromium-N/chrome-linux64/chrome). */
function playwrightChromiums() {
  const cache = path.join(os.homedir(), '.cache', 'ms-playwright');
  if (!fs.existsSync(cache)) return [];
  return fs
    .readdirSync(cache)
    .filter((dir) => dir.startsWith('chromium-'))
    .flatMap((dir) =>
      fs
        .readdirSync(path.join(cache, dir))
        .filter((sub) => sub.startsWith('chrome-linux'))
        .map((sub) => path.join(cache, dir, sub, 'chrome')),
    );
}

const findChromium = () => ['/usr/bin/chromium', ...playwrightChromiums()].find(executable);

function installChromium() {
  if (process.getuid?.() !== 0 || !commandExists('apt-get')) return false;
  console.log('› installing chromium (apt-get)…');
  // Waits for a dpkg lock held by another install instead of failing at once.
  const apt = ['apt-get', '-o', 'DPkg::Lock::Timeout=300'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  return (
    runSelf([...apt, 'update', '-qq'], env, { quiet: true }) === 0 &&
    runSelf([...apt, 'install', '-y', '-qq', 'chromium'], env, { quiet: true }) === 0
  );
}

/** The browser tests' headless Chromium: CHROMIUM_PATH, else found, else installed with apt-get. */
function ensureChromium(env) {
  if (env.CHROMIUM_PATH) {
    if (!executable(env.CHROMIUM_PATH))
      throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file.`);
    return;
  }
  const found = findChromium() ?? (installChromium() ? findChromium() : undefined);
  if (!found) {
    throw new Error(
      'The browser tests need a headless Chromium. None was found (/usr/bin/chromium, ~/.cache/ms-playwright),\n' +
        "and none could be installed with apt-get here (that takes root; apt-get's output, if it ran, is above).\n" +
        "Install Debian's chromium (sudo apt-get install chromium), or set CHROMIUM_PATH to a Chromium or Chrome binary.",
    );
  }
  env.CHROMIUM_PATH = found;
}

/** Makes sure every program the tests need is there and sets its path in env. */
function ensureTestPrerequisites(env) {
  ensureChromium(env);
}

module.exports = { ensureTestPrerequisites };
