import { Writable } from 'node:stream';
import winston from 'winston';
import { createLogger } from './logger';
import { redact } from './redact';

describe('log redaction', () => {
  it('masks secrets by key and by value shape', () => {
    const out = redact({
      secret: 'whsec_abc',
      api_key: 'x',
      nested: { authorization: 'Bearer abc', note: 'used whsec_Zm9vYmFy here' },
      url: '/events?access_token=eyJabc&x=1',
      count: 3,
    }) as any;
    expect(out.secret).toBe('[redacted]');
    expect(out.api_key).toBe('[redacted]');
    expect(out.nested.authorization).toBe('[redacted]');
    expect(out.nested.note).toBe('used [redacted] here');
    expect(out.url).toBe('/events?access_token=[redacted]&x=1');
    expect(out.count).toBe(3);
  });

  it('writes JSON lines with the service name and no secret', async () => {
    const lines: string[] = [];
    const logger = createLogger('api', 'info');
    logger.clear().add(
      new winston.transports.Stream({
        stream: new Writable({
          write(chunk, _e, cb) {
            lines.push(String(chunk));
            cb();
          },
        }),
      }),
    );
    logger.child({ requestId: 'req_1' }).info('created key bh_live_123', { password: 'hunter2' });
    await new Promise((resolve) => setImmediate(resolve));
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({
      service: 'api',
      requestId: 'req_1',
      message: 'created key [redacted]',
      password: '[redacted]',
    });
  });
});
