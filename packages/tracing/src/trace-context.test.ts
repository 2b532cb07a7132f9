import { formatTraceparent, parseTraceparent, parseTracestate, readTraceHeaders } from './trace-context';
import { createTracing } from './create-tracing';
import { propagationOnly } from './tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('traceparent (W3C Trace Context level 1)', () => {
  it('reads a valid header and writes it back unchanged', () => {
    const header = `00-${TRACE_ID}-${SPAN_ID}-01`;
    expect(parseTraceparent(header)).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, flags: 1 });
    expect(formatTraceparent(parseTraceparent(header)!)).toBe(header);
  });

  it.each([
    ['uppercase hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['extra fields in version 00', `00-${TRACE_ID}-${SPAN_ID}-01-extra`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['garbage', 'not-a-traceparent'],
  ])('refuses %s', (_case, header) => {
    expect(parseTraceparent(header)).toBeNull();
  });

  it('accepts a later version with more fields, keeping the four it knows', () => {
    expect(parseTraceparent(`cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-holds`)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      flags: 1,
    });
  });
});

describe('tracestate', () => {
  it('keeps a well-formed list (tenant@vendor keys too) and drops a malformed one whole', () => {
    expect(parseTracestate('congo=t61rcWkgMzE, rojo@vendor=00f067aa0ba902b7')).toBe(
      'congo=t61rcWkgMzE,rojo@vendor=00f067aa0ba902b7',
    );
    expect(parseTracestate('congo=t61rcWkgMzE,Bad Key=1')).toBeUndefined();
    expect(parseTracestate(Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','))).toBeUndefined();
  });

  it('counts only beside a valid traceparent', () => {
    expect(readTraceHeaders('garbage', 'congo=1')).toBeNull();
    expect(readTraceHeaders(`00-${TRACE_ID}-${SPAN_ID}-00`, 'congo=1')).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      flags: 0,
      state: 'congo=1',
    });
  });
});

describe('tracing without an OTLP endpoint', () => {
  it('is propagation only: a span is a new span id in its parent trace, keeping flags and tracestate', () => {
    expect(createTracing({ serviceName: 'test' })).toBe(propagationOnly);
    const parent = { traceId: TRACE_ID, spanId: SPAN_ID, flags: 0, state: 'congo=1' };
    const child = propagationOnly.startSpan('child', { kind: 'client', parent }).context;
    expect(child).toMatchObject({ traceId: TRACE_ID, flags: 0, state: 'congo=1' });
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.spanId).not.toBe(SPAN_ID);
  });

  it('starts a sampled trace of its own without a parent', () => {
    const root = propagationOnly.startSpan('root', { kind: 'server' }).context;
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.flags).toBe(1);
  });
});
