#!/usr/bin/env node
'use strict';
// The linksim command: runs this platform's prebuilt server
// (@linksim/<platform>-<arch>), passing every argument through, and exits
// as it exits. `npx linksim -addr 127.0.0.1:8080`, `npx linksim dist DIR`.

const { spawn } = require('node:child_process');
const { binaryPath } = require('../index.js');

let bin;
try {
  bin = binaryPath();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
const child = spawn(bin, process.argv.slice(2), { stdio: 'inherit' });
// A signal for this process (Ctrl-C, a test runner's stop) is the server's:
// it shuts down gracefully, sending the webhooks still queued.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (e) => {
  console.error(`linksim: cannot run ${bin}: ${e.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code !== null ? code : signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1);
});
