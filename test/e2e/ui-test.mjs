// Browser UI checks of the DriftCatcher extension in code-server, with playwright-core + Debian chromium.
// usage: node ui-test.mjs <baseUrl> <workspaceFolder> <outDir>
// Runs after the extension-host suite on the same workspace (so a production model exists).
import { chromium } from 'playwright-core';
import fs from 'node:fs';

const [baseUrl, folder, outDir] = process.argv.slice(2);
fs.mkdirSync(outDir, { recursive: true });
const XSS = '<img src=x onerror=alert(1)>';
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
const page = await context.newPage();
const consoleLines = [];
const cspViolations = [];
const dialogs = [];
page.on('console', (m) => {
  consoleLines.push(`[${m.type()}] ${m.text()}`);
  if (/Content Security Policy/i.test(m.text()) && /webview|vscode-cdn|vscode-resource|driftcatcher/i.test(m.text())) cspViolations.push(m.text());
});
page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
// any alert/confirm/prompt from any frame (the webview is two iframes deep) means script ran
page.on('dialog', async (d) => { dialogs.push(`${d.type()}: ${d.message()}`); await d.dismiss().catch(() => {}); });
const external = new Set();
// *.vscode-cdn.net is how webviews address their local resources; the service worker answers those, not the network
page.on('request', (r) => { const u = new URL(r.url()); if (u.protocol.startsWith('http') && !['127.0.0.1', 'localhost'].includes(u.hostname) && !u.hostname.endsWith('.vscode-resource.vscode-cdn.net')) external.add(u.origin); });

