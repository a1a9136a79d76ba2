// The helper's types as a TypeScript user meets them: tsc checks this
// file against linksim's .d.ts files and playwright-core's own types.
import { chromium, type Page, type BrowserContext } from 'playwright-core';
import { startLinksim, routePlaidLink, PLAID_LINK_URL, type LinksimServer } from 'linksim/playwright';
import { distDir, binaryPath, platformPackage } from 'linksim';

export async function example(page: Page, context: BrowserContext): Promise<string> {
  const server: LinksimServer = await startLinksim({ args: ['-seed', '1'], timeout: 10_000, onLog: (e) => void e.msg });
  await routePlaidLink(page, { server });
  await routePlaidLink(context, { server: server.url });
  await routePlaidLink(page);
  await routePlaidLink(page, { inPage: true });
  await server.stop();
  const browser = await chromium.launch();
  await browser.close();
  return [server.url, PLAID_LINK_URL, distDir, binaryPath(), platformPackage('linux', 'arm64')].join(' ');
}

// @ts-expect-error a server and inPage do not go together
routePlaidLink({} as Page, { server: 'http://127.0.0.1:1', inPage: true });
// @ts-expect-error args are flags, as strings
startLinksim({ args: [1] });
