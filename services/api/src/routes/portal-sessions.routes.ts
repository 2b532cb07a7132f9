import { Router } from 'express';
import { z } from 'zod';
import { issuePortalLink, type DomainContext } from '@bellhop/domain';
import { defineRoute, sendData } from '@bellhop/http';
import { forbidden } from '@bellhop/errors';
import { mount } from '../auth/guard';
import { apiRoutes } from '../openapi';
import { portalLinkUrl } from '../portal/portal-link';

const createPortalSession = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: '/api/v1/external/portal-sessions',
    summary: 'A one-time sign-in link to the agent portal, acting as this API key',
    tags: ['Agent portal'],
    description:
      "Hand `url` to whoever manages this agent's webhooks: opening it signs them in to /portal " +
      "for PORTAL_SESSION_TTL (1 h by default) with exactly this key's scopes. " +
      'The link works once, within PORTAL_LINK_TTL (10 min by default); its signed token sits in the URL fragment, ' +
      'so it never reaches server logs or a Referer header.',
    auth: ['agent'],
    scope: 'webhooks:read',
    status: 201,
    body: z.strictObject({}),
    response: z.object({ url: z.string(), expires_at: z.string() }),
    example: {
      request: {},
      response: {
        url: 'https://bellhop.example.com/portal#token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.…',
        expires_at: '2026-11-23T10:10:00.000Z',
      },
    },
  }),
);

export function portalSessionRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, createPortalSession, async (req, res) => {
    createPortalSession.parseBody(req);
    const caller = req.caller;
    if (caller?.kind !== 'agent') throw forbidden('Agent API key required');
    const link = await issuePortalLink(ctx.config.JWT_SECRET, caller.keyId, ctx.config.PORTAL_LINK_TTL);
    sendData(
      res,
      { url: portalLinkUrl(ctx.config.PUBLIC_API_URL, link.token), expires_at: link.expiresAt.toISOString() },
      201,
    );
  });
  return router;
}
