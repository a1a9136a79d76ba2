// Embedded Institution Search (Plaid.createEmbedded) as an app uses it,
// directly and through react-plaid-link's PlaidEmbeddedLink (bundled by
// esbuild with React from npm),
// driven by role and label with playwright-core and Debian's chromium:
// the bank tiles sit in the app's own container; a pick opens Link on the
// same session, which ends in onSuccess with the bank picked. It runs
// against a linksim server (LINKSIM_URL: served mode, the backend mints
// the token) and against linksim's static files (LINKSIM_STATIC_URL:
// flowcore in the page as WebAssembly, the token minted in the page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { build } from 'esbuild';

function browserPath() {
  for (const p of [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p;
  }
  return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
}

const tokenBody = {
  client_id: 'c', secret: 's', client_name: 'Acme Pay', language: 'en', country_codes: ['US'],
  user: { client_user_id: 'user-embedded' }, products: ['auth'],
};

// appPage is the app: a sized container for the tiles, as Plaid's docs
// show it, and callbacks recorded for the test to read.
function appPage(script) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Pay</title>
<script src="${script}"></script></head><body><h1>Pay by bank</h1>
<div id="plaid-embedded-link-container" style="width: 360px; height: 420px"></div>
<script>
  window.calls = [];
  window.start = (token) => {
    window.embedded = Plaid.createEmbedded({
      token,
      onLoad: () => calls.push(['onLoad']),
      onEvent: (name, md) => calls.push(['onEvent', name + (md.view_name ? ':' + md.view_name : '')]),
      onSuccess: (publicToken, md) => calls.push(['onSuccess', publicToken, md]),
      onExit: (err, md) => calls.push(['onExit', err, md]),
    }, document.getElementById('plaid-embedded-link-container'));
  };
</script></body></html>`;
}

// withApp opens the app page: on an origin of its own (served mode, as an
// app uses a linksim server), or, given at, at that URL (the static files'
// origin, as a docs site hosts them next to its pages).
async function withApp(script, fn, at) {
  const html = appPage(script);
  const app = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(html);
  });
  await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: browserPath(), args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
    if (at) await page.route(at, (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await page.goto(at || `http://127.0.0.1:${app.address().port}/`);
    await fn(page);
  } finally {
    await browser.close();
    app.close();
  }
}

// linkThroughTiles picks First Platypus Bank among the tiles and links
// its checking account, returning what the app's callbacks got.
async function linkThroughTiles(page) {
  const tiles = page.getByRole('region', { name: 'Connect a bank account' });
  await tiles.getByLabel('Search for your bank').fill('platypus');
  await tiles.getByRole('button', { name: 'First Platypus Bank', exact: true }).click();
  const link = page.getByRole('dialog');
  await link.getByRole('button', { name: 'Continue' }).click();
  await link.getByLabel('Username').fill('user_good');
  await link.getByLabel('Password').fill('pass_good');
  await link.getByRole('button', { name: 'Submit' }).click();
  await link.getByRole('checkbox', { name: /Plaid Checking/ }).check();
  await link.getByRole('button', { name: 'Continue' }).click();
  await link.getByRole('button', { name: 'Continue' }).click(); // connected
  await page.waitForFunction(() => window.calls.some((c) => c[0] === 'onSuccess' || c[0] === 'onExit'));
  return page.evaluate(() => window.calls);
}

function checkLinked(calls) {
  const ended = calls.find((c) => c[0] === 'onSuccess' || c[0] === 'onExit');
  assert.equal(ended[0], 'onSuccess', JSON.stringify(ended));
  assert.match(ended[1], /^public-sandbox-/);
  assert.equal(ended[2].institution.institution_id, 'ins_109508');
  assert.deepEqual(ended[2].accounts.map((a) => a.mask), ['0000']);
  const events = calls.filter((c) => c[0] === 'onEvent').map((c) => c[1]);
  // Plaid's list for Embedded Institution Search: OPEN on CONSENT, the
  // pick, consent again, then the bank's login; nothing while the user
  // only searched the tiles.
  assert.deepEqual(events.slice(0, 4), ['OPEN:CONSENT', 'SELECT_INSTITUTION', 'TRANSITION_VIEW:CONSENT', 'TRANSITION_VIEW:CREDENTIAL']);
  assert.equal(events.at(-1), 'HANDOFF');
  assert.ok(!events.includes('SEARCH_INSTITUTION'), events.join(' '));
}

test('Embedded Institution Search against a linksim server', { skip: !process.env.LINKSIM_URL }, async () => {
  const linksim = process.env.LINKSIM_URL;
  const resp = await fetch(`${linksim}/link/token/create`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(tokenBody),
  });
  const { link_token: token } = await resp.json();
  assert.match(token, /^link-sandbox-/);
  await withApp(`${linksim}/link-initialize.js`, async (page) => {
    await page.evaluate((t) => window.start(t), token);
    const calls = await linkThroughTiles(page);
    checkLinked(calls);
    // The tiles stay for the next pick, on a fresh session, until the app
    // destroys them.
    const tiles = page.getByRole('region', { name: 'Connect a bank account' });
    await tiles.getByRole('button', { name: 'First Platypus Bank', exact: true }).waitFor();
    await page.evaluate(() => window.embedded.destroy());
    assert.equal(await tiles.count(), 0, 'destroy removes the tiles');
    // The Item is the backend's to exchange.
    const publicToken = calls.find((c) => c[0] === 'onSuccess')[1];
    const ex = await fetch(`${linksim}/item/public_token/exchange`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'c', secret: 's', public_token: publicToken }),
    });
    assert.equal(ex.status, 200);
  });
});

