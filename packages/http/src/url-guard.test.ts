import express from 'express';
import request from 'supertest';
import { createLogger } from '@bellhop/logger';
import { errorHandler, notFoundHandler } from './error-handler';
import { urlGuard } from './url-guard';

const ROUTES = ['/hosts/:hostId/items/:id', '/hosts/:hostId/items/read-all', '/search'];
const app = express();
app.use(urlGuard(ROUTES));
app.get(ROUTES, (req, res) => {
  res.json({ success: true, data: { params: req.params, query: req.query } });
});
app.use(notFoundHandler);
app.use(errorHandler(createLogger('test', 'error')));

const BAD_ENCODINGS = {
  '%00': 'contains a control character',
  '%1F': 'contains a control character',
  '%7f': 'contains a control character',
  'a%0Ab': 'contains a control character',
  '%ED%A0%80': 'is not valid percent-encoded UTF-8',
  '%E0%A4%A': 'is not valid percent-encoded UTF-8',
  '%': 'is not valid percent-encoded UTF-8',
  '%zz': 'is not valid percent-encoded UTF-8',
};

describe('urlGuard', () => {
  it('passes ordinary and well-encoded URLs through untouched', async () => {
    const res = await request(app).get('/hosts/h%C3%BC/items/a%2Fb?q=caf%C3%A9+au+lait&empty=&flag');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      params: { hostId: 'hü', id: 'a/b' },
      query: { q: 'café au lait', empty: '', flag: '' },
    });
    expect((await request(app).get('/hosts/h1/items/read-all/')).status).toBe(200);
  });

  it.each(Object.entries(BAD_ENCODINGS))(
    'refuses %s in a path parameter with a 400 naming it',
    async (bad, message) => {
      expect((await request(app).get(`/hosts/${bad}/items/1`)).body.error).toEqual({
        code: 'invalid_path_parameter',
        message: `Invalid path parameter hostId: ${message}`,
        details: [{ field: 'hostId', message }],
      });
      const res = await request(app).get(`/hosts/h1/items/${bad}/`);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ field: 'id', message }]);
    },
  );

  it.each(Object.keys(BAD_ENCODINGS))('answers 404 for %s where no route has a parameter', async (bad) => {
    for (const path of [`/${bad}/h1/items/1`, `/hosts/h1/${bad}/1`, `/hosts/h1/items/1/${bad}`, `/nowhere/${bad}`]) {
      const res = await request(app).get(path);
      expect([path, res.status, res.body.error.code]).toEqual([path, 404, 'not_found']);
    }
  });

  it.each(Object.entries(BAD_ENCODINGS))(
    'refuses %s in a query value or name with a 400 naming the parameter',
    async (bad, message) => {
      expect((await request(app).get(`/search?ok=1&access_token=${bad}`)).body.error).toEqual({
        code: 'invalid_query_parameter',
        message: `Invalid query parameter access_token: ${message}`,
        details: [{ field: 'access_token', message }],
      });
      const res = await request(app).get(`/search?x${bad}=1`);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ field: `x${bad}`, message }]);
    },
  );
});
