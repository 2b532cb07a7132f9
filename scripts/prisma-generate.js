#!/usr/bin/env node
// Generates the Prisma client after install. `prisma generate` never runs the schema
// engine, but the CLI insists on finding one: point it at any file when the native
// engine cannot be downloaded (see README "Migrations").
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const prismaBin = path.join(root, 'node_modules', '.bin', 'prisma');
if (!fs.existsSync(prismaBin)) process.exit(0); // dependencies not installed yet
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= __filename;
const result = spawnSync(prismaBin, ['generate', '--schema', 'prisma/schema.prisma'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
