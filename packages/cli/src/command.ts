import type { Config } from '@bellhop/config';
import type { Db } from '@bellhop/db';
import type { Output } from './output';

export class UsageError extends Error {}

export interface CommandContext {
  config: Config;
  /** Opened on first use, so commands that need no database never connect. */
  db(): Db;
  out: Output;
  args: string[];
  flags: Record<string, string | boolean>;
}

/** A command's usage line, and its code, loaded only when it runs: `--help` loads no database or queue client. */
export interface Command {
  usage: string;
  load(): Promise<(ctx: CommandContext) => Promise<void>>;
}

export function requireFlag(ctx: CommandContext, name: string): string {
  const value = ctx.flags[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing --${name}`);
  return value;
}
