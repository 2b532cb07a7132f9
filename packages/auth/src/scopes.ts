/** Every scope an agent API key can hold. */
export const SCOPES = [
  'webhooks:read',
  'webhooks:write',
  'events:write',
  'bookings:read',
  'bookings:write',
  'notifications:write',
] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
