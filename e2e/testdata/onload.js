// An app creating its Link handler at once; readyAt is when onLoad fired.
Plaid.create({ token: 'link-sandbox-unused', onLoad: () => { window.readyAt = performance.now(); } });
