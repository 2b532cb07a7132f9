/** CLI output: JSON with --json (machine-readable), otherwise aligned key/value lines or a table. */
export interface Output {
  json: boolean;
}

export function print(out: Output, data: unknown, human?: () => string): void {
  if (out.json || !human) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else process.stdout.write(`${human()}\n`);
}

/** A value as one line: an object as its JSON rather than "[object Object]". */
const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (v: unknown) =>
    v instanceof Date
      ? v.toISOString()
      : v === null || v === undefined
        ? '-'
        : Array.isArray(v)
          ? v.join(',')
          : text(v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

export function fields(pairs: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(pairs).map((k) => k.length));
  return Object.entries(pairs)
    .map(([k, v]) => `${k.padEnd(width)}  ${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join('\n');
}
