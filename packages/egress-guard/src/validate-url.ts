import { promises as dns } from 'node:dns';
import { classifyAddress } from './classify';
import { parseHostAsIp } from './host';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export type Resolver = (host: string) => Promise<string[]>;

export interface ValidateWebhookUrlOptions {
  allowHttp: boolean;
  /** Dev/test only: skip every address check (localhost, IP classes, DNS). */
  allowPrivateTargets: boolean;
  resolve?: Resolver;
}

export type WebhookUrlValidation = { ok: true; url: URL } | { ok: false; reason: string };

const defaultResolve: Resolver = async (host) => (await dns.lookup(host, { all: true })).map((entry) => entry.address);

const refuse = (reason: string): WebhookUrlValidation => ({ ok: false, reason });

function checkShape(raw: string, allowHttp: boolean): WebhookUrlValidation {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return refuse(`URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('URL is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return refuse(`scheme "${url.protocol}" is not allowed; use https`);
  if (url.protocol === 'http:' && !allowHttp) return refuse('https is required');
  if (url.username || url.password) return refuse('URL must not contain a username or password');
  if (!url.hostname) return refuse('URL has no host');
  return { ok: true, url };
}

function describeIfNonPublic(address: string, host: string): string | null {
  const kind = classifyAddress(address);
  if (kind === 'public') return null;
  return address === host
    ? `target ${address} is a ${kind} address`
    : `host "${host}" resolves to ${address}, a ${kind} address`;
}

async function checkAddresses(url: URL, resolve: Resolver): Promise<string | null> {
  const name = url.hostname.replace(/\.+$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return `host "${url.hostname}" is local`;
  // WHATWG URL already canonicalises most IPv4 spellings; parse again in case it did not.
  const literal = parseHostAsIp(url.hostname);
  if (literal) return describeIfNonPublic(literal, literal);
  let addresses: string[];
  try {
    addresses = await resolve(url.hostname);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code ?? (err as Error)?.message ?? String(err);
    return `could not resolve host "${url.hostname}" (${code})`;
  }
  if (addresses.length === 0) return `host "${url.hostname}" resolved to no addresses`;
  for (const address of addresses) {
    const problem = describeIfNonPublic(address, url.hostname);
    if (problem) return problem;
  }
  return null;
}

/** Registration-time check of a webhook target URL (scheme, credentials, length, then addresses). */
export async function validateWebhookUrl(
  raw: string,
  options: ValidateWebhookUrlOptions,
): Promise<WebhookUrlValidation> {
  const shape = checkShape(raw, options.allowHttp);
  if (!shape.ok || options.allowPrivateTargets) return shape;
  const problem = await checkAddresses(shape.url, options.resolve ?? defaultResolve);
  return problem ? refuse(problem) : shape;
}
