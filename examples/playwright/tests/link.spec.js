// The app's users link a bank, tested with Plaid Link played by linksim:
// the app page loads Plaid's CDN script, which the test routes to the
// linksim server Playwright started (playwright.config.js), and the user
// goes through Link by role and label.
import { test, expect } from '@playwright/test';
import { routePlaidLink } from 'linksim/playwright';
import { linksimURL } from '../playwright.config.js';

test.beforeEach(async ({ page }) => {
  await routePlaidLink(page, { server: linksimURL });
});

test('a user links First Platypus Bank and the app reads the numbers', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Link your bank' }).click();

  const link = page.getByRole('dialog');
  await link.getByRole('button', { name: 'Continue' }).click(); // consent
  await link.getByLabel('Search for your bank').fill('platypus');
  await link.getByRole('button', { name: 'First Platypus Bank', exact: true }).click();
  await link.getByLabel('Username').fill('user_good');
  await link.getByLabel('Password').fill('pass_good');
  await link.getByRole('button', { name: 'Submit' }).click();
  await link.getByRole('checkbox', { name: /Plaid Checking/ }).check();
  await link.getByRole('button', { name: 'Continue' }).click(); // account selection
  await link.getByRole('button', { name: 'Continue' }).click(); // connected

  await expect(page.getByRole('status')).toHaveText('Linked: ••0000');
});

test('a user who closes Link is told so', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Link your bank' }).click();
  const link = page.getByRole('dialog');
  await link.getByRole('button', { name: 'Close' }).click();
  await link.getByRole('button', { name: 'Yes, exit' }).click();
  await expect(page.getByRole('status')).toHaveText('Link closed');
});
