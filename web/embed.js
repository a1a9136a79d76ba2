// embed.js: <linksim-demo>, an embeddable linksim demo for docs sites.
//
//   <script type="module" src="…/embed.js"></script>
//   <linksim-demo flow="instant-match"></linksim-demo>
//
// A compact card: a scenario picker, Open Link, the flow drawn from
// flowcore's rules with the live session's path lit, an event timeline,
// and the onSuccess metadata and /auth/get answer at the end. It loads
// link-initialize.js from next to itself (unless the page already has it),
// renders in its own shadow root, sets no inline styles from markup (CSP
// style-src 'self' holds), and each element on a page keeps its own state.
// Attributes: flow (a scenario id), theme (light | dark; default: the
// reader's prefers-color-scheme; Link opens in the same, through
// appearance_mode), client-name.
import { scenarios, byID, tokenRequest, graphRequest } from './scenarios.js';
import { render, light, watchPanes } from './flowgraph.js';

const base = new URL('./', import.meta.url).href;

// linksim resolves with window.Plaid.linksim, loading link-initialize.js
// from next to this module when the page has not.
let loading = null;
function linksim() {
  if (window.Plaid && window.Plaid.linksim) return Promise.resolve(window.Plaid.linksim);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = base + 'link-initialize.js';
      s.onload = () => resolve(window.Plaid.linksim);
      s.onerror = () => reject(new Error('linksim: could not load ' + s.src));
      document.head.append(s);
    });
  }
  return loading;
}

function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...children.flat().filter((c) => c !== null && c !== undefined));
  return e;
}

// The metadata worth showing in the timeline beside the event's name.
const detail = ['view_name', 'institution_name', 'mfa_type', 'error_code', 'exit_status'];

class LinksimDemo extends HTMLElement {
  static get observedAttributes() { return ['flow']; }

  constructor() {
    super();
    this.state = { scenario: null, events: [], visited: [], success: null, auth: null, exit: null, graph: null, running: false };
    const root = this.attachShadow({ mode: 'open' });
    root.append(h('link', { rel: 'stylesheet', href: base + 'embed.css' }));
    this.picker = h('select', { id: 'scenario', 'aria-describedby': 'steps' },
      [...new Set(scenarios.map((s) => s.group))].map((g) => h('optgroup', { label: g },
        scenarios.filter((s) => s.group === g).map((s) => h('option', { value: s.id, text: s.label })))));
    this.openButton = h('button', { type: 'button', class: 'open', disabled: true, text: 'Open Link' });
    this.steps = h('ol', { class: 'steps', id: 'steps', 'aria-label': 'What to do in Link' });
    this.flowName = h('p', { class: 'flow', 'aria-live': 'polite' });
    this.diagram = h('figure', { class: 'diagram', 'aria-label': 'The flow' });
    this.timeline = h('ol', { class: 'timeline', 'aria-live': 'polite', tabindex: '0', 'aria-label': 'Events' });
    this.result = h('div', { class: 'result', role: 'region', tabindex: '0', 'aria-label': 'Result' },
      h('p', { class: 'empty', text: 'Open Link to see onSuccess and /auth/get here.' }));
    this.card = h('section', { class: 'card', part: 'card', 'aria-label': 'linksim demo' },
      h('header', { class: 'bar' },
        h('span', { class: 'brand' }, h('span', { class: 'mark', 'aria-hidden': 'true' }), 'linksim'),
        h('label', { for: 'scenario', text: 'Scenario' }), this.picker, this.openButton),
      h('div', { class: 'body' },
        h('div', { class: 'left' }, this.steps, h('slot', { name: 'tiles' }), this.flowName, this.diagram),
        h('div', { class: 'right' },
          h('h3', { text: 'Events' }), this.timeline,
          h('h3', { text: 'Result' }), this.result)));
    root.append(this.card);
    this.picker.addEventListener('change', () => this.choose(this.picker.value));
    this.openButton.addEventListener('click', () => this.open());
  }

  connectedCallback() {
    if (!this.state.scenario) this.choose(this.getAttribute('flow') || scenarios[0].id);
    linksim().then(() => { this.openButton.disabled = false; this.dataset.ready = 'true'; },
      (err) => this.showError(err));
  }

  disconnectedCallback() {
    if (this.handler) this.handler.destroy();
    if (this.unwatch) this.unwatch();
  }

  attributeChangedCallback(name, old, value) {
    if (name === 'flow' && value && old !== value && this.state.scenario) this.choose(value);
  }

  // choose shows a scenario: what to type, and its flow as flowcore draws it.
  async choose(id) {
    const sc = byID(id);
    this.state.scenario = sc;
    this.picker.value = sc.id;
    this.steps.replaceChildren(...sc.steps.map((s) => h('li', { text: s })));
    this.state.graph = null;
    this.svg = null;
    this.diagram.replaceChildren();
    try {
      const api = await linksim();
      const graph = await api.flowGraph(graphRequest(sc, this.getAttribute('client-name')));
      if (this.state.scenario !== sc) return; // another was chosen meanwhile
      this.state.graph = graph;
      this.flowName.textContent = graph.flow ? 'Flow: ' + graph.flow : 'Ends in ' + (graph.error ? graph.error.error_code : 'an error');
      this.svg = render(graph, `${sc.label}: ${graph.path.join(' \u2192 ')}`);
      this.diagram.replaceChildren(this.svg);
      light(this.svg, this.state.visited);
    } catch (err) {
      this.showError(err);
    }
  }

