export type { DomainContext } from './context';
export { createApiKey, listApiKeys, revokeApiKey, authenticateApiKey, type AgentIdentity } from './access/api-keys';
export { createHost, findHost } from './access/hosts';
export { createDomainContext, closeDomainContext } from './bootstrap';
export { insertEvent, enqueueEvents, recordEvent, type EventInput, type Tx } from './events/record-event';
export { EVENT_NOTIFICATIONS, notificationFromEvent } from './notifications/event-mapping';
export { subscriptionSigningSecrets, subscriptionBearer, type PreviousSecret } from './subscriptions/secrets';
export { publishEventToHost } from './notifications/publish-event';
