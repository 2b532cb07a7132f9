// `npm run drill [-- --quick] [--json PATH]`: fault drills against the real services.
// Each sends known events, injects a fault, waits for recovery and counts what arrived.
import fs from 'node:fs';
import os from 'node:os';
import { DRILLS } from './drills';
import { Harness, type DrillOutcome } from './harness';
import { postgres, redis } from '../harness/system';

async function main(): Promise<number> {
  const quick = process.argv.includes('--quick');
  const jsonIndex = process.argv.indexOf('--json');
  const harness = new Harness(process.env as Record<string, string>, quick);
  const results: (DrillOutcome & { drill: string; seconds: number; error?: string })[] = [];
  try {
    await harness.setUp();
    for (const drill of DRILLS) {
      const started = Date.now();
      process.stdout.write(`› ${drill.name}…\n`);
      try {
        results.push({ drill: drill.name, ...(await drill.run(harness)), seconds: (Date.now() - started) / 1000 });
      } catch (error) {
        results.push({
          drill: drill.name,
          sent: 0,
          received: 0,
          duplicates: 0,
          lost: 0,
          notes: [],
          seconds: (Date.now() - started) / 1000,
          error: (error as Error).message,
        });
      } finally {
        // Whatever happened, every service the drill touched is running again.
        await redis.start();
        await postgres.start();
        await harness.receiver.start().catch(() => undefined);
        await harness.worker.start().catch(() => undefined);
        await harness.api.start().catch(() => undefined);
      }
    }
  } finally {
    await harness.tearDown();
  }
  console.log(
    '\n| drill | sent | received | duplicates | lost | time | notes |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const r of results) {
    const outcome = r.error ? `FAILED: ${r.error}` : r.notes.join('; ');
    console.log(
      `| ${r.drill} | ${r.sent} | ${r.received} | ${r.duplicates} | ${r.lost} | ${r.seconds.toFixed(1)} s | ${outcome} |`,
    );
  }
  if (jsonIndex > 0)
    fs.writeFileSync(
      process.argv[jsonIndex + 1],
      JSON.stringify(
        {
          quick,
          machine: { cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
          results,
        },
        null,
        2,
      ),
    );
  const failed = results.filter(
    (r) => r.error || r.lost > 0 || (r.attemptRows && r.attemptRows.duplicated + r.attemptRows.misnumbered > 0),
  );
  console.log(
    failed.length
      ? `\n${failed.length} drill(s) lost messages, recorded an attempt twice or failed`
      : '\nall drills: 0 lost, every attempt recorded once',
  );
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
