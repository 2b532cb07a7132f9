export { ulid, newId, ID_PREFIXES } from './ids';
