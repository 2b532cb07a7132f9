// Makes sure PostgreSQL and Redis answer: start the local ones if installed and stopped,
// else use `docker compose` when a Docker engine answers, else say exactly what is missing.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, commandExists } = require('./proc');

function reachable(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(host, port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await reachable(host, port, 500)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

const sh = (cmd) => spawnSync('sh', ['-c', cmd], { stdio: 'pipe', encoding: 'utf8' });
const isLoopback = (host) => ['127.0.0.1', 'localhost', '::1'].includes(host);

function dockerAnswers() {
  return commandExists('docker') && sh('docker info >/dev/null 2>&1').status === 0;
}

function startPostgres(port) {
  if (commandExists('pg_ctlcluster') && fs.existsSync('/etc/postgresql')) {
    const version = fs.readdirSync('/etc/postgresql')[0];
    if (version && sh(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`).status === 0)
      return 'the local PostgreSQL cluster';
  }
  // Fallback for machines with PostgreSQL binaries but no cluster: a project-local one.
  const bin =
    sh('ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1').stdout.trim() ||
    path.dirname(sh('command -v initdb').stdout.trim());
  if (bin && fs.existsSync(path.join(bin, 'initdb'))) {
    const dir = path.join(ROOT, '.local', 'postgres');
    const asUser = process.getuid && process.getuid() === 0 ? 'su postgres -s /bin/sh -c' : 'sh -c';
    if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
      fs.mkdirSync(dir, { recursive: true });
      if (process.getuid && process.getuid() === 0) sh(`chown -R postgres ${dir}`);
      sh(`${asUser} '${bin}/initdb -D ${dir} -U postgres --auth=trust'`);
    }
    if (
      sh(
        `${asUser} '${bin}/pg_ctl -D ${dir} -o "-p ${port} -k /tmp -c listen_addresses=127.0.0.1" -l ${dir}/server.log start'`,
      ).status === 0
    )
      return `a project-local PostgreSQL in ${dir}`;
  }
  return null;
}

function startRedis(port) {
  if (!commandExists('redis-server')) return null;
  const dir = fs.existsSync('/var/lib/redis') ? '/var/lib/redis' : path.join(ROOT, '.local', 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const started = sh(
    `redis-server --daemonize yes --bind 127.0.0.1 -::1 --port ${port} --save "" --appendonly no --dir ${dir} --logfile ${dir}/bellhop.log`,
  );
  return started.status === 0 ? 'the local redis-server' : null;
}

async function ensureOne(name, url, start, composeService) {
  const { hostname, port: rawPort } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  const port = Number(rawPort || (name === 'PostgreSQL' ? 5432 : 6379));
  if (await reachable(host, port)) return;
  if (!isLoopback(host))
    throw new Error(
      `${name} at ${host}:${port} does not answer. Start it, or point ${name === 'PostgreSQL' ? 'DATABASE_URL' : 'REDIS_URL'} at one that does.`,
    );
  let how = start(port);
  if (!how && dockerAnswers()) {
    const up = sh(`cd ${ROOT} && docker compose up -d ${composeService}`);
    how = up.status === 0 ? `docker compose (${composeService})` : null;
  }
  if (!how) {
    throw new Error(
      `${name} is not running on ${host}:${port}, and there is no way here to start it:\n` +
        `  - no local ${name} installation was found, and\n` +
        `  - no Docker engine answers (\`docker info\` failed).\n` +
        `Install ${name} (e.g. apt-get install ${name === 'PostgreSQL' ? 'postgresql' : 'redis-server'}), start Docker, ` +
        `or set ${name === 'PostgreSQL' ? 'DATABASE_URL' : 'REDIS_URL'}.`,
    );
  }
  console.log(`› started ${name} (${how})`);
  if (!(await waitFor(host, port, 30)))
    throw new Error(`${name} was started (${how}) but does not answer on ${host}:${port} after 30 s.`);
}

async function ensureServices(env) {
  await ensureOne('PostgreSQL', env.DATABASE_URL, startPostgres, 'postgres');
  await ensureOne('Redis', env.REDIS_URL, startRedis, 'redis');
}

module.exports = { ensureServices, reachable };
