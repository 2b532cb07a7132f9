// Secrets must never reach logs: mask by key name and by recognisable value shape.
const SECRET_KEY = /secret|password|passwd|token|api_?key|authorization|cookie|signature|credential/i;
const SECRET_VALUE =
  /\b(whsec_[A-Za-z0-9+/=]+|bh_[A-Za-z0-9_-]+|Bearer\s+[A-Za-z0-9._~+/=-]+|Basic\s+[A-Za-z0-9+/=]+)/g;
const ACCESS_TOKEN_PARAM = /([?&](?:access_token|token)=)[^&\s]+/gi;
export const REDACTED = '[redacted]';

export function redactString(text: string): string {
  return text.replace(SECRET_VALUE, REDACTED).replace(ACCESS_TOKEN_PARAM, `$1${REDACTED}`);
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error)
    return { name: value.name, message: redactString(value.message), stack: value.stack && redactString(value.stack) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item != null ? REDACTED : redact(item, depth + 1);
  }
  return out;
}
