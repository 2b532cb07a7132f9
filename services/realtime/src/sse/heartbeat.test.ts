import { eventually } from '@bellhop/testing';
import { startHeartbeat } from './bus-subscriber';
import type { ConnectionHub } from './connection-hub';
import type { SseConnection } from './sse-connection';

describe('startHeartbeat', () => {
  it('reaches every stream when one beat is split into several slices', async () => {
    const beats = new Array<number>(1234).fill(0);
    const connections = beats.map(
      (_, i) =>
        ({
          heartbeat: () => {
            beats[i] += 1;
          },
        }) as unknown as SseConnection,
    );
    const stop = startHeartbeat({ all: () => connections } as unknown as ConnectionHub, 0.05);
    try {
      await eventually(() => expect(beats.filter((n) => n === 0)).toHaveLength(0));
    } finally {
      stop();
    }
  });
});
