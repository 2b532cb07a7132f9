import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The monorepo root package.json carries the product version (src/ and dist/ both sit two levels deeper).
const version = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

export const USER_AGENT = `Bellhop/${version}`;
