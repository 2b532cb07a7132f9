export { classifyAddress } from './classify';
export type { AddressClass } from './classify';
export { parseHostAsIp } from './host';
export { validateWebhookUrl, MAX_WEBHOOK_URL_LENGTH } from './validate-url';
export type { Resolver, ValidateWebhookUrlOptions, WebhookUrlValidation } from './validate-url';
export { createGuardedLookup, assertPublicIpLiteral } from './guarded-lookup';
export type { GuardedLookupOptions, LookupAll } from './guarded-lookup';
export { EgressBlockedError } from './errors';