let failed = false;
const check = async (name, fn) => {
  try { await fn(); log('PASS', name); }
  catch (e) { failed = true; log('FAIL', name, String(e.message).split('\n')[0]); await page.screenshot({ path: `${outDir}/fail-${name.replace(/\W+/g, '_')}.png` }).catch(() => {}); }
};
/** screenshots without toasts covering the dashboard (their content is checked elsewhere) */
async function shot(name) {
  for (const x of await page.locator('.notification-toast .codicon-notifications-clear').all()) await x.click().catch(() => {});
  if (name !== 'context-menu') await page.mouse.move(900, 400); // no hover tooltips over the views
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${outDir}/${name}.png` });
}
// webview = outer iframe (iframe.webview) -> inner iframe (#active-frame)
const dashboard = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
const treeItem = (name) => page.locator('.explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();

async function expand(name) {
  const row = treeItem(name);
  await row.waitFor({ timeout: 60_000 });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
}

/** right-click a file in the explorer and pick a context-menu entry (retrying: menus appear once the extension's contributions are in) */
async function contextMenu(fileName, entry, screenshot) {
  const deadline = Date.now() + 45_000;
  for (;;) {
    await treeItem(fileName).click({ button: 'right' });
    const item = page.locator('.context-view .action-item', { hasText: entry }).first();
    try {
      await item.waitFor({ timeout: 3_000 });
      await page.waitForTimeout(300); // menu fade-in
      if (screenshot) await shot(screenshot);
      await item.click();
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw e;
      await page.waitForTimeout(1000);
    }
  }
}

try {
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(folder)}`);
  await check('workbench loads with the fixture workspace', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await expand('data');
    await expand('batches');
    await treeItem('day2-drifted.csv').waitFor({ timeout: 30_000 });
  });

  await check('explorer right-click on a CSV -> "Check Drift" -> dashboard PSI chart with the drifted features', async () => {
    await contextMenu('day2-drifted.csv', 'Check Drift', 'context-menu');
    const d = dashboard();
    await d.locator('#psi-canvas').waitFor({ timeout: 90_000 });
    await d.locator('.summary', { hasText: 'day2-drifted.csv' }).waitFor({ timeout: 90_000 });
    const names = await d.locator('#feature-table .feature-name').allTextContents();
    for (const f of ['Flow Duration', 'Flow Bytes/s']) if (!names.some((n) => n.trim() === f)) throw new Error(`feature table lacks ${f}: ${names.slice(0, 10)}`);
    const aria = await d.locator('#psi-canvas').getAttribute('aria-label');
    if (!aria.includes('Flow Duration')) throw new Error(`PSI chart does not list Flow Duration: ${aria}`);
    await page.waitForTimeout(500); // let chart.js paint
    await shot('dashboard-psi');
    // the histogram of a selected feature
    await d.locator('#feature-table-body .vrow', { hasText: 'Flow Duration' }).first().click();
    await d.locator('#hist-canvas').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    await shot('dashboard-histogram');
  });

  await check('escalation banner, a plan that waits for review, the decision\'s estimate with its interval and realised accuracy, importance-weighted drift; Reset Escalation from the dashboard', async () => {
    const d = dashboard();
    // left by the extension-host suite: two failed validations, then a retrain plan that waits for a person
    const banner = d.locator('#escalation');
    await banner.filter({ hasText: /The agent waits for a person: 2 validations failed in a row \(v\d+, v\d+\)/ }).waitFor({ timeout: 30_000 });
    await d.locator('#review-required', { hasText: '2 consecutive failed validations' }).waitFor({ timeout: 10_000 });
    const approve = await d.locator('#approve').textContent();
    if (!/Approve after Review/.test(approve)) throw new Error(`approve button: ${approve}`);
    const estimate = await d.locator('#estimate-line').textContent();
    if (!/^estimated accuracy \d+\.\d% \(95% interval \d+\.\d%–\d+\.\d%\) on \d+ rows/.test(estimate)) throw new Error(`estimate: ${estimate}`);
    const realised = await d.locator('#realised-line').textContent();
    if (!/^realised \d+\.\d% on \d+ labelled rows/.test(realised)) throw new Error(`realised: ${realised}`);
    const bar = await d.locator('#estimate-bar').getAttribute('aria-label');
    if (!/95% interval .* realised/.test(bar)) throw new Error(`estimate bar: ${bar}`);
    const impact = await d.locator('#impact-line').textContent();
    if (!/of the model's importance sits on \d+ features? drifted beyond sampling noise/.test(impact)) throw new Error(`impact: ${impact}`);
    const rows = await d.locator('#impact-table tbody tr').count();
    if (rows < 1) throw new Error('no feature in the importance-weighted table');
    await banner.scrollIntoViewIfNeeded();
    await d.locator('#agent').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    await shot('dashboard-escalation');
    await d.locator('#evidence').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    await shot('dashboard-evidence');
    // the way out: the person resets it (VS Code asks first)
    await d.locator('#reset-escalation').click();
    const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Reset Escalation' });
    await confirm.waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${outDir}/reset-escalation-confirm.png` });
    await confirm.click();
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await d.locator('#approve').waitFor({ timeout: 5_000 }); // the plan still waits for its answer
    // the re-render with the new state kept the page where the reader was (not back at the top)
    // polled for a few seconds: while VS Code's confirm dialog closes, the webview's frame may briefly report no
    // scroll at all (seen once under load, the page itself in place afterwards); a dashboard that really jumps
    // to the top stays there and still fails
    const agentInView = () => d.locator('#agent').evaluate((e) => { const r = e.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0 && scrollY > 0; });
    let inView = await agentInView();
    for (let i = 0; i < 20 && !inView; i++) {
      await page.waitForTimeout(250);
      inView = await agentInView();
    }
    if (!inView) throw new Error('the dashboard jumped away from the agent section when the state changed');
    await d.locator('#agent').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    await shot('dashboard-after-reset');
  });

  await check('digital-twin runner completes live in the dashboard', async () => {
    const d = dashboard();
    await d.locator('#simulation').scrollIntoViewIfNeeded();
    await d.locator('#run-simulation').click();
    await d.locator('#sim-steps li').first().waitFor({ timeout: 60_000 });
    await d.locator('#sim-result', { hasText: 'Simulation complete' }).waitFor({ timeout: 180_000 });
    const steps = await d.locator('#sim-steps li').allTextContents();
    if (steps.length < 2) throw new Error(`only ${steps.length} steps shown`);
    await d.locator('#sim-result').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot('digital-twin');
  });

  await check('a CSV header `<img src=x onerror=alert(1)>` renders as text, no script runs', async () => {
    await contextMenu('xss-header.csv', 'Check Drift');
    const d = dashboard();
    await d.locator('.summary', { hasText: 'xss-header.csv' }).waitFor({ timeout: 90_000 });
    // the column is new to the baseline: a data-quality finding (groups start collapsed)
    for (const summary of await d.locator('details.qgroup summary').all()) await summary.click();
    const shown = d.getByText(XSS, { exact: false }).first();
    await shown.waitFor({ timeout: 10_000 });
    await shown.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    const injected = await d.locator('img[src="x"]').count();
    if (injected) throw new Error(`${injected} <img src=x> elements were created`);
    await page.waitForTimeout(1500); // give a would-be onerror handler time to fire
    if (dialogs.length) throw new Error(`dialog fired: ${dialogs.join('; ')}`);
    await shot('xss-as-text');
  });

  await check('twin picker defaults to the batch just checked, its list is not clipped', async () => {
    const d = dashboard();
    const value = await d.locator('#sim-csv').inputValue();
    if (value !== 'data/batches/xss-header.csv') throw new Error(`twin picker shows ${value}`);
    await d.locator('#sim-csv').scrollIntoViewIfNeeded();
    await d.locator('#sim-csv').click();
    await d.locator('#sim-csv').fill('batches');
    await d.locator('#sim-csv-list li[role="option"]').first().waitFor({ timeout: 5_000 });
    const options = await d.locator('#sim-csv-list li[role="option"]').count();
    if (options < 3) throw new Error(`only ${options} batch options`);
    // the last option is inside the visible webview
    const box = await d.locator('#sim-csv-list li[role="option"]').last().boundingBox();
    if (!box || box.y + box.height > 950) throw new Error(`last option at ${JSON.stringify(box)}`);
    await shot('twin-picker');
    await page.keyboard.press('Escape');
  });

  await check('1,500-column table: virtualised sortable filterable features table, grouped quality findings, searchable feature picker', async () => {
    await expand('wide');
    await contextMenu('grants_base.csv', 'Use as Baseline');
    const d = dashboard();
    await d.locator('#baseline-name', { hasText: 'wide/grants_base.csv' }).waitFor({ timeout: 120_000 });
    await contextMenu('grants_batch.csv', 'Check Drift');
    await d.locator('.summary', { hasText: 'grants_batch.csv' }).waitFor({ timeout: 120_000 });
    await d.locator('#baseline-name', { hasText: 'wide/grants_base.csv' }).waitFor({ timeout: 10_000 });
    const count = d.locator('#feature-table-count');
    await count.filter({ hasText: 'showing 1500 of 1500 features' }).waitFor({ timeout: 10_000 });
    const inDom = await d.locator('#feature-table-body .vrow:not(.vhead)').count();
    if (inDom > 100) throw new Error(`${inDom} rows in the DOM: not virtualised`);
    await d.locator('#features').scrollIntoViewIfNeeded();
    await shot('wide-features-table');
    // scroll to the end: the last feature is reachable
    await d.locator('#feature-table-body').evaluate((b) => { b.scrollTop = b.scrollHeight; });
    await d.locator('#feature-table-body .vrow[aria-rowindex="1501"]').waitFor({ timeout: 5_000 });
    // filter by name
    await d.locator('#feature-table-filter').fill('measure_1000');
    await count.filter({ hasText: 'showing 1 of 1500 features' }).waitFor({ timeout: 5_000 });
    await d.locator('#feature-table-filter').fill('');
    // sort by name, ascending
    // (the header sticks under the dashboard's own sticky header: click it where it is)
    await d.locator('#feature-table .vth[data-key="name"]').evaluate((b) => b.click());
    await d.locator('#feature-table .vth[data-key="name"][aria-sort="ascending"]').waitFor({ timeout: 5_000 });
    const firstRows = await d.locator('#feature-table-body .vrow:not(.vhead)').evaluateAll((rows) => rows.map((r) => [r.getAttribute('aria-rowindex'), r.getAttribute('data-name')]));
    const first = firstRows.find(([i]) => i === '2')?.[1];
    if (first !== 'awarded') throw new Error(`sorted by name, first row is ${first}: ${JSON.stringify(firstRows.slice(0, 5))}`);
    await d.locator('#feature-table .vth[data-key="psi"]').evaluate((b) => b.click());
    await d.locator('#feature-table-flagged').check();
    const drifted = await count.textContent();
    if (!/showing \d+ of 1500 features/.test(drifted) || /showing 1500/.test(drifted)) throw new Error(`drifted only: ${drifted}`);
    await d.locator('#feature-table-flagged').uncheck();
    // data quality: grouped by kind, largest group first, collapsed, with counts
    const group = d.locator('details.qgroup').first();
    const summary = await group.locator('summary').textContent();
    const n = Number(/^\s*(\d+)/.exec(summary)?.[1]);
    if (!(n > 100)) throw new Error(`largest quality group: ${summary}`);
    if (await group.getAttribute('open') !== null) throw new Error('groups start collapsed');
    await d.locator('#quality').scrollIntoViewIfNeeded();
    await shot('wide-quality-collapsed');
    await group.locator('summary').click();
    await group.locator('li').nth(n - 1).waitFor({ timeout: 5_000 });
    await group.locator('input[type="search"]').fill('measure_0000');
    await page.waitForTimeout(200);
    if ((await group.locator('li').count()) !== 1) throw new Error(`group filter left ${await group.locator('li').count()} findings`);
    await shot('wide-quality-group-filtered');
    await group.locator('summary').click();
    // searchable feature picker: type to filter, Enter to pick
    await d.locator('#feature-select').scrollIntoViewIfNeeded();
    await d.locator('#feature-select').click();
    await d.locator('#feature-select').fill('sponsor');
    await d.locator('#feature-select-list li[data-value="sponsor_code"]').waitFor({ timeout: 5_000 });
    await page.keyboard.press('Enter');
    const aria = await d.locator('#hist-canvas').getAttribute('aria-label');
    if (!/^Histogram of sponsor_code: .*other \(\d+ categories\)/.test(aria)) throw new Error(`histogram: ${aria.slice(0, 200)}`);
    await d.locator('#histogram').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot('wide-sponsor-histogram');
  });

  await check('categorical columns: table, histogram with top categories; drift over time one series per baseline; metrics from 0', async () => {
    await expand('credit');
    await contextMenu('credit_base.csv', 'Use as Baseline');
    const d = dashboard();
    await d.locator('#baseline-name', { hasText: 'credit/credit_base.csv' }).waitFor({ timeout: 60_000 });
    await contextMenu('credit_batch.csv', 'Check Drift');
    await d.locator('.summary', { hasText: 'credit_batch.csv' }).waitFor({ timeout: 60_000 });
    await d.locator('#feature-table-body .vrow', { hasText: 'categorical' }).first().waitFor({ timeout: 10_000 });
    await d.locator('#feature-table-body .vrow[data-name="purpose"]').click();
    const aria = await d.locator('#hist-canvas').getAttribute('aria-label');
    if (!/^Histogram of purpose: .*\(other\/new\)/.test(aria)) throw new Error(`histogram: ${aria.slice(0, 200)}`);
    await d.locator('#histogram').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot('credit-purpose-histogram');
    const history = await d.locator('#history-canvas').getAttribute('aria-label');
    const series = Number(/(\d+) series/.exec(history)?.[1]);
    if (!(series >= 3)) throw new Error(`drift history: ${history}`);
    await d.locator('#history').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot('drift-over-time');
    await d.locator('#models').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot('models-metrics');
    // back to production for the checks that follow
    await d.locator('#use-production').click();
    await d.locator('#baseline-name', { hasText: 'production' }).waitFor({ timeout: 30_000 });
  });

  await check('Parquet files (real flights, DuckDB): Use as Baseline and Check Drift from the explorer; multivariate drift measured from the dashboard', async () => {
    await expand('flights');
    await contextMenu('flights_2001-01-w1.parquet', 'Use as Baseline', 'context-menu-parquet');
    const d = dashboard();
    await d.locator('#baseline-name', { hasText: 'flights/flights_2001-01-w1.parquet' }).waitFor({ timeout: 120_000 });
    await contextMenu('flights_2001-06-w1.parquet', 'Check Drift');
    await d.locator('.summary', { hasText: 'flights_2001-06-w1.parquet' }).waitFor({ timeout: 120_000 });
    const names = await d.locator('#feature-table .feature-name').allTextContents();
    for (const f of ['delay', 'distance', 'dep_hour', 'origin', 'destination']) if (!names.includes(f)) throw new Error(`feature table lacks ${f}: ${names}`);
    // not measured with this check: the section offers it
    await d.locator('#measure-multivariate').scrollIntoViewIfNeeded();
    await d.locator('#measure-multivariate').click();
    const verdict = d.locator('#multivariate-verdict');
    await verdict.waitFor({ timeout: 240_000 });
    const auc = await d.locator('#multivariate-auc').textContent();
    if (!/^ROC AUC 0\.\d{3} \(95% interval 0\.\d{3}–[01]\.\d{3}, 5-fold cross-validation\)/.test(auc)) throw new Error(`domain classifier: ${auc}`);
    const pca = await d.locator('#multivariate-pca').textContent();
    if (!/^current error \d+\.\d{3} vs baseline \d+\.\d{3}, normal band/.test(pca)) throw new Error(`PCA: ${pca}`);
    const sample = await d.locator('#multivariate-sample').textContent();
    if (!/^5,000 baseline and 5,000 current rows sampled, 5 features/.test(sample)) throw new Error(`sample: ${sample}`);
    if ((await d.locator('#multivariate-features tbody tr').count()) !== 5) throw new Error('the five flight features should be ranked');
    // the report still names the Parquet batch (the same source was checked again)
    await d.locator('.summary', { hasText: 'flights_2001-06-w1.parquet' }).waitFor({ timeout: 10_000 });
    await d.locator('#multivariate').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    await shot('dashboard-multivariate');
    // a click on a separating feature shows its histogram
    await d.locator('#multivariate-features tbody tr[data-name="delay"]').click();
    const aria = await d.locator('#hist-canvas').getAttribute('aria-label');
    if (!aria.startsWith('Histogram of delay:')) throw new Error(`histogram: ${aria.slice(0, 120)}`);
    await d.locator('#use-production').click();
    await d.locator('#baseline-name', { hasText: 'production' }).waitFor({ timeout: 30_000 });
  });

  await check('DriftCatcher views + status bar', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="DriftCatcher"]').first().click();
    await page.locator('.pane-header', { hasText: 'Drift' }).first().waitFor({ timeout: 10_000 });
    await page.locator('.monaco-list-row', { hasText: 'features drifted' }).first().waitFor({ timeout: 20_000 });
    await page.locator('.statusbar-item', { hasText: 'DriftCatcher' }).first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    await shot('views');
  });

  await check('webview loaded without Content-Security-Policy violations', async () => {
    if (cspViolations.length) throw new Error(cspViolations.slice(0, 3).join(' | '));
  });
} catch (e) { failed = true; log('ERROR', e); }
finally {
  fs.writeFileSync(`${outDir}/console.log`, consoleLines.join('\n'));
  log('external origins requested:', [...external].join(', ') || '(none)');
  if (dialogs.length) { failed = true; log('FAIL dialogs fired:', dialogs.join('; ')); }
  await browser.close();
}
log(failed ? 'RESULT: FAIL' : 'RESULT: PASS');
process.exit(failed ? 1 : 0);
