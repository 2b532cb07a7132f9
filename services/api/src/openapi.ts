import { RouteRegistry } from '@bellhop/http';

/** Every API route is defined through this registry (defineRoute), so /openapi.json is complete. */
export const apiRoutes = new RouteRegistry();
