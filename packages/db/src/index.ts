export { createDatabase, createPrismaClient, warmUpPrisma, type Database, type Db, type SqlPool } from './client';
export { cloneDatabase, dropDatabase, ensureDatabase, withDatabaseName } from './database';
export { applyMigrations, diffSchemas } from './migrations';
export { prismaCompatibleTypes, readModels, selectModel, type ModelFields } from './raw-rows';
export { isUniqueViolation } from './unique-violation';
// PrismaClient, the Prisma namespace, $Enums, every enum and every model type.
export * from './generated/client';
