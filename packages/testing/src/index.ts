export { createTestEnv, deleteKeys, TEST_DB_PREFIX, type TestEnv } from './test-env';
export { createAgentKey, createPartnerKey, createHostWithToken, adminAuth, type AgentKeyOptions } from './fixtures';
export { startReceiver, type Receiver, type ReceivedRequest, type Reply } from './receiver';
export { eventually } from './eventually';
export { startServiceProcess, freePort } from './service-process';
export { launchBrowser, type Browser } from './browser';
export { seedDeliveryChains, seedReceipts, countIds } from './expired-rows';
export {
  testClusterNodes,
  describeOnCluster,
  createClusterTestEnv,
  clusterOwnerOf,
  wipeClusterNode,
  clusterCrossSlotErrors,
} from './cluster';
