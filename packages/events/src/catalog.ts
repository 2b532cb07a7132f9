/**
 * The default event catalog: every event type Bellhop knows out of the box, with a
 * description and the JSON schema of its `data`. It seeds the event_types table; admins add
 * or archive further types there, so other domains' events are data, not code.
 */
export interface EventTypeDefinition {
  name: string;
  description: string;
  schema: Record<string, unknown>;
}

const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: true,
});
const str = { type: 'string' };
const num = { type: 'number' };
const booking = obj(
  {
    booking_id: str,
    property_id: str,
    host_id: str,
    status: str,
    guest_name: str,
    check_in: { type: 'string', format: 'date' },
    check_out: { type: 'string', format: 'date' },
    total_amount: num,
    currency: str,
    reason: str,
  },
  ['booking_id'],
);
const property = obj({ property_id: str, host_id: str, title: str, address: str }, ['property_id']);
const staff = obj(
  { staff_id: str, assignment_id: str, location_id: str, at: { type: 'string', format: 'date-time' } },
  ['staff_id'],
);
const location = obj({ location_id: str, name: str, status: str }, ['location_id']);
const kit = obj({ kit_id: str, name: str, assigned_to: str }, ['kit_id']);
const organization = obj({ organization_id: str, name: str, user_id: str }, ['organization_id']);

const entries: [string, string, Record<string, unknown>][] = [
  ['booking.created', 'A booking request was created and awaits the host', booking],
  ['booking.updated', 'Booking details changed (dates, guests, amount…)', booking],
  ['booking.confirmed', 'The host (or auto-approve) confirmed a booking', booking],
  ['booking.cancelled', 'A booking was cancelled', booking],
  ['booking.declined', 'The host declined a booking request', booking],
  ['booking.expired', 'A pending booking got no answer in time', booking],
  ['booking.started', 'The guest checked in', booking],
  ['booking.completed', 'The stay ended', booking],
  [
    'payment.received',
    'A payment for a booking was received',
    obj({ booking_id: str, amount: num, currency: str, payment_id: str }, ['amount']),
  ],
  [
    'host.response_needed',
    'The host must answer a booking request before it expires',
    obj({ booking_id: str, expires_at: { type: 'string', format: 'date-time' } }, ['booking_id']),
  ],
  [
    'message.created',
    'A guest sent a message',
    obj({ conversation_id: str, booking_id: str, sender: str, body: str }, ['body']),
  ],
  ['review.created', 'A guest left a review', obj({ review_id: str, booking_id: str, rating: num, body: str })],
  ['property.created', 'A property was added', property],
  ['property.updated', 'A property changed', property],
  ['property.deleted', 'A property was removed', property],
  ['property.merged', 'Two property records were merged', obj({ property_id: str, merged_into: str }, ['property_id'])],
  [
    'subscription.disabled',
    'One of your webhook subscriptions was disabled after repeated failures',
    obj({ subscription_id: str, reason: str, disabled_at: { type: 'string', format: 'date-time' } }, [
      'subscription_id',
      'reason',
    ]),
  ],
  [
    'subscription.unhealthy',
    'The circuit breaker of one of your webhook subscriptions opened: its deliveries pause, probes go out',
    obj(
      {
        subscription_id: str,
        webhook_url: str,
        unhealthy_since: { type: 'string', format: 'date-time' },
        consecutive_failures: num,
        next_probe_at: { type: 'string', format: 'date-time' },
      },
      ['subscription_id', 'unhealthy_since'],
    ),
  ],
  [
    'subscription.recovered',
    'A probe of an unhealthy webhook subscription succeeded: its breaker closed and its paused deliveries resumed',
    obj(
      {
        subscription_id: str,
        webhook_url: str,
        unhealthy_since: { type: 'string', format: 'date-time' },
        recovered_at: { type: 'string', format: 'date-time' },
        resumed: num,
      },
      ['subscription_id', 'recovered_at'],
    ),
  ],
  ['webhook.test', 'A test message sent on request to one subscription', obj({ message: str })],
  ['staff.assigned', 'A staff member was assigned to a shift or location', staff],
  ['staff.unassigned', 'A staff assignment was removed', staff],
  ['staff.checkin', 'A staff member checked in', staff],
  ['staff.checkout', 'A staff member checked out', staff],
  ['staff.availability_updated', 'A staff member changed their availability', staff],
  ['location.created', 'A location was created', location],
  ['location.updated', 'A location changed', location],
  ['location.archived', 'A location was archived', location],
  ['location.approved', 'A location was approved', location],
  ['location.rejected', 'A location was rejected', location],
  ['inventory.kit_created', 'An inventory kit was created', kit],
  ['inventory.kit_updated', 'An inventory kit changed', kit],
  ['inventory.kit_assigned', 'An inventory kit was assigned', kit],
  ['inventory.kit_returned', 'An inventory kit was returned', kit],
  ['organization.created', 'An organization was created', organization],
  ['organization.updated', 'An organization changed', organization],
  ['organization.user_added', 'A user joined an organization', organization],
  ['organization.user_removed', 'A user left an organization', organization],
];

export const DEFAULT_EVENT_TYPES: EventTypeDefinition[] = entries.map(([name, description, schema]) => ({
  name,
  description,
  schema,
}));

/** Event types Bellhop itself records; named here so no code spells them twice. */
export const EVENT = {
  bookingCreated: 'booking.created',
  bookingUpdated: 'booking.updated',
  hostResponseNeeded: 'host.response_needed',
  paymentReceived: 'payment.received',
  messageCreated: 'message.created',
  reviewCreated: 'review.created',
  subscriptionDisabled: 'subscription.disabled',
  subscriptionUnhealthy: 'subscription.unhealthy',
  subscriptionRecovered: 'subscription.recovered',
  webhookTest: 'webhook.test',
} as const;

/**
 * Namespaces of the types Bellhop emits itself (about subscriptions, test messages). Nobody records
 * them through the API and admins cannot add types there, so no agent can forge them for another.
 */
export const RESERVED_EVENT_NAMESPACES = ['subscription.', 'webhook.'] as const;

export const isReservedEventType = (name: string) => RESERVED_EVENT_NAMESPACES.some((ns) => name.startsWith(ns));

/** booking.<status> for a booking status change. */
export const bookingStatusEvent = (status: string) => `booking.${status}`;
