// One jest run over every workspace. Sources are transpiled by swc (type-checking is
// `turbo run build`); @bellhop/* imports resolve to the packages' src, so tests never
// need a build.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/services'],
  testMatch: ['**/src/**/*.test.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    // A module of a package (e.g. @bellhop/domain/access/agents), then a package's entry.
    '^@bellhop/([^/]+)/(.+)$': '<rootDir>/packages/$1/src/$2',
    '^@bellhop/(.*)$': '<rootDir>/packages/$1/src',
  },
  testTimeout: 30000,
  globalSetup: '<rootDir>/scripts/jest-global-setup.js',
  globalTeardown: '<rootDir>/scripts/jest-global-teardown.js',
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
};
