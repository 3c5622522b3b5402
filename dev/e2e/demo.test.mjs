// The demo, walked in a real browser (Debian's Chromium, driven by
// playwright-core) as its users do: a team member browses and approves, a
// deployer deploys to staging then production, a failure is shown, a
// non-owner is refused, and an auditor filters and exports the history.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from './browser.mjs';
import { accessibilityViolations } from './a11y.mjs';
import { layoutProblems } from './layout.mjs';
import {
  APP_URL,
  BACKEND_URL,
  NEXT_APP_URL,
  ROOT,
  guestToken,
  startNextApp,
  startStack,
} from './stack.mjs';
import {
  awsClientIn,
  describeEndpoint,
  describeVersion,
  registerVersion,
  sageMakerIn,
  setApproval,
} from './aws.mjs';
import {
  GetKeyPolicyCommand,
  KMSClient,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import {
  CloudWatchClient,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';

const OUT = process.env.E2E_OUT ?? join(ROOT, '.data/e2e');
const SHOTS = join(OUT, 'failures');
const README_SHOTS = join(ROOT, 'docs/screenshots');
const UPDATE_README_SHOTS = process.env.E2E_UPDATE_SCREENSHOTS === '1';
const FRAUD = '/catalog/default/component/fraud-detection/sagemaker';
rmSync(SHOTS, { recursive: true, force: true });
mkdirSync(SHOTS, { recursive: true });

let stack;
let browser;
let page;
let registry;
let staging;
const timings = {};
/** Console warnings our own tables cause in the development build. */
const tableWarnings = [];

async function shot(name, options = {}) {
  await page.screenshot({
    path: join(UPDATE_README_SHOTS ? README_SHOTS : OUT, `${name}.png`),
    ...options,
  });
}

/** Runs a scenario; on failure keeps a screenshot named after it. */
function scenario(name, fn) {
  test(name, async () => {
    try {
      await fn();
    } catch (error) {
      const file = join(SHOTS, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      await page?.screenshot({ path: file, fullPage: true }).catch(() => {});
      error.message = `[${name}] ${error.message}\nscreenshot: ${file}`;
      throw error;
    }
  });
}

/** Production's auto-rollback alarm, seeded OK (dev/sagemaker-local). */
const ROLLBACK_ALARM = 'production-invocation-5xx';

async function setRollbackAlarm(state) {
  const cloudwatch = await awsClientIn(
    CloudWatchClient,
    stack.endpoint,
    '333333333333',
  );
  await cloudwatch.send(
    new SetAlarmStateCommand({
      AlarmName: ROLLBACK_ALARM,
      StateValue: state,
      StateReason: `Set to ${state} by the end-to-end suite`,
    }),
  );
}

/** How many events of one action the entity's history has for a version. */
async function historyCount(token, version, action) {
  const res = await fetch(
    `${BACKEND_URL}/api/sagemaker/entities/component/default/fraud-detection/history?limit=100`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  assert.equal(res.status, 200);
  const body = await res.json();
  return body.events.filter(e => e.version === version && e.action === action)
    .length;
}

/** The endpoints table's row for one endpoint. */
function endpointRow(name) {
  return page
    .getByRole('table')
    .filter({ hasText: 'Serves' })
    .getByRole('row')
    .filter({ hasText: name });
}

function card(version) {
  return page.getByRole('article', { name: `Version ${version}`, exact: true });
}

async function openVersions(path = FRAUD) {
  await page.goto(`${APP_URL}${path}`);
  await page
    .getByRole('article', { name: /^Version \d+$/ })
    .first()
    .waitFor({ timeout: 60_000 });
}

async function deploy({ version, target, endpointName }) {
  await card(version).getByRole('button', { name: 'Deploy' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: /^Target/ }).click();
  await page.getByRole('option', { name: new RegExp(target, 'i') }).click();
  if (endpointName) {
    await dialog.getByLabel('Endpoint name').fill(endpointName);
  }
  await dialog.getByRole('button', { name: 'Deploy' }).click();
  return dialog;
}

describe('the SageMaker demo in a browser', { timeout: 15 * 60_000 }, () => {
  before(async () => {
    const started = Date.now();
    mkdirSync(OUT, { recursive: true });
    stack = await startStack({ logDir: OUT });
    timings.stackSeconds = (Date.now() - started) / 1000;
    registry = await sageMakerIn(stack.endpoint, '111111111111');
    staging = await sageMakerIn(stack.endpoint, '222222222222');
    browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('console', message => {
      // Only on our pages: other plugins' tables are not ours to fix.
      if (
        /material table|unique id property/i.test(message.text()) &&
        page.url().includes('/sagemaker')
      ) {
        tableWarnings.push(`${page.url()}: ${message.text().slice(0, 200)}`);
      }
    });
    await page.goto(APP_URL);
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.waitForURL(/\/catalog/);
  });

  after(async () => {
    process.stdout.write(`[measure] e2e timings: ${JSON.stringify(timings)}\n`);
    await browser?.close();
    await stack?.stop();
  });

  scenario(
    'a team member sees version cards with metrics and opens the details',
    async () => {
      const started = Date.now();
      await openVersions();
      timings.versionsTabMs = Date.now() - started;
      await card(200).waitFor();
      assert.match(await card(200).innerText(), /accuracy/i);
      await shot('version-cards');
      await card(200).getByRole('button', { name: 'Details' }).click();
      const drawer = page.getByRole('presentation').last();
      await drawer
        .getByText(/xgboost-inference/)
        .first()
        .waitFor();
      await page.keyboard.press('Escape');
    },
  );

  scenario(
    'approving a pending version with a comment changes the chip, the history and SageMaker',
    async () => {
      await openVersions();
      await card(200).getByRole('button', { name: 'Approve' }).click();
      const dialog = page.getByRole('dialog');
      await dialog
        .getByLabel(/Comment/)
        .fill('AUC and recall above the champion');
      await dialog.getByRole('button', { name: 'Approve' }).click();
      await dialog.waitFor({ state: 'detached' });
      await card(200).getByText('Approved', { exact: true }).waitFor();

      const described = await describeVersion(registry, 'fraud-detection', 200);
      assert.equal(described.ModelApprovalStatus, 'Approved');
      assert.match(
        described.ApprovalDescription,
        /AUC and recall above the champion/,
      );
      assert.match(described.ApprovalDescription, /user:default\/guest/);

      const history = page
        .getByRole('table')
        .filter({ hasText: 'AUC and recall' });
      await history.first().waitFor();
    },
  );

  scenario('rejecting without a comment is refused in the dialog', async () => {
    await openVersions();
    await card(199).getByRole('button', { name: 'Reject' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await dialog
      .getByText(/comment is required|required/i)
      .first()
      .waitFor();
    assert.equal(await dialog.isVisible(), true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const described = await describeVersion(registry, 'fraud-detection', 199);
    assert.equal(described.ModelApprovalStatus, 'PendingManualApproval');
  });

  scenario(
    'production is refused before staging, then the version goes to staging and production',
    async () => {
      await openVersions();
      await card(200).getByRole('button', { name: 'Deploy' }).click();
      let dialog = page.getByRole('dialog');
      const unavailable = dialog.getByRole('list', {
        name: 'Unavailable targets',
      });
      await unavailable.getByText(/Production.*staging/i).waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      const started = Date.now();
      dialog = await deploy({ version: 200, target: 'Staging' });
      await dialog.getByLabel('Deployment progress').waitFor();
      await dialog
        .getByText(/Creating/)
        .first()
        .waitFor();
      await shot('deploy-progress');
      await dialog
        .getByText(/is InService with version 200/)
        .waitFor({ timeout: 90_000 });
      timings.stagingDeploySeconds = (Date.now() - started) / 1000;
      assert.equal(
        (await describeEndpoint(staging, 'fraud-detection-staging'))
          .EndpointStatus,
        'InService',
      );
      await page.keyboard.press('Escape');

      await openVersions();
      const endpoints = page
        .getByRole('table')
        .filter({ hasText: 'fraud-detection-staging' });
      await endpoints.first().waitFor();

      dialog = await deploy({ version: 200, target: 'Production' });
      await dialog
        .getByText(/is InService with version 200/)
        .waitFor({ timeout: 90_000 });
      await page.keyboard.press('Escape');
    },
  );

  scenario(
    'a forced failure shows the AWS error, and the history records it',
    async () => {
      await openVersions();
      const dialog = await deploy({
        version: 200,
        target: 'Staging',
        endpointName: 'fraud-detection-force-fail',
      });
      await dialog.getByText('Deployment failed').waitFor({ timeout: 90_000 });
      await dialog.getByText(/EndpointFailed/).waitFor();
      await page.keyboard.press('Escape');
      await openVersions();
      await page
        .getByRole('table')
        .filter({ hasText: 'fraud-detection-force-fail' })
        .first()
        .waitFor();
    },
  );

  scenario(
    'on an entity the guest does not own, Approve and Deploy are disabled with the reason',
    async () => {
      await openVersions(
        '/catalog/default/component/churn-prediction/sagemaker',
      );
      const first = card(12);
      const deployButton = first.getByRole('button', { name: 'Deploy' });
      await deployButton.waitFor();
      const approveButton = first
        .getByRole('button', { name: /Approve|Reject/ })
        .first();
      // Inactive but focusable, with the reason readable and up front.
      for (const button of [deployButton, approveButton]) {
        assert.equal(await button.getAttribute('aria-disabled'), 'true');
      }
      await page
        .getByRole('note')
        .getByText(/owners of Churn prediction can/)
        .waitFor();
      await deployButton.hover();
      await page
        .getByRole('tooltip')
        .getByText(/not allowed to deploy/i)
        .waitFor();
      await deployButton.focus();
      await page.keyboard.press('Enter');
      assert.equal(await page.getByRole('dialog').count(), 0);
    },
  );

  scenario(
    'the S3-reported group’s cards show the report’s metrics, and the drawer its confusion matrix, model card and lineage',
    async () => {
      await openVersions(
        '/catalog/default/component/churn-prediction/sagemaker',
      );
      // churn-prediction registers as the SDK's pipelines do: its metrics
      // are only in evaluation.json in S3, none in the customer metadata.
      const newest = card(12);
      await newest.getByText('auc (report)').waitFor();
      assert.match(await newest.innerText(), /accuracy \(report\)/);
      await newest.getByRole('button', { name: 'Details' }).click();
      const drawer = page.getByRole('dialog', {
        name: 'Version 12 of churn-prediction',
      });
      const reports = drawer.getByRole('region', { name: 'Metrics reports' });
      const matrix = reports.getByRole('table', { name: 'Confusion matrix' });
      await matrix.waitFor();
      assert.equal(await matrix.getByRole('row').count(), 3);
      await reports.getByText(/^ROC curve: true positive rate/).waitFor();
      await reports
        .getByRole('table', { name: 'Bias.Report bias metrics' })
        .waitFor();
      const modelCard = drawer.getByRole('region', { name: 'Model card' });
      await modelCard.getByText('Risk rating: Medium').waitFor();
      await modelCard
        .getByText(/Weekly retention campaign targeting/)
        .waitFor();
      await drawer
        .getByRole('region', { name: 'Lineage' })
        .getByRole('link', { name: /^Training job churn-prediction-train-/ })
        .waitFor();
      await page.keyboard.press('Escape');
      // An older version has no model card, and says so.
      await card(1).getByRole('button', { name: 'Details' }).click();
      await page
        .getByRole('dialog', { name: 'Version 1 of churn-prediction' })
        .getByText('This version has no model card.')
        .waitFor();
      await page.keyboard.press('Escape');
    },
  );

  scenario(
    'the auditors’ page filters to the deploys, and the CSV export matches',
    async () => {
      await page.goto(
        `${APP_URL}/sagemaker/history?action=deploy&outcome=succeeded`,
      );
      const table = page.getByRole('table').first();
      await table
        .getByText('fraud-detection-staging')
        .first()
        .waitFor({ timeout: 60_000 });
      await table.getByText('fraud-detection-production').first().waitFor();
      await shot('history-page');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: /Export CSV/i }).click(),
      ]);
      const file = join(OUT, 'history-export.csv');
      await download.saveAs(file);
      const lines = readFileSync(file, 'utf8').trim().split('\r\n');
      assert.match(lines[0], /^seq,at,actor,action,outcome/);
      const rows = lines.slice(1).map(line => line.split(','));
      assert.equal(rows.length, 2);
      assert.deepEqual(rows.map(r => [r[3], r[4], r[13]]).sort(), [
        ['deploy', 'succeeded', 'fraud-detection-production'],
        ['deploy', 'succeeded', 'fraud-detection-staging'],
      ]);
    },
  );

  scenario(
    'keyboard only: demand-forecast goes to staging; production shows the missing key grant, the generated fix is applied, and the deploy reaches InService',
    async () => {
      const DEMAND = '/catalog/default/component/demand-forecast/sagemaker';
      await openVersions(DEMAND);
      // Keyboard only: Enter on Deploy, Tab to the endpoint name, Enter.
      await card(7).getByRole('button', { name: 'Deploy' }).focus();
      await page.keyboard.press('Enter');
      let dialog = page.getByRole('dialog');
      await dialog
        .getByText(/readiness checks passed/)
        .waitFor({ timeout: 60_000 });
      await dialog.getByLabel('Endpoint name').focus();
      await page.keyboard.press('Enter');
      await dialog
        .getByText(/is InService with version 7/)
        .waitFor({ timeout: 90_000 });
      assert.equal(
        await page.getByText(/Cannot read properties/).count(),
        0,
        'the tab crashed after a keyboard submit',
      );
      await page.keyboard.press('Escape');

      await openVersions(DEMAND);
      await page
        .getByRole('table')
        .filter({ hasText: 'demand-forecast-staging' })
        .first()
        .waitFor();
      await card(7).getByRole('button', { name: 'Deploy' }).click();
      dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: /^Target/ }).click();
      await page.getByRole('option', { name: /Production/ }).click();
      await dialog
        .getByText(/1 grant is missing in Production/)
        .waitFor({ timeout: 60_000 });
      assert.equal(
        await dialog.getByRole('button', { name: 'Deploy' }).isDisabled(),
        true,
      );
      await shot('readiness-missing');
      const where = await dialog
        .getByText(/^Goes in the key policy of/)
        .textContent();
      const keyArn = /arn:aws:kms:[^ ]+/.exec(where)[0];
      const fix = JSON.parse(
        await dialog
          .getByLabel('Policy for Execution role can decrypt the model data', {
            exact: true,
          })
          .textContent(),
      );
      // An admin applies the generated statement to the key policy.
      const kms = await awsClientIn(KMSClient, stack.endpoint, '111111111111');
      const { Policy } = await kms.send(
        new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }),
      );
      const merged = JSON.parse(Policy);
      merged.Statement.push(...fix.Statement);
      await kms.send(
        new PutKeyPolicyCommand({
          KeyId: keyArn,
          PolicyName: 'default',
          Policy: JSON.stringify(merged),
        }),
      );
      await dialog.getByRole('button', { name: 'Check again' }).click();
      await dialog
        .getByText(/readiness checks passed/)
        .waitFor({ timeout: 60_000 });
      await dialog.getByRole('button', { name: 'Deploy' }).click();
      await dialog
        .getByText(/is InService with version 7/)
        .waitFor({ timeout: 90_000 });
      await page.keyboard.press('Escape');
    },
  );

  scenario('a shared link to a version opens its details', async () => {
    await page.goto(`${APP_URL}${FRAUD}?status=Approved&version=197`);
    await page
      .getByRole('dialog', { name: 'Version 197 of fraud-detection' })
      .waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Close details' }).click();
    await page.waitForURL(url => !url.search.includes('version='));
    assert.match(page.url(), /status=Approved/);

    // Version 3 is far below the first page of 200: the link still opens it.
    await page.goto(`${APP_URL}${FRAUD}?version=3`);
    const drawer = page.getByRole('dialog', {
      name: 'Version 3 of fraud-detection',
    });
    await drawer
      .getByText(/xgboost-inference/)
      .first()
      .waitFor({
        timeout: 60_000,
      });
    await page.getByRole('button', { name: 'Close details' }).click();
  });

  scenario(
    'at 1024 px the main pages fit: no sideways scroll, no word wider than its cell, no clipped label, and no serious accessibility violation',
    async () => {
      await page.setViewportSize({ width: 1024, height: 900 });
      const problems = [];
      const check = async where => {
        for (const p of await layoutProblems(page))
          problems.push(`${where}: ${p}`);
        for (const v of await accessibilityViolations(page)) {
          problems.push(`${where}: ${v}`);
        }
      };
      try {
        await openVersions();
        await check('versions tab');
        await page.getByRole('button', { name: 'Table' }).click();
        await page.getByRole('table', { name: 'Versions' }).waitFor();
        await check('versions table');
        await page.getByRole('button', { name: 'Cards' }).click();
        await card(200).waitFor();
        await page.getByLabel('Compare version 200').check();
        await page.getByLabel('Compare version 199').check();
        await page.getByRole('button', { name: /Compare selected/ }).click();
        await page.getByRole('dialog').getByText('Only differences').waitFor();
        await check('comparison dialog');
        await page.keyboard.press('Escape');
        await card(200).getByRole('button', { name: 'Deploy' }).click();
        await page
          .getByRole('dialog')
          .getByText(/readiness checks passed|grants? (is|are) missing/)
          .waitFor({ timeout: 60_000 });
        await check('deploy dialog');
        await page.keyboard.press('Escape');
        await openVersions(
          '/catalog/default/component/churn-prediction/sagemaker',
        );
        await check('versions tab of an entity the guest does not own');
        await page.goto(`${APP_URL}/sagemaker/history`);
        await page
          .getByRole('table')
          .first()
          .getByText('Deploy')
          .first()
          .waitFor();
        await check('history page');
        await page.goto(`${APP_URL}/sagemaker/readiness`);
        await page.getByText(/with \d+ AWS calls/).waitFor({ timeout: 60_000 });
        await check('readiness page');
        await shot('readiness-page');
      } finally {
        await page.setViewportSize({ width: 1400, height: 1000 });
      }
      assert.deepEqual(problems, []);
    },
  );

  scenario(
    'the versions as a table: sorted by a metric, a row opens its version, the view is remembered',
    async () => {
      await openVersions();
      await page.getByRole('button', { name: 'Table' }).click();
      const table = page.getByRole('table', { name: 'Versions' });
      await table.waitFor();
      await table
        .getByRole('button', { name: 'accuracy', exact: true })
        .click();
      await page.waitForURL(
        /sort=metric%3Aaccuracy%3Adesc|sort=metric:accuracy:desc/,
      );
      const header = table.getByRole('columnheader', { name: /accuracy/ });
      assert.equal(await header.getAttribute('aria-sort'), 'descending');
      const column = await header.evaluate(cell => cell.cellIndex);
      const values = await table
        .locator('tbody tr')
        .evaluateAll(
          (rows, index) => rows.map(row => row.cells[index].textContent.trim()),
          column,
        );
      const numbers = values.filter(v => v !== '—').map(Number);
      assert.ok(numbers.length > 10, `accuracy values: ${values.join(' ')}`);
      assert.deepEqual(
        numbers,
        [...numbers].sort((a, b) => b - a),
        'highest accuracy first',
      );
      await shot('version-table');

      const best = table.locator('tbody tr').first();
      const version = (await best.locator('td').nth(1).innerText()).trim();
      await best.locator('td').nth(column).click();
      await page
        .getByRole('dialog', { name: `Version ${version} of fraud-detection` })
        .waitFor();
      await page.getByRole('button', { name: 'Close details' }).click();

      // Remembered for the user: a link that names no view opens the table.
      await page.goto(`${APP_URL}${FRAUD}`);
      await page
        .getByRole('table', { name: 'Versions' })
        .waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Cards' }).click();
      await card(200).waitFor();
    },
  );

  scenario(
    "the overview card shows metrics and leads to a version's details",
    async () => {
      await page.goto(`${APP_URL}/catalog/default/component/fraud-detection`);
      const link = page.getByRole('link', {
        name: 'Version 200 of fraud-detection',
      });
      await link.waitFor({ timeout: 60_000 });
      assert.match(
        await link.locator('xpath=ancestor::tr').innerText(),
        /accuracy/,
      );
      await link.click();
      await page
        .getByRole('dialog', { name: 'Version 200 of fraud-detection' })
        .waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Close details' }).click();
      await page.goto(`${APP_URL}/catalog/default/component/fraud-detection`);
      await page.getByRole('link', { name: 'View all versions' }).click();
      await page.waitForURL(/\/sagemaker$/);
    },
  );

  scenario(
    "a version below production's auc gate is refused in the dialog before submit, and a lifecycle stage edit shows in the entity's history",
    async () => {
      const DEMAND = '/catalog/default/component/demand-forecast/sagemaker';
      await openVersions(DEMAND);
      let dialog = await deploy({
        version: 5,
        target: 'Staging',
        endpointName: 'demand-forecast-v5-staging',
      });
      await dialog
        .getByText(/is InService with version 5/)
        .waitFor({ timeout: 90_000 });
      await page.keyboard.press('Escape');

      await openVersions(DEMAND);
      await card(5).getByRole('button', { name: 'Deploy' }).click();
      dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: /^Target/ }).click();
      await page.getByRole('option', { name: /Production/ }).click();
      await dialog
        .getByText(
          "Version 5 does not meet Production (333333333333)'s evidence gates: Production (333333333333) requires auc >= 0.85 (auc is 0.8471).",
        )
        .waitFor({ timeout: 60_000 });
      assert.equal(
        await dialog.getByRole('button', { name: 'Deploy' }).isDisabled(),
        true,
      );
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      await card(5).getByRole('button', { name: 'Stage' }).click();
      dialog = page.getByRole('dialog');
      await dialog.getByLabel('Stage', { exact: true }).selectOption('QA');
      await dialog.getByLabel('Stage status').selectOption('OnHold');
      await dialog
        .getByLabel('Description (optional)')
        .fill('auc below the production bar');
      await dialog.getByRole('button', { name: 'Set stage' }).click();
      await dialog.waitFor({ state: 'detached' });
      await card(5).getByText('Stage: QA (OnHold)').waitFor();
      await page
        .getByRole('table')
        .filter({
          hasText: 'Stage QA, status OnHold: auc below the production bar',
        })
        .first()
        .waitFor();
      const described = await describeVersion(registry, 'demand-forecast', 5);
      assert.deepEqual(
        [described.ModelLifeCycle.Stage, described.ModelLifeCycle.StageStatus],
        ['QA', 'OnHold'],
      );
      assert.match(
        described.ModelLifeCycle.StageDescription,
        /stage set by user:default\/guest via Backstage/,
      );
    },
  );

  scenario(
    "a canary update of production bakes 10% of the traffic with the time left, and its alarm in ALARM rolls it back: the dialog, the endpoint and the history say so with the alarm's name",
    async () => {
      await openVersions();
      let dialog = await deploy({ version: 197, target: 'Staging' });
      await dialog
        .getByText(/is InService with version 197/)
        .waitFor({ timeout: 90_000 });
      await page.keyboard.press('Escape');

      await openVersions();
      await card(197).getByRole('button', { name: 'Deploy' }).click();
      dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: /^Target/ }).click();
      await page.getByRole('option', { name: /Production/ }).click();
      await dialog
        .getByText(/a canary of 10% of traffic bakes for 10 s/)
        .waitFor({ timeout: 60_000 });
      await dialog
        .getByText(/readiness checks passed/)
        .waitFor({ timeout: 60_000 });
      await dialog.getByRole('button', { name: 'Deploy' }).click();
      await dialog
        .getByText(
          /^Traffic shifting: Baking — Baking: 10% of traffic on the new fleet .*, baking (\d+ s left|ending)$/,
        )
        .waitFor({ timeout: 90_000 });
      await shot('deploy-canary-baking');
      try {
        await setRollbackAlarm('ALARM');
        await dialog
          .getByText('Rolled back', { exact: true })
          .first()
          .waitFor({ timeout: 90_000 });
        await dialog
          .getByText(
            new RegExp(`^Rolled back by CloudWatch alarm ${ROLLBACK_ALARM}:`),
          )
          .waitFor();
        await dialog
          .getByText(
            'fraud-detection-production still serves what it served before.',
          )
          .waitFor();
      } finally {
        await setRollbackAlarm('OK');
      }
      await page.keyboard.press('Escape');

      const production = await sageMakerIn(stack.endpoint, '333333333333');
      const described = await describeEndpoint(
        production,
        'fraud-detection-production',
      );
      assert.equal(described.EndpointStatus, 'InService');
      assert.match(described.FailureReason, new RegExp(ROLLBACK_ALARM));

      await openVersions();
      await endpointRow('fraud-detection-production')
        .getByText(/^Version 200 of fraud-detection/)
        .waitFor();
      const event = page
        .getByRole('row')
        .filter({ hasText: 'Deploy, version 197' })
        .filter({ hasText: 'Rolled back' });
      await event.getByText(ROLLBACK_ALARM, { exact: false }).waitFor();
    },
  );

  scenario(
    'Roll back to version 200 on the staging endpoint restores it, and the history links the rollback to the deployment it undoes',
    async () => {
      await openVersions();
      const row = endpointRow('fraud-detection-staging');
      await row.getByText(/^Version 197 of fraud-detection/).waitFor();
      await row
        .getByRole('button', { name: 'Roll back to version 200' })
        .click();
      const dialog = page.getByRole('dialog', {
        name: 'Roll back fraud-detection-staging to version 200',
      });
      await dialog.getByText(/serves version 197/).waitFor();
      await dialog
        .getByRole('button', { name: 'Roll back to version 200' })
        .click();
      await dialog
        .getByText(/is InService with version 200/)
        .waitFor({ timeout: 90_000 });
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
      await row.getByText(/^Version 200 of fraud-detection/).waitFor();
      await page
        .getByRole('row')
        .filter({ hasText: 'Deploy, version 200' })
        .getByText(/^Rollback of deployment /)
        .first()
        .waitFor();
      const described = await describeEndpoint(
        staging,
        'fraud-detection-staging',
      );
      assert.equal(described.EndpointStatus, 'InService');
    },
  );

  scenario(
    'a serverless target deploys with no instance choice, and SageMaker reports its ServerlessConfig',
    async () => {
      await openVersions();
      await card(200).getByRole('button', { name: 'Deploy' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: /^Target/ }).click();
      await page.getByRole('option', { name: /Serverless/ }).click();
      await dialog
        .getByText(
          'Serverless: 2048 MB of memory, up to 5 concurrent invocations (set by the target).',
        )
        .waitFor();
      assert.equal(await dialog.getByLabel(/Instance type/).count(), 0);
      await dialog
        .getByText(/readiness checks passed/)
        .waitFor({ timeout: 60_000 });
      const name = await dialog.getByLabel('Endpoint name').inputValue();
      await dialog.getByRole('button', { name: 'Deploy' }).click();
      await dialog.getByText(/\(serverless\)/).waitFor();
      await dialog
        .getByText(/is InService with version 200/)
        .waitFor({ timeout: 90_000 });
      await page.keyboard.press('Escape');
      const described = await describeEndpoint(staging, name);
      assert.equal(described.EndpointStatus, 'InService');
      assert.deepEqual(
        described.ProductionVariants[0].CurrentServerlessConfig,
        { MemorySizeInMB: 2048, MaxConcurrency: 5 },
      );
      await openVersions();
      await endpointRow(name)
        .getByText(/^Version 200 of fraud-detection/)
        .waitFor();
    },
  );

  scenario(
    'on the new frontend system, the same plugin shows the entity tab, the overview card and the history page',
    async () => {
      const stop = await startNextApp({ logDir: OUT });
      const next = await browser.newPage({
        viewport: { width: 1400, height: 1000 },
      });
      next.setDefaultTimeout(60_000);
      try {
        await next.goto(NEXT_APP_URL);
        await next.getByRole('button', { name: 'Enter' }).click();
        // Signed in once the sign-in page is gone; a reload keeps the session.
        await next
          .getByRole('button', { name: 'Enter' })
          .waitFor({ state: 'detached' });
        await next.goto(
          `${NEXT_APP_URL}/catalog/default/component/fraud-detection`,
        );
        // The overview card links to the tab through the route ref both
        // frontend systems share.
        await next.getByRole('link', { name: 'View all versions' }).click();
        await next.waitForURL(/\/sagemaker$/);
        await next
          .getByRole('article', { name: 'Version 200', exact: true })
          .waitFor();
        await next.goto(`${NEXT_APP_URL}/sagemaker/history`);
        await next
          .getByRole('table', { name: 'History events' })
          .getByText('Deploy')
          .first()
          .waitFor();
      } catch (error) {
        await next
          .screenshot({ path: join(SHOTS, 'new-frontend-system.png') })
          .catch(() => {});
        throw error;
      } finally {
        await next.close();
        await stop();
      }
    },
  );

  scenario(
    "a version registered and approved through the SDK shows in the entity's history and as its owner's notification within 5 s, with no page reload",
    async () => {
      await openVersions();
      const history = page.getByRole('table').filter({ hasText: 'When' });
      await history.first().waitFor();
      // A page reload would lose this.
      await page.evaluate(() => {
        window.__noReload = true;
      });

      const registeredAt = Date.now();
      const version = await registerVersion(registry, 'fraud-detection', 200);
      const row = text =>
        history.getByRole('row').filter({ hasText: text }).first();
      await row(`Registered, version ${version}`).waitFor({ timeout: 5_000 });
      timings.registeredToHistoryMs = Date.now() - registeredAt;
      assert.match(
        await row(`Registered, version ${version}`).innerText(),
        /outside Backstage[\s\S]*PendingManualApproval/,
      );

      const approvedAt = Date.now();
      await setApproval(registry, 'fraud-detection', version, 'Approved');
      await row(`Approve, version ${version}`).waitFor({ timeout: 5_000 });
      timings.approvedToHistoryMs = Date.now() - approvedAt;

      // The owner's notification, waiting since the registration.
      await page.getByRole('link', { name: /Notifications/ }).click();
      await page
        .getByText(`Version ${version} of fraud-detection waits for approval`)
        .first()
        .waitFor({ timeout: Math.max(1, 5_000 - (Date.now() - registeredAt)) });
      timings.registeredToNotificationMs = Date.now() - registeredAt;
      assert.equal(await page.evaluate(() => window.__noReload), true);

      // Out-of-band change to history event, median of 10, read through
      // the history route as the page does.
      const token = await guestToken(BACKEND_URL);
      const latencies = [];
      for (let i = 0; i < 10; i += 1) {
        const status = i % 2 === 0 ? 'Rejected' : 'Approved';
        const action = status === 'Rejected' ? 'reject' : 'approve';
        const seen = await historyCount(token, version, action);
        const changedAt = Date.now();
        await setApproval(registry, 'fraud-detection', version, status);
        while ((await historyCount(token, version, action)) === seen) {
          assert.ok(
            Date.now() - changedAt < 10_000,
            `no ${action} event for version ${version} within 10 s`,
          );
          await new Promise(r => setTimeout(r, 50));
        }
        latencies.push(Date.now() - changedAt);
      }
      latencies.sort((a, b) => a - b);
      timings.outOfBandToHistoryMs = {
        median: (latencies[4] + latencies[5]) / 2,
        min: latencies[0],
        max: latencies[9],
      };
      assert.ok(timings.outOfBandToHistoryMs.median < 5_000);
    },
  );

  scenario(
    "a deploy's progress moves by signal: no polling request while signals are connected",
    async () => {
      const deploymentReads = [];
      const signalFrames = [];
      const onRequest = request => {
        if (
          request.method() === 'GET' &&
          /\/api\/sagemaker\/deployments\/[^/?]+$/.test(request.url())
        ) {
          deploymentReads.push(Date.now());
        }
      };
      const onSocket = socket => {
        socket.on('framereceived', ({ payload }) => {
          try {
            const { channel } = JSON.parse(String(payload));
            if (String(channel).startsWith('sagemaker:deployment:')) {
              signalFrames.push(Date.now());
            }
          } catch {
            // not a signal
          }
        });
      };
      page.on('websocket', onSocket);
      page.on('request', onRequest);
      try {
        await openVersions();
        const endpointName = 'fraud-detection-signals';
        // Watch SageMaker itself, to time how soon the screen follows it.
        let inServiceAt;
        const watching = (async () => {
          const deadline = Date.now() + 90_000;
          while (!inServiceAt && Date.now() < deadline) {
            try {
              const e = await describeEndpoint(staging, endpointName);
              if (e.EndpointStatus === 'InService') inServiceAt = Date.now();
            } catch {
              // not created yet
            }
            await new Promise(r => setTimeout(r, 100));
          }
        })();
        const dialog = await deploy({
          version: 200,
          target: 'Staging',
          endpointName,
        });
        await dialog
          .getByText(/is InService with version 200/)
          .waitFor({ timeout: 90_000 });
        const onScreenAt = Date.now();
        await watching;
        assert.ok(inServiceAt, 'SageMaker never said InService');
        timings.inServiceToScreenMs = onScreenAt - inServiceAt;
        await page.keyboard.press('Escape');

        assert.ok(signalFrames.length > 0, 'no deployment signal arrived');
        // One read when the stepper starts listening, then one per signal.
        assert.ok(
          deploymentReads.length <= signalFrames.length + 1,
          `${deploymentReads.length} deployment reads for ${signalFrames.length} signals: the stepper polled`,
        );
        timings.deploymentSignals = signalFrames.length;
        timings.deploymentReads = deploymentReads.length;
      } finally {
        page.off('request', onRequest);
        page.off('websocket', onSocket);
      }
    },
  );

  scenario('our tables cause no console warnings', async () => {
    assert.deepEqual(tableWarnings, []);
  });
});
