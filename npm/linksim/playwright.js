'use strict';
// linksim for Playwright tests: start a linksim server for a test (a free
// port, ready when it resolves, stopped after), and route Plaid's CDN script
// to linksim, either to that server (served mode: your backend mints link
// tokens at the server and reads the Item there) or to the static files in
// this package (in-page mode: flowcore runs as WebAssembly in the page, no
// server, Plaid.linksim answers the sandbox API in the page).
//
// It takes Playwright's Page or BrowserContext and imports nothing of
// Playwright, so it works with @playwright/test and playwright-core alike.

const { spawn } = require('node:child_process');
const { readFile } = require('node:fs/promises');
const path = require('node:path');
const { binaryPath, distDir } = require('./index.js');

/** The URL of Plaid's Link script, the one apps load. */
const PLAID_LINK_URL = 'https://cdn.plaid.com/link/v2/stable/link-initialize.js';

// The directory the script is served from: in in-page mode the script loads
// its WebAssembly, runtime and styles from next to it.
const PLAID_LINK_DIR = PLAID_LINK_URL.slice(0, PLAID_LINK_URL.lastIndexOf('/') + 1);

const running = new Set(); // servers still up, stopped if the process exits first
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * startLinksim runs linksim's server on a free loopback port and resolves
 * once it listens. options: args (more flags, e.g. ['-seed', '1']),
 * binary (default: this platform's, see binaryPath), timeout (ms to wait
 * for it to listen, default 30000), onLog (each line it logs, as JSON).
 */
async function startLinksim(options = {}) {
  const { args = [], binary = binaryPath(), timeout = 30000, onLog } = options;
  if (!Array.isArray(args)) throw new TypeError('startLinksim: args must be an array of flags');
  for (const flag of ['-addr', '--addr', '-log-format', '--log-format']) {
    if (args.some((a) => a === flag || a.startsWith(flag + '='))) {
      throw new Error(`startLinksim: ${flag} is the helper's own (it listens on a free loopback port and reads JSON logs)`);
    }
  }
  const child = spawn(binary, ['-addr', '127.0.0.1:0', '-log-format', 'json', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    running.delete(child);
    resolve({ code, signal });
  }));
  const logged = [];
  const url = await new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`linksim did not listen within ${timeout} ms`)), timeout);
    function fail(err) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      err.message += logged.length ? `; it logged:\n${logged.join('\n')}` : '';
      reject(err);
    }
    child.once('error', (e) => fail(new Error(`linksim: cannot run ${binary}: ${e.message}`)));
    exited.then(({ code, signal }) => fail(new Error(`linksim exited (${signal || 'code ' + code}) before it listened`)));
    let buf = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (logged.length < 50) logged.push(line);
        let entry;
        try { entry = JSON.parse(line); } catch { entry = { msg: line }; }
        if (onLog) onLog(entry);
        if (entry.msg === 'linksim listening' && entry.url && !settled) {
          settled = true;
          clearTimeout(timer);
          resolve(entry.url);
        }
      }
    });
  });
  let stopping;
  const server = {
    url,
    process: child,
    /** stop shuts the server down gracefully (queued webhooks are sent) and resolves when it has exited. */
    stop() {
      if (!stopping) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        stopping = exited.then(() => undefined);
      }
      return stopping;
    },
  };
  if (Symbol.asyncDispose) server[Symbol.asyncDispose] = server.stop;
  return server;
}

// contentTypes are the types of the files the in-page mode serves.
const contentTypes = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/**
 * routePlaidLink makes a Page or BrowserContext load linksim's Link script
 * where the app loads Plaid's. With options.server (a URL or what
 * startLinksim resolved), the script comes from that server and drives
 * Link through it; without, it comes from this package's static files and
 * runs flowcore in the page (options.inPage: true says so explicitly).
 */
async function routePlaidLink(target, options = {}) {
  if (!target || typeof target.route !== 'function') {
    throw new TypeError('routePlaidLink: pass a Playwright Page or BrowserContext');
  }
  const server = options.server && typeof options.server === 'object' ? options.server.url : options.server;
  if (server && options.inPage) throw new Error('routePlaidLink: give either a server or inPage, not both');
  if (server) {
    const script = new URL('link-initialize.js', server.endsWith('/') ? server : server + '/').href;
    await target.route(PLAID_LINK_URL, async (route) => {
      await route.fulfill({ response: await route.fetch({ url: script }) });
    });
    return;
  }
  await target.route(PLAID_LINK_DIR + '**', async (route) => {
    const name = decodeURIComponent(new URL(route.request().url()).pathname.slice(new URL(PLAID_LINK_DIR).pathname.length));
    const type = contentTypes[path.extname(name)];
    if (!name || name.includes('/') || name.includes('\\') || name.startsWith('.') || !type) {
      return route.fulfill({ status: 404, contentType: 'text/plain', body: `linksim has no ${name}` });
    }
    let body;
    try {
      body = await readFile(path.join(distDir, name));
    } catch {
      return route.fulfill({ status: 404, contentType: 'text/plain', body: `linksim has no ${name}` });
    }
    return route.fulfill({ status: 200, headers: { 'Content-Type': type, 'Access-Control-Allow-Origin': '*' }, body });
  });
}

module.exports = { PLAID_LINK_URL, startLinksim, routePlaidLink };
