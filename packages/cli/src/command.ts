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

export interface Command {
  usage: string;
  run(ctx: CommandContext): Promise<void>;
}

export function requireFlag(ctx: CommandContext, name: string): string {
  const value = ctx.flags[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing --${name}`);
  return value;
}
