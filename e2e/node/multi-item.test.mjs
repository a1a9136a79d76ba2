// Multi-Item Link in the browser, driven by role and label with
// playwright-core and Debian's chromium against a linksim server
// (LINKSIM_URL): the backend creates a user and a link token with
// enable_multi_item_link; the user links two banks in one session with
// "Add another account"; onSuccess carries no public token, as Plaid
// documents, and the backend reads both Items' tokens from /link/token/get.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

function browserPath() {
  for (const p of [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p;
  }
  return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
}

const linksim = process.env.LINKSIM_URL;

async function backend(path, body) {
  const resp = await fetch(`${linksim}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'c', secret: 's', ...body }),
  });
  const json = await resp.json();
  assert.equal(resp.status, 200, JSON.stringify(json));
  return json;
}

// linkBank picks a bank in Link's search and links its checking account,
// ending on the connected pane.
async function linkBank(link, query, name) {
  await link.getByLabel('Search for your bank').fill(query);
  await link.getByRole('button', { name, exact: true }).click();
  await link.getByLabel('Username').fill('user_good');
  await link.getByLabel('Password').fill('pass_good');
  await link.getByRole('button', { name: 'Submit' }).click();
  await link.getByRole('checkbox', { name: /Plaid Checking/ }).check();
  await link.getByRole('button', { name: 'Continue' }).click();
  await link.getByRole('heading', { name: 'Success' }).waitFor();
}

test('Multi-Item Link: two banks in one session, their tokens from /link/token/get', { skip: !linksim }, async () => {
  const { user_token: userToken } = await backend('/user/create', { client_user_id: 'user-multi-item' });
  const { link_token: token } = await backend('/link/token/create', {
    client_name: 'Acme Pay', language: 'en', country_codes: ['US'], user: { client_user_id: 'user-multi-item' },
    products: ['auth'], user_token: userToken, enable_multi_item_link: true,
  });
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Pay</title>
<script src="${linksim}/link-initialize.js"></script></head><body><script>
  window.calls = [];
  const handler = Plaid.create({
    token: ${JSON.stringify(token)},
    onLoad: () => handler.open(),
    onSuccess: (publicToken, md) => calls.push(['onSuccess', publicToken, md]),
    onExit: (err, md) => calls.push(['onExit', err, md]),
  });
</script></body></html>`;
  const app = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(html); });
  await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: browserPath(), args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${app.address().port}/`);
    const link = page.getByRole('dialog');
    await link.getByRole('button', { name: 'Continue' }).click(); // consent
    await linkBank(link, 'first platypus', 'First Platypus Bank');
    await link.getByRole('button', { name: 'Add another account' }).click();
    await linkBank(link, 'tartan', 'Tartan Bank');
    await link.getByRole('button', { name: 'Continue' }).click();
    await page.waitForFunction(() => window.calls.length > 0);
    const [[kind, publicToken, md]] = await page.evaluate(() => window.calls);
    assert.equal(kind, 'onSuccess');
    assert.equal(publicToken, '', "Multi-Item's onSuccess carries no public token");

    const got = await backend('/link/token/get', { link_token: token });
    const session = got.link_sessions.find((s) => s.link_session_id === md.link_session_id);
    assert.ok(session, JSON.stringify(got.link_sessions));
    const added = session.results.item_add_results;
    assert.deepEqual(added.map((r) => r.institution.institution_id), ['ins_109508', 'ins_109511']);
    for (const r of added) {
      const ex = await backend('/item/public_token/exchange', { public_token: r.public_token });
      assert.match(ex.access_token, /^access-sandbox-/);
    }
  } finally {
    await browser.close();
    app.close();
  }
});
