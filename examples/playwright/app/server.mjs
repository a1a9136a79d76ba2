// The app: a page with a "Link your bank" button that loads Plaid's Link
// script from Plaid's CDN, and a backend that calls Plaid's API at
// PLAID_URL (https://sandbox.plaid.com in real life, linksim in tests).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';

const plaidURL = process.env.PLAID_URL || 'https://sandbox.plaid.com';
const keys = { client_id: process.env.PLAID_CLIENT_ID, secret: process.env.PLAID_SECRET };

async function plaid(endpoint, body) {
  const resp = await fetch(new URL(endpoint, plaidURL), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...keys, ...body }),
  });
  const json = await resp.json();
  if (!resp.ok) throw Object.assign(new Error(`${endpoint}: ${json.error_code}`), { plaid: json });
  return json;
}

async function readJSON(req) {
  let s = '';
  for await (const chunk of req) s += chunk;
  return JSON.parse(s || '{}');
}

const pages = { '/': ['index.html', 'text/html'], '/app.js': ['app.js', 'text/javascript'] };

createServer(async (req, res) => {
  const send = (status, body, type = 'application/json') =>
    res.writeHead(status, { 'Content-Type': type }).end(typeof body === 'string' ? body : JSON.stringify(body));
  try {
    if (req.method === 'GET' && pages[req.url]) {
      const [file, type] = pages[req.url];
      return send(200, await readFile(new URL(file, import.meta.url), 'utf8'), type);
    }
    if (req.method === 'POST' && req.url === '/api/link_token') {
      const { link_token } = await plaid('/link/token/create', {
        client_name: 'Example App', language: 'en', country_codes: ['US'], user: { client_user_id: 'user-1' }, products: ['auth'],
      });
      return send(200, { link_token });
    }
    if (req.method === 'POST' && req.url === '/api/exchange') {
      const { public_token } = await readJSON(req);
      const { access_token } = await plaid('/item/public_token/exchange', { public_token });
      const auth = await plaid('/auth/get', { access_token });
      return send(200, auth.numbers.ach.map((n) => ({ mask: n.account.slice(-4), routing: n.routing })));
    }
    return send(404, { error: 'not found' });
  } catch (e) {
    return send(502, { error: e.plaid || String(e) });
  }
}).listen(Number(process.env.PORT || 4017), '127.0.0.1');
