// Hosted Link: linksim's stand-in for the page a hosted_link_url opens.
// It reads the link token from the URL, opens Link for it, and when Link
// closes says so in plain words. What the session did is on the server:
// the app's backend reads it from /link/token/get's link_sessions.

const status = document.getElementById('hosted-status');

function show(text, state) {
  status.textContent = text;
  document.body.dataset.result = state;
}

const token = new URLSearchParams(window.location.search).get('link_token');
if (!token) {
  show('This link is missing its link token.', 'error');
} else if (!window.Plaid) {
  show('Link could not be loaded.', 'error');
} else {
  const handler = window.Plaid.create({
    token,
    onLoad: () => handler.open(),
    onSuccess: () => show('You can close this window.', 'success'),
    onExit: (err) => show(err ? 'Link closed with an error (' + err.error_code + '). You can close this window.'
      : 'You can close this window.', 'exit'),
  });
}
