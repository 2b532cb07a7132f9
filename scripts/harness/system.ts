import { execSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { sleep } from './processes';

/** The machine's own PostgreSQL and Redis, stopped and started the way ops would. */
const reachable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function waitUntil(port: number, up: boolean, seconds = 30): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    if ((await reachable(port)) === up) return;
    await sleep(250);
  }
  throw new Error(`port ${port} did not become ${up ? 'reachable' : 'unreachable'} within ${seconds} s`);
}

const pgVersion = () => fs.readdirSync('/etc/postgresql')[0];

export const postgres = {
  async stop() {
    execSync(`pg_ctlcluster --skip-systemctl-redirect ${pgVersion()} main stop -m fast`, { stdio: 'ignore' });
    await waitUntil(5432, false);
  },
  async start() {
    if (!(await reachable(5432)))
      execSync(`pg_ctlcluster --skip-systemctl-redirect ${pgVersion()} main start`, { stdio: 'ignore' });
    await waitUntil(5432, true);
  },
};

export const redis = {
  /** Stops Redis without saving: it comes back empty, as after a crash of a diskless Redis. */
  async stopEmpty() {
    execSync('redis-cli -h 127.0.0.1 -p 6379 SHUTDOWN NOSAVE || true', { stdio: 'ignore', shell: '/bin/sh' });
    await waitUntil(6379, false);
  },
  async start() {
    if (!(await reachable(6379))) {
      fs.mkdirSync('/var/lib/redis', { recursive: true });
      fs.mkdirSync('/var/log/redis', { recursive: true });
      execSync(
        'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
        { stdio: 'ignore' },
      );
    }
    await waitUntil(6379, true);
  },
};
