import type { RequestHandler } from 'express';
import { HttpError } from './http-error';

const CONTROL = /[\0-\x1f\x7f]/;

/** Why a raw URL component cannot be handed to a route, if it cannot. */
function problemOf(raw: string): string | undefined {
  if (!raw.includes('%')) return undefined; // raw control characters never pass Node's HTTP parser
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    return 'is not valid percent-encoded UTF-8';
  }
  return CONTROL.test(text) ? 'contains a control character' : undefined;
}

const refusal = (code: string, where: string, field: string, message: string) =>
  new HttpError(400, code, `Invalid ${where} ${field}: ${message}`, [{ field, message }]);

/** The `:name` of the declared route whose other segments match this path, at the segment that is bad. */
function paramAt(routePaths: readonly string[], segments: string[], bad: number): string | undefined {
  for (const routePath of routePaths) {
    const pattern = routePath.split('/');
    if (pattern.length !== segments.length || !pattern[bad].startsWith(':')) continue;
    if (pattern.every((part, i) => (part.startsWith(':') ? segments[i] !== '' : part === segments[i])))
      return pattern[bad].slice(1);
  }
  return undefined;
}

function pathRefusal(method: string, path: string, routePaths: readonly string[]): HttpError | undefined {
  const segments = path.split('/');
  if (segments.length > 2 && segments.at(-1) === '') segments.pop(); // Express ignores one trailing slash
  const bad = segments.findIndex((segment) => problemOf(segment) !== undefined);
  if (bad < 0) return undefined;
  const name = paramAt(routePaths, segments, bad);
  // No route has a parameter there, so no route could match this path.
  if (!name) return new HttpError(404, 'not_found', `No route for ${method} ${path}`);
  return refusal('invalid_path_parameter', 'path parameter', name, problemOf(segments[bad])!);
}

function queryRefusal(query: string): HttpError | undefined {
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const [key, value] = (eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)]).map((s) =>
      s.replaceAll('+', ' '),
    );
    const keyProblem = problemOf(key);
    if (keyProblem) return refusal('invalid_query_parameter', 'query parameter name', key, keyProblem);
    const valueProblem = problemOf(value);
    if (valueProblem)
      return refusal('invalid_query_parameter', 'query parameter', decodeURIComponent(key), valueProblem);
  }
  return undefined;
}

/**
 * Refuses a path or query that holds a control character (%00–%1F, %7F) or cannot be
 * percent-decoded, before any route sees it: 400 naming the parameter, or 404 when no
 * declared route (`routePaths`, Express style) has a parameter where the bad segment is.
 */
export function urlGuard(routePaths: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const url = req.url;
    if (!url.includes('%')) return next();
    const q = url.indexOf('?');
    next(
      pathRefusal(req.method, q < 0 ? url : url.slice(0, q), routePaths) ??
        (q < 0 ? undefined : queryRefusal(url.slice(q + 1))),
    );
  };
}
