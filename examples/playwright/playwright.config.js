// Playwright runs linksim and the app as its web servers, then the tests.
// linksim stands in for Plaid: the app's backend calls it as Plaid's API
// (PLAID_URL), and the test routes Plaid's Link script to it.
import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';

const linksimPort = process.env.LINKSIM_PORT || '4010';
const appPort = process.env.APP_PORT || '4017';
export const linksimURL = `http://127.0.0.1:${linksimPort}`;

// Debian's chromium (apt-get install chromium), never a browser Playwright downloads.
const chromium = process.env.CHROMIUM ||
  execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();

export default defineConfig({
  testDir: 'tests',
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${appPort}`,
    launchOptions: { executablePath: chromium, args: ['--no-sandbox'] },
  },
  webServer: [
    {
      command: `npx linksim -addr 127.0.0.1:${linksimPort}`,
      url: `${linksimURL}/link-initialize.js`,
    },
    {
      command: 'node app/server.mjs',
      url: `http://127.0.0.1:${appPort}/`,
      env: { PORT: appPort, PLAID_URL: linksimURL, PLAID_CLIENT_ID: 'example-app', PLAID_SECRET: 'example-secret' },
    },
  ],
});