test('Embedded Institution Search with flowcore in the page', { skip: !process.env.LINKSIM_STATIC_URL }, async () => {
  const files = process.env.LINKSIM_STATIC_URL;
  await withApp(`${files}link-initialize.js`, async (page) => {
    const token = await page.evaluate(async (body) => (await Plaid.linksim.createLinkToken(body)).link_token, tokenBody);
    await page.evaluate((t) => window.start(t), token);
    checkLinked(await linkThroughTiles(page));
  }, `${files}acme-pay.html`);
});

test('a token Link cannot start ends in onExit, with the tiles saying so', { skip: !process.env.LINKSIM_URL }, async () => {
  await withApp(`${process.env.LINKSIM_URL}/link-initialize.js`, async (page) => {
    await page.evaluate(() => window.start('link-sandbox-not-a-token'));
    await page.getByRole('region', { name: 'Connect a bank account' }).getByRole('alert').waitFor();
    await page.waitForFunction(() => window.calls.some((c) => c[0] === 'onExit'));
    const exit = await page.evaluate(() => window.calls.find((c) => c[0] === 'onExit'));
    assert.equal(exit[1].error_code, 'INVALID_LINK_TOKEN');
  });
});

// reactApp is an app written with react-plaid-link's PlaidEmbeddedLink, as
// its docs show it, bundled by esbuild with React from npm: the real
// library calls Plaid.createEmbedded and, on unmount, destroy.
const reactSource = `
import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { PlaidEmbeddedLink } from 'react-plaid-link';
const App = () => {
  const [token, setToken] = useState(null);
  const [shown, setShown] = useState(true);
  useEffect(() => { window.setToken = setToken; window.hide = () => setShown(false); }, []);
  if (!token) return <p>Waiting for a link token</p>;
  return shown ? <PlaidEmbeddedLink token={token} style={{ height: '350px', width: '350px' }}
    onLoad={() => calls.push(['onLoad'])}
    onEvent={(name, md) => calls.push(['onEvent', name + (md.view_name ? ':' + md.view_name : '')])}
    onSuccess={(publicToken, md) => calls.push(['onSuccess', publicToken, md])}
    onExit={(err, md) => calls.push(['onExit', err, md])} /> : <p>Done</p>;
};
window.calls = [];
createRoot(document.getElementById('root')).render(<App />);
`;

async function reactBundle() {
  const out = await build({
    stdin: { contents: reactSource, loader: 'jsx', resolveDir: new URL('.', import.meta.url).pathname },
    bundle: true, format: 'iife', jsx: 'automatic', minify: true, write: false,
    define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'warning',
  });
  return out.outputFiles[0].text;
}

const plaidCDN = 'https://cdn.plaid.com/link/v2/stable/link-initialize.js';

// withReactApp opens the React app with Plaid's CDN script routed to
// linksim's copy (script), as the README's Playwright recipe routes it:
// served from an origin of its own on loopback (served mode), or, given
// at, at that URL on the static files' origin with linksim's copy loaded
// first from there (in-page mode: the copy finds its WebAssembly next to
// itself, and react-plaid-link's own load of the CDN script then finds
// Plaid loaded).
async function withReactApp(script, fn, at) {
  const bundle = await reactBundle();
  const first = at ? '<script src="link-initialize.js"></script>' : '';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Pay</title>${first}</head>
<body><main id="root"></main><script src="acme-app.js"></script></body></html>`;
  const app = createServer((req, res) => {
    const js = req.url.endsWith('.js');
    res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' });
    res.end(js ? bundle : html);
  });
  await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: browserPath(), args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.route(plaidCDN, async (route) => route.fulfill({ response: await route.fetch({ url: script }) }));
    if (at) {
      await page.route(at, (route) => route.fulfill({ contentType: 'text/html', body: html }));
      await page.route(new URL('acme-app.js', at).href, (route) => route.fulfill({ contentType: 'text/javascript', body: bundle }));
    }
    await page.goto(at || `http://127.0.0.1:${app.address().port}/`);
    await fn(page);
  } finally {
    await browser.close();
    app.close();
  }
}

test("react-plaid-link's PlaidEmbeddedLink against a linksim server", { skip: !process.env.LINKSIM_URL }, async () => {
  const linksim = process.env.LINKSIM_URL;
  const resp = await fetch(`${linksim}/link/token/create`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(tokenBody),
  });
  const { link_token: token } = await resp.json();
  await withReactApp(`${linksim}/link-initialize.js`, async (page) => {
    await page.evaluate((t) => window.setToken(t), token);
    checkLinked(await linkThroughTiles(page));
    // Unmounting the component destroys the tiles, as react-plaid-link does.
    await page.evaluate(() => window.hide());
    await page.getByText('Done').waitFor();
    assert.equal(await page.getByRole('region', { name: 'Connect a bank account' }).count(), 0);
  });
});

test("react-plaid-link's PlaidEmbeddedLink with flowcore in the page", { skip: !process.env.LINKSIM_STATIC_URL }, async () => {
  const files = process.env.LINKSIM_STATIC_URL;
  await withReactApp(`${files}link-initialize.js`, async (page) => {
    await page.waitForFunction(() => window.Plaid && window.Plaid.linksim);
    const token = await page.evaluate(async (body) => (await Plaid.linksim.createLinkToken(body)).link_token, tokenBody);
    await page.evaluate((t) => window.setToken(t), token);
    checkLinked(await linkThroughTiles(page));
  }, `${files}acme-react.html`);
});
