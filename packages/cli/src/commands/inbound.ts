import { createSecretBox } from '@bellhop/auth';
import { findHost } from '@bellhop/domain/access/hosts';
import { createInboundConnection } from '@bellhop/domain/inbound/connections';
import { INBOUND_PROVIDERS, type InboundProvider } from '@bellhop/domain/inbound/inbound.types';
import { requireFlag, UsageError, type CommandContext } from '../command';
import { fields, print } from '../output';

/** Creates an inbound connection and prints, once, what to register at the channel manager. */
export async function inboundCreate(ctx: CommandContext): Promise<void> {
  const provider = requireFlag(ctx, 'provider');
  if (!(INBOUND_PROVIDERS as readonly string[]).includes(provider))
    throw new UsageError(`--provider must be one of ${INBOUND_PROVIDERS.join(', ')}`);
  const hostId = requireFlag(ctx, 'host');
  const db = ctx.db();
  if (!(await findHost(db, hostId))) throw new UsageError(`no host ${hostId}`);
  const credentials = await createInboundConnection(
    { db, secrets: createSecretBox(ctx.config.SECRETS_KEY), publicApiUrl: ctx.config.PUBLIC_API_URL },
    {
      provider: provider as InboundProvider,
      hostId,
      secret: typeof ctx.flags.secret === 'string' ? ctx.flags.secret : undefined,
    },
  );
  const { id, url, login, password, signing_secret: signingSecret } = credentials;
  print(ctx.out, credentials, () =>
    [
      fields({ id, provider, host: hostId, url, ...(login ? { login, password } : { signing_secret: signingSecret }) }),
      '',
      provider === 'hostaway'
        ? 'In Hostaway: Settings → Webhooks → Unified webhooks: paste the URL and set this login and password (shown once).'
        : 'In Hospitable: add a webhook with this URL. Its signing secret must equal signing_secret (pass --secret to use one Hospitable issued).',
    ].join('\n'),
  );
}
