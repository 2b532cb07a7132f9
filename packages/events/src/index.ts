export { ulid, newId, ID_PREFIXES } from './ids';
export {
  DEFAULT_EVENT_TYPES,
  EVENT,
  RESERVED_EVENT_NAMESPACES,
  isReservedEventType,
  bookingStatusEvent,
  type EventTypeDefinition,
} from './catalog';
export { matchesPattern, matchesAny } from './patterns';
