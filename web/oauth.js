// oauth.js: linksim's sample bank authorization page, what Link opens as an
// OAuth bank's own page (like Plaid's sandbox "Platypus" OAuth page: any
// credentials, or none, work). Link gives it, in its query: the
// oauth_state_id, the bank's and the app's names, and, in the redirect flow,
// the app's redirect_uri and, when a linksim server runs the session, the
// server. Approve or Deny is the bank's answer:
// - in a pop-up (no redirect_uri), it goes back to the page that opened it
//   by postMessage, and Link closes this window;
// - in the redirect flow, it is recorded (with the server, or in this
//   origin's localStorage for an in-page Link) and the browser goes to
//   redirect_uri?oauth_state_id=…, where the app initializes Link again.
(function () {
  'use strict';
  var q = new URLSearchParams(window.location.search);
  var state = q.get('oauth_state_id') || '';
  var redirect = q.get('redirect_uri') || '';
  var server = q.get('server') || '';
  var bank = q.get('institution') || 'Your bank';
  var form = document.getElementById('consent');
  var status = document.getElementById('status');
  document.getElementById('bank').textContent = bank;
  document.title = bank + ' \u2013 authorize ' + (q.get('client') || 'the app');
  document.getElementById('ask').textContent = (q.get('client') || 'An app') + ' would like to access your accounts at ' + bank + '.';

  function record(result) {
    if (!server) {
      try { window.localStorage.setItem('linksim-oauth-result:' + state, result); } catch (e) { /* no storage */ }
      return Promise.resolve();
    }
    return fetch(new URL('linksim/oauth/authorize', server).href, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ oauth_state_id: state, result: result }),
    }).then(function (r) {
      if (!r.ok) return r.json().then(function (e) { throw new Error(e.error_code + ': ' + e.error_message); });
    });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var result = e.submitter && e.submitter.value === 'denied' ? 'denied' : 'approved';
    form.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
    if (!redirect) {
      status.textContent = 'Returning to the app\u2026';
      if (window.opener) window.opener.postMessage({ linksimOAuth: true, oauth_state_id: state, result: result }, '*');
      else status.textContent = 'This page was not opened by Link; close it.';
      return;
    }
    status.textContent = 'Returning to the app\u2026';
    record(result).then(function () {
      window.location.assign(redirect + '?oauth_state_id=' + encodeURIComponent(state));
    }, function (err) {
      status.textContent = 'The answer could not be recorded: ' + err.message;
    });
  });
})();
