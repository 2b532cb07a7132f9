// `npm run lint`. TypeScript gets typescript-eslint's type-aware recommended rules over one
// program, tsconfig.check.json (sources, tests and scripts); plain JS (the run scripts, jest's
// config, the dashboard's browser script) gets ESLint's recommended rules. Formatting is
// Prettier's (`npm run format`), so eslint-config-prettier turns off the rules it would fight.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const UNTYPED_JSON_RULES = {
  '@typescript-eslint/no-explicit-any': 'off',
  '@typescript-eslint/no-unsafe-argument': 'off',
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-call': 'off',
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unsafe-return': 'off',
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'packages/db/src/generated/**',
      'coverage/**',
      'bench-results/**',
      'test-artifacts/**',
      '.local/**',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `declare global { namespace Express … }` is how Express's Request type is augmented.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      // `_name` marks a binding kept on purpose (a callback's position, a property left out of a rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Channel webhooks (Hostaway, Hospitable) and event data are untyped JSON by nature: these modules
    // read them field by field through checking helpers (text, channelId, need, …), which give the types.
    files: ['packages/domain/src/inbound/**/*.ts', 'packages/domain/src/notifications/event-mapping.ts'],
    rules: UNTYPED_JSON_RULES,
  },
  {
    // The Prisma schema engine's ES-module glue is run from its source with `new Function` (jest cannot import it).
    files: ['packages/db/src/migrations.ts'],
    rules: { '@typescript-eslint/no-implied-eval': 'off' },
  },
  {
    // These validators match control characters on purpose, to reject them.
    files: [
      'packages/domain/src/subscriptions/subscription-input.schema.ts',
      'packages/http/src/json-path.ts',
      'packages/http/src/url-guard.ts',
    ],
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/__tests__/**/*.ts'],
    rules: {
      // Tests assert on untyped JSON answers (supertest's res.body, parsed SSE data, log lines);
      // typing each answer only to read it back adds nothing.
      ...UNTYPED_JSON_RULES,
      // Fakes implement async interfaces with async functions that need no await.
      '@typescript-eslint/require-await': 'off',
      // A spy keeps the method it replaces, to call it with apply(this, args).
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    // A property named only to leave it out of a rest (`const { a, ...rest } = x`) is used.
    rules: { 'no-unused-vars': ['error', { ignoreRestSiblings: true }] },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  {
    files: ['services/realtime/src/dashboard/static/**/*.js', 'services/api/src/portal/static/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  prettier,
);
