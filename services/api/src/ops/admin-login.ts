import express, { type Request, type Response, type Router } from 'express';
import { endWebSession, findWebSession, openAdminSession, type DomainContext } from '@bellhop/domain';
import { safeEqual } from '@bellhop/auth';
import type { FailedAuthLimit } from '@bellhop/http';
import { ADMIN_CSRF_COOKIE, clearCookie, readCookie, SESSION_COOKIES, setCookie } from '../sessions/cookies';
import { ADMIN_LOGIN_PATH, ADMIN_LOGOUT_PATH, BULL_BOARD_PATH } from './admin-paths';

// No script on these pages at all; the one inline style block is all they load.
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const STYLE =
  'body{font:15px/1.4 system-ui,sans-serif;background:#f6f7f9;color:#1c1f24;margin:0}' +
  'form{max-width:24rem;margin:4rem auto;padding:1.25rem 1.5rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px #0002}' +
  'label,input,button{display:block;width:100%;box-sizing:border-box}input{margin:.3rem 0 1rem;padding:.45rem}button{padding:.5rem;cursor:pointer}' +
  '.error{color:#b91c1c}h1{font-size:1.2rem}';
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({ 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' })
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${title}</title><style>${STYLE}</style></head><body>${body}</body></html>`,
    );
}

function loginForm(res: Response, status = 200, error = ''): void {
  page(
    res,
    status,
    'Bellhop · operator sign-in',
    `<form method="post" action="${ADMIN_LOGIN_PATH}"><h1>Bellhop operator sign-in</h1>` +
      `<label for="token">Admin token</label><input id="token" name="token" type="password" required autocomplete="current-password" autofocus>` +
      `<button type="submit">Sign in</button><p class="error" role="alert">${escapeHtml(error)}</p></form>`,
  );
}

const formBody = express.urlencoded({ extended: false, limit: '4kb' });

async function currentSession(ctx: DomainContext, req: Request) {
  const token = readCookie(req, SESSION_COOKIES.admin.name);
  const session = token ? await findWebSession(ctx.db, 'admin', token) : null;
  return token && session ? { token, session } : null;
}

/**
 * The operator signs in with ADMIN_TOKEN in a form and gets a session cookie (Path=/admin), so
 * Bull Board opens in a browser; a readable XSRF-TOKEN cookie carries the CSRF token Bull Board
 * echoes on its writes. Wrong tokens count toward the failed-authentication limit of the address.
 */
export function adminLoginRoutes(ctx: DomainContext, failures: FailedAuthLimit): Router {
  const router = express.Router();
  router.get(ADMIN_LOGIN_PATH, (_req, res) => loginForm(res));

  router.post(ADMIN_LOGIN_PATH, formBody, async (req, res) => {
    const ip = req.ip ?? 'unknown';
    const waitMs = failures.retryAfterMs(ip);
    if (waitMs > 0) {
      res.set('Retry-After', String(Math.ceil(waitMs / 1000)));
      return loginForm(res, 429, 'Too many failed sign-ins from this address; try again in a minute.');
    }
    const token = (req.body as Record<string, unknown> | undefined)?.token;
    if (typeof token !== 'string' || !safeEqual(token, ctx.config.ADMIN_TOKEN)) {
      await failures.recordFailure(ip);
      return loginForm(res, 401, typeof token === 'string' && token ? 'Wrong admin token.' : 'Enter the admin token.');
    }
    const issued = await openAdminSession(ctx.db, ctx.config.ADMIN_SESSION_TTL);
    setCookie(res, ctx.config, SESSION_COOKIES.admin, issued.token, { maxAgeMs: ctx.config.ADMIN_SESSION_TTL });
    setCookie(res, ctx.config, ADMIN_CSRF_COOKIE, issued.csrfToken, {
      maxAgeMs: ctx.config.ADMIN_SESSION_TTL,
      httpOnly: false,
    });
    res.redirect(303, BULL_BOARD_PATH);
  });

  router.get(ADMIN_LOGOUT_PATH, async (req, res) => {
    const current = await currentSession(ctx, req);
    if (!current) return res.redirect(303, ADMIN_LOGIN_PATH);
    page(
      res,
      200,
      'Bellhop · sign out',
      `<form method="post" action="${ADMIN_LOGOUT_PATH}"><h1>Sign out of Bellhop operations?</h1>` +
        `<input type="hidden" name="csrf_token" value="${escapeHtml(current.session.csrfToken)}"><button type="submit">Sign out</button></form>`,
    );
  });

  // The CSRF token was checked on the way in (sessions/session-auth.ts), as for every cookie write under /admin.
  router.post(ADMIN_LOGOUT_PATH, async (req, res) => {
    const current = await currentSession(ctx, req);
    if (current) await endWebSession(ctx.db, current.token);
    clearCookie(res, ctx.config, SESSION_COOKIES.admin);
    clearCookie(res, ctx.config, ADMIN_CSRF_COOKIE);
    res.redirect(303, ADMIN_LOGIN_PATH);
  });
  return router;
}
