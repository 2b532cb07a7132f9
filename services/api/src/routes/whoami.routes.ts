import { Router } from 'express';
import type { DomainContext } from '@bellhop/domain';
import { sendData } from '@bellhop/http';
import { allow } from '../auth/caller';

/** GET /api/v1/whoami: lets any caller check its credentials (agent, host or admin). */
export function whoAmIRoutes(ctx: DomainContext): Router {
  const router = Router();
  router.get('/whoami', allow(ctx, { anyCaller: true }), (req, res) => sendData(res, req.caller));
  return router;
}
