import { loadConfigOrExit } from '@bellhop/config';
import { createPrismaClient, type Db } from '@bellhop/db';
import { DomainError } from '@bellhop/errors';
import { UsageError, type Command, type CommandContext } from './command';

/**
 * Runs a command with the configuration and a database opened on first use; returns the exit code.
 * Loaded only once a command is known: the config schema and Prisma are most of a start.
 */
export async function runCommand(
  command: Command,
  input: Pick<CommandContext, 'out' | 'args' | 'flags'>,
): Promise<number> {
  const config = loadConfigOrExit();
  const run = await command.load();
  let db: Db | undefined;
  try {
    await run({ ...input, config, db: () => (db ??= createPrismaClient(config.DATABASE_URL)) });
    return 0;
  } catch (error) {
    // A rule the command broke (no such host, …) is the operator's mistake, not a crash.
    if (error instanceof DomainError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${command.usage}\n`);
    return 2;
  } finally {
    await db?.$disconnect();
  }
}
