const fs = require('node:fs');
const path = require('node:path');
const { ROOT, mustRun } = require('./proc');

/** `npm install` when node_modules is missing or older than package.json / the lockfile. */
function ensureInstalled() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const newest = ['package.json', 'package-lock.json'].map((f) => path.join(ROOT, f))
    .filter((f) => fs.existsSync(f)).map((f) => fs.statSync(f).mtimeMs);
  const stale = !fs.existsSync(marker) || Math.max(...newest) > fs.statSync(marker).mtimeMs;
  const generated = fs.existsSync(path.join(ROOT, 'packages', 'db', 'src', 'generated', 'client.ts'));
  if (!stale && generated) return;
  console.log('› installing dependencies (npm install)…');
  // npm ci is avoided on purpose: lockfiles written on one platform lack others' optional entries.
  mustRun(['npm', 'install', '--no-audit', '--no-fund'], process.env);
}

function build({ quiet }) {
  if (!quiet) console.log('› building (turbo run build)…');
  mustRun(['npx', 'turbo', 'run', 'build', '--output-logs=errors-only', '--log-prefix=none'], { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' }, { quiet });
}

module.exports = { ensureInstalled, build };
