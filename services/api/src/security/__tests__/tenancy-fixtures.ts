import { createSubscription, requestRecovery, revokeHostAccess, type DomainContext } from '@bellhop/domain';
import { newId } from '@bellhop/events';
import { createAgentKey, createHostWithToken, createPartnerKey } from '@bellhop/testing';
import type { ApiRoute } from './route-fixtures';

/** The five kinds of agent every agent-facing route is tried with. */
export const AGENT_ROLES = [
  'platform',
  'granted partner',
  'ungranted partner',
  'partner of another host',
  'revoked grant',
] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

/**
 * Who owns what a route acts on: a host's data (host A: its platform agent and the partner it
 * granted may act, anyone else gets 404), an agent's own data (the granted partner's: only it may
 * act), or nothing (every agent may call; the answer is about itself).
 */
export type Ownership = 'host' | 'own' | 'none';

/** Host A (the target), host B (another), and one agent key per role. */
export async function tenancyWorld(ctx: DomainContext) {
  const hostA = await createHostWithToken(ctx, { autoApproveBookings: true });
  const hostB = await createHostWithToken(ctx);
  const revoked = await createPartnerKey(ctx, [hostA.hostId], { name: 'revoked' });
  await revokeHostAccess(ctx, hostA.hostId, revoked.agentId);
  const agents: Record<AgentRole, Awaited<ReturnType<typeof createAgentKey>>> = {
    platform: await createAgentKey(ctx, { name: 'platform' }),
    'granted partner': await createPartnerKey(ctx, [hostA.hostId], { name: 'granted' }),
    'ungranted partner': await createPartnerKey(ctx, [], { name: 'ungranted' }),
    'partner of another host': await createPartnerKey(ctx, [hostB.hostId], { name: 'other-host' }),
    'revoked grant': revoked,
  };
  return { hostA, hostB, agents };
}
export type TenancyWorld = Awaited<ReturnType<typeof tenancyWorld>>;

async function propertyOf(ctx: DomainContext, hostId: string) {
  return ctx.db.property.create({ data: { id: newId('property'), hostId, title: 'Seaside Loft' } });
}

