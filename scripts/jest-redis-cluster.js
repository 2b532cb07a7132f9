// Jest globalSetup/globalTeardown: a 3-master Redis Cluster on loopback for the cluster suite
// (*.cluster.test.ts), started with the installed redis-server in a temp dir of its own, no
// persistence. Its seeds are exported as TEST_REDIS_CLUSTER_NODES; without redis-server the
// variable is unset and the suite says it was skipped. Teardown stops it and removes its files.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const MASTERS = 3;
const DIR_PREFIX = 'bellhop-test-cluster-';
// Jest gives globalTeardown the globals globalSetup set.
const STATE = '__bellhopTestRedisCluster';

const onPath = (binary) => spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// A node needs its port and port + 10000 (the cluster bus).
async function freeClusterPorts(count) {
  const ports = [];
  while (ports.length < count) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if (ports.includes(port)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + 10000))) ports.push(port);
  }
  return ports;
}

function cli(port, ...args) {
  return spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' });
}

async function waitFor(what, check, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster for tests: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const isRedisServer = (pid) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('redis-server');
  } catch {
    return false;
  }
};

// A run that was killed left its cluster running: stop the nodes it recorded, remove its files.
function removeOrphans() {
  for (const name of fs.readdirSync(os.tmpdir()).filter((entry) => entry.startsWith(DIR_PREFIX))) {
    const dir = path.join(os.tmpdir(), name);
    let owner;
    try {
      owner = JSON.parse(fs.readFileSync(path.join(dir, 'owner.json'), 'utf8'));
    } catch {
      continue;
    }
    if (alive(owner.jestPid)) continue;
    for (const pid of owner.serverPids) if (alive(pid) && isRedisServer(pid)) process.kill(pid, 'SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function setup() {
  if (!onPath('redis-server') || !onPath('redis-cli')) return;
  removeOrphans();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
  const ports = await freeClusterPorts(MASTERS);
  const servers = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '2000',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--logfile',
        `redis-${port}.log`,
      ],
      { stdio: 'ignore' },
    ),
  );
  globalThis[STATE] = { dir, servers };
  fs.writeFileSync(
    path.join(dir, 'owner.json'),
    JSON.stringify({ jestPid: process.pid, serverPids: servers.map((server) => server.pid) }),
  );
  try {
    for (const port of ports) await waitFor(`node ${port}`, () => cli(port, 'PING').stdout.trim() === 'PONG');
    const created = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8' },
    );
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${created.stdout}${created.stderr}`);
    for (const port of ports)
      await waitFor('cluster_state:ok', () => cli(port, 'CLUSTER', 'INFO').stdout.includes('cluster_state:ok'));
    process.env.TEST_REDIS_CLUSTER_NODES = ports.map((port) => `127.0.0.1:${port}`).join(',');
  } catch (error) {
    await teardown();
    throw error;
  }
}

async function teardown() {
  const started = globalThis[STATE];
  if (!started) return;
  const { dir, servers } = started;
  delete globalThis[STATE];
  await Promise.all(
    servers.map(
      (server) =>
        new Promise((resolve) => {
          if (server.exitCode !== null) return resolve();
          server.once('exit', resolve);
          server.kill('SIGTERM');
        }),
    ),
  );
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.TEST_REDIS_CLUSTER_NODES;
}

module.exports = { setup, teardown };
