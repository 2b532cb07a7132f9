import winston from 'winston';
import { redact, redactString } from './redact';

export type Logger = winston.Logger;

const redactFormat = winston.format((info) => {
  const level = info.level;
  const message = typeof info.message === 'string' ? redactString(info.message) : info.message;
  const rest = redact({ ...info }) as Record<string, unknown>;
  return Object.assign(info, rest, { level, message });
});

/** JSON lines on stdout, each carrying `service`; child loggers add requestId / jobId. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return winston.createLogger({
    level,
    defaultMeta: { service },
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), redactFormat(), winston.format.json()),
    transports: [new winston.transports.Console({ silent: process.env.LOG_SILENT === 'true' })],
  });
}
