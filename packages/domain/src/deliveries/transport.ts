/** What the domain asks the HTTP layer to send; the worker supplies the guarded axios transport. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** A received answer (any status); network errors, timeouts and guard refusals are thrown instead. */
export interface WebhookResponse {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body: string;
}

export type WebhookTransport = (request: WebhookRequest) => Promise<WebhookResponse>;
