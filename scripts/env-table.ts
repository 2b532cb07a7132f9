// Rewrites the README's env table from packages/config (run after adding a variable).
import fs from 'node:fs';
import path from 'node:path';
import { envTableMarkdown } from '../packages/config/src/env-docs';

const readme = path.resolve(__dirname, '..', 'README.md');
const text = fs.readFileSync(readme, 'utf8');
const updated = text.replace(
  /(<!-- env-table:start[^>]*-->\n)[\s\S]*?(\n<!-- env-table:end -->)/,
  `$1${envTableMarkdown()}$2`,
);
fs.writeFileSync(readme, updated);
console.log(updated === text ? 'README env table already up to date' : 'README env table updated');
