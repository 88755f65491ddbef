const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
  if (process.env.RESYNC_TEST_PGLITE_TEMPLATE)
    rmSync(process.env.RESYNC_TEST_PGLITE_TEMPLATE, { recursive: true, force: true });
};
