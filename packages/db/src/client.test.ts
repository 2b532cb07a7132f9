import { createDatabase, warmUpPrisma } from './client';

describe('warmUpPrisma', () => {
  it('lets a process start while Postgres is out: the first real query reports it', async () => {
    const { db, sql } = createDatabase('postgresql://postgres@127.0.0.1:1/nowhere', 1, () => undefined);
    try {
      await expect(warmUpPrisma(db)).resolves.toBeUndefined();
      await expect(db.event.findFirst()).rejects.toThrow();
    } finally {
      await db.$disconnect();
      await sql.end();
    }
  });
});
