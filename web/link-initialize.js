/*
 * linksim's link-initialize.js: a drop-in for
 * https://cdn.plaid.com/link/v2/stable/link-initialize.js.
 *
 * It defines window.Plaid.create(config) -> {open, exit, destroy, submit},
 * renders a Link-like modal in the host page's own DOM and asks a driver
 * for every decision: the WASM build of flowcore in this page (no server),
 * or the linksim server that served this file. The UI never decides
 * anything; it renders step.screen and sends the user's actions.
 *
 * Where it finds its files and server, first match wins:
 *   1. data-linksim-server on this <script> element,
 *   2. window.LINKSIM_SERVER set before this file loads,
 *   3. the server URL linksim's server writes into this file when it serves it,
 *   4. none: files next to this script's own URL, flowcore in WASM.
 * data-linksim-driver="wasm" (or window.LINKSIM_DRIVER = "wasm") keeps
 * flowcore in the page even when a server is known; data-linksim-seed /
 * window.LINKSIM_SEED seeds the in-page sandbox.
 */
(function () {
  'use strict';

  if (window.Plaid && window.Plaid.linksim) {
    return; // loaded twice: keep the first copy and its handlers
  }

  // linksim's server replaces this placeholder with its own absolute URL.
  var SERVED_FROM = '__LINKSIM_SERVER_URL__';
  // and this one with its -events flag, when given.
  var SERVED_EVENTS = '__LINKSIM_EVENT_DELIVERY__';
  // The files this script loads from its own directory. make dist renames
  // them by their content (linksim.<hash>.wasm, …) and rewrites this line.
  var FILES = { wasm: 'linksim.wasm', runtime: 'wasm_exec.js', css: 'link.css' };
  var CLIENT_ID = 'linksim-browser';
  var SECRET = 'linksim-browser';

  var script = document.currentScript;

  function setting(attr, global) {
    var v = script && script.getAttribute(attr);
    if (v) return v;
    if (window[global] !== undefined && window[global] !== null && window[global] !== '') return String(window[global]);
    return '';
  }

  function dirURL(url) {
    return new URL('./', url).href;
  }

  var server = setting('data-linksim-server', 'LINKSIM_SERVER');
  if (!server && SERVED_FROM.indexOf('__') !== 0) server = SERVED_FROM;
  if (server) server = dirURL(new URL(server, document.baseURI).href);
  var base = server || dirURL(script && script.src ? script.src : document.baseURI);
  var useWasm = !server || setting('data-linksim-driver', 'LINKSIM_DRIVER') === 'wasm';
  var seed = setting('data-linksim-seed', 'LINKSIM_SEED') || '0';
  // The module is the longest step before onLoad: its download and compile
  // start here, before the rest of this script runs (see loadWasm).
  var wasmModule = useWasm ? compileWasm(base + FILES.wasm) : null;

  // How onEvent is delivered (see eventDelivery below): the page's own
  // choice, else the server's -events flag, else real time.
  var EVENT_DELIVERY_MODES = ['realtime', 'batched'];
  var pageEvents = setting('data-linksim-events', 'LINKSIM_EVENTS') ||
    (SERVED_EVENTS.indexOf('__') !== 0 ? SERVED_EVENTS : '');

  // ---------------------------------------------------------------- helpers

  function plaidError(type, code, message) {
    return { error_type: type, error_code: code, error_message: message, display_message: null, request_id: '' };
  }

  function later(fn) {
    Promise.resolve().then(fn);
  }

  // toPlaidError gives anything a driver rejected with Plaid's error shape.
  function toPlaidError(e) {
    if (e && e.error_code) return e;
    return plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', String((e && e.message) || e));
  }

  // newLinkSessionID mints the link_session_id of onExit's metadata when
  // Link ends before flowcore has a session to name (Link failed to load,
  // a bad link token, open() cancelled before it started). Plaid documents
  // link_session_id as a string, so an app can always log or store it;
  // linksim never sends '' or null there. The value is UUID-shaped like
  // flowcore's ids but random (it names nothing in the sandbox, so it does
  // not need to be reproducible).
  function newLinkSessionID() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') return c.randomUUID();
    var b = new Uint8Array(16);
    if (c && typeof c.getRandomValues === 'function') c.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var x = Array.prototype.map.call(b, function (v) { return (v + 0x100).toString(16).slice(1); }).join('');
    return x.slice(0, 8) + '-' + x.slice(8, 12) + '-' + x.slice(12, 16) + '-' + x.slice(16, 20) + '-' + x.slice(20);
  }

  // exitMetadata is onExit's metadata when Link ends outside a flowcore
  // session; linkSessionID names the session when one was started. No
  // institution was chosen yet, which Plaid's status requires_credentials
  // covers ("… or has not yet selected a financial institution").
  function exitMetadata(linkSessionID, requestID) {
    return {
      institution: null,
      status: 'requires_credentials',
      link_session_id: typeof linkSessionID === 'string' && linkSessionID ? linkSessionID : newLinkSessionID(),
      request_id: requestID || '',
    };
  }

  // oauthStateOf reads a received redirect URI's oauth_state_id.
  function oauthStateOf(uri) {
    try { return new URL(String(uri), document.baseURI).searchParams.get('oauth_state_id') || ''; } catch (e) { return ''; }
  }

  // oauthStore is localStorage, where an in-page Link keeps an OAuth
  // handoff and linksim's bank page its answer (same origin); a browser
  // that refuses storage leaves the redirect flow nothing to resume
  // (OAUTH_STATE_ID_NOT_FOUND).
  var oauthStore = {
    get: function (k) { try { return window.localStorage.getItem(k) || ''; } catch (e) { return ''; } },
    set: function (k, v) { try { window.localStorage.setItem(k, v); } catch (e) { /* no storage */ } },
    remove: function (k) { try { window.localStorage.removeItem(k); } catch (e) { /* no storage */ } },
  };

  // call runs an app callback; an exception in the app never breaks Link.
  function call(fn, args) {
    if (typeof fn !== 'function') return;
    try {
      fn.apply(null, args);
    } catch (e) {
      setTimeout(function () { throw e; });
    }
  }

  // mark records a step of loading on the page's performance timeline
  // (linksim:NAME), for make bench and browser devtools.
  function mark(name) {
    if (window.performance && performance.mark) performance.mark('linksim:' + name);
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src;
      s.async = true;
      s.onload = function () { s.remove(); resolve(); };
      s.onerror = function () { s.remove(); reject(new Error('linksim: could not load ' + src)); };
      document.head.appendChild(s);
    });
  }

  // ---------------------------------------------------------------- drivers

  // unwrap turns the WASM bridge's envelope into a Promise.
  function unwrap(env) {
    if (env && env.ok) return Promise.resolve(env.value);
    return Promise.reject(env && env.error ? env.error : plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', 'linksim: no answer from flowcore'));
  }

  function withKeys(body) {
    var out = { client_id: CLIENT_ID, secret: SECRET };
    for (var k in body) if (Object.prototype.hasOwnProperty.call(body, k)) out[k] = body[k];
    return out;
  }

  // WasmDriver runs flowcore, compiled to WebAssembly, in this page, with
  // its own in-memory sandbox. The sandbox is made on first use (or when
  // the page is idle after onLoad, see warm), not before onLoad: the first
  // newSandbox is a few milliseconds of flowcore's first-use work that an
  // app waiting for onLoad need not wait for.
  function WasmDriver(core, seedValue) {
    this.core = core;
    this.kind = 'wasm';
    this.seed = seedValue;
    this.sandbox = null;
  }
  // handle returns the sandbox's handle, making the sandbox on first use.
  WasmDriver.prototype.handle = function () {
    if (this.sandbox == null) this.reset({ seed: this.seed });
    return this.sandbox;
  };
  WasmDriver.prototype.reset = function (opts) {
    var env = this.core.newSandbox({ seed: String((opts && opts.seed) || 0), base_url: base });
    if (!env.ok) return Promise.reject(env.error);
    if (this.sandbox != null) this.core.closeSandbox(this.sandbox); // no handle outlives its reset
    this.sandbox = env.value;
    return Promise.resolve();
  };
  WasmDriver.prototype.createLinkToken = function (body) {
    return unwrap(this.core.createLinkToken(this.handle(), withKeys(body || {})));
  };
  WasmDriver.prototype.startSession = function (linkToken) {
    return unwrap(this.core.startSession(this.handle(), linkToken == null ? '' : String(linkToken)))
      .then(function (r) { return { session: r.session, linkSessionID: r.link_session_id, step: r.step }; });
  };
  // resumeSession continues, on the app's redirect page, the session the
  // received redirect URI's oauth_state_id names: this page's sandbox
  // rebuilds it from the handoff the first page kept in localStorage (see
  // oauthStore), with the answer linksim's bank page left there.
  WasmDriver.prototype.resumeSession = function (linkToken, receivedRedirectUri) {
    var state = oauthStateOf(receivedRedirectUri);
    var env = this.core.resumeSession(this.handle(), {
      link_token: linkToken, received_redirect_uri: String(receivedRedirectUri),
      handoff: oauthStore.get('linksim-oauth:' + state), result: oauthStore.get('linksim-oauth-result:' + state),
    });
    if (env && env.ok) {
      oauthStore.set('linksim-oauth:' + state, 'used');
      oauthStore.remove('linksim-oauth-result:' + state);
    }
    return unwrap(env).then(function (r) { return { session: r.session, linkSessionID: r.link_session_id, step: r.step }; });
  };
  // leaveForOAuth keeps what the redirect page needs before this page goes
  // to the bank.
  WasmDriver.prototype.leaveForOAuth = function (session, state) {
    var env = this.core.oauthHandoff(session);
    if (env && env.ok) oauthStore.set('linksim-oauth:' + state, env.value);
  };
  WasmDriver.prototype.act = function (session, action) {
    return unwrap(this.core.act(session, action));
  };
  WasmDriver.prototype.closeSession = function (session) {
    this.core.closeSession(session);
  };
  WasmDriver.prototype.exchange = function (publicToken) {
    return unwrap(this.core.exchange(this.handle(), withKeys({ public_token: publicToken })));
  };
  WasmDriver.prototype.authGet = function (accessToken) {
    return unwrap(this.core.authGet(this.handle(), withKeys({ access_token: accessToken })));
  };
  WasmDriver.prototype.advanceClock = function (seconds) {
    return unwrap(this.core.advanceClock(this.handle(), seconds))
      .then(function (now) { return { now: now, request_id: '' }; });
  };
  WasmDriver.prototype.flowGraph = function (body) {
    return unwrap(this.core.flowGraph(body || {}));
  };
  // call answers one Plaid endpoint (a path such as '/accounts/get') with
  // its request body, as the server does.
  WasmDriver.prototype.call = function (path, body) {
    return unwrap(this.core.call(this.handle(), String(path), withKeys(body || {})));
  };

  // HttpDriver sends the same calls to the linksim server that served this
  // file, which runs them through the same flowcore.
  function HttpDriver(serverURL) {
    this.server = serverURL;
    this.kind = 'http';
  }
  HttpDriver.prototype.post = function (path, body) {
    return fetch(new URL(path.replace(/^\//, ''), this.server).href, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }).then(function (resp) {
      return resp.json().then(function (json) {
        if (!resp.ok) throw json;
        return json;
      }, function () {
        throw plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', 'linksim: the server answered HTTP ' + resp.status + ' without JSON');
      });
    }, function (e) {
      throw plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', 'linksim: cannot reach ' + this.server + ': ' + e.message);
    }.bind(this));
  };
  HttpDriver.prototype.createLinkToken = function (body) {
    return this.post('/link/token/create', withKeys(body || {}));
  };
  HttpDriver.prototype.startSession = function (linkToken) {
    return this.post('/linksim/session/start', { link_token: linkToken == null ? '' : String(linkToken) })
      .then(function (r) { return { session: r.session_id, linkSessionID: r.link_session_id, step: r.step, hostedLink: r.hosted_link }; });
  };
  HttpDriver.prototype.resumeSession = function (linkToken, receivedRedirectUri) {
    return this.post('/linksim/session/resume', { link_token: linkToken, received_redirect_uri: String(receivedRedirectUri) })
      .then(function (r) { return { session: r.session_id, linkSessionID: r.link_session_id, step: r.step }; });
  };
  // leaveForOAuth has nothing to keep: the session waits in the server.
  HttpDriver.prototype.leaveForOAuth = function () {};
  HttpDriver.prototype.act = function (session, action) {
    return this.post('/linksim/session/action', { session_id: session, action: action });
  };
  // closeSession frees the server's slot for a session the page gave up on;
  // nobody waits for the answer, and keepalive lets it outlive the page.
  HttpDriver.prototype.closeSession = function (session) {
    fetch(new URL('linksim/session/close', this.server).href, {
      method: 'POST', keepalive: true, headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ session_id: session }),
    }).catch(function () {});
  };
  HttpDriver.prototype.exchange = function (publicToken) {
    return this.post('/item/public_token/exchange', withKeys({ public_token: publicToken }));
  };
  HttpDriver.prototype.authGet = function (accessToken) {
    return this.post('/auth/get', withKeys({ access_token: accessToken }));
  };
  HttpDriver.prototype.advanceClock = function (seconds) {
    return this.post('/sandbox/linksim/clock/advance', withKeys({ seconds: seconds }));
  };
  HttpDriver.prototype.flowGraph = function (body) {
    return this.post('/linksim/flow/graph', body || {});
  };
  HttpDriver.prototype.call = function (path, body) {
    return this.post(String(path), withKeys(body || {}));
  };
  HttpDriver.prototype.reset = function () {
    return Promise.reject(plaidError('INVALID_REQUEST', 'INVALID_FIELD', 'linksim: the server sandbox is seeded with its -seed flag'));
  };

  // compileWasm fetches and compiles the module, streaming when the
  // browser can (compiling while it downloads).
  function compileWasm(wasmURL) {
    var module;
    try {
      module = typeof WebAssembly.compileStreaming === 'function'
        ? WebAssembly.compileStreaming(fetchCounted(wasmURL)).catch(function () {
          return fetch(wasmURL).then(function (r) { return r.arrayBuffer(); }).then(WebAssembly.compile);
        })
        : fetchCounted(wasmURL).then(function (r) { return r.arrayBuffer(); }).then(WebAssembly.compile);
    } catch (e) {
      module = Promise.reject(e); // no WebAssembly here: Link fails to load, as Plaid's does offline
    }
    module.catch(function () {}); // loadWasm reports it, once something waits for Link
    return module;
  }

  // fetchCounted fetches the module and reports its download as it goes:
  // a 'linksim:progress' event on window whose detail is {loaded, total,
  // done} (bytes; total 0 when unknown, as when the host compresses the
  // file, since Content-Length then counts the compressed bytes), so a page
  // or the <linksim-demo> widget can show Link getting ready.
  function fetchCounted(url) {
    function report(loaded, total, done) {
      try {
        window.dispatchEvent(new CustomEvent('linksim:progress', { detail: { loaded: loaded, total: total, done: done } }));
      } catch (e) { /* no CustomEvent: nothing to report to */ }
    }
    return fetch(url).then(function (r) {
      if (!r.ok || !r.body || typeof ReadableStream !== 'function') return r;
      var total = r.headers.get('Content-Encoding') ? 0 : Number(r.headers.get('Content-Length')) || 0;
      var loaded = 0;
      var reader = r.body.getReader();
      report(0, total, false);
      var counted = new ReadableStream({
        pull: function (c) {
          return reader.read().then(function (x) {
            if (x.done) {
              report(loaded, total, true);
              c.close();
              return;
            }
            loaded += x.value.byteLength;
            report(loaded, total, false);
            c.enqueue(x.value);
          });
        },
        cancel: function (reason) { return reader.cancel(reason); },
      });
      return new Response(counted, { status: r.status, headers: { 'Content-Type': r.headers.get('Content-Type') || '' } });
    });
  }

  // loadWasm loads wasm_exec.js while the module (wasmModule, started when
  // this script began) downloads and compiles, then starts flowcore; it
  // resolves with the bridge object.
  function loadWasm() {
    var previousGo = window.Go;
    var module = wasmModule;
    var runtime = loadScript(base + FILES.runtime).then(function () {
      var Go = window.Go;
      if (previousGo) window.Go = previousGo; // leave the host page's own Go runtime alone
      return Go;
    });
    return Promise.all([module, runtime]).then(function (r) {
      mark('wasm-compiled');
      var go = new r[1]();
      return WebAssembly.instantiate(r[0], go.importObject).then(function (instance) {
        go.run(instance); // registers globalThis.linksimCore, then waits for calls
        mark('wasm-started');
        if (!window.linksimCore) throw new Error('linksim: the WASM module did not register linksimCore');
        return window.linksimCore;
      });
    });
  }

  // warm makes the page's first real call quick: once the page is idle
  // after onLoad it makes the page's sandbox (unless a call already did),
  // then runs a Link token, a session and its first pane on a scratch
  // sandbox, so flowcore's first-use work (encoding/json's type caches, the
  // browser's compiling of the WASM functions a call runs) is done before
  // the app asks. Nothing of the scratch sandbox is kept or reported.
  function warm(d) {
    var core = d.core;
    var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 50); };
    idle(function () {
      try {
        d.handle();
        mark('sandbox-ready');
        var sb = core.newSandbox();
        if (!sb.ok) return;
        var tok = core.createLinkToken(sb.value, withKeys({
          client_name: 'linksim', language: 'en', country_codes: ['US'],
          user: { client_user_id: 'linksim-warm-up' }, products: ['auth'],
        }));
        if (tok.ok) {
          var started = core.startSession(sb.value, tok.value.link_token);
          if (started.ok) {
            core.act(started.value.session, { type: 'open' });
            core.closeSession(started.value.session);
          }
        }
        core.closeSandbox(sb.value);
        mark('warm');
      } catch (e) { /* warming is an optimisation only */ }
    });
  }

  var driverPromise = null;
  function driver() {
    if (!driverPromise) {
      var loaded = useWasm
        ? loadWasm().then(function (core) {
          var d = new WasmDriver(core, seed);
          warm(d);
          return d;
        })
        : Promise.resolve(new HttpDriver(server));
      driverPromise = Promise.all([loaded, stylesheet()]).then(function (r) { return r[0]; });
      driverPromise.catch(function (e) { console.error(e); });
    }
    return driverPromise;
  }

  // ---------------------------------------------------------------- DOM

  // h builds an element. Strings among children become text nodes: names
  // and anything the user typed are never parsed as HTML.
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k)) continue;
        var v = attrs[k];
        if (v === undefined || v === null || v === false) continue;
        if (k === 'text') el.textContent = v;
        else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
        else if (k === 'class') el.className = v;
        else if (v === true) el.setAttribute(k, '');
        else el.setAttribute(k, String(v));
      }
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
    el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }

  // The stylesheet is added as soon as this script runs, not when Link
  // first opens, and driver() (so onLoad) waits until it has loaded: the
  // modal is never shown unstyled, offline after load included. It is a
  // <link> to a file next to this script, which a CSP with style-src 'self'
  // allows (inline <style> it would not), and it stays for the page's life.
  var stylesheetLoaded = null;
  function stylesheet() {
    if (!stylesheetLoaded) {
      stylesheetLoaded = new Promise(function (resolve) {
        var link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = base + FILES.css;
        link.setAttribute('data-linksim-stylesheet', '');
        link.onload = function () { mark('stylesheet-loaded'); resolve(); };
        link.onerror = function () {
          console.error('linksim: could not load ' + link.href + '; Link will be unstyled');
          resolve();
        };
        (document.head || document.documentElement).appendChild(link);
      });
    }
    return stylesheetLoaded;
  }

  // A colour for an institution's badge, from its id.
  function hue(id) {
    var n = 0;
    for (var i = 0; i < id.length; i++) n = (n * 31 + id.charCodeAt(i)) % 360;
    return n;
  }

  function badge(ins) {
    var b = h('span', { class: 'lk-badge', 'aria-hidden': 'true' });
    b.textContent = (ins.name || '?').replace(/[^A-Za-z ]/g, '').split(' ').filter(Boolean).slice(0, 2)
      .map(function (w) { return w[0]; }).join('').toUpperCase() || '?';
    // 30% lightness keeps white text at 4.5:1 or more on every hue (WCAG AA).
    b.style.backgroundColor = 'hsl(' + hue(ins.institution_id || ins.name || '') + ', 55%, 30%)';
    return b;
  }

  var instances = 0;

  // ---------------------------------------------------------------- modals

  // Every open LinkUI, the one on top last. One document listener serves
  // the top one; the page behind the first modal stops scrolling and goes
  // inert until the last one closes, then gets back exactly what it had.
  var modals = [];
  var pageState = null; // {overflow, inerted}: what the first modal changed

  function topModal() {
    return modals.length ? modals[modals.length - 1] : null;
  }

  function onDocumentKey(e) {
    var ui = topModal();
    if (ui) ui.onKey(e);
  }

  // onDocumentFocus pulls focus that lands outside the top dialog (on
  // something the app added since, say) back into it.
  function onDocumentFocus(e) {
    var ui = topModal();
    if (ui && e.target instanceof Node && !ui.root.contains(e.target)) ui.focusPane();
  }

  // updateInert makes every child of <body> but the top modal inert, and
  // lifts it from what it made inert that is now on top or gone. Children
  // that were inert before linksim came are never touched.
  function updateInert() {
    var top = topModal();
    pageState.inerted = pageState.inerted.filter(function (el) {
      if (top && el !== top.root && el.parentNode === document.body) return true;
      el.removeAttribute('inert');
      return false;
    });
    if (!top) return;
    Array.prototype.forEach.call(document.body.children, function (el) {
      if (el === top.root || el.hasAttribute('inert')) return;
      el.setAttribute('inert', '');
      pageState.inerted.push(el);
    });
  }

  function pushModal(ui) {
    if (!modals.length) {
      pageState = { overflow: document.body.style.overflow, inerted: [] };
      document.body.style.overflow = 'hidden'; // the page behind the modal does not scroll
      document.addEventListener('keydown', onDocumentKey, true);
      document.addEventListener('focusin', onDocumentFocus, true);
    }
    modals.push(ui);
    updateInert();
  }

  function popModal(ui) {
    var i = modals.indexOf(ui);
    if (i < 0) return;
    modals.splice(i, 1);
    // A modal opened on top of this one returns focus to where this one would.
    if (i < modals.length && ui.root.contains(modals[i].lastFocus)) modals[i].lastFocus = ui.lastFocus;
    updateInert();
    if (modals.length) return;
    document.removeEventListener('keydown', onDocumentKey, true);
    document.removeEventListener('focusin', onDocumentFocus, true);
    document.body.style.overflow = pageState.overflow;
    pageState = null;
  }

  // ---------------------------------------------------------------- Link UI

  // appearanceOf is the colour scheme a screen asks for (the token's
  // appearance_mode): DARK, SYSTEM, or LIGHT, Plaid's default, for anything
  // else.
  function appearanceOf(sc) {
    var mode = sc && sc.appearance_mode;
    return mode === 'DARK' || mode === 'SYSTEM' ? mode : 'LIGHT';
  }

  // systemDark is the query for a system that prefers dark, if the browser
  // has one.
  var systemDark = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

  // theme sets the modal's appearance (the mode asked for) and its
  // scheme (dark or light, SYSTEM resolved), which link.css styles.
  function theme(root, sc) {
    var mode = appearanceOf(sc);
    var dark = mode === 'DARK' || (mode === 'SYSTEM' && !!systemDark && systemDark.matches);
    root.setAttribute('data-appearance', mode);
    root.setAttribute('data-scheme', dark ? 'dark' : 'light');
  }

  // LinkUI is one open Link modal: it renders each step's screen and turns
  // what the user does into actions. It is themed from the first screen
  // (the session's, before any pane) so even its loading pane is.
  function LinkUI(handler, firstScreen) {
    this.handler = handler;
    this.prefix = 'lk' + (++instances) + '-';
    this.busy = false;
    this.lastFocus = document.activeElement;
    this.renderedAt = -Infinity; // performance.now() of the last render
    this.lastClick = null;       // {el, at}: the last pointer click let through
    this.searchTimer = null;     // the search pane's debounce
    this.pendingSearch = null;   // its input while a typed query waits for the debounce
    this.queued = [];            // actions asked for while one was in flight (see send)
    this.body = h('div', { class: 'lk-body' });
    // typed holds what the user typed or picked in each pane (see
    // paneKey), so a pane shown again — after a problem, Back, or the exit
    // confirmation — never loses it.
    this.typed = {};
    this.body.addEventListener('input', this.remember.bind(this));
    this.body.addEventListener('change', this.remember.bind(this));
    this.title = h('h2', { class: 'lk-title', id: this.prefix + 'title', tabindex: '-1' });
    this.backButton = h('button', { type: 'button', class: 'lk-icon', 'aria-label': 'Back', 'data-testid': 'back', onclick: this.send.bind(this, { type: 'back' }) }, '\u2190');
    this.closeButton = h('button', { type: 'button', class: 'lk-icon', 'aria-label': 'Close', 'data-testid': 'close', onclick: this.requestExit.bind(this) }, '\u00d7');
    this.dialog = h('div', { class: 'lk-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': this.prefix + 'title', 'data-testid': 'link-dialog' },
      h('header', { class: 'lk-header' }, this.backButton, h('span', { class: 'lk-brand' }, h('span', { class: 'lk-brand-mark', 'aria-hidden': 'true' }), 'linksim'), this.closeButton),
      this.title,
      this.body,
      h('footer', { class: 'lk-footer' }, 'Sandbox \u00b7 no real bank is contacted'));
    this.root = h('div', { class: 'lk-overlay', 'data-linksim': 'modal', 'data-testid': 'link-modal' }, this.dialog);
    theme(this.root, firstScreen);
    // SYSTEM follows the system while the modal is open (this.screen is
    // set by the first render; until then the session's screen holds).
    this.onSystemScheme = function () { theme(this.root, this.screen || firstScreen); }.bind(this);
    if (systemDark && systemDark.addEventListener) systemDark.addEventListener('change', this.onSystemScheme);
    this.dialog.addEventListener('click', this.onClick.bind(this), true);
    document.body.appendChild(this.root);
    pushModal(this);
  }

  LinkUI.prototype.remove = function () {
    clearTimeout(this.searchTimer);
    if (systemDark && systemDark.removeEventListener) systemDark.removeEventListener('change', this.onSystemScheme);
    var wasTop = topModal() === this;
    popModal(this);
    this.root.remove();
    if (wasTop && this.lastFocus && typeof this.lastFocus.focus === 'function' && document.contains(this.lastFocus)) {
      this.lastFocus.focus();
    }
  };

  // onClick, in the capture phase, drops the pointer clicks a double-click
  // adds: the first click's action has usually rendered the next pane by
  // the time the second arrives, which would land on a control the user
  // never saw. A click with detail > 1 is the second (third...) of a
  // multi-click; a click on the same control as the last one, soon after
  // the render that click caused, is the header's Back or Close clicked
  // twice. Keyboard activation (detail 0) always goes through.
  LinkUI.prototype.onClick = function (e) {
    if (!e.detail) return;
    var el = e.target instanceof Element ? (e.target.closest('button, input, label, a') || e.target) : e.target;
    var now = performance.now();
    var repeat = this.lastClick && this.lastClick.el === el && this.lastClick.at < this.renderedAt && now - this.renderedAt < 400;
    if (e.detail > 1 || repeat) {
      e.preventDefault();
      e.stopImmediatePropagation();
      return;
    }
    this.lastClick = { el: el, at: now };
  };

  // focusPane focuses the pane's first field or control, or its title.
  LinkUI.prototype.focusPane = function () {
    var target = this.body.querySelector('input:not([type=radio]):not([type=checkbox]), input:checked, input, button') || this.title;
    target.focus();
    return target;
  };

  LinkUI.prototype.focusables = function () {
    return Array.prototype.filter.call(
      this.dialog.querySelectorAll('button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])'),
      function (el) { return !el.disabled && !el.hidden && el.offsetParent !== null; });
  };

  // onKey traps focus in the dialog and makes Escape ask to exit.
  LinkUI.prototype.onKey = function (e) {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopImmediatePropagation();
      if (this.screen && this.screen.pane === 'exit') this.send({ type: 'cancel_exit' });
      else this.requestExit();
      return;
    }
    if (e.key !== 'Tab') return;
    var els = this.focusables();
    if (!els.length) { e.preventDefault(); return; }
    var first = els[0], last = els[els.length - 1];
    var inside = this.dialog.contains(document.activeElement);
    if (e.shiftKey && (document.activeElement === first || !inside)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
      e.preventDefault();
      first.focus();
    }
  };

  // requestExit asks to exit (Close, Escape, handler.exit()): the exit
  // confirmation, or once the action in flight settles.
  LinkUI.prototype.requestExit = function () {
    if (this.busy) { this.handler.exitAfterAction(false); return; }
    if (!this.screen || this.screen.pane === 'done') return;
    if (this.screen.pane === 'exit') return;
    this.send({ type: 'exit' });
  };

  // send runs one action through the driver; the loading pane shows while
  // it is in flight and actions are not queued behind it (an exit asked for
  // meanwhile runs once it settles). Link always closes: an action refused
  // before any pane was shown (the first "open"), any action of a session
  // the server no longer knows (idle too long, evicted, restarted), and an
  // exit that fails for any reason end the session in the page, with
  // onExit carrying the error. Other refusals leave the pane as it was.
  LinkUI.prototype.send = function (action) {
    if (this.busy) {
      // Only a search keeps the pane usable while it is on its way: a bank
      // clicked then (as a slow machine or network makes likely) is not
      // lost but goes next, if the search pane is still the one shown, and
      // a newer search replaces an older one still waiting. While any other
      // action is on its way Link is loading, and clicks do nothing.
      if (this.inFlight !== 'search') return Promise.resolve();
      this.queued = this.queued.filter(function (q) { return !(action.type === 'search' && q.action.type === 'search'); });
      if (this.queued.length < 4) this.queued.push({ action: action, pane: this.screen && this.screen.pane });
      return Promise.resolve();
    }
    // A query typed in the search box and not yet searched is sent first,
    // so a click elsewhere ("Link with account numbers", a result, close)
    // never loses its SEARCH_INSTITUTION.
    var typed = this.pendingSearch;
    this.pendingSearch = null;
    if (typed && action.type !== 'search' && typed.isConnected && this.screen && this.screen.pane === 'search') {
      clearTimeout(this.searchTimer);
      var ui = this;
      return this.send({ type: 'search', query: typed.value }).then(function () {
        if (ui.handler.ui === ui && ui.screen && ui.screen.pane === 'search') return ui.send(action);
      });
    }
    this.busy = true;
    this.inFlight = action.type;
    this.dialog.setAttribute('aria-busy', 'true');
    var self = this;
    var spinner = setTimeout(function () { self.showLoading(); }, 80);
    function done() {
      clearTimeout(spinner);
      self.busy = false;
      self.dialog.removeAttribute('aria-busy');
    }
    return this.handler.act(action).then(done, function (err) {
      done();
      if (self.handler.ui !== self) return;
      var forgotten = err && err.error_code === 'INVALID_LINK_TOKEN';
      var leaving = action.type === 'exit' || action.type === 'confirm_exit';
      if (self.screen && !forgotten && !leaving) self.showProblem(err);
      else self.handler.fail(err);
    }).then(function () {
      if (self.handler.ui === self) self.handler.actionSettled();
      var next = self.queued.shift();
      if (next && self.handler.ui === self && !self.busy && self.screen && self.screen.pane === next.pane) return self.send(next.action);
      self.queued = [];
    });
  };

  LinkUI.prototype.showLoading = function () {
    clearTimeout(this.searchTimer);
    this.renderedAt = performance.now();
    this.dialog.setAttribute('data-pane', 'loading');
    this.title.textContent = 'Connecting';
    this.body.replaceChildren(h('div', { class: 'lk-loading', 'data-testid': 'pane-loading', role: 'status' },
      h('span', { class: 'lk-spinner', 'aria-hidden': 'true' }), 'Just a moment\u2026'));
  };

  // showProblem renders an error flowcore refused an action with (which
  // the UI should not have sent); the session is unchanged, so the pane
  // is re-rendered with the message on top.
  LinkUI.prototype.showProblem = function (err) {
    if (this.screen) this.render(this.screen);
    var msg = (err && (err.display_message || err.error_message)) || String(err);
    this.body.insertBefore(h('p', { class: 'lk-error', role: 'alert', 'data-testid': 'problem' }, msg), this.body.firstChild);
  };

  LinkUI.prototype.id = function (name) {
    return this.prefix + name;
  };

  // paneKey names a pane's form: an MFA round is a form of its own. The
  // search pane keeps its query in the session instead.
  function paneKey(sc) {
    if (!sc || sc.pane === 'search') return '';
    return sc.pane + (sc.mfa ? '|' + JSON.stringify(sc.mfa) : '');
  }

  // remember keeps what the user typed or picked in the shown pane.
  LinkUI.prototype.remember = function (e) {
    var el = e.target;
    var key = paneKey(this.screen);
    if (!key || !el || !el.name || el.tagName !== 'INPUT') return;
    var saved = this.typed[key] || (this.typed[key] = {});
    if (el.type === 'checkbox') {
      saved[el.name] = Array.prototype.map.call(
        this.body.querySelectorAll('input[type=checkbox]:checked'), function (c) { return c.name === el.name ? c.value : null; })
        .filter(function (v) { return v !== null; });
    } else if (el.type === 'radio') {
      if (el.checked) saved[el.name] = el.value;
    } else {
      saved[el.name] = el.value;
    }
  };

  // restore puts back what the user typed or picked when this pane was
  // last shown.
  LinkUI.prototype.restore = function (sc, content) {
    var saved = this.typed[paneKey(sc)];
    if (!saved) return;
    Array.prototype.forEach.call(content.querySelectorAll('input[name]'), function (el) {
      if (!Object.prototype.hasOwnProperty.call(saved, el.name)) return;
      var v = saved[el.name];
      if (el.type === 'checkbox') el.checked = v.indexOf(el.value) >= 0;
      else if (el.type === 'radio') el.checked = el.value === v;
      else el.value = v;
    });
  };

  // The inputs of the fields flowcore names in a screen's field_errors.
  var FIELD_INPUTS = { routing_number: 'routing', account_number: 'account', legal_name: 'legal-name' };

  // markFields shows each field error under its field: the input is
  // marked invalid and described by the message, so a screen reader says
  // it when the field is focused. It returns the first invalid input.
  LinkUI.prototype.markFields = function (sc, content) {
    var first = null;
    (sc.field_errors || []).forEach(function (fe) {
      var input = content.querySelector('input[name="' + (FIELD_INPUTS[fe.field] || fe.field) + '"]');
      if (!input) return;
      var id = input.id + '-error';
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', [id, input.getAttribute('aria-describedby')].filter(Boolean).join(' '));
      input.insertAdjacentElement('afterend', h('p', { class: 'lk-field-error', id: id, 'data-testid': input.name + '-error' }, fe.message));
      if (!first) first = input;
    });
    return first;
  };

  function field(ui, name, label, attrs, hint) {
    var id = ui.id(name);
    var input = h('input', Object.assign({ id: id, name: name, class: 'lk-input', 'data-testid': name + '-input', autocomplete: 'off', 'aria-describedby': hint ? id + '-hint' : null }, attrs || {}));
    return {
      input: input,
      el: h('div', { class: 'lk-field' }, h('label', { for: id }, label), input, hint ? h('p', { class: 'lk-hint', id: id + '-hint' }, hint) : null),
    };
  }

  function primary(label, testid, attrs) {
    return h('button', Object.assign({ type: 'submit', class: 'lk-primary', 'data-testid': testid }, attrs || {}), label);
  }

  function secondary(label, testid, onclick) {
    return h('button', { type: 'button', class: 'lk-secondary', 'data-testid': testid, onclick: onclick }, label);
  }

  LinkUI.prototype.form = function (onsubmit) {
    var self = this;
    var f = h('form', { class: 'lk-form', novalidate: true });
    f.addEventListener('submit', function (e) {
      e.preventDefault();
      var action = onsubmit();
      if (action) self.send(action);
    });
    for (var i = 1; i < arguments.length; i++) append(f, arguments[i]);
    return f;
  };

  function errorText(sc) {
    if (!sc.error) return null;
    var shown = sc.error.display_message || sc.error.error_message;
    // A problem with one field is shown at that field (markFields).
    if ((sc.field_errors || []).some(function (fe) { return fe.message === shown; })) return null;
    return h('p', { class: 'lk-error', role: 'alert', 'data-testid': 'pane-error-message' }, shown);
  }

  function money(amount) {
    return '$' + Number(amount).toFixed(2);
  }

  // render shows a screen.
  LinkUI.prototype.render = function (sc) {
    clearTimeout(this.searchTimer);
    this.pendingSearch = null;
    this.screen = sc;
    var pane = this.panes[sc.pane];
    if (!pane) return;
    this.renderedAt = performance.now();
    theme(this.root, sc);
    this.dialog.setAttribute('data-pane', sc.pane);
    this.backButton.hidden = !sc.can_go_back;
    var parts = pane.call(this, sc);
    this.title.textContent = parts.title;
    var content = h('div', { class: 'lk-pane lk-pane-' + sc.pane, 'data-testid': 'pane-' + sc.pane });
    append(content, parts.body);
    this.restore(sc, content);
    var invalid = this.markFields(sc, content);
    this.body.replaceChildren(content);
    var target = invalid || this.focusPane();
    if (invalid) invalid.focus();
    if (target.tagName === 'INPUT' && target.value && typeof target.setSelectionRange === 'function') {
      try { target.setSelectionRange(target.value.length, target.value.length); } catch (e) { /* not a text input */ }
    }
  };

  var panes = {};
  LinkUI.prototype.panes = panes;

  panes.consent = function (sc) {
    return {
      title: sc.client_name + ' uses linksim to connect your account',
      body: [
        h('ul', { class: 'lk-points' },
          h('li', null, h('strong', null, 'Connect effortlessly'), h('span', null, 'Link your bank in seconds, in this sandbox.')),
          h('li', null, h('strong', null, 'Your data belongs to you'), h('span', null, 'Nothing leaves this browser tab unless the app asks for it.'))),
        h('p', { class: 'lk-fine' }, 'By selecting \u201cContinue\u201d you agree to the linksim sandbox terms. This is a simulation of Plaid Link.'),
        this.form(function () { return { type: 'continue' }; }, primary('Continue', 'consent-continue')),
      ],
    };
  };

  panes.select_auth_type = function () {
    var self = this;
    return {
      title: 'How would you like to connect your account?',
      body: h('div', { class: 'lk-choices' },
        h('button', { type: 'button', class: 'lk-choice', 'data-testid': 'auth-type-instant', onclick: function () { self.send({ type: 'select_auth_type', selection: 'flow_type_instant' }); } },
          h('strong', null, 'Instantly'), h('span', null, 'Log in to your bank')),
        h('button', { type: 'button', class: 'lk-choice', 'data-testid': 'auth-type-manual', onclick: function () { self.send({ type: 'select_auth_type', selection: 'flow_type_manual' }); } },
          h('strong', null, 'Manually'), h('span', null, 'Enter routing and account numbers; takes 1\u20132 days'))),
    };
  };

  panes.search = function (sc) {
    var self = this;
    // Keys typed while a search was in flight are kept, and searched next.
    var prev = this.dialog.querySelector('[data-testid="search-input"]');
    var typed = prev ? prev.value : (sc.query || '');
    var q = field(this, 'search', 'Search for your bank', { type: 'search', value: typed, placeholder: 'Search', 'aria-controls': this.id('results'), autocomplete: 'off' });
    // Search as the user types (once they pause), or at once on Enter. The
    // timer lives on the UI, which clears it whenever the pane changes.
    function run() {
      clearTimeout(self.searchTimer);
      self.pendingSearch = null;
      if (self.handler.ui !== self || !self.screen || self.screen.pane !== 'search' || !q.input.isConnected) return;
      self.send({ type: 'search', query: q.input.value });
    }
    // later waits for the user to pause; until then the query is pending,
    // and any other action sends it first (see send).
    function later() {
      clearTimeout(self.searchTimer);
      self.pendingSearch = q.input;
      self.searchTimer = setTimeout(run, 300);
    }
    if (typed !== (sc.query || '')) later();
    q.input.addEventListener('input', later);
    function pick(ins) {
      return function () { self.send({ type: 'select_institution', institution_id: ins.institution_id }); };
    }
    var matched = sc.matched;
    var results = (sc.results || []).filter(function (ins) {
      return !matched || ins.institution_id !== matched.institution_id;
    }).map(function (ins) {
      return h('li', null, h('button', {
        type: 'button', class: 'lk-result', 'data-testid': 'institution-' + ins.institution_id, onclick: pick(ins),
      }, badge(ins), h('span', null, ins.name)));
    });
    // The bank the link token's institution_data.routing_number belongs to,
    // highlighted above the results (MATCHED_SELECT_INSTITUTION when picked).
    var highlight = matched ? h('div', { class: 'lk-matched-box' },
      h('p', { class: 'lk-hint', id: this.id('matched') }, 'Matched by your routing number'),
      h('button', {
        type: 'button', class: 'lk-result lk-matched', 'data-testid': 'matched-institution-' + matched.institution_id,
        'aria-describedby': this.id('matched'), onclick: pick(matched),
      }, badge(matched), h('span', null, matched.name), h('span', { class: 'lk-tag' }, 'Suggested'))) : null;
    // Before the user types: the popular banks flowcore lists.
    var popular = (sc.popular || []).filter(function (ins) {
      return !matched || ins.institution_id !== matched.institution_id;
    });
    var popularBox = !sc.query && popular.length ? h('div', { class: 'lk-popular', 'data-testid': 'popular' },
      h('h3', { class: 'lk-hint', id: this.id('popular') }, 'Popular banks'),
      h('ul', { class: 'lk-results', 'aria-labelledby': this.id('popular') }, popular.map(function (ins) {
        return h('li', null, h('button', {
          type: 'button', class: 'lk-result', 'data-testid': 'institution-' + ins.institution_id, onclick: pick(ins),
        }, badge(ins), h('span', null, ins.name)));
      }))) : null;
    var empty = results.length || popularBox || (matched && !sc.query) ? null : sc.query
      ? h('p', { class: 'lk-hint lk-empty', 'data-testid': 'no-results' }, 'No results for \u201c' + sc.query + '\u201d')
      : h('p', { class: 'lk-hint lk-empty' }, 'Start typing your bank\u2019s name to find it.');
    return {
      title: 'Select your institution',
      body: [
        this.form(function () { run(); return null; }, q.el),
        highlight,
        popularBox,
        h('ul', { class: 'lk-results', id: this.id('results'), 'aria-live': 'polite', 'data-testid': 'results' }, results),
        empty,
        sc.manual_entry ? h('div', { class: 'lk-manual' }, h('span', null, 'Don\u2019t see your bank?'),
          secondary('Link with account numbers', 'manual-entry', function () { self.send({ type: 'manual_entry' }); })) : null,
      ],
    };
  };

  panes.credentials = function (sc) {
    var user = field(this, 'username', 'Username', { autocomplete: 'username' });
    var pass = field(this, 'password', 'Password', { type: 'password', autocomplete: 'current-password' });
    var ins = sc.institution || { name: 'your bank', institution_id: '' };
    // A DEGRADED bank (Plaid's Unhealthy Platypus Bank - Degraded): Link
    // warns and lets the user go on.
    var degraded = sc.institution_status === 'DEGRADED'
      ? h('p', { class: 'lk-warning', role: 'status', 'data-testid': 'institution-degraded' },
        ins.name + ' is having connection problems. You may run into issues logging in.')
      : null;
    return {
      title: 'Log in to ' + ins.name,
      body: [
        h('div', { class: 'lk-inst' }, badge(ins), h('span', null, ins.name)),
        degraded,
        errorText(sc),
        this.form(function () { return { type: 'submit_credentials', username: user.input.value, password: pass.input.value }; },
          user.el, pass.el, primary('Submit', 'credentials-submit')),
        h('p', { class: 'lk-fine' }, 'Sandbox: user_good / pass_good'),
      ],
    };
  };

  // The OAuth pane: the bank logs the user in on its own page (linksim's
  // oauth.html), in a pop-up, or through the app's redirect_uri.
  panes.oauth = function (sc) {
    var self = this;
    var ins = sc.institution || { name: 'your bank', institution_id: '' };
    var open = sc.oauth && sc.oauth.open;
    return {
      title: 'Log in at ' + ins.name,
      body: [
        h('div', { class: 'lk-inst' }, badge(ins), h('span', null, ins.name)),
        errorText(sc),
        h('p', null, 'You will be sent to ' + ins.name + ' to log in and choose what ' + sc.client_name + ' can access. You will come back here when you are done.'),
        open ? h('p', { role: 'status', 'data-testid': 'oauth-waiting' }, 'Finish logging in on ' + ins.name + '\u2019s page in the window that opened.') :
          this.form(function () { self.handler.prepareOAuth(sc); return { type: 'continue' }; }, primary('Continue to ' + ins.name, 'oauth-continue')),
        h('p', { class: 'lk-fine' }, 'Sandbox: any credentials, or none, work at the bank.'),
      ],
    };
  };

  panes.mfa = function (sc) {
    var self = this;
    var ch = sc.mfa || { type: 'code', prompts: [] };
    var get;
    var fields = [];
    if (ch.type === 'device') {
      var name = this.id('device');
      fields = h('fieldset', { class: 'lk-options' }, h('legend', null, 'Where should we send your code?'),
        (ch.prompts || []).map(function (d, i) {
          var id = name + '-' + i;
          return h('div', { class: 'lk-option' },
            h('input', { type: 'radio', id: id, name: name, value: d, checked: i === 0, 'data-testid': 'mfa-device-' + i }),
            h('label', { for: id }, d));
        }));
      get = function () {
        var c = fields.querySelector('input:checked');
        return c ? [c.value] : [];
      };
    } else if (ch.type === 'selections') {
      fields = (ch.prompts || []).map(function (p, i) {
        var name = self.id('sel-' + i);
        return h('fieldset', { class: 'lk-options' }, h('legend', null, p),
          ((ch.options || [])[i] || []).map(function (o, j) {
            var id = name + '-' + j;
            return h('div', { class: 'lk-option' },
              h('input', { type: 'radio', id: id, name: name, value: o, 'data-testid': 'mfa-selection-' + i + '-' + j }),
              h('label', { for: id }, o));
          }));
      });
      get = function () {
        return fields.map(function (fs) { var c = fs.querySelector('input:checked'); return c ? c.value : ''; });
      };
    } else if (ch.type === 'questions') {
      var qs = (ch.prompts || []).map(function (p, i) { return field(self, 'mfa-answer-' + i, p); });
      fields = qs.map(function (f) { return f.el; });
      get = function () { return qs.map(function (f) { return f.input.value; }); };
    } else {
      var code = field(this, 'mfa-code', 'Verification code', { inputmode: 'numeric', autocomplete: 'one-time-code' }, (ch.prompts || [])[0]);
      fields = code.el;
      get = function () { return [code.input.value]; };
    }
    var titles = { device: 'Verify your identity', selections: 'Answer a question', questions: 'Answer your security questions', code: 'Enter your verification code' };
    return {
      title: titles[ch.type] || titles.code,
      body: [
        errorText(sc),
        this.form(function () { return { type: 'submit_mfa', answers: get() }; }, fields, primary(ch.type === 'device' ? 'Send code' : 'Submit', 'mfa-submit')),
      ],
    };
  };

  // recaptcha: a sandbox password asked for a reCAPTCHA. linksim has no
  // Google widget: ticking the box is solving it.
  panes.recaptcha = function () {
    var box = h('input', { type: 'checkbox', id: this.id('robot'), 'data-testid': 'recaptcha-checkbox', required: true });
    var err = h('p', { class: 'lk-error', role: 'alert', hidden: true }, 'Tick the box to continue.');
    return {
      title: 'Verify you\u2019re not a robot',
      body: this.form(function () {
        if (!box.checked) { err.hidden = false; return null; }
        return { type: 'continue' };
      }, h('div', { class: 'lk-option' }, box, h('label', { for: box.id }, 'I\u2019m not a robot')), err,
      primary('Continue', 'recaptcha-continue')),
    };
  };

  // select_account is Plaid's Account Select as "Enabled for multiple
  // accounts" (one account in the flows that verify one by its numbers, as
  // Plaid's customization docs say): no account is picked in advance, so
  // the user — or a test — shares exactly the accounts they pick.
  panes.select_account = function (sc) {
    var multiple = !!sc.select_multiple;
    var name = this.id('account');
    var list = h('fieldset', { class: 'lk-options lk-accounts' },
      h('legend', null, multiple ? 'Select the accounts to share' : 'Select one account'),
      (sc.accounts || []).map(function (a, i) {
        var id = name + '-' + i;
        return h('div', { class: 'lk-option lk-account' },
          h('input', { type: multiple ? 'checkbox' : 'radio', id: id, name: name, value: a.id, 'data-testid': 'account-' + a.mask }),
          h('label', { for: id }, h('strong', null, a.name), h('span', null, a.subtype + ' \u2022\u2022' + a.mask)));
      }));
    var err = h('p', { class: 'lk-error', role: 'alert', hidden: true }, 'Select an account to continue.');
    return {
      title: multiple ? 'Select accounts' : 'Select an account',
      body: this.form(function () {
        var ids = Array.prototype.map.call(list.querySelectorAll('input:checked'), function (i) { return i.value; });
        if (!ids.length) { err.hidden = false; return null; }
        return { type: 'select_accounts', account_ids: ids };
      }, list, err, primary('Continue', 'accounts-continue')),
    };
  };

  // attempts tells how many tries are left after a wrong entry, unless the
  // error's own message already says so (the deposit code's does).
  function attempts(sc) {
    var said = sc.error && /remaining/.test(sc.error.display_message || '');
    return sc.attempts_left && sc.error && !said ? h('p', { class: 'lk-hint', 'data-testid': 'attempts-left' }, sc.attempts_left + (sc.attempts_left === 1 ? ' attempt' : ' attempts') + ' left') : null;
  }

  panes.numbers = function (sc) {
    var rn = field(this, 'routing', 'Routing number', { inputmode: 'numeric', maxlength: '9' }, '9 digits');
    var an = field(this, 'account', 'Account number', { inputmode: 'numeric', maxlength: '17' }, 'For the account ending in \u2022\u2022' + sc.account_mask);
    // Automated Micro-deposits asks the account holder's name on this pane
    // when the link token has no user.legal_name.
    var n = sc.ask_legal_name ? field(this, 'legal-name', 'Full legal name', { autocomplete: 'name' }, 'As it appears on your bank account') : null;
    return {
      title: 'Enter your account details',
      body: [
        errorText(sc), attempts(sc),
        this.form(function () {
          var action = { type: 'submit_numbers', routing_number: rn.input.value, account_number: an.input.value };
          if (n) action.legal_name = n.input.value;
          return action;
        }, rn.el, an.el, n ? n.el : null, primary('Continue', 'numbers-submit')),
      ],
    };
  };

  panes.routing_number = function (sc) {
    var rn = sc.canadian
      ? field(this, 'routing', 'Routing number', { inputmode: 'numeric', maxlength: '9', value: sc.routing_number || '' }, '0, then your 3-digit institution and 5-digit transit numbers')
      : field(this, 'routing', 'Routing number', { inputmode: 'numeric', maxlength: '9', value: sc.routing_number || '' }, '9 digits, at the bottom left of a check');
    return {
      title: 'Enter your routing number',
      body: [errorText(sc), this.form(function () { return { type: 'submit_routing_number', routing_number: rn.input.value }; }, rn.el, primary('Continue', 'routing-submit'))],
    };
  };

  panes.account_number = function (sc) {
    var an = field(this, 'account', 'Account number', { inputmode: 'numeric', maxlength: '17' }, '4 to 17 digits');
    var name = this.id('subtype');
    var types = h('fieldset', { class: 'lk-options lk-subtypes' },
      h('legend', null, 'Account type'),
      (sc.account_subtypes || []).map(function (t, i) {
        var id = name + '-' + t;
        return h('div', { class: 'lk-option' },
          h('input', { type: 'radio', id: id, name: name, value: t, checked: i === 0, 'data-testid': 'account-subtype-' + t }),
          h('label', { for: id }, h('strong', null, t.charAt(0).toUpperCase() + t.slice(1))));
      }));
    return {
      title: 'Enter your account number',
      body: [
        h('p', { class: 'lk-hint' }, 'Routing number ' + sc.routing_number),
        errorText(sc),
        this.form(function () {
          var picked = types.querySelector('input:checked');
          return { type: 'submit_account_number', account_number: an.input.value, account_subtype: picked ? picked.value : undefined };
        }, an.el, types, primary('Continue', 'account-submit')),
      ],
    };
  };

  // numbers_select_institution: the typed routing number belongs to a bank
  // the user can log in to (Reroute to Credentials). With OPTIONAL the
  // user may still go on typing numbers (manual_entry).
  panes.numbers_select_institution = function (sc) {
    var self = this;
    var banks = sc.reroute || [];
    var one = banks.length === 1;
    return {
      title: one ? 'Log in to ' + banks[0].name + '?' : 'Select your bank',
      body: [
        h('p', null, 'Routing number ' + sc.routing_number + (one ? ' belongs to ' + banks[0].name + '. ' : ' belongs to these banks. ') +
          'Logging in connects your account instantly.'),
        h('ul', { class: 'lk-results', 'data-testid': 'reroute-institutions', 'data-view-variant': sc.view_variant || '' },
          banks.map(function (ins) {
            return h('li', null, h('button', {
              type: 'button', class: 'lk-result', 'data-testid': 'reroute-institution-' + ins.institution_id,
              onclick: function () { self.send({ type: 'select_institution', institution_id: ins.institution_id }); },
            }, badge(ins), h('span', null, 'Log in to ' + ins.name)));
          })),
        sc.manual_entry ? h('div', { class: 'lk-manual' }, h('span', null, 'Rather not log in?'),
          secondary('Continue with account numbers', 'reroute-continue', function () { self.send({ type: 'continue' }); })) : null,
      ],
    };
  };

  panes.legal_name = function (sc) {
    var n = field(this, 'legal-name', 'Full legal name', { autocomplete: 'name', value: sc.legal_name || '' }, 'As it appears on your bank account');
    return {
      title: 'Enter your name',
      body: [errorText(sc), this.form(function () { return { type: 'submit_legal_name', legal_name: n.input.value }; }, n.el, primary('Continue', 'legal-name-submit'))],
    };
  };

  function statement(sc) {
    if (!sc.deposit) return null;
    return h('figure', { class: 'lk-statement', 'data-testid': 'deposit' },
      h('figcaption', null, 'Your bank statement (simulated) \u2022\u2022' + sc.account_mask),
      h('div', { class: 'lk-statement-row' },
        h('span', { 'data-testid': 'deposit-description' }, sc.deposit.description),
        h('span', null, money(sc.deposit.amount))));
  }

  panes.deposit_authorized = function (sc) {
    return {
      title: 'Deposit on its way',
      body: [
        h('p', null, 'We\u2019ll send ' + money(sc.deposit ? sc.deposit.amount : 0.01) + ' to your account ending in \u2022\u2022' + sc.account_mask +
          ' within 1\u20132 business days. Come back and enter the 3-letter code in its description to finish.'),
        statement(sc),
        this.form(function () { return { type: 'continue' }; }, primary('Continue', 'deposit-continue')),
      ],
    };
  };

  panes.code = function (sc) {
    var c = field(this, 'code', 'Code from the deposit', { maxlength: '4', autocomplete: 'one-time-code', autocapitalize: 'characters' }, 'The 3 letters after # in the description');
    return {
      title: 'Enter the code from your deposit',
      body: [
        h('p', null, 'Look for a ' + money(sc.deposit ? sc.deposit.amount : 0.01) + ' deposit in your account ending in \u2022\u2022' + sc.account_mask + '.'),
        statement(sc),
        errorText(sc), attempts(sc),
        this.form(function () { return { type: 'submit_code', code: c.input.value }; }, c.el, primary('Verify', 'code-submit')),
      ],
    };
  };

  panes.connected = function (sc) {
    var self = this;
    return {
      title: 'Success',
      body: [
        h('div', { class: 'lk-check', 'aria-hidden': 'true' }, '\u2713'),
        h('p', null, 'Your account' + ((sc.accounts || []).length > 1 ? 's are' : ' is') + ' connected to ' + sc.client_name + '.'),
        h('ul', { class: 'lk-connected' }, (sc.accounts || []).map(function (a) {
          return h('li', null, h('strong', null, a.name), h('span', null, '\u2022\u2022' + a.mask));
        })),
        // Multi-Item Link: the banks added before, and another one.
        sc.linked ? h('p', null, 'Also connected: ' + sc.linked.map(function (i) { return i.name; }).join(', ') + '.') : null,
        sc.add_another ? secondary('Add another account', 'connected-add-another', function () { self.send({ type: 'add_another' }); }) : null,
        this.form(function () { return { type: 'continue' }; }, primary('Continue', 'connected-continue')),
      ],
    };
  };

  panes.error = function (sc) {
    var self = this;
    var e = sc.error || {};
    return {
      title: 'Something went wrong',
      body: [
        h('p', { class: 'lk-error', role: 'alert', 'data-testid': 'pane-error-message' }, e.display_message || e.error_message || 'An error occurred.'),
        h('p', { class: 'lk-code' }, e.error_code || ''),
        sc.can_retry ? this.form(function () { return { type: 'retry' }; }, primary('Try again', 'error-retry')) : null,
        sc.manual_entry ? secondary('Link with account numbers', 'manual-entry', function () { self.send({ type: 'manual_entry' }); }) : null,
        secondary('Exit', 'error-exit', function () { self.send({ type: 'exit' }); }),
      ],
    };
  };

  panes.exit = function (sc) {
    var self = this;
    return {
      title: 'Are you sure you want to exit?',
      body: [
        h('p', null, 'Your progress will be lost.'),
        this.form(function () { return { type: 'cancel_exit' }; }, primary('Return to Link', 'exit-cancel')),
        sc.manual_entry ? secondary('Link with account numbers', 'manual-entry', function () { self.send({ type: 'manual_entry' }); }) : null,
        secondary('Yes, exit', 'exit-confirm', function () { self.send({ type: 'confirm_exit' }); }),
      ],
    };
  };

  panes.done = function () {
    return { title: '', body: null };
  };

  // ---------------------------------------------------------------- handler

  // Handler is what Plaid.create returns.
  // eventDelivery returns how a handler delivers onEvent: 'realtime' (the
  // default: each event as it happens, before onSuccess / onExit) or
  // 'batched' (as Plaid's web SDK may: OPEN at once, every later event held
  // until the session ends and then delivered after onSuccess / onExit, an
  // order Plaid leaves unguaranteed). The handler's linksimEvents option
  // wins over the page's data-linksim-events / LINKSIM_EVENTS, which wins
  // over the server's -events flag. An unknown value is reported on the
  // console and ignored.
  function eventDelivery(config) {
    var choices = [config.linksimEvents, pageEvents];
    for (var i = 0; i < choices.length; i++) {
      var v = choices[i];
      if (v === undefined || v === null || v === '') continue;
      if (EVENT_DELIVERY_MODES.indexOf(String(v)) >= 0) return String(v);
      console.error('linksim: event delivery ' + JSON.stringify(String(v)) + ' is not one of ' + EVENT_DELIVERY_MODES.join(', ') + '; using real time');
    }
    return 'realtime';
  }

  // realTimeEvents are the events Plaid's web SDK fires as they happen in
  // every mode (LAYER_READY and LAYER_AUTOFILL_NOT_AVAILABLE, the others
  // Plaid names, never occur in Auth flows).
  var realTimeEvents = ['OPEN'];

  // linkTokenOf reads the token Plaid.create was given as a string ('' when
  // missing, flowcore then refuses it as INVALID_LINK_TOKEN); it returns
  // null when the value cannot be read as one (its conversion throws).
  function linkTokenOf(config) {
    try {
      var t = config.token;
      return t === undefined || t === null ? '' : String(t);
    } catch (e) {
      return null;
    }
  }

  // configOf copies the config Plaid.create was given, so that a config
  // object whose getters throw or change later cannot break Link.
  function configOf(config) {
    var out = {};
    ['token', 'onSuccess', 'onExit', 'onEvent', 'onLoad', 'receivedRedirectUri', 'linksimEvents', 'linksimHostedLink'].forEach(function (k) {
      try {
        if (config && config[k] !== undefined) out[k] = config[k];
      } catch (e) { /* an unreadable option is left out */ }
    });
    return out;
  }

  function Handler(config) {
    this.config = configOf(config);
    this.token = linkTokenOf(this.config);
    this.events = eventDelivery(this.config);
    this.heldEvents = [];
    this.loaded = false;
    this.openQueued = false;
    this.destroyed = false;
    this.session = null;
    this.linkSessionID = null;
    this.ui = null;
    this.starting = false;
    this.pendingExit = null; // {force}: exit() asked while starting or mid-action
    var self = this;
    driver().then(function (d) {
      if (self.destroyed) return;
      self.driver = d;
      self.loaded = true;
      call(self.config.onLoad, []);
      if (self.openQueued) {
        self.openQueued = false;
        self.open();
      }
    }, function (e) {
      if (self.destroyed) return;
      self.loadError = plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR', String(e && e.message || e));
      if (self.openQueued) {
        self.openQueued = false;
        self.finishExit(self.loadError, exitMetadata(null, ''));
      }
    });
  }

  Handler.prototype.open = function () {
    if (this.destroyed || this.ui || this.starting) return;
    if (this.loadError) {
      this.finishExit(this.loadError, exitMetadata(null, ''));
      return;
    }
    if (!this.loaded) { this.openQueued = true; return; }
    if (this.token === null) {
      this.finishExit(plaidError('INVALID_INPUT', 'INVALID_LINK_TOKEN', 'the link token could not be read as a string'), exitMetadata(null, ''));
      return;
    }
    var self = this;
    this.starting = true;
    this.pendingExit = null;
    var resume = this.config.receivedRedirectUri !== undefined && this.config.receivedRedirectUri !== null;
    var started = resume ? this.driver.resumeSession(this.token, this.config.receivedRedirectUri) : this.driver.startSession(this.token);
    started.then(function (r) {
      self.starting = false;
      if (self.destroyed) { self.driver.closeSession(r.session); return; }
      if (self.pendingExit) {
        // exit() came while the session was starting: end it unseen.
        self.pendingExit = null;
        self.driver.closeSession(r.session);
        call(self.config.onExit, [null, exitMetadata(r.linkSessionID, '')]);
        return;
      }
      self.session = r.session;
      self.linkSessionID = r.linkSessionID;
      // linksim's hosted page learns its token's hosted_link from the server.
      if (r.hostedLink) call(self.config.linksimHostedLink, [r.hostedLink]);
      self.ui = new LinkUI(self, r.step.screen);
      self.ui.showLoading();
      self.deliver(r.step);
      if (self.ui && !r.step.screen.pane) self.ui.send({ type: 'open' });
    }, function (err) {
      self.starting = false;
      self.pendingExit = null;
      if (self.destroyed) return;
      // A missing, unknown or expired token: onExit, as Link does; on the
      // redirect page, Plaid's OAuth errors, with status requires_oauth.
      err = toPlaidError(err);
      var md = exitMetadata(null, err.request_id);
      if (resume) md.status = 'requires_oauth';
      self.finishExit(err, md);
    }).catch(function (err) {
      // A bug while showing the first pane: end the session, never hang.
      console.error(err);
      if (!self.destroyed) self.fail(err);
    });
  };

  // fail ends a session that cannot go on (its first action was refused):
  // the modal closes and onExit reports the error.
  Handler.prototype.fail = function (err) {
    var session = this.session, linkSessionID = this.linkSessionID;
    if (session !== null && this.driver) this.driver.closeSession(session);
    this.close();
    err = toPlaidError(err);
    call(this.config.onExit, [err, exitMetadata(linkSessionID, err.request_id)]);
    this.flushEvents();
  };

  // exitAfterAction remembers an exit asked for while the session starts
  // or an action is in flight; a forced one wins over one that is not.
  Handler.prototype.exitAfterAction = function (force) {
    this.pendingExit = { force: force || !!(this.pendingExit && this.pendingExit.force) };
  };

  // actionSettled runs the exit asked for while an action was in flight,
  // unless that action ended the session.
  Handler.prototype.actionSettled = function () {
    var p = this.pendingExit;
    this.pendingExit = null;
    if (!p || this.destroyed || !this.ui || this.session === null) return;
    if (p.force) this.ui.send({ type: 'exit', force: true });
    else this.ui.requestExit();
  };

  // act sends one action and delivers the step it returns.
  Handler.prototype.act = function (action) {
    var self = this;
    if (this.session === null) return Promise.resolve();
    return this.driver.act(this.session, action).then(function (step) {
      if (self.destroyed) return;
      self.deliver(step);
    });
  };

  // deliver calls onEvent for each event in order, then renders the pane
  // or ends the session with onSuccess / onExit.
  // In batched mode (see eventDelivery) only OPEN goes out at once; the
  // rest wait for the end of the session.
  Handler.prototype.deliver = function (step) {
    var self = this;
    (step.events || []).forEach(function (ev) {
      if (self.events === 'batched' && realTimeEvents.indexOf(ev.eventName) < 0) {
        self.heldEvents.push(ev);
        return;
      }
      call(self.config.onEvent, [ev.eventName, ev.metadata]);
    });
    if (step.success) {
      this.close();
      call(this.config.onSuccess, [step.success.public_token, step.success.metadata]);
      this.flushEvents();
      return;
    }
    if (step.exit) {
      this.close();
      call(this.config.onExit, [step.exit.error || null, step.exit.metadata]);
      this.flushEvents();
      return;
    }
    if (this.ui && step.screen && step.screen.pane) this.ui.render(step.screen);
    if (this.ui && step.screen && step.screen.oauth && step.screen.oauth.open) this.launchOAuth(step.screen);
  };

  // bankURL is linksim's bank page for an OAuth state: the page Link opens
  // as the bank's OAuth page.
  Handler.prototype.bankURL = function (sc) {
    var q = new URLSearchParams({ oauth_state_id: sc.oauth.oauth_state_id, institution: (sc.institution || {}).name || '', client: sc.client_name });
    if (sc.oauth.redirect_uri) q.set('redirect_uri', sc.oauth.redirect_uri);
    if (this.driver.kind === 'http') q.set('server', this.driver.server);
    return base + 'oauth.html?' + q.toString();
  };

  // prepareOAuth runs in the click on "Continue to <bank>": without a
  // redirect_uri the bank opens in a pop-up, and a browser lets a page
  // open one only in a user's click, so it opens now, empty.
  Handler.prototype.prepareOAuth = function (sc) {
    if (sc.oauth && !sc.oauth.redirect_uri) this.popup = window.open('', 'linksim-oauth', 'popup,width=480,height=640');
  };

  // launchOAuth sends the user to the bank's page: through the app's
  // redirect_uri (this page is left; the session waits for the redirect
  // page's Plaid.create({token, receivedRedirectUri})), or in the pop-up,
  // whose answer comes back by postMessage. A pop-up closed without an
  // answer is CLOSE_OAUTH; one the browser refused, FAIL_OAUTH.
  Handler.prototype.launchOAuth = function (sc) {
    var state = sc.oauth.oauth_state_id, url = this.bankURL(sc), self = this;
    if (sc.oauth.redirect_uri) {
      this.driver.leaveForOAuth(this.session, state);
      window.location.assign(url);
      return;
    }
    var w = this.popup, watch = null;
    this.popup = null;
    function answer(result) {
      window.removeEventListener('message', onMessage);
      clearInterval(watch);
      if (w && !w.closed) w.close();
      if (self.ui && self.session !== null) self.ui.send({ type: 'oauth_result', oauth_state_id: state, oauth_result: result });
    }
    function onMessage(e) {
      var d = e.data;
      if (e.source === w && d && d.linksimOAuth && d.oauth_state_id === state) answer(d.result === 'approved' ? 'approved' : 'denied');
    }
    if (!w || w.closed) { setTimeout(function () { answer('failed'); }, 0); return; }
    window.addEventListener('message', onMessage);
    watch = setInterval(function () {
      if (!self.ui || self.session === null) { clearInterval(watch); window.removeEventListener('message', onMessage); return; }
      if (w.closed) answer('closed');
    }, 250);
    w.location.href = url;
  };

  // flushEvents delivers the events batched mode held, in the order they
  // happened, once the session has ended.
  Handler.prototype.flushEvents = function () {
    var held = this.heldEvents;
    this.heldEvents = [];
    for (var i = 0; i < held.length; i++) call(this.config.onEvent, [held[i].eventName, held[i].metadata]);
  };

  Handler.prototype.finishExit = function (err, metadata) {
    var fn = this.config.onExit;
    later(function () { call(fn, [err, metadata]); });
  };

  Handler.prototype.close = function () {
    this.pendingExit = null;
    this.linkSessionID = null;
    if (this.ui) {
      this.ui.remove();
      this.ui = null;
    }
    this.session = null;
    // Embedded Institution Search stays in the page: its tiles start a
    // fresh session on the same token for the next pick.
    if (this.embedded && !this.destroyed) this.embedded.start();
  };

  // exit closes Link from the app: with force at once (onExit follows),
  // without it through the exit confirmation. Whatever Link is doing, the
  // request is kept: an open() still queued before onLoad is cancelled
  // (onExit), a session still starting ends unseen (onExit), and an action
  // in flight settles first.
  Handler.prototype.exit = function (opts) {
    if (this.destroyed) return;
    var force = !!(opts && opts.force);
    if (this.openQueued) {
      this.openQueued = false;
      this.finishExit(null, exitMetadata(null, ''));
      return;
    }
    if (this.starting) { this.exitAfterAction(force); return; }
    if (!this.ui || this.session === null) return;
    if (this.ui.busy) { this.exitAfterAction(force); return; }
    if (force) this.ui.send({ type: 'exit', force: true });
    else this.ui.requestExit();
  };

  Handler.prototype.destroy = function () {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.embedded) this.embedded.remove();
    this.openQueued = false;
    this.heldEvents = []; // a destroyed handler calls nothing back
    this.pendingExit = null;
    if (this.session !== null && this.driver) this.driver.closeSession(this.session);
    this.close();
  };

  // submit is part of Plaid's handler (phone numbers for returning users);
  // Auth flows do not use it.
  Handler.prototype.submit = function () {};

  function publicHandler(hd) {
    return {
      open: function () { hd.open(); },
      exit: function (opts) { hd.exit(opts); },
      destroy: function () { hd.destroy(); },
      submit: function (data) { hd.submit(data); },
    };
  }

  // ---------------------------------------------------------------- embedded

  // Embedded is Embedded Institution Search (Plaid.createEmbedded): bank
  // tiles and a search box drawn inside the app's own element, on a session
  // flowcore keeps in its embedded pane with Link still closed. A pick (or
  // Connect Manually) opens the Link modal on that same session; when it
  // ends, the tiles start a fresh session for the next pick.
  function Embedded(hd, target) {
    this.hd = hd;
    this.target = target;
    this.root = h('div', { class: 'lk-embedded', role: 'region', 'aria-label': 'Connect a bank account', 'data-testid': 'embedded-search' });
    this.status = h('p', { class: 'lk-embedded-status', role: 'status' });
    this.root.appendChild(this.status);
    target.appendChild(this.root);
    this.searchTimer = null;
    this.busy = false;
  }

  // start opens a session in the embedded pane and draws its tiles; a token
  // Link cannot start with ends in onExit, as open() does.
  Embedded.prototype.start = function () {
    var self = this, hd = this.hd;
    this.status.textContent = 'Loading banks\u2026';
    driver().then(function (d) {
      if (hd.destroyed) return null;
      hd.driver = d;
      if (hd.token === null) throw plaidError('INVALID_INPUT', 'INVALID_LINK_TOKEN', 'the link token could not be read as a string');
      return d.startSession(hd.token).then(function (r) {
        if (hd.destroyed) { d.closeSession(r.session); return null; }
        hd.session = r.session;
        hd.linkSessionID = r.linkSessionID;
        return d.act(r.session, { type: 'open_embedded' }).then(function (step) {
          if (!hd.destroyed) self.render(step.screen);
        }, function (err) {
          d.closeSession(r.session);
          hd.session = null;
          throw err;
        });
      });
    }).catch(function (err) {
      if (hd.destroyed) return;
      err = toPlaidError(err);
      self.status.textContent = 'Link could not start: ' + (err.display_message || err.error_message || err.error_code);
      self.status.setAttribute('role', 'alert');
      hd.finishExit(err, exitMetadata(null, err.request_id || ''));
    });
  };

  Embedded.prototype.render = function (sc) {
    var self = this;
    this.screen = sc;
    this.status.textContent = '';
    if (!this.form) {
      var input = h('input', { type: 'search', class: 'lk-input', id: 'lk-embedded-search-' + (++instances), placeholder: 'Search', autocomplete: 'off', 'data-testid': 'embedded-search-input' });
      input.addEventListener('input', function () {
        clearTimeout(self.searchTimer);
        self.searchTimer = setTimeout(function () { self.search(input.value); }, 300);
      });
      this.input = input;
      this.form = h('form', { role: 'search', onsubmit: function (e) { e.preventDefault(); clearTimeout(self.searchTimer); self.search(input.value); } },
        h('label', { for: input.id, class: 'lk-label' }, 'Search for your bank'), input);
      this.list = h('ul', { class: 'lk-tiles', 'aria-label': 'Banks', 'aria-live': 'polite' });
      this.manual = h('div', { class: 'lk-embedded-manual' });
      this.root.insertBefore(this.form, this.status);
      this.root.appendChild(this.list);
      this.root.appendChild(this.manual);
    }
    theme(this.root, sc);
    var banks = sc.query ? (sc.results || []) : (sc.popular || []);
    this.list.replaceChildren.apply(this.list, banks.map(function (ins) {
      return h('li', null, h('button', {
        type: 'button', class: 'lk-tile', 'data-testid': 'embedded-institution-' + ins.institution_id,
        onclick: function () { self.pick({ type: 'select_institution', institution_id: ins.institution_id }); },
      }, badge(ins), h('span', null, ins.name)));
    }));
    if (!banks.length) this.list.appendChild(h('li', { class: 'lk-hint' }, sc.query ? 'No results for \u201c' + sc.query + '\u201d' : 'No banks to show'));
    this.manual.replaceChildren();
    if (sc.manual_entry) {
      this.manual.appendChild(h('button', { type: 'button', class: 'lk-secondary', 'data-testid': 'embedded-manual-entry',
        onclick: function () { self.pick({ type: 'manual_entry' }); } }, 'Connect Manually'));
    }
  };

  Embedded.prototype.search = function (query) {
    var self = this, hd = this.hd;
    if (hd.session === null || hd.ui || !hd.driver) return;
    hd.driver.act(hd.session, { type: 'search', query: query }).then(function (step) {
      if (!hd.destroyed && !hd.ui && self.input.value === query) self.render(step.screen);
    }, function (err) { console.error(toPlaidError(err)); });
  };

  // pick opens the Link modal on the session and sends the user's choice.
  Embedded.prototype.pick = function (action) {
    var hd = this.hd;
    if (hd.session === null || hd.ui || this.busy) return;
    clearTimeout(this.searchTimer);
    this.busy = true;
    var self = this;
    hd.ui = new LinkUI(hd, this.screen);
    hd.ui.send(action).then(function () { self.busy = false; }, function () { self.busy = false; });
  };

  Embedded.prototype.remove = function () {
    clearTimeout(this.searchTimer);
    if (this.root.parentNode) this.root.parentNode.removeChild(this.root);
  };

  // ---------------------------------------------------------------- in-page API

  // apiMethods are Plaid's endpoints by the names of Plaid's Node client
  // (plaid-node's PlaidApi); each takes the endpoint's request body
  // (client_id and secret may be left out) and returns a Promise of
  // Plaid's response body, rejected with Plaid's error object.
  var apiMethods = {
    linkTokenCreate: '/link/token/create',
    linkTokenGet: '/link/token/get',
    itemPublicTokenExchange: '/item/public_token/exchange',
    authGet: '/auth/get',
    accountsGet: '/accounts/get',
    accountsBalanceGet: '/accounts/balance/get',
    identityMatch: '/identity/match',
    itemGet: '/item/get',
    itemRemove: '/item/remove',
    institutionsGet: '/institutions/get',
    institutionsGetById: '/institutions/get_by_id',
    institutionsSearch: '/institutions/search',
    sandboxPublicTokenCreate: '/sandbox/public_token/create',
    sandboxItemSetVerificationStatus: '/sandbox/item/set_verification_status',
    sandboxItemResetLogin: '/sandbox/item/reset_login',
    sandboxItemFireWebhook: '/sandbox/item/fire_webhook',
  };

  // installAPI adds the in-page API to Plaid.linksim: call(path, body),
  // one method per endpoint, createLinkToken (linkTokenCreate's short
  // name) and advanceClock(seconds). It runs on whichever driver loads:
  // flowcore in this page, or the linksim server that served this file
  // (reachable from pages of its own origin).
  function installAPI(api) {
    api.call = function (path, body) {
      return driver().then(function (d) { return d.call(path, body); }).catch(function (e) { throw toPlaidError(e); });
    };
    Object.keys(apiMethods).forEach(function (name) {
      api[name] = function (body) { return api.call(apiMethods[name], body); };
    });
    api.createLinkToken = api.linkTokenCreate;
    // flowGraph({config, institution_id | routing_number, password?}):
    // the panes and transitions flowcore's rules give that config and
    // bank, and the path a user who answers right takes.
    api.flowGraph = function (body) {
      return driver().then(function (d) { return d.flowGraph(body); }).catch(function (e) { throw toPlaidError(e); });
    };
    api.advanceClock = function (seconds) {
      return driver().then(function (d) { return d.advanceClock(Number(seconds)); }).catch(function (e) { throw toPlaidError(e); });
    };
  }

  var Plaid = window.Plaid || {};
  Plaid.create = function (config) {
    return publicHandler(new Handler(config));
  };
  // createEmbedded draws Embedded Institution Search in target (an element
  // the app sized; Plaid recommends 350x300 or more) and returns
  // {destroy}, as react-plaid-link's PlaidEmbeddedLink expects.
  Plaid.createEmbedded = function (config, target) {
    var hd = new Handler(config);
    if (!target || typeof target.appendChild !== 'function') {
      hd.destroy();
      throw new TypeError('Plaid.createEmbedded needs the element to draw in');
    }
    hd.embedded = new Embedded(hd, target);
    hd.embedded.start();
    return { destroy: function () { hd.destroy(); } };
  };
  Plaid.version = 'linksim';
  Plaid.linksim = {
    base: base,
    server: useWasm ? '' : server,
    driver: driver,
  };
  installAPI(Plaid.linksim);
  window.Plaid = Plaid;

  driver(); // start loading flowcore now, so onLoad comes as early as it can
})();
