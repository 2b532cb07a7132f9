import { createClusterTestEnv, describeOnCluster } from '@bellhop/testing';
import { connectGapTests } from '../__tests__/connect-gap-tests';

describeOnCluster('Redis Cluster: connecting while messages are published (sharded pub/sub)', () =>
  connectGapTests(() => createClusterTestEnv()),
);
