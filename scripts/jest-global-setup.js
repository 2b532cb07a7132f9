const databases = require('./jest-databases');
const redisCluster = require('./jest-redis-cluster');

module.exports = async () => {
  await databases.setup();
  await redisCluster.setup();
};
