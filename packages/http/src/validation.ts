import type { z } from 'zod';
import { HttpError } from './http-error';

export interface FieldProblem {
  field: string;
  message: string;
}

export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(body)', message: issue.message }));
}

/** Parses request input; a failure is a 400 whose message and details name each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = fieldProblems(result.error);
  const summary = problems
    .slice(0, 5)
    .map((p) => `${p.field}: ${p.message}`)
    .join('; ');
  throw new HttpError(400, 'validation_error', `Invalid ${where}: ${summary}`, problems);
}
