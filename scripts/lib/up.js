// Runs api + delivery-worker + realtime together with readable, prefixed logs.
const { spawn } = require('node:child_process');
const readline = require('node:readline');
const { ROOT } = require('./proc');

const SERVICES = [
  { name: 'api', color: 36, entry: 'services/api/dist/main.js', portVar: 'API_PORT', port: 3000 },
  { name: 'worker', color: 35, entry: 'services/delivery-worker/dist/main.js', portVar: 'WORKER_PORT', port: 3002 },
  { name: 'realtime', color: 33, entry: 'services/realtime/dist/main.js', portVar: 'REALTIME_PORT', port: 3001 },
];
const LEVEL_COLORS = { error: 31, warn: 33, info: 32, http: 90, debug: 90 };
const paint = (code, text) => (process.stdout.isTTY ? `\x1b[${code}m${text}\x1b[0m` : text);

/** JSON log line → "12:00:01 info  message key=value"; anything else passes through. */
function humanize(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  const { timestamp, level, message, service, ...rest } = entry;
  const time = typeof timestamp === 'string' ? timestamp.slice(11, 19) : '';
  const extras = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${time} ${paint(LEVEL_COLORS[level] ?? 0, String(level).padEnd(5))} ${message}${extras ? ` ${paint(90, extras)}` : ''}`;
}

async function waitHealthy(url, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function up(env) {
  const width = Math.max(...SERVICES.map((s) => s.name.length));
  const children = SERVICES.map((service) => {
    const child = spawn(process.execPath, [service.entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = paint(service.color, `[${service.name.padEnd(width)}]`);
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => console.log(`${prefix} ${humanize(line)}`));
    }
    return { service, child, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
  });

  let stopping = false;
  const stopAll = (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n› stopping (${signal})…`);
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('SIGINT', () => stopAll('SIGINT'));
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  // `npm run up` does not forward SIGTERM to us: when npm goes away, stop as if signalled.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stopAll('parent exited');
  }, 250).unref();
  for (const { service, exited } of children) {
    exited.then((code) => {
      if (!stopping) {
        console.log(`› ${service.name} exited (${code}); stopping the others`);
        stopAll('exit');
      }
    });
  }

  const url = (s) => `http://127.0.0.1:${env[s.portVar] ?? s.port}`;
  Promise.all(SERVICES.map((s) => waitHealthy(`${url(s)}/healthz`, 60))).then((ok) => {
    if (!ok.every(Boolean) || stopping) return;
    console.log(
      [
        '',
        paint(1, 'Bellhop is up'),
        `  API        ${url(SERVICES[0])}   (docs: /docs, queues: /admin/queues)`,
        `  Realtime   ${url(SERVICES[2])}   (dashboard: /dashboard)`,
        `  Worker     ${url(SERVICES[1])}   (health and metrics)`,
        '  Get credentials:  npm run cli -- demo seed     (a host, a platform and a partner API key, a host token)',
        '  Ctrl-C stops all three.',
        '',
      ].join('\n'),
    );
  });

  Promise.all(children.map((c) => c.exited)).then((codes) =>
    process.exit(codes.every((c) => c === 0 || c === null) ? 0 : 1),
  );
}

module.exports = { up };
