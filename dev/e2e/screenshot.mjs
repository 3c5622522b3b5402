// Opens the demo as a person would: guest sign-in, then an entity page, and
// saves a screenshot. Usage: node dev/e2e/screenshot.mjs <path> <out.png>
import { chromium } from 'playwright-core';

const [path = '/catalog/default/component/fraud-detection', out = 'shot.png'] =
  process.argv.slice(2);
const base = process.env.APP_URL ?? 'http://localhost:3000';
const started = Date.now();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1100 },
  });
  await page.goto(`${base}${path}`);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.waitForURL(`**${path}`);
  await page.getByText('Model versions:').first().waitFor({ timeout: 60_000 });
  console.log(`versions card visible after ${Date.now() - started} ms`);
  await page.screenshot({ path: out, fullPage: true });
} finally {
  await browser.close();
}
