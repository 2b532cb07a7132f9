import { randomBytes } from 'node:crypto';
import type { SecretBox } from '@bellhop/auth';
import type { Db } from '@bellhop/db';
import { newId } from '@bellhop/events';
import type { InboundProvider } from './inbound.types';

export interface InboundCredentials {
  id: string;
  provider: InboundProvider;
  host_id: string;
  url: string;
  login?: string;
  password?: string;
  signing_secret?: string;
}

/**
 * Creates a connection for a host and returns what to register at the provider, shown once:
 * Hostaway gets a Basic-auth login and password, Hospitable a signing secret.
 */
export async function createInboundConnection(
  deps: { db: Db; secrets: SecretBox; publicApiUrl: string },
  input: { provider: InboundProvider; hostId: string; secret?: string },
): Promise<InboundCredentials> {
  const id = newId('inboundConnection');
  const secret = input.secret ?? randomBytes(24).toString('base64url');
  const login = input.provider === 'hostaway' ? `bellhop-${randomBytes(6).toString('hex')}` : null;
  await deps.db.inboundConnection.create({
    data: { id, provider: input.provider, hostId: input.hostId, login, secretEncrypted: deps.secrets.encrypt(secret) },
  });
  const url = `${deps.publicApiUrl.replace(/\/$/, '')}/api/v1/inbound/${input.provider}/${id}`;
  return {
    id,
    provider: input.provider,
    host_id: input.hostId,
    url,
    ...(login ? { login, password: secret } : { signing_secret: secret }),
  };
}
