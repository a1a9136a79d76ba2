// The page's side: a link token from the backend, Plaid Link, and the
// public token back to the backend, which answers with the numbers' last
// digits.
const status = document.getElementById('status');
document.getElementById('link').addEventListener('click', async () => {
  const { link_token } = await (await fetch('/api/link_token', { method: 'POST' })).json();
  Plaid.create({
    token: link_token,
    onSuccess: async (public_token) => {
      const accounts = await (await fetch('/api/exchange', { method: 'POST', body: JSON.stringify({ public_token }) })).json();
      status.textContent = 'Linked: ' + accounts.map((a) => '••' + a.mask).join(', ');
    },
    onExit: (err) => { status.textContent = err ? 'Link failed: ' + err.error_code : 'Link closed'; },
  }).open();
});
