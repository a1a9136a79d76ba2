// flowgraph.js draws the graph flowcore returns for a config and a bank
// (Plaid.linksim.flowGraph) as SVG: the panes on the right path down the
// middle, the others beside the pane that leads to them, wrong entries as
// loops. It builds elements, never markup, and sets no style attributes,
// so it runs under a strict Content-Security-Policy; the look comes from
// the lsg-* classes of the page's (or shadow root's) stylesheet.

const SVG = 'http://www.w3.org/2000/svg';

// paneLabels names each pane as a reader of the diagram knows it.
export const paneLabels = {
  embedded: 'Bank tiles',
  consent: 'Consent',
  select_auth_type: 'Auth type',
  search: 'Select bank',
  credentials: 'Log in',
  oauth: 'Log in at the bank',
  recaptcha: 'reCAPTCHA',
  mfa: 'MFA',
  select_account: 'Select account',
  numbers: 'Account numbers',
  routing_number: 'Routing number',
  account_number: 'Account number',
  legal_name: 'Legal name',
  numbers_select_institution: 'Log in instead?',
  deposit_authorized: 'Deposit sent',
  code: 'Deposit code',
  connected: 'Connected',
  error: 'Error',
  exit: 'Exit?',
  on_success: 'onSuccess',
  on_exit: 'onExit',
};

function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const X = 24;    // x of the path's column (room for edges going back up)
const W = 132;   // node width
const SW = 112;  // a side node's width
const H = 26;    // node height
const GAP = 12;  // between rows
const SIDE = X + W + 34; // x of the side column

// layout places the path's panes in one column and every other node in a
// side column, level with the first node that leads to it.
function layout(graph) {
  const pos = new Map();
  let row = 0;
  for (const id of graph.path) {
    if (!pos.has(id)) pos.set(id, { x: X, y: 8 + row++ * (H + GAP), w: W, main: true });
  }
  const sideRows = new Set();
  for (const n of graph.nodes) {
    if (pos.has(n.id)) continue;
    const from = graph.edges.find((e) => e.to === n.id && pos.has(e.from));
    let r = from ? Math.round((pos.get(from.from).y - 8) / (H + GAP)) : row;
    while (sideRows.has(r)) r++;
    sideRows.add(r);
    pos.set(n.id, { x: SIDE, y: 8 + r * (H + GAP), w: SW, main: false });
    row = Math.max(row, r + 1);
  }
  let right = 0;
  for (const p of pos.values()) right = Math.max(right, p.x + p.w);
  return { pos, height: 8 + row * (H + GAP), width: right + 28 }; // room for the loops
}

// render returns an <svg> for graph; its nodes carry data-node (the pane)
// and data-view, its edges data-from / data-to, for light() and tests.
export function render(graph, title) {
  const { pos, height, width } = layout(graph);
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${Math.max(height, H + 16)}`, width, height: Math.max(height, H + 16), class: 'lsg', role: 'img',
    'aria-label': title || `Link flow: ${graph.path.map((p) => paneLabels[p] || p).join(', then ')}`,
  });
  const defs = el('defs');
  const marker = el('marker', { id: `lsg-arrow-${Math.random().toString(36).slice(2)}`, viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
  marker.append(el('path', { d: 'M0,0 L8,4 L0,8 z', class: 'lsg-arrowhead' }));
  defs.append(marker);
  svg.append(defs);
  const arrow = `url(#${marker.id})`;
  const edges = el('g', { class: 'lsg-edges' });
  for (const e of graph.edges) {
    const a = pos.get(e.from), b = pos.get(e.to);
    if (!a || !b) continue;
    let d;
    if (e.from === e.to) { // a wrong entry: a loop on the node's right
      const x = a.x + a.w, y = a.y + H / 2;
      d = `M${x},${y - 6} C${x + 22},${y - 16} ${x + 22},${y + 16} ${x},${y + 6}`;
    } else if (a.x === b.x && b.y > a.y) {
      d = `M${a.x + a.w / 2},${a.y + H} L${b.x + b.w / 2},${b.y}`;
    } else if (a.x === b.x) { // back up the same column
      const x = a.x + (a.main ? 0 : a.w);
      const bend = a.main ? -18 : 18;
      d = `M${x},${a.y + H / 2} C${x + bend},${a.y + H / 2} ${x + bend},${b.y + H / 2} ${x},${b.y + H / 2}`;
    } else { // across columns
      const fromRight = b.x > a.x;
      const x1 = fromRight ? a.x + a.w : a.x, x2 = fromRight ? b.x : b.x + b.w;
      const mid = (x1 + x2) / 2;
      d = `M${x1},${a.y + H / 2} C${mid},${a.y + H / 2} ${mid},${b.y + H / 2} ${x2},${b.y + H / 2}`;
    }
    const path = el('path', { d, class: 'lsg-edge' + (e.on_path ? ' lsg-on-path' : ''), 'marker-end': arrow, 'data-from': e.from, 'data-to': e.to });
    path.append(el('title', {}, e.label));
    edges.append(path);
  }
  svg.append(edges);
  const nodes = el('g', { class: 'lsg-nodes' });
  const views = new Map(graph.nodes.map((n) => [n.id, n.view || '']));
  for (const [id, p] of pos) {
    const end = id === 'on_success' || id === 'on_exit';
    const g = el('g', { class: 'lsg-node' + (p.main ? ' lsg-on-path' : '') + (end ? ' lsg-end' : ''), 'data-node': id, 'data-view': views.get(id) || '' });
    g.append(el('rect', { x: p.x, y: p.y, width: p.w, height: H, rx: end ? H / 2 : 6 }));
    g.append(el('text', { x: p.x + 10, y: p.y + H / 2 + 4, class: 'lsg-label' }, paneLabels[id] || id));
    if (views.get(id)) g.append(el('title', {}, `view ${views.get(id)}`));
    nodes.append(g);
  }
  svg.append(nodes);
  return svg;
}

// light marks where the live session is: the current pane, and every pane
// and transition it has passed.
export function light(svg, visited) {
  if (!svg) return;
  const seen = new Set(visited);
  const current = visited[visited.length - 1];
  for (const g of svg.querySelectorAll('.lsg-node')) {
    g.classList.toggle('lsg-visited', seen.has(g.dataset.node));
    g.classList.toggle('lsg-current', g.dataset.node === current);
  }
  const steps = new Set();
  for (let i = 1; i < visited.length; i++) steps.add(visited[i - 1] + '>' + visited[i]);
  for (const p of svg.querySelectorAll('.lsg-edge')) {
    p.classList.toggle('lsg-visited', steps.has(p.dataset.from + '>' + p.dataset.to));
  }
}

// watchPanes calls onPane with each pane the Link dialog shows (its
// data-pane), until the function it returns is called.
export function watchPanes(onPane) {
  const look = () => {
    const d = document.querySelector('[data-testid="link-dialog"]');
    const pane = d && d.dataset.pane;
    if (pane && pane !== 'loading' && pane !== 'done') onPane(pane);
  };
  const observer = new MutationObserver(look);
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-pane'] });
  return () => observer.disconnect();
}
