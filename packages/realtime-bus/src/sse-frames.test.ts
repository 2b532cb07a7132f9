import { sseFrameSplitter } from './sse-frames';

describe('sseFrameSplitter', () => {
  it('gives each complete frame once, however the text is chunked, and holds back a partial one', () => {
    const stream =
      'id: 1-0\nevent: notification\ndata: {"n":1}\n\n: heartbeat\n\nid: 2-0\nevent: counts\ndata: {"n":2}\n\nid: 3-0\ndata: {"par';
    const expected = [
      'id: 1-0\nevent: notification\ndata: {"n":1}',
      ': heartbeat',
      'id: 2-0\nevent: counts\ndata: {"n":2}',
    ];
    for (const size of [1, 2, 7, stream.length]) {
      const frames: string[] = [];
      const feed = sseFrameSplitter((frame) => frames.push(frame));
      for (let i = 0; i < stream.length; i += size) feed(stream.slice(i, i + size));
      expect(frames).toEqual(expected);
      feed('tial"}\n\n');
      expect(frames[3]).toBe('id: 3-0\ndata: {"partial"}');
    }
  });
});
