// Drives the dataenc web console in Debian's Chromium (headless) with Playwright, in one browser:
// sign in; the overview; a switch through the wizard watched to completion; a switch to a disabled keystore refused
// with nothing changed; a CDK rotation; the audit trail naming the admin. Prints "ok ..." per step and exits 0, or
// prints "FAILED: ..." and exits 1. Usage: node console-flows.mjs <console url> <screenshot dir>
// The admin's name and password come from $CONSOLE_ADMIN and $CONSOLE_PASSWORD; Chromium from $CHROMIUM or
// /usr/bin/chromium.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [url, shots] = process.argv.slice(2);
if (!url || !shots) {
  console.error('usage: node console-flows.mjs <console url> <screenshot dir>');
  process.exit(2);
}
const admin = process.env.CONSOLE_ADMIN;
const password = process.env.CONSOLE_PASSWORD;
mkdirSync(shots, { recursive: true });
const at = (path) => new URL(path, url).toString();

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(120_000);
  // script errors and CSP violations ("Refused to ..."); answers such as the wrong password's 401 are expected
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      problems.push('browser console: ' + m.text());
    }
  });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  const shot = (name) => page.screenshot({ path: `${shots}/console-${name}.png`, fullPage: true });
  const text = async (selector) => (await page.locator(selector).first().textContent()).trim();

  // sign in
  await page.goto(url);
  check(new URL(page.url()).pathname === '/login', 'not sent to the sign-in page: ' + page.url());
  await shot('login');
  await page.fill('input[name=name]', admin);
  await page.fill('input[name=password]', 'not the password');
  await page.click('button[type=submit]');
  check((await text('.error')).includes('Wrong name or password'), 'a wrong password was not refused');
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(at('/'));
  console.log('ok signed in as ' + admin);

  // the overview
  check(await text('#active-keystore') === 'a', 'overview: active keystore is not a');
  check(await text('#cipher-type') === 'platform', 'overview: cipher type is not platform');
  const warnings = await page.locator('.warnings').allTextContents();
  check(warnings.join(' ').includes("keystore 'c'") && warnings.join(' ').includes('DISABLED'),
    'overview: the disabled keystore c is not flagged: ' + warnings.join(' | '));
  check(await text('.who') === admin, 'overview: the signed-in admin is not shown');
  await shot('overview');
  console.log('ok overview: cipher type platform, active keystore a, keystore c flagged');

  await page.goto(at('/keystores'));
  await shot('keystores');
  await page.goto(at('/cdks'));
  check(await page.locator('#cdks tbody tr').count() === 2, 'CDKs: expected 2');
  await page.check('input[name=status][value=ACTIVE]');
  await page.click('form.filter button[type=submit]');
  check(await page.locator('#cdks tbody tr').count() === 1, 'CDKs: the ACTIVE filter does not leave one');
  await shot('cdks');
  console.log('ok keystores and CDKs (filtered to ACTIVE: 1)');

  // a switch through the wizard, to b
  await page.goto(at('/switch'));
  await page.selectOption('#target', 'b');
  await page.click('button:has-text("Dry run")');
  await page.waitForSelector('#checks');
  check(await page.locator('#checks tr.fail').count() === 0, 'switch to b: a guard refuses');
  check(await page.locator('#checks tbody tr').count() > 0, 'switch to b: no guard verdicts shown');
  await shot('switch-plan');
  await page.click('#confirm-switch');
  await page.waitForURL(/\/switch\/runs\//);
  await page.waitForSelector('#run-result');
  check(await text('#run-state') === 'COMPLETED', 'switch to b: not COMPLETED but ' + await text('#run-state'));
  check((await text('#run-result')).includes("-> 'b'"), 'switch to b: the result does not name b');
  await shot('switch-result');
  await page.goto(url);
  check(await text('#active-keystore') === 'b', 'after the switch the active keystore is not b');
  console.log('ok switch a -> b through the wizard: COMPLETED, overview shows b');

  // a switch to the disabled keystore c is refused, nothing changes
  await page.goto(at('/switch'));
  await page.selectOption('#target', 'c');
  await page.click('button:has-text("Dry run")');
  await page.waitForSelector('#refused');
  check((await text('#refused')).includes('Nothing was changed'), 'switch to c: the refusal does not say nothing changed');
  check(await page.locator('#checks tr.fail').count() > 0, 'switch to c: no guard shows why');
  check(await page.locator('#confirm-switch').count() === 0, 'switch to c: it can still be confirmed');
  await shot('switch-refused');
  await page.goto(url);
  check(await text('#active-keystore') === 'b', 'after the refused switch the active keystore is not b');
  console.log('ok switch to disabled c refused, active keystore still b');

  // rotate the CDK
  await page.goto(at('/rotate'));
  const before = await text('#active-cdk');
  await page.fill('input[name=reason]', 'browser test');
  await page.click('#rotate');
  await page.waitForSelector('#rotate-result');
  const after = await text('#active-cdk');
  check(after !== before, 'rotate: the ACTIVE CDK did not change');
  check((await text('#rotate-result')).includes(after), 'rotate: the result does not name the new CDK');
  await shot('rotate');
  console.log('ok rotated: ACTIVE CDK ' + before + ' -> ' + after);

  // the audit trail names the admin
  await page.goto(at('/audit?actor=' + encodeURIComponent('console:' + admin)));
  const rows = await page.locator('#audit tbody tr').allTextContents();
  for (const action of ['CONSOLE_SIGNED_IN', 'SWITCH_COMPLETED', 'CDK_ROTATED']) {
    check(rows.some((r) => r.includes(action) && r.includes('console:' + admin + '@')),
      'audit: no ' + action + ' by console:' + admin);
  }
  await shot('audit');
  await page.goto(at('/migrations'));
  await shot('migrations');
  console.log('ok audit trail shows the actions by console:' + admin);

  check(problems.length === 0, problems.join('; '));
  console.log('console flows: all passed');
} catch (e) {
  console.log('FAILED: ' + e.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
