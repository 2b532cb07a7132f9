import type { Db, EventType, Prisma } from '@bellhop/db';
import { DEFAULT_EVENT_TYPES } from '@bellhop/events';
import { TtlCache } from '../cache/ttl-cache';
import type { DomainContext } from '../context';
import { assertNotReserved } from './reserved-types';

const synced = new WeakMap<Db, Promise<void>>();

/** Every recorded event checks the catalog; a change made in another process shows within this TTL. */
const CATALOG_CACHE_TTL_MS = 5_000;
const activeTypes = new TtlCache<Db, string[]>(CATALOG_CACHE_TTL_MS, 100);

/** Inserts catalog types that are missing; never un-archives or overwrites an admin's edits. */
export async function syncDefaultEventTypes(db: Db): Promise<number> {
  const { count } = await db.eventType.createMany({
    data: DEFAULT_EVENT_TYPES.map((t) => ({
      name: t.name,
      description: t.description,
      schema: t.schema as Prisma.InputJsonValue,
    })),
    skipDuplicates: true,
  });
  return count;
}

/**
 * The catalog is synced lazily, once per process and database, before the first read, so
 * a fresh (or freshly cloned test) database works without a seeding step; a failure retries.
 */
export function ensureEventTypes(db: Db): Promise<void> {
  let pending = synced.get(db);
  if (!pending) {
    pending = syncDefaultEventTypes(db).then(
      () => undefined,
      (error) => {
        synced.delete(db);
        throw error;
      },
    );
    synced.set(db, pending);
  }
  return pending;
}

/** Names of the active (not archived) event types. */
export async function activeTypeNames(ctx: DomainContext): Promise<string[]> {
  const cached = activeTypes.get(ctx.db);
  if (cached) return cached;
  await ensureEventTypes(ctx.db);
  const rows = await ctx.db.eventType.findMany({ where: { archivedAt: null }, select: { name: true } });
  const names = rows.map((r) => r.name);
  activeTypes.set(ctx.db, names);
  return names;
}

export async function listEventTypes(
  ctx: DomainContext,
  options: { includeArchived?: boolean } = {},
): Promise<EventType[]> {
  await ensureEventTypes(ctx.db);
  return ctx.db.eventType.findMany({
    where: options.includeArchived ? {} : { archivedAt: null },
    orderBy: { name: 'asc' },
  });
}

export interface EventTypeInput {
  name: string;
  description: string;
  schema?: Record<string, unknown>;
}
export interface EventTypeChange {
  description?: string;
  schema?: Record<string, unknown>;
  archived?: boolean;
}

/** Null when a type of that name already exists (archived or not); reserved namespaces are refused. */
export async function createEventType(ctx: DomainContext, input: EventTypeInput): Promise<EventType | null> {
  assertNotReserved(input.name, 'name');
  await ensureEventTypes(ctx.db);
  const { count } = await ctx.db.eventType.createMany({
    data: [{ name: input.name, description: input.description, schema: (input.schema ?? {}) as Prisma.InputJsonValue }],
    skipDuplicates: true,
  });
  activeTypes.delete(ctx.db);
  return count === 0 ? null : ctx.db.eventType.findUniqueOrThrow({ where: { name: input.name } });
}

/** Null when no such type exists. Archiving keeps the first archive time. Bellhop's own types stay as they are. */
export async function updateEventType(
  ctx: DomainContext,
  name: string,
  change: EventTypeChange,
): Promise<EventType | null> {
  assertNotReserved(name, 'name');
  await ensureEventTypes(ctx.db);
  const current = await ctx.db.eventType.findUnique({ where: { name } });
  if (!current) return null;
  const archivedAt =
    change.archived === undefined ? current.archivedAt : change.archived ? (current.archivedAt ?? new Date()) : null;
  const updated = await ctx.db.eventType.update({
    where: { name },
    data: { description: change.description, schema: change.schema as Prisma.InputJsonValue | undefined, archivedAt },
  });
  activeTypes.delete(ctx.db);
  return updated;
}
