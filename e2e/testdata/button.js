// The README's "your own button" recipe, as a test page runs it: mint a
// link token in the page, open Link, then play the backend's exchange and
// /auth/get, all through Plaid.linksim.
const linksim = window.Plaid.linksim;
const button = document.getElementById('connect');
const out = document.getElementById('result');

button.addEventListener('click', async () => {
  const { link_token } = await linksim.createLinkToken({
    client_name: 'My App',
    user: { client_user_id: 'user-1' },
    products: ['auth'],
    country_codes: ['US'],
    language: 'en',
  });
  const handler = window.Plaid.create({
    token: link_token,
    onSuccess: async (public_token, metadata) => {
      const { access_token } = await linksim.itemPublicTokenExchange({ public_token });
      const auth = await linksim.authGet({ access_token });
      window.result = { metadata, auth };
      out.textContent = JSON.stringify(auth.numbers.ach, null, 2);
    },
    onExit: (err) => { window.result = { err }; },
  });
  handler.open();
});
button.disabled = false;
