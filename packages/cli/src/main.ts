#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { COMMANDS } from './commands';

// A command runs a handful of queries: optimising Prisma's query compiler (3.4 MB of WebAssembly) in the
// background would cost more CPU than the command, and its exit would wait for it. Baseline code only.
setFlagsFromString('--liftoff-only');

const STRING_FLAGS = [
  'name',
  'scopes',
  'email',
  'ttl',
  'provider',
  'host',
  'agent',
  'subscription',
  'since',
  'wait',
  'port',
  'secret',
  'rate-limit',
  'pull',
  'key',
];
const OPTIONS = {
  ...Object.fromEntries(STRING_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
  json: { type: 'boolean' as const },
  'auto-approve': { type: 'boolean' as const },
  platform: { type: 'boolean' as const },
};

function usage(): string {
  return ['Usage: npm run cli -- <command> [--json]', '', ...Object.values(COMMANDS).map((c) => `  ${c.usage}`)].join(
    '\n',
  );
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: OPTIONS });
  const name = [2, 1].map((n) => positionals.slice(0, n).join(' ')).find((words) => COMMANDS[words]);
  if (!name) {
    process.stderr.write(`${positionals.length ? `Unknown command: ${positionals.join(' ')}\n\n` : ''}${usage()}\n`);
    return positionals.length ? 2 : 0;
  }
  const { runCommand } = await import('./run-command.js');
  return runCommand(COMMANDS[name], {
    out: { json: values.json === true },
    args: positionals.slice(name.split(' ').length),
    flags: values as Record<string, string | boolean>,
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
