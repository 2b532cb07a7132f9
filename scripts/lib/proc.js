const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs a command in the repo root, inheriting stdio; returns its exit status. */
function runSelf(argv, env = process.env, options = {}) {
  const result = spawnSync(argv[0], argv.slice(1), {
    cwd: ROOT,
    env,
    stdio: options.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  if (options.quiet && result.status !== 0) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  return result.status ?? 1;
}

function mustRun(argv, env, options) {
  const status = runSelf(argv, env, options);
  if (status !== 0) throw new Error(`"${argv.join(' ')}" failed with exit code ${status}`);
}

function exitWith(status) {
  process.exit(status);
}

function commandExists(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

module.exports = { ROOT, runSelf, mustRun, exitWith, commandExists };
