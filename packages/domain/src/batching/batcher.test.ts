import { batcher } from './batcher';

describe('batcher', () => {
  it('runs concurrent calls as one batch and answers each caller with its own output', async () => {
    const batches: number[][] = [];
    const double = batcher(async (inputs: number[]) => {
      batches.push(inputs);
      return inputs.map((n) => n * 2);
    });
    expect(await Promise.all([1, 2, 3].map(double))).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('collects calls made while a batch runs into the next one, never two at once', async () => {
    let inFlight = 0;
    let most = 0;
    const batches: number[][] = [];
    const slow = batcher(async (inputs: number[]) => {
      inFlight++;
      most = Math.max(most, inFlight);
      batches.push(inputs);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      return inputs;
    });
    const first = slow(1);
    await new Promise((r) => setTimeout(r, 5));
    const rest = [2, 3, 4].map(slow);
    expect(await Promise.all([first, ...rest])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    expect(most).toBe(1);
  });

  it('splits at maxBatch and fails every caller of a failed batch, and only those', async () => {
    const batches: number[][] = [];
    const run = batcher(async (inputs: number[]) => {
      batches.push(inputs);
      if (inputs.includes(2)) throw new Error('boom');
      return inputs;
    }, 2);
    const results = await Promise.allSettled([1, 2, 3].map(run));
    expect(batches).toEqual([[1, 2], [3]]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
  });
});
