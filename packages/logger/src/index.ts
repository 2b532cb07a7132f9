export { createLogger, type Logger } from './logger';
export { redact, redactString, REDACTED } from './redact';
