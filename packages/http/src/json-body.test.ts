import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger } from '@bellhop/logger';
import { errorHandler } from './error-handler';
import { jsonBody, requireJsonBody } from './json-body';

/** Raw bytes over a real socket: HTTP clients in tests would re-encode an invalid body. */
async function post(body: Buffer, contentType: string): Promise<{ status: number; body: any }> {
  const app = express();
  app.use(jsonBody('1mb'));
  app.use(requireJsonBody);
  app.post('/x', (req, res) => {
    res.json({ success: true, data: req.body });
  });
  app.use(errorHandler(createLogger('test', 'error')));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    return await new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: (server.address() as AddressInfo).port,
          path: '/x',
          method: 'POST',
          headers: { 'Content-Type': contentType, 'Content-Length': body.length },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  } finally {
    server.close();
  }
}

describe('JSON request bodies', () => {
  it('refuses invalid UTF-8 instead of decoding it to replacement characters', async () => {
    const res = await post(
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      'application/json',
    );
    expect(res).toEqual({
      status: 400,
      body: { success: false, error: { code: 'invalid_utf8', message: 'Request body is not valid UTF-8' } },
    });
  });

  it('refuses a 10,000-deep body or a NUL with a 400 naming the field', async () => {
    const deep = await post(Buffer.from(`{"data":${'['.repeat(10_000)}${']'.repeat(10_000)}}`), 'application/json');
    expect(deep.status).toBe(400);
    expect(deep.body.error).toMatchObject({
      code: 'json_too_deep',
      details: [{ field: expect.stringMatching(/^data\.0\.0/) }],
    });
    expect(await post(Buffer.from('{"title":"\\u0000"}'), 'application/json')).toEqual({
      status: 400,
      body: {
        success: false,
        error: {
          code: 'nul_character',
          message: 'Invalid body: title: contains a NUL character (U+0000)',
          details: [{ field: 'title', message: 'contains a NUL character (U+0000)' }],
        },
      },
    });
  });

  it('refuses a body in another media type with 415 and accepts JSON', async () => {
    expect((await post(Buffer.from('a=1'), 'application/x-www-form-urlencoded')).status).toBe(415);
    expect(await post(Buffer.from('{"a":"ü"}'), 'application/json')).toEqual({
      status: 200,
      body: { success: true, data: { a: 'ü' } },
    });
  });
});
