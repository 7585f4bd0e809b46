// Desktop performance benchmark (issue 4): cold start to the first
// interactive screen, and the memory of all the app's processes with a
// 100,000-message channel open. Goal: under 1.5 s and under 200 MB.
//
// A benchmark, not a test: it reports numbers and compares them with the
// goal and with a baseline measured in the same run (the same app on a
// profile in no channel); it fails only when it cannot measure.
//
// `cargo xtask bench-desktop` builds everything, prepares the data once
// (crates/liaison-demo/examples/desktop-bench-home) and runs this under Xvfb
// in its own session bus. docs/performance.md ("Desktop app") explains the
// clocks and holds the results.
//
// Environment (set by xtask):
//   LIAISON_BENCH_DRIVER    the tauri-driver binary
//   LIAISON_BENCH_APPS      builds to measure, "label=path,label=path" (the first is compared with
//                           the goal); "label=path;NAME=VALUE" also sets NAME=VALUE for that app
//   LIAISON_BENCH_HOME_TOOL the desktop-bench-home program
//   LIAISON_BENCH_DATA      its data directory (prepared already)
//   LIAISON_BENCH_MESSAGES  messages in the seeded channel (default 100000)
//   LIAISON_BENCH_RUNS      cold starts per build and profile (default 7)
//   LIAISON_BENCH_REPORT    optional: where to write the report as JSON

import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, waitForPort } from './net.mjs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { remote } from 'webdriverio';
import { processTree, treeMemory } from './memory.mjs';
import { breakdown, otherWebKitProcesses } from './smaps.mjs';
import { ids } from './testids.mjs';

const GOAL_START_MS = 1500;
const GOAL_MEMORY_MIB = 200;
const SETTLE_MS = 5000;

const driverBin = required('LIAISON_BENCH_DRIVER');
const apps = required('LIAISON_BENCH_APPS')
  .split(',')
  .map((entry) => {
    const [app, ...settings] = entry.split(';');
    const at = app.indexOf('=');
    const env = Object.fromEntries(settings.map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));
    return { label: app.slice(0, at), path: app.slice(at + 1), env };
  });
const homeTool = required('LIAISON_BENCH_HOME_TOOL');
const dataDir = required('LIAISON_BENCH_DATA');
const messages = Number(process.env.LIAISON_BENCH_MESSAGES || 100000);
const runs = Number(process.env.LIAISON_BENCH_RUNS || 7);
const reportFile = process.env.LIAISON_BENCH_REPORT;

const children = [];
const scratch = mkdtempSync(join(tmpdir(), 'liaison-bench-'));

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set: run this through \`cargo xtask bench-desktop\``);
    process.exit(2);
  }
  return value;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (kib) => kib / 1024;
const fmt = (n, digits = 0) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));

function stats(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1], values };
}


const alive = (pid) => existsSync(`/proc/${pid}`);

/** CPU seconds a process has used (user + system), from /proc/<pid>/stat. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Waits until `pid` uses under 5% of a core for two seconds running (at most `limitMs`). */
async function waitIdle(pid, what, limitMs = 180000) {
  const deadline = Date.now() + limitMs;
  let quiet = 0;
  let before = cpuSeconds(pid);
  while (Date.now() < deadline && quiet < 2) {
    await sleep(1000);
    const now = cpuSeconds(pid);
    quiet = now - before < 0.05 ? quiet + 1 : 0;
    before = now;
  }
  if (quiet < 2) console.log(`note: ${what} was still busy after ${limitMs / 1000} s`);
}

// ------------------------------------------------------------ the world

/** Starts the prepared world's relay; resolves with its JSON line. */
async function startWorld() {
  const child = spawn(homeTool, [dataDir, '--messages', String(messages)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  const line = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`desktop-bench-home exited with ${code}`)));
    lines.once('line', resolve);
  });
  return { child, info: JSON.parse(line) };
}

// ------------------------------------------------------------- baseline

/**
 * A bare WebKitGTK window with Liaison's webview settings (bare-webview.py),
 * measured like the app: what any app on this webview pays before it does
 * anything. Resolves with its settled memory, or with {error} when the
 * system Python has no WebKitGTK bindings (the app's figures stand alone).
 */
