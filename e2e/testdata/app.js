// A host page written for Plaid's link-initialize.js. It records every
// callback, in order, per handler, for the tests to read.
window.calls = [];
window.record = (who) => ({
  onLoad: () => window.calls.push([who, 'onLoad']),
  onEvent: (name, md) => window.calls.push([who, 'onEvent', name, md.view_name]),
  onSuccess: (token, md) => window.calls.push([who, 'onSuccess', token, md]),
  onExit: (err, md) => window.calls.push([who, 'onExit', err, md]),
});

// Open before Link has loaded: the call must be queued until onLoad.
const early = Plaid.create(Object.assign({ token: 'link-sandbox-does-not-exist' }, window.record('early')));
window.calls.push(['early', 'create returned']);
early.open();
window.calls.push(['early', 'open returned']);
window.early = early;
