import type { Event, WebhookSubscription } from '@bellhop/db';
import type { PushSubscription } from '../subscriptions/delivery-mode';
import { formatTraceparent, type Span } from '@bellhop/tracing';
import { buildSignatureHeaders } from '@bellhop/webhooks';
import type { DomainContext } from '../context';
import { eventTrace } from '../events/event-trace';
import { subscriptionBearer, subscriptionSigningKeys, subscriptionSigningSecrets } from '../subscriptions/secrets';
import { deliveryBody } from './delivery-body';
import type { WebhookTransport } from './transport';

const EXCERPT_CHARS = 1024;

export interface AttemptResult {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  retryAfter: string | undefined;
  excerpt: string | null;
  error: string | null;
}

function customHeaders(sub: WebhookSubscription): Record<string, string> {
  const raw = sub.headers && typeof sub.headers === 'object' && !Array.isArray(sub.headers) ? sub.headers : {};
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

/** This attempt's own span in the event's trace; the receiver gets it as `traceparent` (outside the signed content). */
function traceHeaders(span: Span): Record<string, string> {
  return {
    traceparent: formatTraceparent(span.context),
    ...(span.context.state ? { tracestate: span.context.state } : {}),
  };
}

/** Ends the attempt's span with what the receiver answered, failed unless it was a 2xx. */
function endAttemptSpan(span: Span, result: AttemptResult): AttemptResult {
  if (result.statusCode !== null) span.setAttributes({ 'http.response.status_code': result.statusCode });
  span.end(result.error ?? undefined);
  return result;
}

/** Signs and POSTs one attempt; never throws for the receiver's or the network's failures. */
export async function sendAttempt(
  ctx: DomainContext,
  event: Event,
  sub: PushSubscription,
  transport: WebhookTransport,
): Promise<AttemptResult> {
  const span = ctx.tracing.startSpan('webhook attempt', {
    kind: 'client',
    parent: eventTrace(event),
    attributes: {
      'http.request.method': 'POST',
      'bellhop.event.id': event.id,
      'bellhop.event.type': event.type,
      'bellhop.subscription.id': sub.id,
    },
  });
  return endAttemptSpan(span, await signAndPost(ctx, event, sub, transport, traceHeaders(span)));
}

/** The attempt itself: signed headers (beside the trace headers), the POST, and what came back. */
async function signAndPost(
  ctx: DomainContext,
  event: Event,
  sub: PushSubscription,
  transport: WebhookTransport,
  trace: Record<string, string>,
): Promise<AttemptResult> {
  const body = deliveryBody(event);
  const startedAt = new Date();
  const bearer = subscriptionBearer(ctx, sub);
  const headers: Record<string, string> = {
    ...customHeaders(sub),
    ...trace,
    ...buildSignatureHeaders({
      id: event.id,
      timestamp: Math.floor(startedAt.getTime() / 1000),
      body,
      eventType: event.type,
      secrets: subscriptionSigningSecrets(ctx, sub, startedAt),
      signingKeys: subscriptionSigningKeys(ctx, sub, startedAt),
    }),
    'Content-Type': 'application/json',
    ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
  };
  try {
    const response = await transport({ url: sub.webhookUrl, headers, body, timeoutMs: sub.timeoutMs });
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return {
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      statusCode: response.statusCode,
      retryAfter: response.headers['retry-after'],
      excerpt: response.body ? response.body.slice(0, EXCERPT_CHARS) : null,
      error: ok ? null : `HTTP ${response.statusCode}`,
    };
  } catch (error) {
    const err = error as Error & { code?: string };
    const message = err.code ? `${err.code}: ${err.message}` : err.message;
    return {
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
      statusCode: null,
      retryAfter: undefined,
      excerpt: null,
      error: message.slice(0, EXCERPT_CHARS),
    };
  }
}
