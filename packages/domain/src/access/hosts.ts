import type { Db, Host } from '@bellhop/db';
import { newId } from '@bellhop/events';

export async function createHost(
  db: Db,
  input: { name: string; email: string; autoApproveBookings?: boolean },
): Promise<Host> {
  return db.host.create({
    data: {
      id: newId('host'),
      name: input.name,
      email: input.email,
      autoApproveBookings: input.autoApproveBookings ?? false,
    },
  });
}

export function findHost(db: Db, id: string): Promise<Host | null> {
  return db.host.findUnique({ where: { id } });
}
