/** True when a Prisma write lost to a concurrent one on a unique index (P2002: the row it wanted now exists). */
export const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'P2002';
