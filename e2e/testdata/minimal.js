// The usual way to start a Go WebAssembly program: wasm_exec.js, then
// instantiateStreaming, then go.run. readyAt is when Go said it was ready.
window.goReady = () => { window.readyAt = performance.now(); };
const s = document.createElement('script');
s.src = 'wasm_exec.js';
s.onload = () => {
  const go = new Go();
  WebAssembly.instantiateStreaming(fetch('minimal.wasm'), go.importObject).then((r) => go.run(r.instance));
};
document.head.appendChild(s);
