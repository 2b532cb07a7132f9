module.exports = require('./jest-databases').teardown;
