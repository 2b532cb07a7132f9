import type { Request, Response } from 'express';
import type { Config } from '@bellhop/config';

/** The two browser sessions, each cookie scoped to the paths that need it. */
export const SESSION_COOKIES = {
  portal: { name: 'bellhop_portal', path: '/portal' },
  admin: { name: 'bellhop_admin', path: '/admin' },
} as const;
export type SessionCookie = (typeof SESSION_COOKIES)[keyof typeof SESSION_COOKIES];

/** Readable by the operator's page script: Bull Board's HTTP client echoes it as X-XSRF-TOKEN on every write. */
export const ADMIN_CSRF_COOKIE = { name: 'XSRF-TOKEN', path: '/admin' } as const;

/** A cookie value from the request, or null. */
export function readCookie(req: Request, name: string): string | null {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

interface CookieOptions {
  httpOnly?: boolean;
  maxAgeMs: number;
}

function attributes(config: Config, path: string, { httpOnly = true, maxAgeMs }: CookieOptions): string {
  const parts = [`Path=${path}`, `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`, 'SameSite=Strict'];
  if (httpOnly) parts.push('HttpOnly');
  if (config.NODE_ENV !== 'development') parts.push('Secure');
  return parts.join('; ');
}

export function setCookie(
  res: Response,
  config: Config,
  cookie: { name: string; path: string },
  value: string,
  options: CookieOptions,
): void {
  res.append('Set-Cookie', `${cookie.name}=${value}; ${attributes(config, cookie.path, options)}`);
}

export function clearCookie(res: Response, config: Config, cookie: { name: string; path: string }): void {
  res.append('Set-Cookie', `${cookie.name}=; ${attributes(config, cookie.path, { maxAgeMs: 0 })}`);
}
