import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  authenticateApiKey,
  consumePortalLink,
  endWebSession,
  findWebSession,
  openPortalSession,
  type AgentIdentity,
  type DomainContext,
} from '@bellhop/domain';
import { safeEqual } from '@bellhop/auth';
import { forbidden } from '@bellhop/errors';
import { HttpError, parseInput, sendData, unauthorized } from '@bellhop/http';
import type { FailedAuthLimit } from '@bellhop/http';
import { clearCookie, readCookie, SESSION_COOKIES, setCookie } from '../sessions/cookies';
import { PORTAL_PATH } from './portal-link';

// Two levels below the package root from src/portal and dist/portal alike; the files live in src.
const STATIC_DIR = path.resolve(__dirname, '..', '..', 'src', 'portal', 'static');
const CSP =
  "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
const COOKIE = SESSION_COOKIES.portal;

const signIn = z
  .strictObject({ link_token: z.string().min(1).max(1000).optional(), api_key: z.string().min(1).max(200).optional() })
  .refine((b) => (b.link_token === undefined) !== (b.api_key === undefined), {
    message: 'send either link_token (from a portal link) or api_key',
    path: ['link_token'],
  });

function present(session: { csrfToken: string; expiresAt: Date; identity: AgentIdentity }) {
  const { identity } = session;
  return {
    csrf_token: session.csrfToken,
    expires_at: session.expiresAt.toISOString(),
    key: { id: identity.keyId, name: identity.name, scopes: identity.scopes },
    agent: identity.agent,
  };
}

async function currentSession(ctx: DomainContext, req: Request) {
  const token = readCookie(req, COOKIE.name);
  return token ? { token, session: await findWebSession(ctx.db, 'portal', token) } : null;
}

/** The agent portal: its page, and signing in (a one-time link or a pasted API key), checking and ending its session. */
export function portalRoutes(ctx: DomainContext, failures: FailedAuthLimit): Router {
  const router = express.Router();
  const noStore = (res: Response) => res.set({ 'Cache-Control': 'no-store', 'Content-Security-Policy': CSP });

  router.get(PORTAL_PATH, (_req, res) => {
    noStore(res).sendFile(path.join(STATIC_DIR, 'index.html'));
  });
  router.use(
    PORTAL_PATH,
    (_req, res, next) => {
      res.set('Content-Security-Policy', CSP);
      next();
    },
    express.static(STATIC_DIR, { index: false }),
  );

  router.post(`${PORTAL_PATH}/session`, async (req, res) => {
    if (!req.is('application/json'))
      throw new HttpError(415, 'unsupported_media_type', 'Sign in with an application/json body');
    const ip = req.ip ?? 'unknown';
    failures.refuseIfBlocked(ip);
    const body = parseInput(signIn, req.body ?? {}, 'body');
    const apiKeyId =
      body.link_token !== undefined
        ? await consumePortalLink(ctx.db, ctx.config.JWT_SECRET, body.link_token)
        : (await authenticateApiKey(ctx.db, body.api_key!))?.keyId;
    const session = apiKeyId ? await openPortalSession(ctx.db, apiKeyId, ctx.config.PORTAL_SESSION_TTL) : null;
    if (!session) {
      await failures.recordFailure(ip);
      throw unauthorized(
        body.link_token !== undefined
          ? 'This sign-in link is unknown, used or expired: ask for a new one'
          : 'Unknown or revoked API key',
      );
    }
    setCookie(res, ctx.config, COOKIE, session.token, { maxAgeMs: ctx.config.PORTAL_SESSION_TTL });
    sendData(noStore(res), present(session), 201);
  });

  router.get(`${PORTAL_PATH}/session`, async (req, res) => {
    const current = await currentSession(ctx, req);
    const identity = current?.session?.identity;
    if (!current?.session || !identity) throw unauthorized('Not signed in to the portal');
    sendData(noStore(res), present({ ...current.session, identity }));
  });

  router.delete(`${PORTAL_PATH}/session`, async (req, res) => {
    const current = await currentSession(ctx, req);
    if (current?.session) {
      if (!safeEqual(req.get('x-csrf-token') ?? '', current.session.csrfToken))
        throw forbidden('Signing out needs the CSRF token of your session (X-CSRF-Token header)', 'csrf_token_invalid');
      await endWebSession(ctx.db, current.token);
    }
    clearCookie(res, ctx.config, COOKIE);
    sendData(noStore(res), { signed_out: true });
  });
  return router;
}
