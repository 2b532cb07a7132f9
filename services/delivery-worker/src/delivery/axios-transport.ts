import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios from 'axios';
import { assertPublicIpLiteral, createGuardedLookup, type LookupAll } from '@bellhop/egress-guard';
import type { WebhookTransport } from '@bellhop/domain';
import { USER_AGENT } from './user-agent';

const MAX_RESPONSE_BYTES = 64 * 1024;

export interface TransportOptions { allowPrivateTargets: boolean; lookup?: LookupAll }

/** Reads at most 64 KB of a response body, then drops the rest of the stream. */
async function readCapped(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= MAX_RESPONSE_BYTES) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8');
}

/**
 * POSTs webhooks over keep-alive agents whose DNS lookup refuses private addresses (so DNS
 * rebinding can't reach them); IP-literal hosts are checked here because Node skips `lookup`.
 */
export function createAxiosTransport(options: TransportOptions): WebhookTransport & { close(): void } {
  const lookup = createGuardedLookup(options);
  const httpAgent = new http.Agent({ keepAlive: true, lookup });
  const httpsAgent = new https.Agent({ keepAlive: true, lookup });
  // What is the same for every request lives on the instance, so each request merges only its own few options.
  // Bellhop's User-Agent is set last: a subscription's custom headers cannot replace it.
  const client = axios.create({
    httpAgent,
    httpsAgent,
    proxy: false,
    maxRedirects: 0,
    validateStatus: () => true,
    responseType: 'stream',
    transformRequest: [(data: string) => data],
  });
  const send: WebhookTransport = async ({ url, headers, body, timeoutMs }) => {
    if (!options.allowPrivateTargets) assertPublicIpLiteral(new URL(url).hostname);
    const response = await client.post<Readable>(url, body, { headers: { ...headers, 'User-Agent': USER_AGENT }, timeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
    const text = await readCapped(response.data);
    const flat = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v == null ? undefined : String(v)]));
    return { statusCode: response.status, headers: flat, body: text };
  };
  return Object.assign(send, { close: () => { httpAgent.destroy(); httpsAgent.destroy(); } });
}
