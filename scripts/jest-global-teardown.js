const databases = require('./jest-databases');
const redisCluster = require('./jest-redis-cluster');

module.exports = async () => {
  await redisCluster.teardown();
  await databases.teardown();
};