/** A fresh pending booking of the host, so every case can change one. */
async function pendingBookingOf(ctx: DomainContext, hostId: string) {
  const property = await propertyOf(ctx, hostId);
  const day = 86_400_000 * (10 + Math.floor(Math.random() * 5000));
  return ctx.db.booking.create({
    data: {
      id: newId('booking'),
      propertyId: property.id,
      hostId,
      guestName: 'Ada Lovelace',
      guests: 2,
      totalAmount: 420,
      checkIn: new Date(Date.UTC(2030, 0, 1) + day),
      checkOut: new Date(Date.UTC(2030, 0, 3) + day),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
}

/** A subscription of the granted partner (the owner of every `own` resource). */
async function ownedSubscription(ctx: DomainContext, w: TenancyWorld) {
  const { subscription } = await createSubscription(ctx, w.agents['granted partner'].agentId, {
    agent_name: 'owner',
    webhook_url: 'http://127.0.0.1:9/hook',
    events: ['booking.*'],
  });
  return subscription;
}

/** A pull subscription of the granted partner, with its messages' path. */
async function ownedPullMessages(ctx: DomainContext, w: TenancyWorld, suffix = '') {
  const { subscription } = await createSubscription(ctx, w.agents['granted partner'].agentId, {
    agent_name: 'puller',
    delivery: 'pull',
    events: ['booking.*'],
  });
  return { path: `/api/v1/external/webhook-subscriptions/${subscription.id}/messages${suffix}` };
}

/** A failed delivery on the granted partner's subscription, about host A. */
async function failedDelivery(ctx: DomainContext, w: TenancyWorld) {
  const subscription = await ownedSubscription(ctx, w);
  const event = await ctx.db.event.create({
    data: { id: newId('event'), type: 'booking.updated', hostId: w.hostA.hostId, data: { booking_id: 'bkg_x' } },
  });
  return ctx.db.delivery.create({
    data: {
      id: newId('delivery'),
      eventId: event.id,
      subscriptionId: subscription.id,
      status: 'failed',
      attempts: 1,
      completedAt: new Date(),
    },
  });
}

export interface TenancyCase {
  ownership: Ownership;
  build(ctx: DomainContext, w: TenancyWorld): Promise<{ path: string; body?: unknown }>;
}

const subscriptionPath =
  (suffix = '') =>
  async (ctx: DomainContext, w: TenancyWorld) => ({
    path: `/api/v1/external/webhook-subscriptions/${(await ownedSubscription(ctx, w)).id}${suffix}`,
  });

/** How to aim each agent-facing route at host A's (or the owner's) data; a new route without an entry fails the matrix. */
export const TENANCY_CASES: Record<string, TenancyCase> = {
  'GET /api/v1/whoami': { ownership: 'none', build: async () => ({ path: '/api/v1/whoami' }) },
  'GET /api/v1/external/hosts': { ownership: 'none', build: async () => ({ path: '/api/v1/external/hosts' }) },
  'GET /api/v1/external/event-types': {
    ownership: 'none',
    build: async () => ({ path: '/api/v1/external/event-types' }),
  },
  'POST /api/v1/external/events': {
    ownership: 'host',
    build: async (_ctx, w) => ({
      path: '/api/v1/external/events',
      body: { type: 'booking.updated', host_id: w.hostA.hostId, data: { note: 'x' } },
    }),
  },
  'POST /api/v1/external/bookings': {
    ownership: 'host',
    build: async (ctx, w) => ({
      path: '/api/v1/external/bookings',
      body: {
        property_id: (await propertyOf(ctx, w.hostA.hostId)).id,
        guest_name: 'Ada',
        guest_email: 'ada@guest.example',
        check_in: '2031-05-01',
        check_out: '2031-05-03',
        guests: 2,
        total_amount: 100,
        currency: 'EUR',
      },
    }),
  },
  'GET /api/v1/external/hosts/:hostId/pending-bookings': {
    ownership: 'host',
    build: async (_ctx, w) => ({ path: `/api/v1/external/hosts/${w.hostA.hostId}/pending-bookings` }),
  },
  'PUT /api/v1/external/bookings/:id/status': {
    ownership: 'host',
    build: async (ctx, w) => ({
      path: `/api/v1/external/bookings/${(await pendingBookingOf(ctx, w.hostA.hostId)).id}/status`,
      body: { status: 'confirmed' },
    }),
  },
  'POST /api/v1/external/bookings/:id/auto-approve': {
    ownership: 'host',
    build: async (ctx, w) => ({
      path: `/api/v1/external/bookings/${(await pendingBookingOf(ctx, w.hostA.hostId)).id}/auto-approve`,
    }),
  },
  'GET /api/v1/external/bookings/:id/status': {
    ownership: 'host',
    build: async (ctx, w) => ({
      path: `/api/v1/external/bookings/${(await pendingBookingOf(ctx, w.hostA.hostId)).id}/status`,
    }),
  },
  'POST /api/v1/hosts/:hostId/notifications': {
    ownership: 'host',
    build: async (_ctx, w) => ({
      path: `/api/v1/hosts/${w.hostA.hostId}/notifications`,
      body: { type: 'system', title: 'Hello', message: 'From an agent' },
    }),
  },
  'POST /api/v1/external/webhook-subscriptions': {
    ownership: 'none',
    build: async () => ({
      path: '/api/v1/external/webhook-subscriptions',
      body: { agent_name: 'mine', webhook_url: 'http://127.0.0.1:9/hook', events: ['booking.*'] },
    }),
  },
  'GET /api/v1/external/webhook-subscriptions': {
    ownership: 'none',
    build: async () => ({ path: '/api/v1/external/webhook-subscriptions' }),
  },
  'GET /api/v1/external/webhook-subscriptions/:id': { ownership: 'own', build: subscriptionPath() },
  'PUT /api/v1/external/webhook-subscriptions/:id': {
    ownership: 'own',
    build: async (ctx, w) => ({
      ...(await subscriptionPath()(ctx, w)),
      body: { agent_name: 'renamed', webhook_url: 'http://127.0.0.1:9/other', events: ['booking.created'] },
    }),
  },
  'PATCH /api/v1/external/webhook-subscriptions/:id': {
    ownership: 'own',
    build: async (ctx, w) => ({ ...(await subscriptionPath()(ctx, w)), body: { description: 'patched' } }),
  },
  'DELETE /api/v1/external/webhook-subscriptions/:id': { ownership: 'own', build: subscriptionPath() },
  'POST /api/v1/external/webhook-subscriptions/:id/enable': { ownership: 'own', build: subscriptionPath('/enable') },
  'POST /api/v1/external/webhook-subscriptions/:id/rotate-secret': {
    ownership: 'own',
    build: subscriptionPath('/rotate-secret'),
  },
  'GET /api/v1/external/webhook-subscriptions/:id/deliveries': {
    ownership: 'own',
    build: subscriptionPath('/deliveries'),
  },
  'GET /api/v1/external/webhook-subscriptions/:id/stats': { ownership: 'own', build: subscriptionPath('/stats') },
  'GET /api/v1/external/webhook-subscriptions/:id/signing-key': {
    ownership: 'own',
    build: subscriptionPath('/signing-key'),
  },
  'POST /api/v1/external/webhook-subscriptions/:id/recover': {
    ownership: 'own',
    build: async (ctx, w) => ({
      ...(await subscriptionPath('/recover')(ctx, w)),
      body: { since: new Date(Date.now() - 3_600_000).toISOString() },
    }),
  },
  'GET /api/v1/external/webhook-subscriptions/:id/recoveries/:recoveryId': {
    ownership: 'own',
    build: async (ctx, w) => {
      const sub = await ownedSubscription(ctx, w);
      const recovery = await requestRecovery(
        ctx,
        w.agents['granted partner'].agentId,
        sub.id,
        new Date(Date.now() - 3_600_000),
      );
      return { path: `/api/v1/external/webhook-subscriptions/${sub.id}/recoveries/${recovery.id}` };
    },
  },
  'GET /api/v1/external/deliveries/:id': {
    ownership: 'own',
    build: async (ctx, w) => ({ path: `/api/v1/external/deliveries/${(await failedDelivery(ctx, w)).id}` }),
  },
  'POST /api/v1/external/deliveries/:id/retry': {
    ownership: 'own',
    build: async (ctx, w) => ({ path: `/api/v1/external/deliveries/${(await failedDelivery(ctx, w)).id}/retry` }),
  },
  'GET /api/v1/external/webhook-subscriptions/:id/messages': {
    ownership: 'own',
    build: (ctx, w) => ownedPullMessages(ctx, w),
  },
  'POST /api/v1/external/webhook-subscriptions/:id/messages/ack': {
    ownership: 'own',
    build: async (ctx, w) => ({ ...(await ownedPullMessages(ctx, w, '/ack')), body: { cursor: '0' } }),
  },
  'POST /api/v1/external/portal-sessions': {
    ownership: 'none',
    build: async () => ({ path: '/api/v1/external/portal-sessions' }),
  },
  'POST /api/v1/external/webhooks/test': {
    ownership: 'own',
    build: async (ctx, w) => ({
      path: '/api/v1/external/webhooks/test',
      body: { subscription_id: (await ownedSubscription(ctx, w)).id },
    }),
  },
};

export const routeName = (route: ApiRoute) => `${route.method.toUpperCase()} ${route.path}`;

/** Which roles may act: everyone for `none`, host A's platform agent and granted partner for `host`, the owner for `own`. */
export function allowed(ownership: Ownership, role: AgentRole): boolean {
  if (ownership === 'none') return true;
  if (ownership === 'own') return role === 'granted partner';
  return role === 'platform' || role === 'granted partner';
}
