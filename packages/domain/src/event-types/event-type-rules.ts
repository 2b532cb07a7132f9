import { invalid } from '@bellhop/errors';
import type { DomainContext } from '../context';
import { activeTypeNames } from './event-types.service';

const CATALOG_HINT = 'See GET /api/v1/external/event-types for the catalog';

/** A pattern is `*`, an active type, or `prefix.*` where some active type has that prefix. */
function isValidPattern(pattern: string, known: string[]): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) {
    const prefix = pattern.slice(0, -1);
    return prefix.length > 1 && !prefix.slice(0, -1).includes('*') && known.some((name) => name.startsWith(prefix));
  }
  return known.includes(pattern);
}

/** 400 listing every pattern that matches no active event type. */
export async function assertSubscribablePatterns(
  ctx: DomainContext,
  patterns: string[],
  field = 'events',
): Promise<void> {
  const known = await activeTypeNames(ctx);
  const unknown = patterns.filter((p) => !isValidPattern(p, known));
  if (unknown.length === 0) return;
  throw invalid(
    `Unknown event types: ${unknown.join(', ')}. ${CATALOG_HINT}`,
    [{ field, message: `unknown event types: ${unknown.join(', ')}`, invalid: unknown }],
    'unknown_event_types',
  );
}

/** 400 unless `type` is an active (not archived) event type. */
export async function assertRecordableType(ctx: DomainContext, type: string, field = 'type'): Promise<void> {
  const known = await activeTypeNames(ctx);
  if (known.includes(type)) return;
  throw invalid(
    `Unknown event type: ${type}. ${CATALOG_HINT}`,
    [{ field, message: `unknown event type: ${type}`, invalid: [type] }],
    'unknown_event_types',
  );
}
