import type { Router } from 'express';
import { dirname } from 'node:path';
import express from 'express';

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Bellhop API reference</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

// Served as a file, not inline, so a strict Content-Security-Policy can forbid inline scripts.
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: false });`;

/** A rendered reference of /openapi.json; every asset is served from this process (no CDN). */
export function docsRoutes(): Router {
  const router = express.Router();
  router.use(
    '/docs/assets',
    express.static(dirname(require.resolve('swagger-ui-dist/package.json')), { index: false, maxAge: '1h' }),
  );
  router.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('js').send(INIT);
  });
  return router;
}
