import { types, type FieldDef, type QueryResult } from 'pg';

/** `timestamp` (without time zone): Prisma writes these as UTC; pg's default parser would read local time. */
const TIMESTAMP_OID = 1114;
const parseUtcTimestamp = (value: string) => new Date(`${value.replace(' ', 'T')}Z`);

/** `bigint`: Prisma reads these as JavaScript bigints; pg's default gives strings. */
const INT8_OID = 20;

/** Type parsers for raw queries whose rows stand in for Prisma's (pass as the query's `types`). */
export const prismaCompatibleTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === 'binary') return types.getTypeParser(oid, format) as (value: string) => unknown;
    if (oid === TIMESTAMP_OID) return parseUtcTimestamp;
    if (oid === INT8_OID) return BigInt;
    return types.getTypeParser(oid, format) as (value: string) => unknown;
  }) as typeof types.getTypeParser,
};

/** Array types of Prisma's scalar lists (bool, int, bigint, text, varchar, timestamp, float, numeric, uuid, jsonb). */
const ARRAY_OIDS = new Set([1000, 1007, 1016, 1009, 1015, 1115, 1022, 1231, 2951, 3807]);

/** A model's scalar fields, as Prisma lists them (e.g. `Prisma.DeliveryScalarFieldEnum`). */
export type ModelFields = Record<string, string>;

/** Every field is mapped to its snake_case column in `prisma/schema.prisma`. */
const columnOf = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A select list for all of a model's fields, each named `"<alias>.<field>"`. */
export function selectModel(alias: string, fields: ModelFields): string {
  return Object.keys(fields)
    .map((field) => `${alias}.${columnOf(field)} AS "${alias}.${field}"`)
    .join(', ');
}

/**
 * The models, as Prisma would return them, from rows selected with `selectModel(alias, fields)`
 * and `prismaCompatibleTypes`: a NULL scalar list reads as [], as it does in Prisma.
 */
export function readModels<T>(
  result: Pick<QueryResult<Record<string, unknown>>, 'rows' | 'fields'>,
  alias: string,
  fields: ModelFields,
): T[] {
  const lists = new Set(
    result.fields.filter((field: FieldDef) => ARRAY_OIDS.has(field.dataTypeID)).map((field) => field.name),
  );
  const names = Object.keys(fields).map(
    (field) => [field, `${alias}.${field}`, lists.has(`${alias}.${field}`)] as const,
  );
  return result.rows.map((row) => {
    const model: Record<string, unknown> = {};
    for (const [field, column, isList] of names) model[field] = isList && row[column] === null ? [] : row[column];
    return model as T;
  });
}
