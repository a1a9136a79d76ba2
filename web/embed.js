// embed.js: <linksim-demo>, an embeddable linksim demo for docs sites.
//
//   <script type="module" src="…/embed.js"></script>
//   <linksim-demo flow="instant-match"></linksim-demo>
//
// A compact card: a scenario picker, Open Link, the flow drawn from
// flowcore's rules with the live session's path lit, an event timeline,
// and the onSuccess metadata and /auth/get answer at the end. It loads
// link-initialize.js (and with it the WebAssembly, the heavy part) from
// next to itself, unless the page already has it, only once the element
// comes near the viewport or the reader touches it; until then Open Link
// is live and, if clicked, shows the download's progress and opens Link
// when it is ready. It renders in its own shadow root, sets no inline
// styles from markup (CSP style-src 'self' holds), and each element on a
// page keeps its own state.
// Attributes: flow (a scenario id); theme (light | dark; default: the host
// page's own dark mode, live, else the reader's prefers-color-scheme; Link
// opens in the same, through appearance_mode); client-name (the app name
// Link shows, "Linksim Demo" by default); eager (load at once).
import { scenarios, byID, tokenRequest, graphRequest } from './scenarios.js';
import { render, light, watchPanes } from './flowgraph.js';

const base = new URL('./', import.meta.url).href;

// The latest download progress link-initialize.js reported (see its
// fetchCounted), for elements that start listening late.
let progress = null;
window.addEventListener('linksim:progress', (e) => { progress = e.detail; });

// pageScheme is the host page's own colour scheme, where its docs theme
// says one: VitePress and many others (html.dark), Docusaurus
// (html[data-theme]), MkDocs Material (data-md-color-scheme="slate"),
// Bootstrap (data-bs-theme), or a color-scheme style on the root; '' when
// the page names none.
function pageScheme() {
  const html = document.documentElement;
  const body = document.body;
  for (const el of [html, body]) {
    if (!el) continue;
    if (el.classList.contains('dark') || el.classList.contains('dark-mode') || el.classList.contains('theme-dark')) return 'dark';
    for (const attr of ['data-theme', 'data-bs-theme', 'data-color-scheme', 'data-mode']) {
      const v = el.getAttribute(attr);
      if (v === 'dark' || v === 'light') return v;
    }
    const md = el.getAttribute('data-md-color-scheme');
    if (md) return md === 'slate' ? 'dark' : 'light';
  }
  if (html.classList.contains('light')) return 'light';
  const cs = html.style.colorScheme;
  return cs === 'dark' || cs === 'light' ? cs : '';
}

// watchScheme calls fn whenever the host page's scheme or the reader's
// preference may have changed; it returns a function that stops watching.
function watchScheme(fn) {
  const attrs = ['class', 'style', 'data-theme', 'data-bs-theme', 'data-color-scheme', 'data-mode', 'data-md-color-scheme'];
  const mo = new MutationObserver(fn);
  mo.observe(document.documentElement, { attributes: true, attributeFilter: attrs });
  if (document.body) mo.observe(document.body, { attributes: true, attributeFilter: attrs });
  const mq = window.matchMedia('(prefers-color-scheme: dark)');
  mq.addEventListener('change', fn);
  return () => { mo.disconnect(); mq.removeEventListener('change', fn); };
}

function formatMB(bytes) {
  return (bytes / 1e6).toFixed(1) + ' MB';
}

