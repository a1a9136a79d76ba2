// The OAuth e2e tests' app: react-plaid-link's own OAuth example
// (examples/oauth.tsx), with its console.log callbacks recording into
// window.calls and its backend calls going through window.backend (the
// app's server in served mode, Plaid.linksim in the page otherwise).
import React, { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { usePlaidLink } from 'react-plaid-link';

const record = (name) => (...args) => window.calls.push([name, ...args]);
const onEvent = record('onEvent');
const onExit = record('onExit');
const onSuccess = async (public_token, metadata) => {
  window.calls.push(['onSuccess', public_token, metadata]);
  window.exchanged = await window.backend.setAccessToken(public_token);
};

const PlaidLinkWithOAuth = () => {
  const [token, setToken] = useState(null);
  const isOAuthRedirect = window.location.href.includes('?oauth_state_id=');

  // generate a link_token when component mounts
  React.useEffect(() => {
    // do not generate a new token if page is handling an OAuth redirect.
    // instead setLinkToken to previously generated token from localStorage
    // https://plaid.com/docs/link/oauth/#reinitializing-link
    if (isOAuthRedirect) {
      setToken(localStorage.getItem('link_token'));
      return;
    }
    const createLinkToken = async () => {
      const { link_token } = await window.backend.createLinkToken();
      setToken(link_token);
      // store link_token temporarily in case of OAuth redirect
      localStorage.setItem('link_token', link_token);
    };
    createLinkToken();
  }, []);

  const config = {
    // token must be the same token used for the first initialization of Link
    token, onSuccess, onEvent, onExit,
  };
  if (isOAuthRedirect) {
    // receivedRedirectUri must include the query params
    config.receivedRedirectUri = window.location.href;
  }
  const { open, ready } = usePlaidLink(config);

  React.useEffect(() => {
    // If OAuth redirect, instantly open link when it is ready instead of
    // making user click the button
    if (isOAuthRedirect && ready) { open(); }
  }, [ready, open, isOAuthRedirect]);

  // No need to render a button on OAuth redirect as link opens instantly
  return isOAuthRedirect ? (<></>) : (
    <button onClick={() => open()} disabled={!ready}>Connect a bank account</button>);
};

window.calls = [];
createRoot(document.getElementById('root')).render(<PlaidLinkWithOAuth />);
