import type { InboundReceipt, InboundReceiptStatus } from '@bellhop/db';
import type { DomainContext } from '../context';

export interface ReceiptFilter {
  provider?: string;
  status?: InboundReceiptStatus;
  connectionId?: string;
  limit: number;
  cursor?: string;
}

/** Receipts newest first; cursor = the last id seen. */
export async function listInboundReceipts(
  ctx: DomainContext,
  filter: ReceiptFilter,
): Promise<{ items: InboundReceipt[]; nextCursor: string | null }> {
  const items = await ctx.db.inboundReceipt.findMany({
    where: {
      provider: filter.provider,
      status: filter.status,
      connectionId: filter.connectionId,
      ...(filter.cursor ? { id: { lt: filter.cursor } } : {}),
    },
    orderBy: { id: 'desc' },
    take: filter.limit + 1,
  });
  const shown = items.slice(0, filter.limit);
  return { items: shown, nextCursor: items.length > filter.limit ? shown[shown.length - 1].id : null };
}
