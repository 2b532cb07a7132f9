import { createTestEnv } from '@bellhop/testing';
import { connectGapTests } from '../__tests__/connect-gap-tests';

describe('connecting while messages are published', () => connectGapTests(() => createTestEnv()));
