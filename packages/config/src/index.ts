export { envSchema, envShape, type Config } from './env.schema';
export { parseConfig, loadConfigOrExit, ConfigError } from './load-config';
export { parseDuration } from './duration';
export { envTableMarkdown } from './env-docs';
