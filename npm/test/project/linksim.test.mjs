// A user's Playwright tests, run in a fresh project where linksim was
// installed from its npm tarballs (no Go anywhere on PATH): the helper
// starts linksim and routes Plaid's CDN script to it, and the app links a
// bank with Instant Auth; the helper's in-page mode serves the script from
// the package with no server; and a page served from
// node_modules/linksim/dist by a plain static server runs the widget.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startLinksim, routePlaidLink } from 'linksim/playwright';
import { PLAID_LINK_URL } from 'linksim/playwright';
import { distDir } from 'linksim';

// Debian's chromium from PATH, never a browser Playwright downloads.
const browserPath = execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
let browser;
before(async () => { browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox'] }); });
after(async () => { await browser?.close(); });

// serve answers on a free loopback port; handler(req, res) returns false for 404.
function serve(handler) {
  const server = createServer(async (req, res) => {
    try {
      if (!(await handler(req, res))) res.writeHead(404).end();
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const urlOf = (server) => `http://127.0.0.1:${server.address().port}/`;

// The app: a page loading Plaid's script, and a backend calling linksim as Plaid's API.
const appPage = `<!doctype html><meta charset="utf-8"><title>App</title>
<button id="link">Link your bank</button>
<script src="${PLAID_LINK_URL}"></script>
<script src="/app.js"></script>`;
const appScript = `document.getElementById('link').addEventListener('click', async () => {
  const { link_token } = await (await fetch('/api/link_token', { method: 'POST' })).json();
  Plaid.create({
    token: link_token,
    onSuccess: async (public_token, metadata) => {
      const auth = await (await fetch('/api/exchange', { method: 'POST', body: public_token })).json();
      window.result = { public_token, metadata, auth };
    },
    onExit: (err) => { window.result = { err }; },
  }).open();
});`;

function startApp(plaidURL) {
  const plaid = async (endpoint, body) => {
    const resp = await fetch(new URL(endpoint, plaidURL), {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: 'app', secret: 'secret', ...body }),
    });
    const json = await resp.json();
    if (!resp.ok) throw new Error(`${endpoint}: ${json.error_code}: ${json.error_message}`);
    return json;
  };
  return serve(async (req, res) => {
    if (req.url === '/') return res.writeHead(200, { 'Content-Type': 'text/html' }).end(appPage);
    if (req.url === '/app.js') return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(appScript);
    if (req.url === '/api/link_token') {
      const { link_token } = await plaid('/link/token/create', {
        client_name: 'Npm App', language: 'en', country_codes: ['US'], user: { client_user_id: 'u1' }, products: ['auth'],
      });
      return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ link_token }));
    }
    if (req.url === '/api/exchange') {
      let publicToken = '';
      for await (const chunk of req) publicToken += chunk;
      const { access_token } = await plaid('/item/public_token/exchange', { public_token: publicToken });
      return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(await plaid('/auth/get', { access_token })));
    }
    return false;
  });
}

// linkFirstPlatypus clicks through Link's Instant Auth panes by data-testid.
async function linkFirstPlatypus(page) {
  await page.getByTestId('consent-continue').click();
  await page.getByTestId('institution-ins_109508').click();
  await page.getByTestId('username-input').fill('user_good');
  await page.getByTestId('password-input').fill('pass_good');
  await page.getByTestId('credentials-submit').click();
  await page.getByTestId('account-0000').check();
  await page.getByTestId('accounts-continue').click();
  await page.getByTestId('connected-continue').click();
}

test('the helper starts linksim, routes Plaid\'s script to it, and the app completes Instant Auth', async () => {
  const linksim = await startLinksim();
  const app = await startApp(linksim.url);
  const page = await browser.newPage();
  try {
    await routePlaidLink(page, { server: linksim });
    await page.goto(urlOf(app));
    await page.click('#link');
    await linkFirstPlatypus(page);
    const result = await (await page.waitForFunction(() => window.result)).jsonValue();
    assert.match(result.public_token ?? JSON.stringify(result), /^public-sandbox-/);
    assert.equal(result.metadata.institution.institution_id, 'ins_109508');
    assert.deepEqual(result.metadata.accounts.map((a) => a.mask), ['0000']);
    assert.deepEqual(result.auth.numbers.ach.map((n) => n.account), ['1111222233330000'], 'the backend reads the linked account at linksim');
  } finally {
    await page.close();
    app.close();
    await linksim.stop();
  }
  assert.notEqual(linksim.process.exitCode ?? linksim.process.signalCode, null, 'stop() waits until the server has exited');
});

test('the helper\'s in-page mode serves Link and its WebAssembly from the package, with no server', async () => {
  const page = await browser.newPage();
  try {
    await routePlaidLink(page);
    await page.setContent(`<script src="${PLAID_LINK_URL}"></script>`);
    const token = await page.evaluate(() => Plaid.linksim.createLinkToken({
      client_name: 'In Page', user: { client_user_id: 'u' }, products: ['auth'], country_codes: ['US'], language: 'en',
    }));
    assert.match(token.link_token, /^link-sandbox-/, 'flowcore answered in the page');
  } finally {
    await page.close();
  }
});

test('the helper says what is wrong', async () => {
  await assert.rejects(startLinksim({ args: ['-addr', '127.0.0.1:9'] }), /-addr is the helper's own/);
  await assert.rejects(startLinksim({ args: ['-no-such-flag'] }), /exited \(code 1\) before it listened[\s\S]*no-such-flag/);
  await assert.rejects(startLinksim({ binary: '/nonexistent/linksim' }), /cannot run \/nonexistent\/linksim/);
  await assert.rejects(routePlaidLink({}), /pass a Playwright Page or BrowserContext/);
  await assert.rejects(routePlaidLink({ route: async () => {} }, { server: 'http://127.0.0.1:1', inPage: true }), /either a server or inPage/);
});

// contentTypes of a plain static server.
const contentTypes = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.ico': 'image/x-icon' };

test('a page served from node_modules/linksim/dist by a plain static server completes Instant Auth in the widget', async () => {
  const site = await serve(async (req, res) => {
    const name = new URL(req.url, 'http://x').pathname;
    if (name === '/') {
      return res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><meta charset="utf-8"><title>Docs</title>
<script type="module" src="/linksim/embed.js"></script><linksim-demo flow="instant-auth"></linksim-demo>`);
    }
    const file = name.startsWith('/linksim/') && path.basename(name);
    if (!file || !contentTypes[path.extname(file)]) return false;
    const body = await readFile(path.join(distDir, file)).catch(() => null);
    return body && res.writeHead(200, { 'Content-Type': contentTypes[path.extname(file)] }).end(body);
  });
  const page = await browser.newPage();
  try {
    await page.goto(urlOf(site));
    const success = page.evaluate(() => new Promise((resolve) => {
      document.querySelector('linksim-demo').addEventListener('linksim-success', (e) => resolve(e.detail));
    }));
    await page.getByRole('button', { name: 'Open Link' }).click();
    await linkFirstPlatypus(page);
    const detail = await success;
    assert.equal(detail.metadata.institution.institution_id, 'ins_109508');
    assert.ok(detail.auth.numbers.ach.length > 0, 'the widget read the Item with /auth/get in the page');
  } finally {
    await page.close();
    site.close();
  }
});
