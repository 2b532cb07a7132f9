export type { DomainContext } from './context';
export {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  setApiKeyRateLimit,
  authenticateApiKey,
  effectiveRateLimit,
  DEFAULT_RATE_LIMITS,
  MAX_RATE_LIMIT_PER_MINUTE,
  type AgentIdentity,
  type ApiKeySummary,
} from './access/api-keys';
export {
  openAdminSession,
  openPortalSession,
  findWebSession,
  issuePortalLink,
  consumePortalLink,
  endWebSession,
} from './access/web-sessions';
export {
  createAgent,
  findAgent,
  listAgents,
  AGENT_KINDS,
  OPERATOR,
  type ActingAgent,
  type Actor,
  type Operator,
} from './access/agents';
export {
  grantHostAccess,
  revokeHostAccess,
  listHostGrants,
  listHostsForAgent,
  GRANT_REVOKED,
  type Grant,
  type HostForAgent,
  type Page,
} from './access/grants';
export { hostsActedForBy, findHostForAgent } from './access/host-scope';
export { createHost, findHost } from './access/hosts';
export { createDomainContext, closeDomainContext } from './bootstrap';
export {
  insertEvent,
  enqueueEvents,
  recordEvent,
  type EventInput,
  type RequestOrigin,
  type Tx,
} from './events/record-event';
export { jobTrace } from './events/event-trace';
export { EVENT_NOTIFICATIONS, notificationFromEvent } from './notifications/event-mapping';
export {
  subscriptionSigningSecrets,
  subscriptionSigningKeys,
  subscriptionPublicKeys,
  subscriptionBearer,
  type PreviousSecret,
  type PreviousSigningKey,
} from './subscriptions/secrets';
export {
  syncDefaultEventTypes,
  ensureEventTypes,
  listEventTypes,
  createEventType,
  updateEventType,
  type EventTypeInput,
  type EventTypeChange,
} from './event-types/event-types.service';
export { assertSubscribablePatterns, assertRecordableType } from './event-types/event-type-rules';
export {
  createSubscriptionSchema,
  replaceSubscriptionSchema,
  patchSubscriptionSchema,
  type CreateSubscriptionInput,
  type ReplaceSubscriptionInput,
  type PatchSubscriptionInput,
} from './subscriptions/subscription-input.schema';
export {
  createSubscription,
  getSubscription,
  listSubscriptions,
  updateSubscription,
  replaceSubscription,
  enableSubscription,
  type CreatedSubscription,
  type SubscriptionPage,
} from './subscriptions/subscriptions.service';
export {
  deleteSubscription,
  rotateSubscriptionSecret,
  type RotatedSecret,
} from './subscriptions/subscription-lifecycle';
export { assertWebhookTarget, type TargetCheckOptions } from './subscriptions/webhook-target';
export { sendTestWebhook, type TestWebhookRequest, type TestWebhookResult } from './subscriptions/test-webhook';
export { listAllSubscriptions, subscriptionOwner, type SubscriptionOverview } from './subscriptions/list-all';
export {
  recordExternalEvent,
  externalEventSchema,
  idempotencyKeySchema,
  type ExternalEventInput,
  type ExternalEventRequest,
  type RecordedExternalEvent,
} from './events/external-event';
export { publishEventToHost } from './notifications/publish-event';
export { presentNotification, type NotificationView } from './notifications/notification.presenter';
export { countNotifications, type NotificationCounts } from './notifications/notification-counts';
export { sendHostEvent, announceToAllHosts, type Announcement } from './notifications/host-stream';
export {
  createNotification,
  listNotifications,
  markNotificationRead,
  markAllNotificationsRead,
  deleteNotification,
  cleanupNotifications,
  type NotificationInput,
  type NotificationFilter,
} from './notifications/notifications.service';
export { BOOKING_TRANSITIONS, canTransition, assertTransition } from './bookings/status-machine';
export {
  createBookingSchema,
  changeStatusSchema,
  isoDate,
  money,
  toDateColumn,
  fromDateColumn,
  type CreateBookingInput,
} from './bookings/booking.schema';
export { createBooking } from './bookings/create-booking';
export { changeBookingStatus, autoApproveBooking, type StatusChange } from './bookings/change-status';
export { expirePendingBookings } from './bookings/expire-bookings';
export { findBookingForAgent, listPendingBookingsForAgent, type BookingWithProperty } from './bookings/booking-queries';
export { bookingEvent } from './bookings/booking-event';
export {
  getHostSettings,
  updateHostSettings,
  hostSettingsUpdateSchema,
  notificationPreferencesSchema,
  NOTIFICATION_TYPES,
  type HostSettings,
} from './bookings/host-settings';
export {
  INBOUND_PROVIDERS,
  type InboundProvider,
  type InboundChange,
  type NormalisedReservation,
} from './inbound/inbound.types';
export { createInboundConnection, type InboundCredentials } from './inbound/connections';
export { hospitableSignature } from './inbound/inbound-auth';
export { receiveInbound, type InboundDelivery, type ReceiveOutcome } from './inbound/receive-inbound';
export { enqueueReceipt, requeueStaleReceipts, INBOUND_JOB_OPTIONS } from './inbound/receipt-queue';
export { processInboundReceipt, reprocessInboundReceipt } from './inbound/process-receipt';
export { listInboundReceipts, type ReceiptFilter } from './inbound/receipt-queries';
export { HOSTAWAY_STATUS, normaliseHostaway } from './inbound/hostaway.normalise';
export { HOSPITABLE_STATUS, normaliseHospitable } from './inbound/hospitable.normalise';
export { fanOutEvents, type FanOutResult } from './deliveries/fan-out';
export { runDelivery, runDeliveryJob, type DeliveryRun, type DeliveryJobRun } from './deliveries/run-delivery';
export { sweepUnfannedEvents, sweepDueDeliveries } from './deliveries/sweep';
export { deliveryBody } from './deliveries/delivery-body';
export { retrySchedule, parseRetryAfter, nextDelayMs } from './deliveries/retry-schedule';
export { enqueueDelivery, deliveryJobId, deliveryQueueOf } from './deliveries/enqueue-delivery';
export type { WebhookTransport, WebhookRequest, WebhookResponse } from './deliveries/transport';
export {
  listDeliveries,
  getDelivery,
  type DeliveryFilter,
  type DeliveryWithEvent,
  type DeliveryDetail,
} from './deliveries/delivery-queries';
export { retryDelivery } from './deliveries/delivery-replay';
export { requestRecovery, getRecovery, sweepRecoveries } from './deliveries/recoveries';
export { runRecovery } from './deliveries/run-recovery';
export { disableSubscription } from './deliveries/disable-subscription';
export {
  probeOpenBreakers,
  breakerHealth,
  BREAKER_DEFAULTS,
  PROBE_FIRST_MS,
  PROBE_MAX_MS,
  type BreakerHealth,
} from './deliveries/circuit-breaker';
export { subscriptionStats, type DeliveryStats } from './deliveries/delivery-stats';
export { purgeExpiredData, PURGE_BATCH, type PurgeResult } from './retention/purge-expired';
export { dataRetainedSince } from './retention/horizon';
export { isPush, pushUrlOf, type PushSubscription } from './subscriptions/delivery-mode';
export { parseCursor } from './pull/pull-cursor';
export {
  ackPullMessages,
  findPullSubscription,
  presentPullMessage,
  readPullMessages,
  streamStart,
  type PullContext,
} from './pull/pull-messages';
export { selectPullMessages } from './pull/pull-queries';
export { createPullMessages } from './pull/create-pull-messages';
