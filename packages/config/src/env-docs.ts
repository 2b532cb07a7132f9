import { envShape } from './env.schema';

function defaultOf(schema: (typeof envShape)[keyof typeof envShape]): string {
  const result = schema.safeParse(undefined);
  if (!result.success) return '(required)';
  const value = result.data as unknown;
  if (value === undefined) return '(unset)';
  if (Array.isArray(value)) return value.map((ms) => `${ms}ms`).join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The README's env table, generated from the schema so the two cannot drift. */
export function envTableMarkdown(): string {
  const rows = Object.entries(envShape).map(([name, schema]) => {
    const value = defaultOf(schema);
    const shown = /TOKEN|SECRET|KEY/.test(name) ? '(development value)' : value === '(unset)' ? value : `\`${value}\``;
    return `| \`${name}\` | ${shown} | ${schema.description ?? ''} |`;
  });
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
