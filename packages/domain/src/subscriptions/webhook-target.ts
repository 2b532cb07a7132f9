import { validateWebhookUrl, type Resolver } from '@bellhop/egress-guard';
import { invalid } from '@bellhop/errors';
import type { DomainContext } from '../context';

/** Test seam: name resolution for the address guard (defaults to the system resolver). */
export interface TargetCheckOptions {
  resolveHost?: Resolver;
}

/** 400 naming webhook_url unless the URL is allowed; runs before anything is written. */
export async function assertWebhookTarget(
  ctx: DomainContext,
  url: string,
  options: TargetCheckOptions = {},
): Promise<void> {
  const result = await validateWebhookUrl(url, {
    allowHttp: ctx.config.WEBHOOK_ALLOW_HTTP,
    allowPrivateTargets: ctx.config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    resolve: options.resolveHost,
  });
  if (!result.ok)
    throw invalid(
      `webhook_url is not allowed: ${result.reason}`,
      [{ field: 'webhook_url', message: result.reason }],
      'invalid_webhook_url',
    );
}
