const fs = require('node:fs');
const path = require('node:path');
const { ROOT, mustRun } = require('./proc');

/** `npm install` when node_modules is missing or older than package.json / the lockfile. */
function ensureInstalled() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const newest = ['package.json', 'package-lock.json']
    .map((f) => path.join(ROOT, f))
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.statSync(f).mtimeMs);
  const stale = !fs.existsSync(marker) || Math.max(...newest) > fs.statSync(marker).mtimeMs;
  const client = path.join(ROOT, 'packages', 'db', 'src', 'generated', 'client.ts');
  const generated = fs.existsSync(client);
  if (stale || !generated) {
    console.log('› installing dependencies (npm install)…');
    // npm ci is avoided on purpose: lockfiles written on one platform lack others' optional entries.
    mustRun(['npm', 'install', '--no-audit', '--no-fund'], process.env);
  } else if (fs.statSync(path.join(ROOT, 'prisma', 'schema.prisma')).mtimeMs > fs.statSync(client).mtimeMs) {
    // A pulled schema change: the client is generated on install only.
    console.log('› generating the Prisma client…');
    mustRun(['node', 'scripts/prisma-generate.js'], process.env, { quiet: true });
  }
}

// Left by the last successful build.
const BUILT_STAMP = path.join(ROOT, 'node_modules', '.cache', 'bellhop', 'built');
const WORKSPACES = ['packages', 'services']
  .flatMap((dir) => fs.readdirSync(path.join(ROOT, dir)).map((name) => path.join(ROOT, dir, name)))
  .filter((dir) => fs.existsSync(path.join(dir, 'package.json')));

/** Newest mtime of file, or of anything under it; a directory's own counts, so a deletion is a change. */
function newestMtime(file, recursive) {
  if (!fs.existsSync(file)) return 0;
  const stat = fs.statSync(file);
  if (!recursive || !stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(file).map((name) => newestMtime(path.join(file, name), true)));
}

/** Newest mtime among the build's inputs: sources, manifests, tsconfigs, the Prisma schema. */
function newestInput() {
  const tsconfigs = fs.readdirSync(ROOT).filter((f) => /^tsconfig.*\.json$/.test(f));
  // packages/ and services/ themselves change when a workspace is added or removed.
  const shared = [
    'packages',
    'services',
    'package.json',
    'package-lock.json',
    'turbo.json',
    'prisma/schema.prisma',
    ...tsconfigs,
  ].map((f) => path.join(ROOT, f));
  const manifests = WORKSPACES.flatMap((dir) => [path.join(dir, 'package.json'), path.join(dir, 'tsconfig.json')]);
  const sources = WORKSPACES.map((dir) => path.join(dir, 'src'));
  return Math.max(
    ...[...shared, ...manifests].map((f) => newestMtime(f, false)),
    ...sources.map((dir) => newestMtime(dir, true)),
  );
}

/** Nothing changed since the last build and every workspace's built entry is still there. */
function builtIsFresh() {
  if (!fs.existsSync(BUILT_STAMP) || newestInput() > fs.statSync(BUILT_STAMP).mtimeMs) return false;
  return WORKSPACES.every((dir) => fs.existsSync(path.join(dir, require(path.join(dir, 'package.json')).main)));
}

/** `turbo run build`, skipped when nothing changed since the last one: turbo takes seconds even when all is cached. */
function build({ quiet }) {
  if (builtIsFresh()) return;
  const startedAt = new Date();
  if (!quiet) console.log('› building (turbo run build)…');
  mustRun(
    ['npx', 'turbo', 'run', 'build', '--output-logs=errors-only', '--log-prefix=none'],
    { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    { quiet },
  );
  fs.mkdirSync(path.dirname(BUILT_STAMP), { recursive: true });
  fs.writeFileSync(BUILT_STAMP, '');
  // Dated at the start, so a file saved while turbo ran makes the next call build again.
  fs.utimesSync(BUILT_STAMP, startedAt, startedAt);
}

module.exports = { ensureInstalled, build };
