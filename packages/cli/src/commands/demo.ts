import { SCOPES, signHostToken } from '@bellhop/auth';
import { createAgent } from '@bellhop/domain/access/agents';
import { createApiKey } from '@bellhop/domain/access/api-keys';
import { grantHostAccess } from '@bellhop/domain/access/grants';
import { createHost } from '@bellhop/domain/access/hosts';
import { createLogger } from '@bellhop/logger';
import { newId } from '@bellhop/events';
import type { CommandContext } from '../command';
import { fields, print } from '../output';

const DAY = 86_400_000;
const day = (offset: number) => new Date(Math.floor(Date.now() / DAY) * DAY + offset * DAY);

/**
 * Demo data: a host with two properties and three bookings, a platform agent's key (acts for every
 * host), a partner agent's key granted by the demo host, and a host token.
 */
export async function demoSeed(ctx: CommandContext): Promise<void> {
  const db = ctx.db();
  const tag = Date.now().toString(36);
  const host = await createHost(db, {
    name: 'Demo Host',
    email: `demo-${tag}@bellhop.example`,
    autoApproveBookings: false,
  });
  const properties = await Promise.all(
    [
      { title: 'Seaside Loft', address: '12 Harbour Road, Brighton' },
      { title: 'Mountain Cabin', address: '4 Pine Trail, Aspen' },
    ].map((p) => db.property.create({ data: { id: newId('property'), hostId: host.id, ...p } })),
  );
  const bookings = await Promise.all(
    [
      {
        property: properties[0],
        guestName: 'Ada Lovelace',
        checkIn: day(7),
        checkOut: day(10),
        status: 'pending' as const,
        expiresAt: new Date(Date.now() + DAY),
      },
      {
        property: properties[0],
        guestName: 'Alan Turing',
        checkIn: day(14),
        checkOut: day(17),
        status: 'confirmed' as const,
        confirmedAt: new Date(),
      },
      {
        property: properties[1],
        guestName: 'Grace Hopper',
        checkIn: day(3),
        checkOut: day(5),
        status: 'pending' as const,
        expiresAt: new Date(Date.now() + DAY),
      },
    ].map(({ property, ...b }) =>
      db.booking.create({
        data: {
          id: newId('booking'),
          propertyId: property.id,
          hostId: host.id,
          guestEmail: `${b.guestName.split(' ')[0].toLowerCase()}@guest.example`,
          guests: 2,
          totalAmount: 420,
          ...b,
        },
      }),
    ),
  );
  const platform = await createAgent(db, { name: `demo-platform-${tag}`, kind: 'platform' });
  const key = await createApiKey(db, { agentId: platform.id, name: `${platform.name} key`, scopes: [...SCOPES] });
  const partner = await createAgent(db, { name: `demo-partner-${tag}`, kind: 'partner' });
  const partnerKey = await createApiKey(db, { agentId: partner.id, name: `${partner.name} key`, scopes: [...SCOPES] });
  await grantHostAccess({ db, logger: createLogger('cli', 'warn') }, host.id, partner.id);
  const hostToken = await signHostToken(ctx.config.JWT_SECRET, host.id, 7 * 86_400);
  const result = {
    host: { id: host.id, name: host.name, email: host.email },
    properties: properties.map((p) => ({ id: p.id, title: p.title })),
    bookings: bookings.map((b) => ({ id: b.id, status: b.status, guest_name: b.guestName })),
    api_key: { id: key.id, token: key.token, scopes: key.scopes, agent: key.agent },
    partner_api_key: { id: partnerKey.id, token: partnerKey.token, scopes: partnerKey.scopes, agent: partnerKey.agent },
    host_token: hostToken,
  };
  print(ctx.out, result, () =>
    [
      fields({
        host: `${host.id} (${host.name})`,
        properties: properties.map((p) => `${p.id} ${p.title}`).join(', '),
        bookings: bookings.map((b) => `${b.id} ${b.status}`).join(', '),
      }),
      '',
      `Platform agent ${platform.id}, acts for every host (key shown once):  ${key.token}`,
      `Partner agent  ${partner.id}, granted by the demo host (key shown once):  ${partnerKey.token}`,
      `Host token (7 days):  ${hostToken}`,
      '',
      `Try:  curl -H "Authorization: Bearer ${key.token}" ${ctx.config.PUBLIC_API_URL}/api/v1/whoami`,
    ].join('\n'),
  );
}
