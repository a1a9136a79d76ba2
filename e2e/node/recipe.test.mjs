// The README's Playwright recipe (and its Cypress one, on a stand-in for
// the Cypress commands it uses), run as written against a linksim server
// (LINKSIM_URL), with Debian's chromium and playwright-core from npm: an
// app on another origin loads Plaid's CDN script, its backend mints the
// link token at linksim, the routed script opens Link, and the Item the
// user links is the one the backend exchanges and reads with /auth/get.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const linksim = process.env.LINKSIM_URL;
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

// recipe returns a README block (the one whose first line is the comment
// `// ${name}`), split where the app must open Link: the routing first,
// then the clicks in Link. Each part is a function of `arg`.
function recipe(name, arg, clicks) {
  const m = readme.match(new RegExp('```js\\n(// ' + name + '\\n[\\s\\S]*?)```'));
  assert.ok(m, `the README has a ${name} block`);
  // The one change: the README's server address is this test's server.
  const code = m[1].replaceAll('http://127.0.0.1:8080', linksim);
  const cut = code.indexOf(clicks);
  assert.ok(cut > 0, `the ${name} block routes the script, then clicks in Link`);
  const AsyncFunction = async function () {}.constructor;
  return [new AsyncFunction(arg, code.slice(0, cut)), new AsyncFunction(arg, code.slice(cut))];
}

// readmeSteps is the README's js block titled `// <title>`, as a function
// of a Playwright page.
function readmeSteps(title) {
  const m = readme.match(new RegExp('```js\\n// ' + title + '\\n([\\s\\S]*?)```'));
  assert.ok(m, `the README has a "${title}" block`);
  const AsyncFunction = async function () {}.constructor;
  return new AsyncFunction('page', m[1]);
}

// cypressOn is a stand-in for the three Cypress commands the README's
// Cypress block uses (Cypress itself is not installed here), on a
// Playwright page: like Cypress's, its commands queue, and run() runs the
// queue in order, passing each command's result to its then().
function cypressOn(page) {
  const queue = [];
  const chain = (run) => {
    const cmd = { run, then: (f) => { queue.push({ run: () => f(cmd.value) }); return cmd; } };
    queue.push(cmd);
    return cmd;
  };
  const cy = {
    request: (url) => chain(async () => {
      const resp = await fetch(url);
      return { status: resp.status, body: await resp.text() };
    }),
    intercept: (method, url, reply) => chain(() => page.route(url, (route) => (route.request().method() === method
      ? route.fulfill({ status: reply.statusCode, headers: reply.headers, body: reply.body })
      : route.continue()))),
    get: (selector) => ({ click: () => chain(() => page.locator(selector).click()) }),
  };
  cy.run = async () => {
    while (queue.length) {
      const cmd = queue.shift();
      cmd.value = await cmd.run();
    }
  };
  return cy;
}

// browserPath is Debian's chromium (make test installs it), never a
// browser Playwright downloads.
function browserPath() {
  for (const p of [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p;
  }
  return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
}

// linksimPost calls linksim's API as the app's backend does.
async function linksimPost(path, body) {
  const resp = await fetch(new URL(path, linksim), {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_id: 'app-client', secret: 'app-secret', ...body }),
  });
  const json = await resp.json();
  if (!resp.ok) throw new Error(`${path}: ${json.error_code}: ${json.error_message}`);
  return json;
}

const appPage = `<!doctype html><meta charset="utf-8"><title>App</title>
<button id="link">Link your bank</button><pre id="out"></pre>
<script src="https://cdn.plaid.com/link/v2/stable/link-initialize.js"></script>
<script src="/app.js"></script>`;

const appScript = `
document.getElementById('link').addEventListener('click', async () => {
  const { link_token } = await (await fetch('/api/link_token', { method: 'POST' })).json();
  const handler = Plaid.create({
    token: link_token,
    onSuccess: async (public_token, metadata) => {
      const auth = await (await fetch('/api/exchange', { method: 'POST', body: public_token })).json();
      window.result = { public_token, metadata, auth };
    },
    onExit: (err, metadata) => { window.result = { err, metadata }; },
  });
  handler.open();
});`;

