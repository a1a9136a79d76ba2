// The app's backend, as the OAuth app calls it. Served mode: the app's own
// server (/api/*), which calls linksim's Plaid API. In-page mode
// (data-inpage on <html>): Plaid.linksim, the sandbox in this page; the redirect_uri is
// this page.
window.backend = document.documentElement.dataset.inpage ? {
  createLinkToken: () => Plaid.linksim.createLinkToken({
    client_name: 'OAuth App', user: { client_user_id: 'user-1' }, products: ['auth'], country_codes: ['US'], language: 'en',
    redirect_uri: document.documentElement.dataset.redirect || undefined,
  }),
  setAccessToken: (public_token) => Plaid.linksim.itemPublicTokenExchange({ public_token })
    .then(({ access_token }) => Plaid.linksim.authGet({ access_token })),
} : {
  createLinkToken: () => fetch('/api/create_link_token', { method: 'POST' }).then((r) => r.json()),
  setAccessToken: (public_token) => fetch('/api/set_access_token', { method: 'POST', body: public_token }).then((r) => r.json()),
};
