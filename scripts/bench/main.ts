// `npm run bench [-- --quick] [--only NAME[,NAME]] [--json PATH]`: Bellhop's figures beside in-run references.
import fs from 'node:fs';
import os from 'node:os';
import {
  breaker,
  fairness,
  fanOut,
  ingest,
  latency,
  manyEndpoints,
  ordering,
  signing,
  slowEndpoint,
  sse,
  sseChannels,
  throughput,
  tracing,
  type Row,
  type Scale,
} from './scenarios';
import { multiProcess } from './multi-process';
import { purge } from './purge';
import { startBenchSystem } from './setup';

const FULL: Scale = {
  orderedDeliveries: 6_000,
  signatures: 20_000,
  deliveries: 20_000,
  slowDeliveries: 2_000,
  backlog: 20_000,
  fairnessSeconds: 8,
  latencyRate: 500,
  latencyWarmUpSeconds: 5,
  latencySeconds: 20,
  ingestSeconds: 10,
  fanOut: 500,
  sseHosts: 1000,
  ssePerHost: 10,
  ssePublishes: 2000,
  purgeRows: 1_000_000,
  purgeBaselineSeconds: 20,
  multiProcessEvents: 2_000,
  multiProcessRate: 35,
  multiProcessHosts: 100,
  breakerDeliveries: 10_000,
  breakerSeconds: 90,
};
const QUICK: Scale = {
  orderedDeliveries: 1_200,
  signatures: 2_000,
  deliveries: 2_000,
  slowDeliveries: 400,
  backlog: 4_000,
  fairnessSeconds: 3,
  latencyRate: 200,
  latencyWarmUpSeconds: 2,
  latencySeconds: 4,
  ingestSeconds: 3,
  fanOut: 100,
  sseHosts: 100,
  ssePerHost: 10,
  ssePublishes: 400,
  purgeRows: 60_000,
  purgeBaselineSeconds: 4,
  multiProcessEvents: 400,
  multiProcessRate: 35,
  multiProcessHosts: 40,
  breakerDeliveries: 2_000,
  breakerSeconds: 40,
};

const SCENARIOS = [
  ingest,
  throughput,
  slowEndpoint,
  fairness,
  breaker,
  manyEndpoints,
  ordering,
  latency,
  fanOut,
  sse,
  sseChannels,
  signing,
  tracing,
  multiProcess,
  purge,
];
const option = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : null);

/** `--only sse,latency` keeps those scenarios (by function name), in the usual order. */
function chosenScenarios(): typeof SCENARIOS {
  const only = option('--only')
    ?.split(',')
    .map((name) => name.trim());
  if (!only) return SCENARIOS;
  const unknown = only.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length)
    throw new Error(`unknown scenario ${unknown.join(', ')} (expected ${SCENARIOS.map((s) => s.name).join(', ')})`);
  return SCENARIOS.filter((scenario) => only.includes(scenario.name));
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const jsonPath = option('--json');
  const scenarios = chosenScenarios();
  const scale = quick ? QUICK : FULL;
  const env = process.env as Record<string, string>;
  const system = await startBenchSystem(env);
  const rows: Row[] = [];
  try {
    for (const scenario of scenarios) {
      process.stdout.write(`› ${scenario.name}…\n`);
      rows.push(...(await scenario(system, scale, env)));
    }
  } finally {
    await system.stop();
  }
  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
  console.log(
    `\nBellhop bench${quick ? ' (quick)' : ''} — ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}\n`,
  );
  console.log('| scenario | figure | value | reference | target | met |\n| --- | --- | ---: | --- | --- | --- |');
  for (const r of rows)
    console.log(
      `| ${r.scenario} | ${r.figure} | ${r.value} ${r.unit} | ${r.reference} | ${r.target} | ${r.met === null ? '' : r.met ? 'yes' : 'no'} |`,
    );
  if (jsonPath) fs.writeFileSync(jsonPath, JSON.stringify({ quick, machine, scale, rows }, null, 2));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
