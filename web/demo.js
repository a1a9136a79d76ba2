// The demo app: it builds a /link/token/create body from the config panel,
// opens Link through window.Plaid.create as any app would, logs what Link
// reports and plays the app's backend (exchange, /auth/get) through the
// same driver. Presets (the widget's scenarios) set the panel's switches,
// and the flow diagram shows where the token and the preset's bank lead,
// lit as the session moves. window.linksimDemo exposes its state to tests.
import { scenarios, byID } from './scenarios.js';
import { render, light, watchPanes } from './flowgraph.js';

const $ = (id) => document.getElementById(id);

const state = {
  events: [],
  success: null,
  exit: null,
  exchange: null,
  auth: null,
  error: null,
  handler: null,
  driver: null,
  loads: 0,
  preset: null,
  graph: null,
  bank: null, // the bank picked in Link, when not the preset's
  visited: [],
};
window.linksimDemo = state;

function show(el, value) {
  el.textContent = value === null || value === undefined ? '—' : JSON.stringify(value, null, 2);
}

function checked(name) {
  return [...document.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

// tokenRequest is the /link/token/create body the panel describes.
export function tokenRequest(accessToken) {
  const auth = {};
  for (const box of document.querySelectorAll('input[name="auth"]')) auth[box.value] = box.checked;
  auth.reroute_to_credentials = $('reroute').value;
  const user = { client_user_id: 'linksim-demo-user' };
  const legal = $('legal-name').value.trim();
  if (legal) user.legal_name = legal;
  const body = {
    client_name: $('client-name').value,
    language: 'en',
    country_codes: checked('country'),
    user,
    auth,
  };
  const routing = $('institution-routing').value.trim();
  if (routing) body.institution_data = { routing_number: routing };
  if (accessToken) body.access_token = accessToken;
  else body.products = checked('products');
  return body;
}

// The metadata worth a glance in the log, beside the name and view.
const interesting = ['institution_name', 'institution_search_query', 'mfa_type', 'selection', 'routing_number',
  'account_number_mask', 'error_code', 'exit_status', 'is_update_mode'];

function logEvent(name, metadata) {
  state.events.push({ eventName: name, metadata });
  followBank(name, metadata);
  const li = document.createElement('li');
  li.dataset.testid = 'event';
  const strong = document.createElement('strong');
  strong.textContent = name;
  li.append(strong);
  if (metadata.view_name) li.append(' ', tag(metadata.view_name, 'view'));
  for (const k of interesting) {
    if (metadata[k] !== null && metadata[k] !== undefined) li.append(' ', tag(`${k}=${metadata[k]}`, 'meta'));
  }
  const list = $('events');
  list.append(li);
  list.scrollTop = list.scrollHeight;
}

function tag(text, kind) {
  const s = document.createElement('span');
  s.className = kind;
  s.textContent = text;
  return s;
}

function resetRun() {
  state.events = [];
  state.success = null;
  state.exit = null;
  state.error = null;
  $('events').replaceChildren();
  state.visited = [];
  if (state.bank) { state.bank = null; showSteps(state.preset, null); drawGraph(); }
  light(diagram, []);
  show($('success'), null);
  show($('exit'), null);
}

function fail(err) {
  state.error = err;
  $('token-error').hidden = false;
  $('token-error').textContent = `${err.error_code || 'ERROR'}: ${err.error_message || err}`;
}

// openLink mints a token (or uses the one given) and opens Link with it.
async function openLink(body, token) {
  const given = !!token; // update mode: the token of a linked Item
  resetRun();
  $('token-error').hidden = true;
  if (!token) {
    try {
      const resp = await state.driver.createLinkToken(body);
      token = resp.link_token;
      $('token').hidden = false;
      show($('token'), resp);
    } catch (err) {
      fail(err);
      return;
    }
  }
  if (state.handler) state.handler.destroy();
  if (unwatch) unwatch();
  unwatch = watchPanes(visit);
  const embedded = !given && state.preset && state.preset.embedded;
  $('embedded-slot').hidden = !embedded;
  const config = {
    token,
    onLoad: () => { state.loads++; },
    onEvent: logEvent,
    onSuccess: (publicToken, metadata) => {
      visit('on_success');
      state.success = { public_token: publicToken, metadata };
      show($('success'), state.success);
      $('exchange').disabled = false;
    },
    onExit: (error, metadata) => {
      visit('on_exit');
      state.exit = { error, metadata };
      show($('exit'), state.exit);
    },
  };
  if (embedded) {
    // Embedded Institution Search: the tiles in this page; a pick opens Link.
    state.handler = window.Plaid.createEmbedded(config, $('embedded-slot'));
    visit('embedded');
    return;
  }
  const handler = window.Plaid.create(config);
  state.handler = handler;
  handler.open(); // queued until onLoad, as with Plaid
}

// ---- presets and the flow diagram

let diagram = null;  // the <svg> on show
let unwatch = null;  // stops following the Link dialog's panes
let graphTimer = null;

function visit(pane) {
  const v = state.visited;
  if (v[v.length - 1] !== pane) v.push(pane);
  light(diagram, v);
  if (pane === 'on_success' || pane === 'on_exit') {
    if (unwatch) unwatch();
    unwatch = null;
  }
}

// followBank redraws the flow for the bank the user picked in Link when
// it is not the preset's, so the diagram stays the live session's.
function followBank(name, metadata) {
  if (name !== 'SELECT_INSTITUTION' && name !== 'MATCHED_SELECT_INSTITUTION') return;
  const id = metadata.institution_id;
  const entry = state.preset && state.preset.entry;
  if (!id || (entry && entry.institution_id === id) || state.bank === id) return;
  state.bank = id;
  state.bankName = metadata.institution_name || id;
  drawGraph();
}

// showSteps lists what to do in Link: the preset's steps, or, once the
// user picked another bank, where that bank leads instead.
function showSteps(sc, graph) {
  let lines = sc.steps;
  if (state.bank) {
    const flow = graph && graph.flow ? graph.flow : 'an error';
    lines = [`You picked ${state.bankName}, not the preset\u2019s bank: it leads to ${flow} (the diagram follows it).`,
      'The cheat sheet below says what to type for that flow.'];
  }
  $('preset-steps').replaceChildren(...lines.map((t) => Object.assign(document.createElement('li'), { textContent: t })));
}

// applyPreset sets the panel to a scenario: the switches back to their
// defaults, then the scenario's.
function applyPreset(sc) {
  for (const box of document.querySelectorAll('#config input[type="checkbox"]')) box.checked = box.defaultChecked;
  for (const [k, v] of Object.entries(sc.auth || {})) {
    const box = document.querySelector(`input[name="auth"][value="${k}"]`);
    if (box) box.checked = v;
  }
  $('reroute').value = 'OPTIONAL';
  showPreset(sc);
}

function showPreset(sc) {
  state.preset = sc;
  $('preset').value = sc.id;
  showSteps(sc, null);
  drawGraph();
}

// drawGraph asks flowcore where the panel's token and the preset's bank
// lead, and draws it.
async function drawGraph() {
  clearTimeout(graphTimer);
  const sc = state.preset;
  try {
    const entry = state.bank ? { institution_id: state.bank, password: sc.entry.password, embedded: sc.entry.embedded } : sc.entry;
    const graph = await window.Plaid.linksim.flowGraph(Object.assign({ config: tokenRequest() }, entry));
    if (state.preset !== sc) return; // another preset was chosen meanwhile
    state.graph = graph;
    showSteps(sc, graph);
    $('flow-name').textContent = graph.flow ? `Flow: ${graph.flow}` : `Ends in ${graph.error ? graph.error.error_code : 'an error'}`;
    diagram = render(graph, `${sc.label}: ${graph.path.join(' \u2192 ')}`);
    $('diagram').replaceChildren(diagram);
    light(diagram, state.visited);
  } catch (err) {
    state.graph = null;
    diagram = null;
    $('diagram').replaceChildren();
    $('flow-name').textContent = `No flow: ${err.error_code || ''} ${err.error_message || err}`;
  }
}

function setUpPresets() {
  const picker = $('preset');
  for (const group of [...new Set(scenarios.map((s) => s.group))]) {
    const og = document.createElement('optgroup');
    og.label = group;
    for (const sc of scenarios.filter((s) => s.group === group)) og.append(new Option(sc.label, sc.id));
    picker.append(og);
  }
  picker.addEventListener('change', () => applyPreset(byID(picker.value)));
  // Any change to the panel redraws the flow (the preset's bank stays).
  $('config').addEventListener('input', () => { clearTimeout(graphTimer); graphTimer = setTimeout(drawGraph, 150); });
  $('config').addEventListener('change', () => { clearTimeout(graphTimer); graphTimer = setTimeout(drawGraph, 150); });
  showPreset(byID(new URLSearchParams(location.search).get('preset') || 'instant-auth'));
}

async function backend(fn) {
  try {
    const out = await fn();
    show($('backend'), out);
    return out;
  } catch (err) {
    show($('backend'), { error: err });
    return null;
  }
}

async function main() {
  const driver = await window.Plaid.linksim.driver();
  state.driver = driver;
  $('driver').textContent = driver.kind === 'wasm'
    ? 'flowcore runs in this page as WebAssembly: no server.'
    : `flowcore runs on the linksim server at ${window.Plaid.linksim.server}; this page sends it every step.`;
  $('driver').dataset.kind = driver.kind;
  if (driver.kind !== 'wasm') $('reset').disabled = true;
  const seed = new URLSearchParams(location.search).get('seed');
  if (seed && driver.kind === 'wasm') {
    $('seed').value = seed;
    await driver.reset({ seed });
  }

  $('config').addEventListener('submit', (e) => {
    e.preventDefault();
    openLink(tokenRequest());
  });
  $('reset').addEventListener('click', async () => {
    try {
      await driver.reset({ seed: $('seed').value.trim() || '0' });
      state.exchange = null;
      state.auth = null;
      show($('backend'), { reset: true, seed: $('seed').value });
      $('auth-get').disabled = true;
      $('update').disabled = true;
    } catch (err) {
      fail(err);
    }
  });
  $('exchange').addEventListener('click', async () => {
    if (!state.success) return;
    const out = await backend(() => driver.exchange(state.success.public_token));
    if (out) {
      state.exchange = out;
      $('auth-get').disabled = false;
      $('update').disabled = false;
    }
  });
  $('auth-get').addEventListener('click', async () => {
    state.auth = null;
    state.auth = await backend(() => driver.authGet(state.exchange.access_token).catch((err) => {
      state.auth = { error: err };
      throw err;
    })) || state.auth;
  });
  $('update').addEventListener('click', () => {
    if (state.exchange) openLink(tokenRequest(state.exchange.access_token));
  });
  $('advance').addEventListener('click', () => backend(() => driver.advanceClock(24 * 3600)));

  setUpPresets();
  $('open').disabled = false;
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  $('driver').textContent = `linksim failed to start: ${err.message || err}`;
  $('driver').dataset.kind = 'error';
});
