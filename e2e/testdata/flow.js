// instantAuthFlow drives a whole Instant Auth flow on the demo page with
// the DOM events a user's clicks and typing make, and resolves with the
// milliseconds it took, from "Open Link" to onSuccess.
window.instantAuthFlow = async () => {
  const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
  const tick = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = r; c.port2.postMessage(0); });
  const until = async (f) => { for (let i = 0; i < 200000; i++) { if (f()) return; await tick(); } throw new Error('timed out'); };
  const inPane = (p) => () => { const d = $('link-dialog'); return d && d.dataset.pane === p && !d.hasAttribute('aria-busy'); };
  const type = (id, v) => { const el = $(id); el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); return el; };
  window.linksimDemo.success = null;
  const t0 = performance.now();
  $('open-link').click();
  await until(inPane('consent'));
  $('consent-continue').click();
  await until(inPane('search'));
  type('search-input', 'platypus').form.requestSubmit();
  await until(() => inPane('search')() && $('institution-ins_109508'));
  $('institution-ins_109508').click();
  await until(inPane('credentials'));
  type('username-input', 'user_good');
  type('password-input', 'pass_good');
  $('credentials-submit').click();
  await until(inPane('select_account'));
  document.querySelectorAll('[data-testid="link-dialog"] input[type=checkbox]').forEach((c) => c.click()); // share every account
  $('accounts-continue').click();
  await until(inPane('connected'));
  $('connected-continue').click();
  await until(() => window.linksimDemo.success !== null);
  return performance.now() - t0;
};
