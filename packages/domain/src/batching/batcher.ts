import type { DomainContext } from '../context';

/**
 * Group commit for concurrent jobs: calls made while a batch is running are collected and run
 * together as the next batch, so N concurrent deliveries cost one round trip, not N. At most
 * one batch is in flight per batcher, which also keeps row locks taken in one order.
 */
export type Batched<I, O> = (input: I) => Promise<O>;

interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/** `run` gets the inputs in call order and returns one output per input, in the same order. */
export function batcher<I, O>(run: (inputs: I[]) => Promise<O[]>, maxBatch = 500): Batched<I, O> {
  let waiting: Waiting<I, O>[] = [];
  let running = false;

  const flush = async (): Promise<void> => {
    if (running || waiting.length === 0) return;
    running = true;
    const batch = waiting.slice(0, maxBatch);
    waiting = waiting.slice(batch.length);
    try {
      const outputs = await run(batch.map((w) => w.input));
      batch.forEach((w, i) => w.resolve(outputs[i]));
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      running = false;
      if (waiting.length > 0) setImmediate(() => void flush());
    }
  };

  return (input) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (waiting.length === 1) setImmediate(() => void flush());
    });
}

/**
 * One batcher per domain context, made from the first context that uses it. Keyed by the
 * context's pool because job contexts are copies that differ only in their logger.
 */
export function batcherPerContext<I, O>(
  make: (ctx: DomainContext) => Batched<I, O>,
): (ctx: DomainContext) => Batched<I, O> {
  const made = new WeakMap<DomainContext['sql'], Batched<I, O>>();
  return (ctx) => {
    let found = made.get(ctx.sql);
    if (!found) made.set(ctx.sql, (found = make(ctx)));
    return found;
  };
}
