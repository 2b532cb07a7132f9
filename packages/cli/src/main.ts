#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@bellhop/config';
import { createPrismaClient, type Db } from '@bellhop/db';
import { DomainError } from '@bellhop/errors';
import { UsageError, type Command } from './command';
import { agentCreate, agentList, grant, revoke } from './commands/agent';
import { apiKeyCreate, apiKeyList, apiKeyRevoke } from './commands/api-key';
import { demoSeed } from './commands/demo';
import { hostCreate, hostToken } from './commands/host';
import { listen } from './commands/listen';
import { tail } from './commands/tail';
import { subscriptionsList } from './commands/subscriptions';
import { deliveriesReplay } from './commands/deliveries';
import { inboundCreate } from './commands/inbound';

/** Command words → handler; "api-key create" is two words. */
const COMMANDS: Record<string, Command> = {
  'agent create': agentCreate,
  'agent list': agentList,
  'api-key create': apiKeyCreate,
  'api-key list': apiKeyList,
  'api-key revoke': apiKeyRevoke,
  'host create': hostCreate,
  'host-token': hostToken,
  grant,
  revoke,
  'demo seed': demoSeed,
  listen,
  tail,
  'subscriptions list': subscriptionsList,
  'deliveries replay': deliveriesReplay,
  'inbound create': inboundCreate,
};

const STRING_FLAGS = ['name', 'scopes', 'email', 'ttl', 'provider', 'host', 'agent', 'subscription', 'since', 'wait', 'port', 'secret'];
const OPTIONS = {
  ...Object.fromEntries(STRING_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
  json: { type: 'boolean' as const },
  'auto-approve': { type: 'boolean' as const },
  platform: { type: 'boolean' as const },
};

function usage(): string {
  return ['Usage: npm run cli -- <command> [--json]', '', ...Object.values(COMMANDS).map((c) => `  ${c.usage}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: OPTIONS });
  const name = [2, 1].map((n) => positionals.slice(0, n).join(' ')).find((words) => COMMANDS[words]);
  if (!name) {
    process.stderr.write(`${positionals.length ? `Unknown command: ${positionals.join(' ')}\n\n` : ''}${usage()}\n`);
    return positionals.length ? 2 : 0;
  }
  const config = loadConfigOrExit();
  let db: Db | undefined;
  try {
    await COMMANDS[name].run({
      config,
      db: () => (db ??= createPrismaClient(config.DATABASE_URL)),
      out: { json: values.json === true },
      args: positionals.slice(name.split(' ').length),
      flags: values as Record<string, string | boolean>,
    });
    return 0;
  } catch (error) {
    // A rule the command broke (no such host, …) is the operator's mistake, not a crash.
    if (error instanceof DomainError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${COMMANDS[name].usage}\n`);
    return 2;
  } finally {
    await db?.$disconnect();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
