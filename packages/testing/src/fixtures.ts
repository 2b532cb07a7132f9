import { SCOPES, signHostToken, type Scope } from '@bellhop/auth';
import { createApiKey, createHost, type DomainContext } from '@bellhop/domain';
import { randomBytes } from 'node:crypto';

/** An agent API key; `auth` is ready for supertest's `.set('Authorization', …)`. */
export async function createAgent(ctx: DomainContext, scopes: readonly Scope[] = SCOPES, name = 'test-agent') {
  const key = await createApiKey(ctx.db, { name, scopes: [...scopes] });
  return { keyId: key.id, token: key.token, auth: `Bearer ${key.token}` };
}

/** A host and a valid host token for it. */
export async function createHostWithToken(ctx: DomainContext, options: { autoApproveBookings?: boolean } = {}) {
  const tag = randomBytes(4).toString('hex');
  const host = await createHost(ctx.db, { name: `Host ${tag}`, email: `host-${tag}@example.test`, ...options });
  const token = await signHostToken(ctx.config.JWT_SECRET, host.id, 3600);
  return { host, hostId: host.id, token, auth: `Bearer ${token}` };
}

export const adminAuth = (ctx: DomainContext) => `Bearer ${ctx.config.ADMIN_TOKEN}`;
