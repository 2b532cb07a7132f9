export { HttpError, badRequest, unauthorized, forbidden, notFound, conflict, unavailable } from './http-error';
export { parseInput, fieldProblems, type FieldProblem } from './validation';
export { sendData } from './responses';
export { errorHandler, notFoundHandler, isDependencyOutage } from './error-handler';
export { requestContext } from './request-context';
export { healthRoutes, type ReadinessCheck } from './health';
export { jsonBody } from './json-body';
export { listen, closeServer, handleShutdownSignals } from './server';
