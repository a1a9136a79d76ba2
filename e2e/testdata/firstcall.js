// An app that mints its link token the moment Link has loaded, in the
// page (no server): firstCall is how long that first call took.
Plaid.create({
  token: 'link-sandbox-unused',
  onLoad: () => {
    const t0 = performance.now();
    Plaid.linksim.createLinkToken({
      client_name: 'First Call', language: 'en', country_codes: ['US'],
      user: { client_user_id: 'user-1' }, products: ['auth'],
    }).then(() => { window.firstCall = performance.now() - t0; window.readyAt = performance.now(); });
  },
});
