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
  return skipDisabledLevels(
    winston.createLogger({
      level,
      defaultMeta: { service },
      format: winston.format.combine(
        winston.format.timestamp(),
        winston.format.errors({ stack: true }),
        redactFormat(),
        winston.format.json(),
      ),
      transports: [new winston.transports.Console({ silent: process.env.LOG_SILENT === 'true' })],
    }),
  );
}

type LevelMethod = (this: Logger, ...args: unknown[]) => Logger;

/**
 * winston pushes every call through its stream and drops disabled levels only at the end; on
 * hot paths (one debug/info line per delivery) that costs more than the work being logged.
 * Child loggers inherit these methods, and the check follows later level changes.
 */
function skipDisabledLevels(logger: Logger): Logger {
  const methods = logger as unknown as Record<string, LevelMethod>;
  for (const level of Object.keys(winston.config.npm.levels)) {
    const write = methods[level];
    methods[level] = function (this: Logger, ...args: unknown[]) {
      return this.isLevelEnabled(level) ? write.apply(this, args) : this;
    };
  }
  return logger;
}
