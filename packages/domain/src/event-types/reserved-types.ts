import { invalid } from '@bellhop/errors';
import { isReservedEventType, RESERVED_EVENT_NAMESPACES } from '@bellhop/events';

/** 400 `reserved_event_type` for a type in a namespace only Bellhop emits (subscription.*, webhook.*). */
export function assertNotReserved(type: string, field = 'type'): void {
  if (!isReservedEventType(type)) return;
  const namespaces = RESERVED_EVENT_NAMESPACES.map((ns) => `${ns}*`).join(', ');
  throw invalid(
    `${type} is reserved: Bellhop emits ${namespaces} itself`,
    [{ field, message: `reserved namespace (${namespaces})` }],
    'reserved_event_type',
  );
}