// startApp serves the app and its backend on an origin of its own.
function startApp() {
  const server = createServer(async (req, res) => {
    try {
      if (req.url === '/') return res.writeHead(200, { 'Content-Type': 'text/html' }).end(appPage);
      if (req.url === '/app.js') return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(appScript);
      if (req.url === '/api/link_token') {
        const token = await linksimPost('/link/token/create', {
          client_name: 'Recipe App', language: 'en', country_codes: ['US'],
          user: { client_user_id: 'user-1' }, products: ['auth'],
        });
        return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ link_token: token.link_token }));
      }
      if (req.url === '/api/exchange') {
        let publicToken = '';
        for await (const chunk of req) publicToken += chunk;
        const { access_token } = await linksimPost('/item/public_token/exchange', { public_token: publicToken });
        const auth = await linksimPost('/auth/get', { access_token });
        return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(auth));
      }
      res.writeHead(404).end();
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// linkAndCheck runs a recipe on a fresh page: route (before the app loads),
// the app opens Link, the recipe's clicks, then the user links First
// Platypus Bank and the app's backend reads the account.
async function linkAndCheck(browser, appURL, route, clicks) {
  const page = await browser.newPage();
  const fromCDN = [];
  page.on('request', (r) => { if (r.url().startsWith('https://cdn.plaid.com/')) fromCDN.push(r.url()); });

  await route(page);
  await page.goto(appURL);
  await page.click('#link'); // the app calls handler.open()
  await clicks(page);

  await page.getByTestId('search-input').fill('platypus');
  await page.getByTestId('search-input').press('Enter');
  await page.getByTestId('institution-ins_109508').click();
  await page.getByTestId('username-input').fill('user_good');
  await page.getByTestId('password-input').fill('pass_good');
  await page.getByTestId('credentials-submit').click();
  await readmeSteps('Playwright: share Plaid Checking only')(page);
  await page.getByTestId('connected-continue').click();
  await page.waitForFunction(() => window.result);
  const result = await page.evaluate(() => window.result);
  await page.close();

  assert.deepEqual(fromCDN, ['https://cdn.plaid.com/link/v2/stable/link-initialize.js'], 'only the routed script came "from the CDN"');
  assert.match(result.public_token, /^public-sandbox-/);
  assert.equal(result.metadata.institution.institution_id, 'ins_109508');
  const accounts = result.metadata.accounts;
  assert.deepEqual(accounts.map((a) => a.mask), ['0000'], 'the account the user checked is linked, and no other');
  const numbers = result.auth.numbers.ach;
  assert.equal(numbers.length, accounts.length);
  for (const a of accounts) {
    const n = numbers.find((x) => x.account_id === a.id);
    assert.ok(n && n.account.endsWith(a.mask), 'the backend reads the accounts the user linked');
  }
}

test('the README recipes link an account the app backend then reads', { skip: !linksim && 'LINKSIM_URL is not set' }, async (t) => {
  const app = await startApp();
  const appURL = `http://127.0.0.1:${app.address().port}/`;
  const browser = await chromium.launch({ executablePath: browserPath(), args: ['--no-sandbox'] });
  try {
    await t.test('Playwright, as written', async () => {
      const [route, clicks] = recipe('Playwright', 'page', 'await page.getByTestId');
      await linkAndCheck(browser, appURL, route, clicks);
    });
    await t.test('Cypress, as written, on a stand-in for cy.request, cy.intercept and cy.get', async () => {
      const [route, clicks] = recipe('Cypress', 'cy', 'cy.get(');
      let cy;
      await linkAndCheck(browser, appURL,
        async (page) => { cy = cypressOn(page); await route(cy); await cy.run(); },
        async () => { await clicks(cy); await cy.run(); });
    });
  } finally {
    await browser.close();
    app.close();
  }
});
