// The frontend figures. The production app (packages/app/dist, rebuilt only
// when a source is newer or BENCH_REBUILD=1) is served by the backend's
// app-backend plugin. In headless Chromium, signed in as guest, each sample
// opens a fresh page on the SageMaker tab and times navigation → the first
// version card visible with its Details button actionable (Playwright's
// trial click: visible, stable, enabled, receiving events); clicking it must
// then open the details drawer. The plugin's chunks are the built JS files
// whose source maps list a file under plugins/sagemaker*/src; each is
// reported raw and gzipped (an entry chunk, loaded by index.html, is shared
// with the whole app), next to the whole app's gzipped JS.
import { spawn } from 'node:child_process';
import {
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../e2e/stack.mjs';

const DIST = join(ROOT, 'packages/app/dist');
const STATIC = join(DIST, 'static');
const SOURCES = [
  'packages/app/src',
  'packages/app/public',
  'packages/app/package.json',
  'plugins/sagemaker/src',
  'plugins/sagemaker/package.json',
  'plugins/sagemaker-common/src',
  'plugins/sagemaker-common/package.json',
  'app-config.yaml',
  'yarn.lock',
];
const PLUGIN_SOURCE = /\/plugins\/sagemaker(-common)?\/src\//;
const VERSIONS_TAB = '/catalog/default/component/fraud-detection/sagemaker';

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...readdirSync(path).map(name => newestMtime(join(path, name))),
  );
}

/** Builds the app unless dist is newer than every source (or `rebuild`). */
export async function ensureAppBuild({ logDir, rebuild }) {
  const index = join(DIST, 'index.html');
  const sourcesMtime = Math.max(
    ...SOURCES.map(p => join(ROOT, p))
      .filter(existsSync)
      .map(newestMtime),
  );
  if (!rebuild && existsSync(index) && statSync(index).mtimeMs > sourcesMtime) {
    return { built: false };
  }
  const started = Date.now();
  await new Promise((done, fail) => {
    const child = spawn('yarn', ['workspace', 'app', 'build'], {
      cwd: ROOT,
      stdio: [
        'ignore',
        openSync(join(logDir, 'app-build.log'), 'w'),
        openSync(join(logDir, 'app-build.err.log'), 'w'),
      ],
    });
    child.on('error', fail);
    child.on('exit', code =>
      code === 0
        ? done()
        : fail(new Error(`yarn workspace app build exited with ${code}`)),
    );
  });
  return { built: true, seconds: (Date.now() - started) / 1000 };
}

/** The plugin's chunks (by source map) and the app's total JS, raw and gzipped. */
export function chunkSizes() {
  const jsFiles = readdirSync(STATIC).filter(name => name.endsWith('.js'));
  const indexHtml = readFileSync(join(DIST, 'index.html'), 'utf8');
  const size = name => {
    const content = readFileSync(join(STATIC, name));
    return { raw: content.length, gzip: gzipSync(content).length };
  };
  const pluginChunks = [];
  for (const name of jsFiles) {
    const map = join(STATIC, `${name}.map`);
    if (!existsSync(map)) continue;
    const sources = JSON.parse(readFileSync(map, 'utf8')).sources ?? [];
    const pluginSources = sources.filter(s => PLUGIN_SOURCE.test(s)).length;
    if (pluginSources > 0) {
      pluginChunks.push({
        name,
        entry: indexHtml.includes(`/static/${name}`),
        ...size(name),
        pluginSources,
        sources: sources.length,
      });
    }
  }
  if (pluginChunks.length === 0) {
    throw new Error(
      'no built chunk has a source map naming plugins/sagemaker*/src',
    );
  }
  pluginChunks.sort((a, b) => b.gzip - a.gzip);
  const all = jsFiles.map(size);
  return {
    pluginChunks,
    appJs: {
      files: jsFiles.length,
      raw: all.reduce((a, s) => a + s.raw, 0),
      gzip: all.reduce((a, s) => a + s.gzip, 0),
    },
  };
}

/**
 * Signs in as guest at `appUrl`, loads the tab once unmeasured (browser
 * cache, backend caches), then takes `samples` timings in milliseconds of
 * navigation → first version card interactive, each on a fresh page.
 */
export async function measureVersionsTab({ browser, appUrl, samples }) {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
  });
  context.setDefaultTimeout(60_000);
  const signIn = await context.newPage();
  await signIn.goto(appUrl);
  await signIn.getByRole('button', { name: 'Enter' }).click();
  await signIn.waitForURL(/\/catalog/);
  await signIn.close();

  const loadOnce = async () => {
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(`${appUrl}${VERSIONS_TAB}`);
    const details = page
      .getByRole('article', { name: /^Version \d+$/ })
      .first()
      .getByRole('button', { name: 'Details' });
    await details.click({ trial: true });
    const ms = performance.now() - started;
    await details.click();
    await page.getByRole('button', { name: 'Close details' }).waitFor();
    await page.close();
    return ms;
  };
  await loadOnce();
  const timings = [];
  for (let i = 0; i < samples; i += 1) {
    timings.push(await loadOnce());
  }
  await context.close();
  return timings;
}