// linksim resolves with window.Plaid.linksim once Link is ready (its
// driver loaded: the WebAssembly started, or the server found), loading
// link-initialize.js from next to this module when the page has not.
let loading = null;
function linksim() {
  if (!loading) {
    const script = window.Plaid && window.Plaid.linksim ? Promise.resolve(window.Plaid.linksim) : new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = base + 'link-initialize.js';
      s.onload = () => resolve(window.Plaid.linksim);
      s.onerror = () => reject(new Error('linksim: could not load ' + s.src));
      document.head.append(s);
    });
    loading = script.then((api) => api.driver().then(() => api));
    loading.catch(() => { loading = null; }); // a later attempt tries again
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
  static get observedAttributes() { return ['flow', 'theme']; }

  constructor() {
    super();
    this.state = { scenario: null, events: [], visited: [], success: null, auth: null, exit: null, graph: null, running: false };
    const root = this.attachShadow({ mode: 'open' });
    root.append(h('link', { rel: 'stylesheet', href: base + 'embed.css' }));
    this.picker = h('select', { id: 'scenario', 'aria-describedby': 'steps' },
      [...new Set(scenarios.map((s) => s.group))].map((g) => h('optgroup', { label: g },
        scenarios.filter((s) => s.group === g).map((s) => h('option', { value: s.id, text: s.label })))));
    this.openButton = h('button', { type: 'button', class: 'open', text: 'Open Link' });
    this.meter = h('progress', { class: 'meter', max: '1', 'aria-label': 'Getting Link ready' });
    this.status = h('p', { class: 'status', role: 'status' });
    this.loadingBox = h('div', { class: 'loading', hidden: true }, this.meter, this.status);
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
      this.loadingBox,
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
    this.applyScheme();
    if (!this.unwatchScheme) this.unwatchScheme = watchScheme(() => this.applyScheme());
    if (this.api) return;
    if (this.hasAttribute('eager') || (window.Plaid && window.Plaid.linksim)) {
      this.load();
      return;
    }
    // Nothing heavy until the reader comes near: scrolled close, or a
    // pointer, a finger or the keyboard on the card.
    this.nearby = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this.load();
    }, { rootMargin: '300px' });
    this.nearby.observe(this);
    this.touched = () => this.load();
    for (const ev of ['pointerenter', 'pointerdown', 'focusin', 'touchstart']) this.addEventListener(ev, this.touched, { passive: true });
  }

  disconnectedCallback() {
    if (this.handler) this.handler.destroy();
    if (this.unwatch) this.unwatch();
    if (this.unwatchScheme) this.unwatchScheme();
    this.unwatchScheme = null;
    this.stopWaiting();
  }

  attributeChangedCallback(name, old, value) {
    if (name === 'flow' && value && old !== value && this.state.scenario) this.choose(value);
    if (name === 'theme') this.applyScheme();
  }

  // scheme is the card's colour scheme: the theme attribute, else the host
  // page's own dark mode, else the reader's preference.
  scheme() {
    const theme = this.getAttribute('theme');
    if (theme === 'dark' || theme === 'light') return theme;
    return pageScheme() || (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  }

  applyScheme() {
    const scheme = this.scheme();
    if (this.dataset.scheme !== scheme) this.dataset.scheme = scheme;
  }

  stopWaiting() {
    if (this.nearby) this.nearby.disconnect();
    this.nearby = null;
    if (this.touched) for (const ev of ['pointerenter', 'pointerdown', 'focusin', 'touchstart']) this.removeEventListener(ev, this.touched);
    this.touched = null;
  }

  // load fetches Link (link-initialize.js and the WebAssembly) once, showing
  // its progress, then draws the chosen scenario's flow and opens Link if
  // the reader already asked for it.
  load() {
    if (this.loading) return this.loading;
    this.stopWaiting();
    this.dataset.loading = 'true';
    const onProgress = (e) => this.showProgress(e.detail);
    window.addEventListener('linksim:progress', onProgress);
    if (progress) this.showProgress(progress);
    this.loading = linksim().then((api) => {
      window.removeEventListener('linksim:progress', onProgress);
      this.api = api;
      delete this.dataset.loading;
      this.dataset.ready = 'true';
      this.loadingBox.hidden = true;
      this.openButton.removeAttribute('aria-busy');
      this.openButton.textContent = 'Open Link';
      this.drawFlow(this.state.scenario);
      if (this.wantsOpen) {
        this.wantsOpen = false;
        this.open();
      }
      return api;
    }, (err) => {
      window.removeEventListener('linksim:progress', onProgress);
      delete this.dataset.loading;
      this.loading = null; // a later touch tries again
      this.wantsOpen = false;
      this.loadingBox.hidden = true;
      this.openButton.removeAttribute('aria-busy');
      this.openButton.textContent = 'Open Link';
      this.showError(err);
      throw err;
    });
    this.loading.catch(() => {});
    return this.loading;
  }

  // showProgress shows the download after the reader asked for Link: a
  // bar (a moving one when the size is unknown) and the bytes so far.
  showProgress(p) {
    if (!this.wantsOpen || !p) return;
    this.loadingBox.hidden = false;
    if (p.total > 0 && p.loaded <= p.total) {
      this.meter.value = p.loaded / p.total;
      this.status.textContent = `Getting Link ready\u2026 ${Math.round((100 * p.loaded) / p.total)}% of ${formatMB(p.total)}`;
    } else {
      this.meter.removeAttribute('value');
      this.status.textContent = p.done ? 'Getting Link ready\u2026 starting' : `Getting Link ready\u2026 ${formatMB(p.loaded)} loaded`;
    }
  }

  // choose shows a scenario: what to type, and its flow as flowcore draws
  // it (once Link is loaded).
  choose(id) {
    const sc = byID(id);
    this.state.scenario = sc;
    this.picker.value = sc.id;
    this.steps.replaceChildren(...sc.steps.map((s) => h('li', { text: s })));
    this.state.graph = null;
    this.svg = null;
    this.flowName.textContent = '';
    this.diagram.replaceChildren(h('p', { class: 'empty', text: 'The flow is drawn when the demo has loaded.' }));
    if (this.api) this.drawFlow(sc);
  }

  async drawFlow(sc) {
    try {
      const api = this.api;
      this.diagram.replaceChildren();
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
    if (!this.api) {
      // Not loaded yet: say so, with the download's progress, and open
      // once it is ready.
      this.wantsOpen = true;
      this.openButton.setAttribute('aria-busy', 'true');
      this.openButton.textContent = 'Getting Link ready\u2026';
      this.loadingBox.hidden = false;
      this.meter.removeAttribute('value');
      this.status.textContent = 'Getting Link ready\u2026';
      if (progress) this.showProgress(progress);
      this.load();
      return;
    }
    this.reset();
    // The button stays enabled (disabling the focused control would drop
    // focus to the page while Link takes it); a second click is ignored.
    this.state.running = true;
    this.openButton.setAttribute('aria-disabled', 'true');
    try {
      const api = this.api;
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
  // so the modal matches the card: the theme attribute's or the host
  // page's scheme, else SYSTEM, following the reader's system as the card
  // does.
  appearanceMode() {
    const theme = this.getAttribute('theme');
    const scheme = theme === 'dark' || theme === 'light' ? theme : pageScheme();
    return scheme ? scheme.toUpperCase() : 'SYSTEM';
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
