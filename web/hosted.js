// Hosted Link: linksim's stand-in for the page a hosted_link_url opens.
// It reads the link token from the URL, opens Link for it, and when Link
// closes says so in plain words, then goes to the token's
// completion_redirect_uri if it has one. That URI comes from the server
// with the session (the token's own config), never from this page's URL,
// so no URL makes this page send a user elsewhere. What the session did is
// on the server: the app's backend reads it from /link/token/get's
// link_sessions.

const status = document.getElementById('hosted-status');
const params = new URLSearchParams(window.location.search);
let completionRedirectURI = '';

// redirectTarget is the token's completion_redirect_uri, unless it is not
// an http(s) URL (the server refuses those when the token is made).
function redirectTarget() {
  const uri = completionRedirectURI;
  if (!uri) return '';
  try {
    const scheme = new URL(uri, window.location.href).protocol;
    return scheme === 'http:' || scheme === 'https:' ? uri : '';
  } catch (e) {
    return '';
  }
}

function finish(text, state) {
  status.textContent = text;
  document.body.dataset.result = state;
  const target = redirectTarget();
  if (target) window.location.assign(target);
}

const token = params.get('link_token');
if (!token) {
  finish('This link is missing its link token.', 'error');
} else if (!window.Plaid) {
  finish('Link could not be loaded.', 'error');
} else {
  const handler = window.Plaid.create({
    token,
    onLoad: () => handler.open(),
    linksimHostedLink: (hl) => { completionRedirectURI = String((hl && hl.completion_redirect_uri) || ''); },
    onSuccess: () => finish('You can close this window.', 'success'),
    onExit: (err) => finish(err ? 'Link closed with an error (' + err.error_code + '). You can close this window.'
      : 'You can close this window.', 'exit'),
  });
}
