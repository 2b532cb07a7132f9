import path from 'node:path';
import express, { type Router } from 'express';

// Two levels below the package root from src/dashboard and dist/dashboard alike; the files live in src.
const STATIC_DIR = path.resolve(__dirname, '..', '..', 'src', 'dashboard', 'static');

/** The host dashboard: static files plus the API base URL the page calls. */
export function dashboardRoutes(publicApiUrl: string): Router {
  const router = express.Router();
  const config = `window.BELLHOP = ${JSON.stringify({ apiUrl: publicApiUrl })};\n`;
  router.get('/dashboard/config.js', (_req, res) => {
    res.type('js').set('Cache-Control', 'no-store').send(config);
  });
  router.get('/dashboard', (_req, res) => {
    res.sendFile(path.join(STATIC_DIR, 'index.html'));
  });
  router.use('/dashboard', express.static(STATIC_DIR, { index: false }));
  return router;
}