  reset() {
    Object.assign(this.state, { events: [], visited: [], success: null, auth: null, exit: null });
    this.timeline.replaceChildren();
    this.result.replaceChildren(h('p', { class: 'empty', text: 'Waiting for Link\u2026' }));
    light(this.svg, []);
  }

  visit(node) {
    const v = this.state.visited;
    if (node && v[v.length - 1] !== node) v.push(node);
    light(this.svg, v);
  }

  // watch follows the pane the Link dialog shows while this element's
  // Link is open.
  watch() {
    if (this.unwatch) this.unwatch();
    this.unwatch = watchPanes((pane) => this.visit(pane));
  }

  log(name, metadata) {
    this.state.events.push({ eventName: name, metadata });
    const li = h('li', null, h('strong', { text: name }));
    for (const k of detail) if (metadata[k]) li.append(' ', h('span', { class: k === 'view_name' ? 'view' : 'meta', text: metadata[k] }));
    this.timeline.append(li);
    this.timeline.scrollTop = this.timeline.scrollHeight;
  }

  async open() {
    const sc = this.state.scenario;
    if (this.state.running) return;
    this.reset();
    // The button stays enabled (disabling the focused control would drop
    // focus to the page while Link takes it); a second click is ignored.
    this.state.running = true;
    this.openButton.setAttribute('aria-disabled', 'true');
    try {
      const api = await linksim();
      const { link_token } = await api.createLinkToken(tokenRequest(sc, this.getAttribute('client-name'), this.appearanceMode()));
      if (this.handler) this.handler.destroy();
      this.watch();
      const config = {
        token: link_token,
        onEvent: (name, md) => this.log(name, md),
        onSuccess: (publicToken, metadata) => this.succeeded(api, publicToken, metadata),
        onExit: (error, metadata) => this.exited(error, metadata),
      };
      if (sc.embedded) {
        // Embedded Institution Search: the tiles go in this element's light
        // DOM (the tiles slot), where the page's Link styles reach them; a
        // pick opens Link's modal.
        if (!this.tiles) {
          this.tiles = h('div', { slot: 'tiles', class: 'linksim-tiles' });
          this.tiles.style.height = '340px';
          this.append(this.tiles);
        }
        this.handler = window.Plaid.createEmbedded(config, this.tiles);
        this.visit('embedded');
        return;
      }
      this.handler = window.Plaid.create(config);
      // Link makes the page inert; a control still focused inside this
      // shadow root would then be blurred after Link has taken focus.
      // Let go of it first; finish() gives it back.
      this.openButton.blur();
      this.handler.open();
    } catch (err) {
      this.finish();
      this.showError(err);
    }
  }

  // appearanceMode is the appearance_mode this element's Link opens with,
  // so the modal matches the card: theme="dark" DARK, theme="light" LIGHT,
  // and no theme SYSTEM, following prefers-color-scheme as the card does.
  appearanceMode() {
    const theme = this.getAttribute('theme');
    return theme === 'dark' ? 'DARK' : theme === 'light' ? 'LIGHT' : 'SYSTEM';
  }

  finish() {
    if (this.unwatch) this.unwatch();
    this.unwatch = null;
    this.state.running = false;
    this.openButton.removeAttribute('aria-disabled');
    if (!document.activeElement || document.activeElement === document.body) this.openButton.focus();
  }

  async succeeded(api, publicToken, metadata) {
    this.visit('on_success');
    this.state.success = { public_token: publicToken, metadata };
    this.finish();
    let auth;
    try {
      const { access_token } = await api.itemPublicTokenExchange({ public_token: publicToken });
      auth = await api.authGet({ access_token });
    } catch (err) {
      auth = { error: err };
    }
    this.state.auth = auth;
    this.result.replaceChildren(
      h('h4', { text: 'onSuccess metadata' }), h('pre', { 'data-result': 'metadata', text: JSON.stringify(metadata, null, 2) }),
      h('h4', { text: '/auth/get' }), h('pre', { 'data-result': 'auth', text: JSON.stringify(auth, null, 2) }));
    this.dispatchEvent(new CustomEvent('linksim-success', { detail: { metadata, auth } }));
  }

  exited(error, metadata) {
    this.visit('on_exit');
    this.state.exit = { error, metadata };
    this.finish();
    this.result.replaceChildren(h('h4', { text: 'onExit' }),
      h('pre', { 'data-result': 'exit', text: JSON.stringify({ error, metadata }, null, 2) }));
    this.dispatchEvent(new CustomEvent('linksim-exit', { detail: { error, metadata } }));
  }

  showError(err) {
    this.result.replaceChildren(h('p', { class: 'error', role: 'alert', text: (err && (err.error_message || err.message)) || String(err) }));
  }
}

if (!customElements.get('linksim-demo')) customElements.define('linksim-demo', LinksimDemo);
