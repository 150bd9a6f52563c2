// The packaged entry point. One bundle serves both processes, so the JSON-RPC and protocol libraries
// ship once: VS Code loads this file as the extension, and the client starts the language server by
// running this same file with --php-ini-lint-server.
if (process.argv.includes('--php-ini-lint-server')) {
  require('../../server/src/server');
} else {
  module.exports = require('./extension');
}
