import type { Queue } from 'bullmq';
import type { RequestHandler, Router } from 'express';
import express from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { forbidden } from '@bellhop/errors';
import { adminOnly } from '../auth/guard';
import { ADMIN_LOGIN_PATH, ADMIN_LOGOUT_PATH, BULL_BOARD_PATH } from './admin-paths';

// The only writes allowed: retrying failed jobs (all failed jobs of a queue, or one failed job).
const RETRY_ALL_FAILED = /^\/api\/queues\/[^/]+\/retry\/failed$/;
const RETRY_ONE = /^\/api\/queues\/([^/]+)\/([^/]+)\/retry$/;

function readOnlyExceptRetries(queues: Queue[]): RequestHandler {
  return async (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    if (req.method === 'PUT' && RETRY_ALL_FAILED.test(req.path)) return next();
    const one = req.method === 'PUT' ? RETRY_ONE.exec(req.path) : null;
    const queue = one && queues.find((q) => q.name === decodeURIComponent(one[1]));
    // Bull Board would also retry completed jobs, which would re-send delivered webhooks.
    if (queue && (await queue.getJobState(decodeURIComponent(one[2]))) === 'failed') return next();
    throw forbidden('Bull Board is read-only here, except retrying failed jobs');
  };
}

// Bull Board's page links Google Fonts; the policy keeps every load on this machine (system fonts instead).
const CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'";
const sameOriginOnly: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CSP);
  next();
};

/** A browser that is not signed in is sent to the sign-in form; scripts keep getting 401 JSON. */
const browsersSignInFirst: RequestHandler = (req, res, next) => {
  if (!req.caller && req.method === 'GET' && req.accepts(['json', 'html']) === 'html')
    return res.redirect(303, ADMIN_LOGIN_PATH);
  next();
};

/** Bull Board for every queue, for the operator: the admin bearer token, or the session from /admin/login. */
export function bullBoard(queues: Queue[]): Router {
  const serverAdapter = new ExpressAdapter().setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false, allowRetries: true })),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'Bellhop queues',
        miscLinks: [{ text: 'Sign out', url: ADMIN_LOGOUT_PATH }],
        hideDocsLink: true,
      },
    },
  });
  const router = express.Router();
  router.use(
    BULL_BOARD_PATH,
    browsersSignInFirst,
    adminOnly,
    sameOriginOnly,
    readOnlyExceptRetries(queues),
    serverAdapter.getRouter() as express.Router,
  );
  return router;
}