async function bareWebviewMemory(env = {}) {
  const script = new URL('./bare-webview.py', import.meta.url).pathname;
  const child = spawn('/usr/bin/python3', [script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  try {
    const lines = createInterface({ input: child.stdout });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no "ready" within 30 s')), 30000);
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      lines.on('line', (line) => {
        if (line === 'ready') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    return await settledMemory(child.pid);
  } catch (error) {
    return { error: String(error?.message ?? error) };
  } finally {
    child.kill('SIGTERM');
  }
}

// ------------------------------------------------------------- launching

/**
 * A launcher for `app`: a shell script that appends "<pid> <ns since the
 * epoch>" to a file, then execs the app (same pid). WebKitWebDriver starts
 * it, so the app's clock starts at exec, not at the WebDriver request.
 */
function launcher(app) {
  const stamps = join(scratch, `${app.label}.stamps`);
  const script = join(scratch, `launch-${app.label}.sh`);
  writeFileSync(script, `#!/bin/sh\necho "$$ $(date +%s%N)" >> '${stamps}'\nexec '${app.path}' "$@"\n`);
  chmodSync(script, 0o755);
  return { script, stamps };
}

function lastStamp(stamps) {
  const lines = readFileSync(stamps, 'utf8').trim().split('\n');
  const [pid, ns] = lines[lines.length - 1].split(' ');
  return { pid: Number(pid), epochMs: Number(BigInt(ns) / 1000n) / 1000 };
}

/** A tauri-driver (and its WebKitWebDriver) whose app uses `home` and `app`'s environment. */
async function startDriver(name, home, world, app) {
  const port = await freePort();
  const nativePort = await freePort();
  const base = join(scratch, `${name}-session`);
  const child = spawn(driverBin, ['--port', String(port), '--native-port', String(nativePort)], {
    env: {
      ...process.env,
      LIAISON_HOME: home,
      LIAISON_RELAY_URL: world.relayUrl,
      LIAISON_RELAY_CA: world.relayCa,
      HOME: base,
      XDG_DATA_HOME: join(base, 'data'),
      XDG_CONFIG_HOME: join(base, 'config'),
      XDG_CACHE_HOME: join(base, 'cache'),
      RUST_LOG: 'warn',
      ...app.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  await waitForPort(port, 20000);
  await waitForPort(nativePort, 20000);
  return { port, child };
}

async function stopDriver(driver) {
  driver.child.kill('SIGTERM');
  await new Promise((resolve) => (driver.child.exitCode !== null ? resolve() : driver.child.once('exit', resolve)));
}

async function isReady(browser) {
  try {
    return (await browser.execute(() => document.documentElement.dataset.ready ?? '')) === '1';
  } catch {
    return false;
  }
}

/**
 * One launch to the first interactive screen. Clocks:
 * - launchToReady: exec of the app → performance.mark('liaison-ready'), both
 *   wall-clock; what a user waits for. Compared with the goal.
 * - launchToNavigation: exec → the webview's time origin (native start-up:
 *   Tauri, GTK, the WebKit processes).
 * - navigationToReady: time origin → the mark (page load, JS, the status
 *   command, first render).
 * - launchToPaint: exec → WebKit's first-contentful-paint (the screen's
 *   pixels, a frame or a few after the mark).
 * - driverToReady: the WebDriver request → the ready flag seen by polling
 *   (10 ms); adds session creation and the poll.
 * - driverToLaunch: the WebDriver request → exec (WebKitWebDriver's share).
 */
async function coldStart(driver, app, launch) {
  const requested = Date.now();
  const browser = await remote({
    hostname: '127.0.0.1',
    port: driver.port,
    logLevel: 'error',
    capabilities: { 'tauri:options': { application: launch.script } },
  });
  const session = Date.now();
  let seen = 0;
  for (const deadline = Date.now() + 60000; Date.now() < deadline; ) {
    if (await isReady(browser)) {
      seen = Date.now();
      break;
    }
    await sleep(10);
  }
  if (!seen) throw new Error(`${app.label}: the first screen never became ready`);
  // The paint that shows the screen comes a frame or a few after the mark.
  let page;
  for (const deadline = Date.now() + 3000; ; ) {
    page = await readTimings(browser);
    if (page.firstPaint !== null || Date.now() > deadline) break;
    await sleep(20);
  }
  const stamp = lastStamp(launch.stamps);
  const readyAt = page.timeOrigin + page.ready;
  return {
    browser,
    pid: stamp.pid,
    screen: page.screen,
    launchToReady: readyAt - stamp.epochMs,
    launchToNavigation: page.timeOrigin - stamp.epochMs,
    navigationToReady: page.ready,
    launchToPaint: page.firstPaint === null ? NaN : page.timeOrigin + page.firstPaint - stamp.epochMs,
    driverToReady: seen - requested,
    driverSession: session - requested,
    driverToLaunch: stamp.epochMs - requested,
    // Sanity: the poll cannot see the flag before the page set it.
    pollLag: seen - readyAt,
  };
}

/** The page's own clocks: time origin, the ready mark, the first contentful paint. */
async function readTimings(browser) {
  return browser.execute(() => {
    const mark = performance.getEntriesByName('liaison-ready')[0];
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return {
      timeOrigin: performance.timeOrigin,
      ready: mark ? mark.startTime : null,
      firstPaint: paint ? paint.startTime : null,
      screen: document.querySelector('[data-testid="unlock-submit"]')
        ? 'unlock'
        : document.querySelector('[data-testid="onboarding-submit"]')
          ? 'onboarding'
          : 'other',
    };
  });
}

/** Ends the session and waits until the app's processes are gone. */
async function close(browser, pid) {
  const tree = processTree(pid);
  await browser.deleteSession().catch(() => {});
  for (const deadline = Date.now() + 15000; Date.now() < deadline && tree.some(alive); ) await sleep(50);
  for (const p of tree.filter(alive)) {
    console.log(`note: process ${p} outlived its session; terminating it`);
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  await sleep(300);
}

// ---------------------------------------------------------------- memory

/**
 * The app's tree memory after it settled: the last of three samples a
 * second apart, with where it goes (smaps.mjs).
 */
async function settledMemory(pid) {
  await sleep(SETTLE_MS);
  let sample;
  for (let i = 0; i < 3; i += 1) {
    sample = treeMemory(pid);
    await sleep(1000);
  }
  const others = otherWebKitProcesses(processTree(pid));
  if (others.length > 0) {
    console.log(`note: ${others.length} other processes map WebKitGTK (${others.map((o) => o.name).join(', ')}); PSS is shared with them`);
  }
  return { ...sample, breakdown: breakdown(pid), others };
}

async function waitForTestId(browser, id, timeout = 60000) {
  const element = await browser.$(`[data-testid="${id}"]`);
  await element.waitForExist({ timeout });
  return element;
}

/** Scrolls the thread to a fraction of its height and waits until no row is a placeholder. */
async function scrollThread(browser, fraction) {
  const started = Date.now();
  await browser.execute((f) => {
    const feed = document.querySelector('[data-testid="thread"] [role="feed"]');
    feed.scrollTop = Math.round((feed.scrollHeight - feed.clientHeight) * f);
  }, fraction);
  // Measured heights move the anchor a little; wait for rows and no placeholders, twice in a row.
  let stable = 0;
  let rows = [];
  for (const deadline = Date.now() + 30000; Date.now() < deadline && stable < 2; ) {
    await sleep(100);
    const view = await browser.execute(() => {
      const indices = [...document.querySelectorAll('[data-testid="message-row"]')].map((r) => Number(r.dataset.index));
      return { indices, placeholders: document.querySelectorAll('[data-testid="row-placeholder"]').length };
    });
    stable = view.indices.length > 0 && view.placeholders === 0 ? stable + 1 : 0;
    rows = view.indices;
  }
  return { ms: Date.now() - started, first: Math.min(...rows), last: Math.max(...rows), settled: stable >= 2 };
}

/** Unlocks, (for the full profile) opens the channel and scrolls it; memory at each step. */
async function memoryScenario(driver, app, launch, world, withChannel) {
  const start = await coldStart(driver, app, launch);
  const { browser, pid } = start;
  const result = { pid };
  try {
    result.locked = await settledMemory(pid);
    await (await waitForTestId(browser, ids.unlockPassphrase)).setValue(world.passphrase);
    const unlockStarted = Date.now();
    await (await browser.$(`[data-testid="${ids.unlockSubmit}"]`)).click();
    await waitForTestId(browser, ids.channelList);
    result.unlockMs = Date.now() - unlockStarted;
    const rows = async () => (await browser.$$(`[data-testid="${ids.messageRow}"]`)).length > 0;
    if (withChannel) {
      // The app opens the most recently active channel by itself: the seeded one.
      await browser.waitUntil(rows, { timeout: 60000, interval: 20 }).catch(() => {});
      result.openMs = Date.now() - unlockStarted;
    }
    result.unlocked = await settledMemory(pid);
    if (withChannel) {
      // Click the seeded channel only if the app did not open it.
      const name = world.prepared.channel;
      const item = await browser.$(`[data-testid="channel-item"][data-channel-name="${name}"]`);
      await item.waitForExist({ timeout: 30000 });
      result.openedByItself = (await item.getAttribute('aria-current')) === 'page';
      if (!result.openedByItself) await item.click();
      await browser.waitUntil(rows, { timeout: 60000, interval: 20, timeoutMsg: 'the channel showed no message' });
      result.total = await browser.execute(() => {
        const rows = [...document.querySelectorAll('[data-testid="message-row"]')];
        return Math.max(...rows.map((r) => Number(r.dataset.index))) + 1;
      });
      result.scroll = {
        top: await scrollThread(browser, 0),
        middle: await scrollThread(browser, 0.5),
        end: await scrollThread(browser, 1),
      };
      result.channel = await settledMemory(pid);
    }
  } catch (error) {
    const text = await browser.execute(() => document.body?.innerText ?? '').catch(() => '');
    console.error(`${app.label}: screen when the scenario stopped:\n${String(text).slice(0, 1500)}`);
    throw error;
  } finally {
    await close(browser, pid);
  }
  return result;
}

// ---------------------------------------------------------------- report

function machine() {
  const webkit = (() => {
    try {
      return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'libwebkit2gtk-4.1-0'], { encoding: 'utf8' });
    } catch {
      return 'unknown';
    }
  })();
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryMib: Math.round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024),
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    webkitgtk: webkit,
    load: loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

function memoryLine(name, sample, base) {
  const delta = base ? `  (${sample.pssKib >= base.pssKib ? '+' : ''}${fmt(mib(sample.pssKib - base.pssKib), 1)} PSS over baseline)` : '';
  const shared = sample.others?.length ? `  [PSS shared with ${sample.others.length} other WebKit processes]` : '';
  return `  ${name.padEnd(34)} PSS ${fmt(mib(sample.pssKib), 1).padStart(6)} MiB   RSS ${fmt(mib(sample.rssKib), 1).padStart(6)} MiB${delta}${shared}`;
}

function perProcess(sample) {
  const byName = new Map();
  for (const p of sample.processes) {
    const entry = byName.get(p.name) ?? { count: 0, pssKib: 0, rssKib: 0 };
    entry.count += 1;
    entry.pssKib += p.pssKib;
    entry.rssKib += p.rssKib;
    byName.set(p.name, entry);
  }
  return [...byName.entries()]
    .sort((a, b) => b[1].pssKib - a[1].pssKib)
    .map(([name, e]) => `      ${`${name}${e.count > 1 ? ` ×${e.count}` : ''}`.padEnd(30)} PSS ${fmt(mib(e.pssKib), 1).padStart(6)}  RSS ${fmt(mib(e.rssKib), 1).padStart(6)}`)
    .join('\n');
}

function whereItGoes(title, sample) {
  console.log(`  where it goes, ${title} (MiB of PSS):`);
  for (const p of sample.breakdown.filter((b) => b.pssKib >= 1024)) {
    const parts = `anon ${fmt(mib(p.anonKib), 1)} + file ${fmt(mib(p.fileKib), 1)} + shmem ${fmt(mib(p.shmemKib), 1)}`;
    const heavy = p.top.map((t) => `${t.mapping} ${fmt(mib(t.pssKib), 1)}`).join(', ');
    console.log(`    ${p.name.padEnd(16)} ${fmt(mib(p.pssKib), 1).padStart(6)} = ${parts}\n      heaviest: ${heavy}`);
  }
}

function print(report) {
  const m = report.machine;
  console.log('\n=== Liaison desktop benchmark ===');
  console.log(`machine: ${m.cores} × ${m.cpu}, ${m.memoryMib} MiB, Linux ${m.kernel}, WebKitGTK ${m.webkitgtk}`);
  console.log(`load average at start: ${m.load}; at end: ${report.loadAtEnd}`);
  console.log(`seeded channel: ${report.channel} (${report.channelTotal} messages); ${runs} cold starts per build and profile`);
  for (const build of report.builds) {
    const env = Object.entries(build.env ?? {}).map(([k, v]) => ` ${k}=${v}`).join('');
    console.log(`\n--- ${build.label} (${build.path}${env})`);
    const bare = build.bareWebview;
    if (bare && !bare.error) {
      console.log('  baseline in the same environment: a bare WebKitGTK window (bare-webview.py)');
      console.log(memoryLine('bare webview, one line of text', bare));
      console.log(perProcess(bare));
    } else {
      console.log(`  baseline (bare WebKitGTK window) not measured: ${bare?.error}`);
    }
    if (build.error) {
      console.log(`  not measured: ${build.error}`);
      continue;
    }
    for (const [home, starts] of Object.entries(build.coldStart)) {
      const s = (key) => stats(starts.map((r) => r[key]));
      const line = (name, st) => `    ${name.padEnd(40)} min ${fmt(st.min).padStart(5)}  median ${fmt(st.median).padStart(5)}  max ${fmt(st.max).padStart(5)} ms`;
      console.log(`  cold start, ${home} profile (screen: ${starts[0].screen}):`);
      console.log(line('launch → ready (app clock)', s('launchToReady')));
      console.log(line('  launch → webview time origin', s('launchToNavigation')));
      console.log(line('  time origin → ready', s('navigationToReady')));
      console.log(line('launch → first contentful paint', s('launchToPaint')));
      console.log(line('WebDriver request → ready seen', s('driverToReady')));
      console.log(line('  WebDriver request → launch', s('driverToLaunch')));
      console.log(line('  WebDriver session created after', s('driverSession')));
      console.log(`    first run (least cached): ${fmt(starts[0].launchToReady)} ms; every run: ${starts.map((r) => fmt(r.launchToReady)).join(', ')}`);
    }
    const base = build.memory.empty.unlocked;
    console.log('  memory of the whole process tree (settled):');
    console.log(memoryLine('baseline: empty profile, locked', build.memory.empty.locked));
    console.log(memoryLine('baseline: empty profile, unlocked', base));
    console.log(memoryLine('full profile, locked', build.memory.full.locked, build.memory.empty.locked));
    console.log(memoryLine('full profile, unlocked', build.memory.full.unlocked, base));
    console.log(memoryLine(`full profile, channel scrolled`, build.memory.full.channel, base));
    console.log(perProcess(build.memory.full.channel));
    whereItGoes('baseline (empty profile, locked)', build.memory.empty.locked);
    whereItGoes('full profile, channel scrolled', build.memory.full.channel);
    const f = build.memory.full;
    console.log(`  unlock → main screen (Argon2id, store, shell): empty ${fmt(build.memory.empty.unlockMs)} ms, full ${fmt(f.unlockMs)} ms`);
    console.log(`  unlock → first rows of the seeded channel: ${fmt(f.openMs)} ms (${f.total} messages; ${f.openedByItself ? 'opened by the app' : 'clicked'})`);
    for (const [where, s] of Object.entries(f.scroll)) {
      console.log(`  scroll to the ${where}: rows ${s.first}–${s.last} settled in ${fmt(s.ms)} ms${s.settled ? '' : ' (NOT settled)'}`);
    }
  }
  const main = report.builds[0];
  if (main.error) return;
  const start = stats(main.coldStart.full.map((r) => r.launchToReady)).median;
  const memory = mib(main.memory.full.channel.pssKib);
  console.log(`\ngoal (${main.label}): cold start median ${fmt(start)} ms vs ${GOAL_START_MS} ms — ${start < GOAL_START_MS ? 'met' : 'MISSED'}`);
  console.log(`goal (${main.label}): PSS with the channel open ${fmt(memory, 1)} MiB vs ${GOAL_MEMORY_MIB} MiB — ${memory < GOAL_MEMORY_MIB ? 'met' : 'MISSED'}`);
  const bare = main.bareWebview;
  if (bare && !bare.error) {
    const floor = mib(bare.pssKib);
    console.log(`  of which a bare WebKitGTK window: ${fmt(floor, 1)} MiB; Liaison's own share: ${fmt(memory - floor, 1)} MiB (${fmt(memory / floor, 2)}x the bare window)`);
  }
}

// ------------------------------------------------------------------ main

async function main() {
  const report = { machine: machine(), builds: [] };
  const { child: worldProcess, info } = await startWorld();
  report.channel = info.prepared.channel;
  report.channelTotal = info.prepared.channelTotal;
  // The bots catch up when the world starts; measure on a quiet machine.
  await waitIdle(worldProcess.pid, 'the demo world');
  // Fresh copies of the prepared homes, so the cache stays as prepared.
  const homes = {};
  for (const name of ['empty', 'full']) {
    homes[name] = join(scratch, `home-${name}`);
    cpSync(info.homes[name], homes[name], { recursive: true });
  }
  for (const app of apps) {
    const build = { label: app.label, path: app.path, env: app.env, coldStart: {}, memory: {} };
    build.bareWebview = await bareWebviewMemory(app.env);
    try {
      await measureBuild(app, build, homes, info);
    } catch (error) {
      // Keep what the other builds measured.
      build.error = String(error?.message ?? error);
      console.error(`${app.label}: ${error?.stack ?? error}`);
    }
    report.builds.push(build);
  }
  report.loadAtEnd = loadavg().map((l) => l.toFixed(2)).join(' ');
  print(report);
  if (reportFile) writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  worldProcess.stdin.end();
  await new Promise((resolve) => (worldProcess.exitCode !== null ? resolve() : worldProcess.once('exit', resolve)));
  if (report.builds.some((b) => b.error)) throw new Error('a build could not be measured');
}

/** Cold starts and the memory scenario of one build, on both profiles. */
async function measureBuild(app, build, homes, info) {
  const launch = launcher(app);
  for (const name of ['empty', 'full']) {
    const driver = await startDriver(`${app.label}-${name}`, homes[name], info, app);
    try {
      // One unmeasured launch first: page cache and WebKit's caches as on a
      // used desktop (the first measured run is reported on its own too).
      const warm = await coldStart(driver, app, launch);
      await close(warm.browser, warm.pid);
      const starts = [];
      for (let i = 0; i < runs; i += 1) {
        const run = await coldStart(driver, app, launch);
        await close(run.browser, run.pid);
        delete run.browser;
        starts.push(run);
        console.log(`${app.label} ${name} cold start ${i + 1}/${runs}: ${fmt(run.launchToReady)} ms (WebDriver view ${fmt(run.driverToReady)} ms)`);
      }
      build.coldStart[name] = starts;
      build.memory[name] = await memoryScenario(driver, app, launch, info, name === 'full');
      console.log(`${app.label} ${name} memory: PSS ${fmt(mib((build.memory[name].channel ?? build.memory[name].unlocked).pssKib), 1)} MiB`);
    } finally {
      await stopDriver(driver);
    }
  }
}

function finish(code) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
  process.exit(code);
}

main().then(
  () => finish(0),
  (error) => {
    console.error(`desktop bench stopped: ${error?.stack ?? error}`);
    finish(1);
  },
);
