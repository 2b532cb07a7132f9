module.exports = require('./jest-databases').setup;
