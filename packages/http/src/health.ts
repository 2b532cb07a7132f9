import { Router } from 'express';

export type ReadinessCheck = () => Promise<unknown>;

async function within(ms: number, check: ReadinessCheck): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([check(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** GET /healthz (process up) and GET /readyz (every named dependency answers). */
export function healthRoutes(checks: Record<string, ReadinessCheck>, timeoutMs = 2000): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ success: true, data: { status: 'ok' } });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await within(timeoutMs, check);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, `unreachable: ${(error as Error).message}`] as const;
        }
      }),
    );
    const failing = results.filter(([, status]) => status !== 'ok').map(([name]) => name);
    const dependencies = Object.fromEntries(results);
    if (failing.length === 0) {
      res.json({ success: true, data: { status: 'ready', dependencies } });
      return;
    }
    res.status(503).json({
      success: false,
      error: {
        code: 'not_ready',
        message: `Not ready: ${failing.join(', ')} unreachable`,
        details: { dependencies },
      },
    });
  });
  return router;
}
