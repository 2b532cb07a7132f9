// CPU time spent by each part of the system during a measurement, read from /proc (Linux).
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuSecondsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime + stime
  } catch {
    return 0; // the process has exited
  }
}

/** Every process whose command name is `name` (e.g. all PostgreSQL backends). */
function pidsNamed(name: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    });
}

export type Parts = Record<string, () => number[]>;

/** The machine's own services; callers add their processes (api, worker, client…). */
export const SERVICES: Parts = { postgres: () => pidsNamed('postgres'), redis: () => pidsNamed('redis-server') };

/**
 * Starts a meter; `stop(units)` gives each part's CPU microseconds per unit of work. Counted per
 * process: one that starts meanwhile counts from zero, one that exits meanwhile is not counted
 * (a pool may close a PostgreSQL connection), so a part is never negative, at worst an undercount.
 */
export function startCpuMeter(parts: Parts) {
  const read = () =>
    Object.fromEntries(
      Object.entries(parts).map(([name, pids]) => [name, new Map(pids().map((pid) => [pid, cpuSecondsOf(pid)]))]),
    );
  const before = read();
  return {
    stop(units: number): Record<string, number> {
      const after = read();
      return Object.fromEntries(
        Object.keys(parts).map((name) => {
          let seconds = 0;
          for (const [pid, now] of after[name]) if (now > 0) seconds += now - (before[name].get(pid) ?? 0);
          return [name, Math.round((seconds * 1e6) / units)];
        }),
      );
    },
  };
}

/** "api 420 · postgres 90 · …" plus the total. */
export function describeCpu(perUnit: Record<string, number>): string {
  const total = Object.values(perUnit).reduce((a, b) => a + b, 0);
  return `${Object.entries(perUnit)
    .map(([name, us]) => `${name} ${us}`)
    .join(' · ')} = ${total} µs CPU each`;
}

const commandLine = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};

/** The PostgreSQL backends connected to `database` (their command line names it): not other databases', nor the server's own processes. */
export const postgresBackendsOf = (database: string) => () =>
  pidsNamed('postgres').filter((pid) => commandLine(pid).includes(` ${database} `));

/** The PostgreSQL server's own processes (checkpointer, WAL writer…; not client backends, which name their `host(port)`), shared by every database on it. */
export const postgresServerProcesses = () => pidsNamed('postgres').filter((pid) => !/\(\d+\)/.test(commandLine(pid)));

/** The redis-server processes listening on these ports (their command line is `redis-server 127.0.0.1:PORT …`). */
export const redisServersOn = (ports: number[]) => () =>
  pidsNamed('redis-server').filter((pid) => ports.some((port) => commandLine(pid).includes(`:${port}`)));
