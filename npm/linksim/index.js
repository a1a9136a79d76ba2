'use strict';
// linksim's package: where its static files are, and which prebuilt server
// this machine runs. The server comes from one optional dependency per
// platform (@linksim/<platform>-<arch>), as esbuild ships its binaries, so
// installing needs no Go.

const path = require('node:path');

/** The static site: link-initialize.js, the WebAssembly, embed.js, the demo. */
const distDir = path.join(__dirname, 'dist');

/** The name of the package holding this platform's server. */
function platformPackage(platform = process.platform, arch = process.arch) {
  return `@linksim/${platform}-${arch}`;
}

/**
 * The path of this platform's linksim server: LINKSIM_BINARY when set, else
 * the binary of @linksim/<platform>-<arch>. It throws an error naming the
 * package when that is not installed.
 */
function binaryPath() {
  if (process.env.LINKSIM_BINARY) return process.env.LINKSIM_BINARY;
  const pkg = platformPackage();
  const file = `${pkg}/bin/linksim${process.platform === 'win32' ? '.exe' : ''}`;
  try {
    return require.resolve(file);
  } catch (e) {
    const err = new Error(
      `linksim: the package ${pkg}, which holds linksim's server for ${process.platform} ${process.arch}, is not installed. ` +
      `npm installs it with linksim as an optional dependency: install again without --no-optional or --omit=optional, ` +
      `or install its tarball next to linksim's (npm i ./linksim-<version>.tgz ./linksim-${process.platform}-${process.arch}-<version>.tgz). ` +
      `Prebuilt servers exist for linux, darwin and win32 on x64 and arm64; elsewhere, go install github.com/linksim/linksim@latest ` +
      `and set LINKSIM_BINARY to it.`);
    err.code = 'LINKSIM_NO_BINARY';
    err.cause = e;
    throw err;
  }
}

module.exports = { distDir, platformPackage, binaryPath };
