// End-to-end test of the Liaison desktop app.
//
// The real app in a real window (under Xvfb, started by `cargo xtask test`),
// driven through tauri-driver and WebKitWebDriver with WebdriverIO, against
// a real relay on 127.0.0.1 and a second officer who uses the `liaison`
// command line. Every check counts; the last line is the summary xtask reads:
// "desktop e2e: N passed; M failed".
//
// Environment (set by xtask):
//   LIAISON_E2E_BIN_DIR      directory with liaison-desktop, liaison, liaison-relay
//   LIAISON_E2E_DRIVER       the tauri-driver binary
//   LIAISON_E2E_SCREENSHOTS  where to save screenshots of the main screens
//
// WebDriver cannot reach a native GTK file dialog, and the webview never
// sends a path: the app is built with the `e2e` feature and answers its file
// dialogs from the queue in LIAISON_E2E_DIALOG_ANSWERS, which this test
// writes (one "PURPOSE PATH" or "PURPOSE cancel" a line, in dialog order).

import { spawn, execFileSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { freePort, waitForPort } from "./net.mjs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { remote } from "webdriverio";
import { ids } from "./testids.mjs";
import { createRequire } from "node:module";

const binDir = required("LIAISON_E2E_BIN_DIR");
const driverBin = required("LIAISON_E2E_DRIVER");
const screenshots = process.env.LIAISON_E2E_SCREENSHOTS;

const CHANNEL = "GBR-FRA cell";
const DEMO_CHANNEL = "GBR–FRA–DEU Liaison";
const CEILING = "NATO SECRET//REL TO FRA, GBR";
const DEFAULT_LABEL = "NATO RESTRICTED//REL TO FRA, GBR";
const SENT_LABEL = "NATO CONFIDENTIAL//REL TO FRA, GBR";
const ABOVE_CEILING = "COSMIC TOP SECRET//REL TO FRA, GBR";
const PASSPHRASE = "correct horse battery staple 42";
const PIN = "739150";
const NEW_PIN = "905731";
const ARCHIVE_PASSPHRASE = "archive passphrase for the partners";
const NEW_CHANNEL = "GBR-FRA planning";

const results = [];
const children = [];

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set: run this through \`cargo xtask e2e\``);
    process.exit(2);
  }
  return value;
}

function check(name, ok, detail = "") {
  results.push({ name, ok });
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ` — ${detail}` : ""}`);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function startChild(program, args, env) {
  const child = spawn(program, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(child);
  return child;
}

// ---------------------------------------------------------------- the world

const root = mkdtempSync(join(tmpdir(), "liaison-e2e-"));
const cliHome = join(root, "cli");
const trustDir = join(root, "trust");
mkdirSync(trustDir);
const cliEnv = {
  LIAISON_HOME: cliHome,
  LIAISON_PASSPHRASE: "fra-officer-passphrase",
};

function liaison(args, { json = true } = {}) {
  const full = json ? ["--json", ...args] : args;
  let out;
  try {
    out = execFileSync(join(binDir, "liaison"), full, {
      env: { ...process.env, ...cliEnv },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    throw new Error(
      `liaison ${full.join(" ")} failed: ${error.stderr || error.stdout || error.message}`,
    );
  }
  return json ? JSON.parse(out) : out;
}

async function liaisonUntil(args, attempts, delayMs) {
  let last;
  for (let i = 0; i < attempts; i += 1) {
    try {
      return liaison(args);
    } catch (error) {
      last = error;
      await sleep(delayMs);
    }
  }
  throw new Error(
    `liaison ${args.join(" ")} kept failing: ${last?.stderr ?? last}`,
  );
}

function setUpAuthorities() {
  for (const [nation, name] of [
    ["GBR", "GBR Liaison Authority"],
    ["FRA", "FRA Liaison Authority"],
  ]) {
    const file = join(root, `${nation.toLowerCase()}-authority.pem`);
    liaison([
      "authority",
      "init",
      "--out",
      file,
      "--name",
      name,
      "--org",
      `${nation} MoD`,
      "--nationality",
      nation,
    ]);
    const { pem } = liaison(["authority", "certificate", "--authority", file]);
    writeFileSync(join(trustDir, `${nation.toLowerCase()}.pem`), pem);
  }
}

/**
 * The desktop officer's certificate and device key, as a national PKI would hand them over:
 * the chain up to the GBR root, which the import pins as the profile's own authority.
 */
function issueDesktopOfficer() {
  const keyFile = join(root, "smith-device-key.pem");
  const { public_key: publicKey } = liaison([
    "profile",
    "keygen",
    "--out",
    keyFile,
  ]);
  const issued = join(root, "smith-issued.pem");
  liaison([
    "authority",
    "issue",
    "--authority",
    join(root, "gbr-authority.pem"),
    "--officer-id",
    "gbr.smith",
    "--public-key",
    publicKey,
    "--name",
    "Maj. J. Smith",
    "--org",
    "GBR MoD",
    "--nationality",
    "GBR",
    "--clearance",
    "NATO SECRET",
    "--out",
    issued,
  ]);
  const chainFile = join(root, "smith-chain.pem");
  writeFileSync(
    chainFile,
    readFileSync(issued, "utf8") +
      readFileSync(join(trustDir, "gbr.pem"), "utf8"),
  );
  return { keyFile, chainFile };
}

/** An authority's fingerprint as `liaison authority show` gives it ("AB:CD:…"). */
function fingerprintOf(nation) {
  return liaison([
    "authority",
    "show",
    "--authority",
    join(root, `${nation}-authority.pem`),
  ]).fingerprint;
}

// ------------------------------------------------------------------- driver

async function byId(browser, id) {
  return browser.$(`[data-testid="${id}"]`);
}

async function waitForId(browser, id, timeout = 20000) {
  const element = await byId(browser, id);
  await element.waitForExist({ timeout });
  return element;
}

async function shot(browser, name) {
  if (!screenshots) return;
  mkdirSync(screenshots, { recursive: true });
  await browser.saveScreenshot(join(screenshots, `${name}.png`));
}

// axe-core, injected into the real window: WebKit's own rendering decides
// contrast and visibility, not a browser the officer never uses.
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

/**
 * Audits the screen as it is now with axe-core (WCAG 2.1 A and AA rules):
 * one check per screen, failing on any serious or critical violation and
 * naming each with the elements it concerns.
 */
async function accessibility(browser, screen) {
  let violations;
  try {
    await browser.execute(axeSource);
    violations = await browser.execute(async () => {
      const result = await window.axe.run(document, {
        runOnly: {
          type: "tag",
          values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
        },
        resultTypes: ["violations"],
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
      }));
    });
  } catch (error) {
    check(`accessibility audit of ${screen} runs`, false, String(error));
    return;
  }
  const serious = violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  check(
    `accessibility: ${screen} has no serious or critical violation`,
    serious.length === 0,
    violations
      .map((v) => `${v.impact} ${v.id} (${v.targets.join("; ")})`)
      .join(" | "),
  );
}

async function bannerRank(browser) {
  const top = await waitForId(browser, ids.bannerTop);
  // The marking is also the banner's text; the attribute avoids WebKit's
  // text rendering quirks (uppercase transforms, wrapping).
  return {
    rank: Number(await top.getAttribute("data-rank")),
    text: (await top.getAttribute("data-marking")) ?? "",
  };
}

async function main() {
  setUpAuthorities();
  const desktopOfficer = issueDesktopOfficer();

  const relayPort = await freePort();
  const relayData = join(root, "relay");
  startChild(
    join(binDir, "liaison-relay"),
    [
      "--listen",
      `127.0.0.1:${relayPort}`,
      "--data",
      relayData,
      "--trust",
      trustDir,
    ],
    {
      RUST_LOG: "warn",
    },
  );
  await waitForPort(relayPort, 20000, 100);
  const relayUrl = `wss://127.0.0.1:${relayPort}/v1/ws`;
  const relayCa = join(relayData, "relay-cert.pem");
  Object.assign(cliEnv, { LIAISON_RELAY: relayUrl, LIAISON_RELAY_CA: relayCa });

  liaison([
    "profile",
    "create",
    "fra",
    "--authority",
    join(root, "fra-authority.pem"),
    "--officer-id",
    "fra.martin",
    "--name",
    "Cdt C. Martin",
    "--org",
    "FRA MoD",
    "--nationality",
    "FRA",
    "--clearance",
    "NATO SECRET",
    "--protection",
    "passphrase",
  ]);
  liaison(["-p", "fra", "sync"]);
  liaison([
    "-p",
    "fra",
    "channel",
    "create",
    CHANNEL,
    "--ceiling",
    CEILING,
    "--default",
    DEFAULT_LABEL,
    "--anchor",
    join(trustDir, "gbr.pem"),
  ]);

  // The answers of the app's file dialogs, in the order the scenario opens them.
  const archiveFile = join(root, "gbr-fra-cell.liaison");
  const dialogAnswers = join(root, "dialog-answers");
  writeFileSync(
    dialogAnswers,
    [
      "openCertificate cancel",
      `openCertificate ${desktopOfficer.chainFile}`,
      `openKey ${desktopOfficer.keyFile}`,
      `saveArchive ${archiveFile}`,
      `openArchive ${archiveFile}`,
    ].join("\n"),
  );

  // The app, through tauri-driver, with its data in the temporary directory.
  const driverPort = await startDriver("desktop", {
    LIAISON_RELAY_URL: relayUrl,
    LIAISON_RELAY_CA: relayCa,
    LIAISON_E2E_DIALOG_ANSWERS: dialogAnswers,
  });
  const browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "error",
    capabilities: {
      "tauri:options": { application: join(binDir, "liaison-desktop") },
    },
  });

  try {
    await scenario(browser, archiveFile);
  } catch (error) {
    await evidence(browser, "failure");
    throw error;
  } finally {
    await browser.deleteSession().catch(() => {});
  }

  // The demo mode of the quick start: a local relay and partner officers who answer.
  const demoDriverPort = await startDriver("demo", {});
  const demo = await remote({
    hostname: "127.0.0.1",
    port: demoDriverPort,
    logLevel: "error",
    capabilities: {
      "tauri:options": {
        application: join(binDir, "liaison-desktop"),
        args: ["--demo"],
      },
    },
  });
  try {
    await demoScenario(demo);
  } catch (error) {
    await evidence(demo, "demo-failure");
    throw error;
  } finally {
    await demo.deleteSession().catch(() => {});
  }
}

/**
 * Starts a tauri-driver whose app keeps its data under `root/<name>`; returns
 * its port. Each driver gets its own native port too: two on the default
 * (4445) collide, and the second's WebKitWebDriver cannot listen.
 */
async function startDriver(name, env) {
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  const home = join(root, `${name}-home`);
  const ports = ["--port", String(port), "--native-port", String(nativePort)];
  startChild(driverBin, ports, {
    LIAISON_HOME: join(root, name),
    HOME: home,
    XDG_DATA_HOME: join(home, "data"),
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_CACHE_HOME: join(home, "cache"),
    ...env,
  });
  await waitForPort(port, 20000, 100);
  await waitForPort(nativePort, 20000, 100);
  return port;
}

async function demoScenario(browser) {
  await waitForId(browser, ids.onboarding, 60000);
  await (await byId(browser, ids.exerciseTab)).click();
  for (const [id, value] of [
    [ids.exerciseName, "Maj. A. Demo"],
    [ids.exerciseOfficerId, "gbr.demo"],
    [ids.exerciseNationality, "GBR"],
    [ids.exerciseClearance, "NATO SECRET"],
  ]) {
    const field = await byId(browser, id);
    if ((await field.getTagName()) === "select") {
      await field.selectByAttribute("value", value);
    } else {
      await field.clearValue();
      await field.setValue(value);
    }
  }
  await (await byId(browser, ids.protectionPassphrase)).click();
  await (await byId(browser, ids.onboardingPassphrase)).setValue(PASSPHRASE);
  await (
    await byId(browser, ids.onboardingPassphraseConfirm)
  ).setValue(PASSPHRASE);
  await (await byId(browser, ids.onboardingSubmit)).click();
  const channel = await browser.$(
    `[data-testid="channel-item"][data-channel-name="${DEMO_CHANNEL}"]`,
  );
  await channel.waitForExist({ timeout: 90000 });
  check(
    "demo: the partners add the new officer to their channel",
    await channel.isExisting(),
  );
  await channel.click();
  await browser
    .waitUntil(
      async () =>
        (await browser.$$(`[data-testid="${ids.messageRow}"]`)).length >= 3,
      { timeout: 60000 },
    )
    .catch(() => {});
  const history = await browser.$$(`[data-testid="${ids.messageRow}"]`);
  check(
    "demo: the channel opens with its history",
    history.length >= 3,
    `${history.length} rows`,
  );
  const partnerRows = async () =>
    (
      await browser.$$(
        `[data-testid="${ids.messageRow}"][data-verification="verified"]`,
      )
    ).length;
  const before = await partnerRows();
  await (
    await byId(browser, ids.composerBody)
  ).setValue("Requesting a status update on crossing K7");
  await (await byId(browser, ids.sendButton)).click();
  const answered = await browser
    .waitUntil(async () => (await partnerRows()) > before, { timeout: 30000 })
    .then(
      () => true,
      () => false,
    );
  check("demo: a partner officer answers", answered);
  await shot(browser, "00-demo");
  await accessibility(browser, "the demo channel");
}

/** Leaves a screenshot and the screen's text for whoever reads the log. */
async function evidence(browser, name) {
  const file = join(root, `${name}.png`);
  await browser.saveScreenshot(file).catch(() => {});
  const text = await browser
    .execute(() => document.body?.innerText ?? "")
    .catch(() => "");
  console.error(`screen at failure (${file}):\n${String(text).slice(0, 2000)}`);
}

/** Waits until a file chooser shows a chosen file; returns the name it shows. */
async function chosenName(browser, id) {
  const field = await byId(browser, id);
  await browser
    .waitUntil(
      async () => (await field.getAttribute("data-chosen")) === "true",
      { timeout: 10000 },
    )
    .catch(() => {});
  if ((await field.getAttribute("data-chosen")) !== "true") return "";
  // The DOM's text: WebKitWebDriver's rendered text of this <output> came back empty.
  return String(await browser.execute((el) => el.textContent, field)).trim();
}

async function scenario(browser, archiveFile) {
  // 1. First run: import the certificate and key, protected by a passphrase.
  //    The files come from the shell's dialog; the first dialog is cancelled.
  const onboarding = await waitForId(browser, ids.onboarding, 30000);
  check("first run shows onboarding", await onboarding.isDisplayed());
  await (await byId(browser, ids.importTab)).click();
  await (await waitForId(browser, ids.importCertificateBrowse)).click();
  await sleep(500);
  const cancelled = await byId(browser, ids.importCertificate);
  check(
    "a cancelled file dialog chooses nothing and shows no error",
    (await cancelled.getAttribute("data-chosen")) === "false" &&
      !(await (await byId(browser, ids.importCertificateError)).isExisting()),
  );
  await (await byId(browser, ids.importCertificateBrowse)).click();
  const certificateName = await chosenName(browser, ids.importCertificate);
  check(
    "the dialog's certificate is shown by its name",
    certificateName === "smith-chain.pem",
    certificateName,
  );
  await (await byId(browser, ids.importKeyBrowse)).click();
  const keyName = await chosenName(browser, ids.importKey);
  check(
    "the dialog's key is shown by its name",
    keyName === "smith-device-key.pem",
    keyName,
  );
  // Keyring protection with a PIN (the test runs an unlocked gnome-keyring).
  await (await byId(browser, ids.protectionKeyring)).click();
  await (await byId(browser, ids.onboardingPin)).setValue(PIN);
  await (await byId(browser, ids.onboardingPinConfirm)).setValue(PIN);
  await shot(browser, "01-onboarding");
  await accessibility(browser, "onboarding");
  await (await byId(browser, ids.onboardingSubmit)).click();
  await waitForId(browser, ids.channelList, 30000);
  check("profile imported, channel list shown", true);

  // 2. The French admin adds the desktop officer once its key packages reach the relay.
  // The channel trusts the FRA authority, which the desktop profile has not pinned (it
  // pinned its own GBR root at import): the app holds an invitation instead of joining,
  // shows each authority's fingerprint, and joins once the officer confirms FRA's.
  await liaisonUntil(
    ["-p", "fra", "channel", "add", CHANNEL, "gbr.smith"],
    60,
    500,
  );
  const channelItem = await browser.$(
    `[data-testid="channel-item"][data-channel-name="${CHANNEL}"]`,
  );
  await (await waitForId(browser, ids.openInvitations, 30000)).click();
  await waitForId(browser, ids.invitation);
  check(
    "the channel is not joined before the officer confirms",
    !(await channelItem.isExisting()),
  );
  const fraPrint = fingerprintOf("fra");
  const fraRow = await browser.$(
    `[data-testid="${ids.invitationAnchor}"][data-fingerprint="${fraPrint}"]`,
  );
  check(
    "the invitation shows the FRA authority with its fingerprint",
    await fraRow.isExisting(),
    fraPrint,
  );
  check(
    "the FRA authority is not pinned yet",
    (await fraRow.getAttribute("data-pinned")) === "false",
  );
  const gbrRow = await browser.$(
    `[data-testid="${ids.invitationAnchor}"][data-fingerprint="${fingerprintOf("gbr")}"]`,
  );
  check(
    "the profile pinned its own authority at import",
    (await gbrRow.getAttribute("data-pinned")) === "true",
  );
  await (await fraRow.$(`[data-testid="${ids.confirmFingerprint}"]`)).click();
  await (await byId(browser, ids.acceptInvitation)).click();
  await channelItem.waitForExist({ timeout: 30000 });
  check(
    "channel appears once the officer accepts the invitation",
    await channelItem.isExisting(),
  );

  // 3. Lock, then unlock with the PIN.
  await (await byId(browser, ids.lockButton)).click();
  const unlockInput = await waitForId(browser, ids.unlockPin);
  await unlockInput.setValue("739151");
  await (await byId(browser, ids.unlockSubmit)).click();
  const unlockError = await waitForId(browser, ids.unlockError);
  check(
    "a wrong PIN is refused",
    (await unlockError.getText()).includes("PIN"),
    await unlockError.getText(),
  );
  await shot(browser, "02-unlock");
  await accessibility(browser, "the unlock screen");
  await unlockInput.clearValue();
  await unlockInput.setValue(PIN);
  await (await byId(browser, ids.unlockSubmit)).click();
  await waitForId(browser, ids.channelList, 20000);
  check("unlocks with the PIN", true);

  // 4. Open the channel and send a labelled message that the French officer receives.
  await (
    await browser.$(
      `[data-testid="channel-item"][data-channel-name="${CHANNEL}"]`,
    )
  ).click();
  const body = await waitForId(browser, ids.composerBody);
  await (
    await byId(browser, ids.labelPicker)
  ).selectByAttribute("value", SENT_LABEL);
  await body.setValue("Convoy K7 crossed the border at 0940Z");
  await (await byId(browser, ids.sendButton)).click();
  await browser.waitUntil(
    async () =>
      (await browser.$$(`[data-testid="${ids.messageRow}"]`)).length >= 1,
    { timeout: 20000, timeoutMsg: "our message did not appear in the thread" },
  );
  await browser
    .waitUntil(
      async () =>
        (await bannerRank(browser)).text.includes("NATO CONFIDENTIAL"),
      { timeout: 10000 },
    )
    .catch(() => {});
  const before = await bannerRank(browser);
  check(
    "banner shows the highest label on screen",
    before.text.includes("NATO CONFIDENTIAL"),
    before.text,
  );

  let received = null;
  for (let i = 0; i < 40 && !received; i += 1) {
    liaison(["-p", "fra", "sync"]);
    const view = liaison(["-p", "fra", "messages", "list", CHANNEL]);
    received = view.messages.find((m) => m.body.includes("Convoy K7"));
    if (!received) await sleep(500);
  }
  check("the CLI officer receives the message", Boolean(received));
  check("with its label", received?.label === SENT_LABEL, received?.label);

  // 5. The French officer answers at NATO SECRET with a FLASH; the banner rises.
  liaison([
    "-p",
    "fra",
    "send",
    CHANNEL,
    "FLASH: checkpoint K7 closed, reroute via K9",
    "--label",
    CEILING,
    "--precedence",
    "flash",
  ]);
  const reply = await browser.$(
    `//*[@data-testid="${ids.messageRow}"][contains(., "checkpoint K7 closed")]`,
  );
  await reply.waitForExist({ timeout: 30000 });
  check("the reply arrives in the thread", await reply.isExisting());
  await browser
    .waitUntil(async () => (await bannerRank(browser)).rank > before.rank, {
      timeout: 10000,
      timeoutMsg: "the banner did not rise to NATO SECRET",
    })
    .catch(() => {});
  const after = await bannerRank(browser);
  check(
    "the banner rises to NATO SECRET",
    after.rank > before.rank && after.text.includes("NATO SECRET"),
    after.text,
  );
  const bottom = await byId(browser, ids.bannerBottom);
  check(
    "the bottom banner matches the top one",
    (await bottom.getAttribute("data-marking")) === after.text,
  );
  await shot(browser, "03-thread");
  await accessibility(browser, "the thread");

  const ack = await reply.$(`[data-testid="${ids.acknowledge}"]`);
  if (await ack.isExisting()) {
    await ack.click();
    let acked = false;
    for (let i = 0; i < 40 && !acked; i += 1) {
      liaison(["-p", "fra", "sync"]);
      const view = liaison(["-p", "fra", "messages", "list", CHANNEL]);
      const flash = view.messages.find((m) =>
        m.body.includes("checkpoint K7 closed"),
      );
      acked = Boolean(
        flash?.acknowledged_by?.some((a) => a.officer_id === "gbr.smith"),
      );
      if (!acked) await sleep(500);
    }
    check("the FLASH acknowledgement reaches the sender", acked);
  } else {
    check("a FLASH from another officer offers Acknowledge", false);
  }

  // 5b. Replies keep their source's EXERCISE or OPERATION status: the French
  //     officer sends an EXERCISE message; the officer replies to it and to
  //     the real-world FLASH, and each reply reaches the CLI with its source's status.
  liaison([
    "-p",
    "fra",
    "send",
    CHANNEL,
    "Simulated casualty at K9, request MEDEVAC",
    "--label",
    DEFAULT_LABEL,
    "--exercise",
  ]);
  const drill = await browser.$(
    `//*[@data-testid="${ids.messageRow}"][contains(., "Simulated casualty at K9")]`,
  );
  await drill.waitForExist({ timeout: 30000 });
  check(
    "an EXERCISE message is framed as EXERCISE in the thread",
    await (await drill.$(`[data-testid="${ids.exerciseFrame}"]`)).isExisting(),
  );
  const replyTo = async (row, text) => {
    await row.moveTo().catch(() => {});
    await (await row.$(`[data-testid="${ids.replyButton}"]`)).click();
    await waitForId(browser, ids.replyPreview);
    const exercise = await (
      await byId(browser, ids.exerciseToggle)
    ).isSelected();
    await (await byId(browser, ids.composerBody)).setValue(text);
    await (await byId(browser, ids.sendButton)).click();
    await browser
      .waitUntil(
        async () =>
          !(await (await byId(browser, ids.replyPreview)).isExisting()),
        {
          timeout: 20000,
        },
      )
      .catch(() => {});
    return exercise;
  };
  const exerciseReplyTicked = await replyTo(
    drill,
    "Drill acknowledged, MEDEVAC simulated",
  );
  await accessibility(browser, "a reply in the composer");
  const operationReplyTicked = await replyTo(reply, "Rerouting via K9 now");
  check(
    "a reply to an EXERCISE message starts as EXERCISE",
    exerciseReplyTicked === true,
  );
  check(
    "a reply to a real-world message starts as real-world traffic",
    operationReplyTicked === false,
  );
  let drillReply = null;
  let realReply = null;
  for (let i = 0; i < 40 && !(drillReply && realReply); i += 1) {
    liaison(["-p", "fra", "sync"]);
    const view = liaison(["-p", "fra", "messages", "list", CHANNEL]);
    drillReply = view.messages.find((m) =>
      m.body.includes("MEDEVAC simulated"),
    );
    realReply = view.messages.find((m) => m.body.includes("Rerouting via K9"));
    if (!(drillReply && realReply)) await sleep(500);
  }
  check(
    "the reply to the EXERCISE message arrives as EXERCISE",
    drillReply?.exercise === true,
    JSON.stringify(drillReply?.kind ?? null),
  );
  check(
    "the reply to the real-world message arrives as real-world traffic",
    realReply?.exercise === false,
    JSON.stringify(realReply?.kind ?? null),
  );
  check(
    "the banner says EXERCISE and real-world traffic are both on screen",
    (await (
      await byId(browser, ids.bannerTop)
    ).getAttribute("data-exercise")) === "mixed",
  );
  await shot(browser, "03b-replies");

  // 6. A label above the ceiling is refused, in plain words, and never sent.
  await (
    await byId(browser, ids.labelPicker)
  ).selectByAttribute("value", ids.otherMarkingValue);
  await (await waitForId(browser, ids.otherMarking)).setValue(ABOVE_CEILING);
  await (
    await byId(browser, ids.composerBody)
  ).setValue("This must never leave the desk");
  await (await byId(browser, ids.sendButton)).click();
  const refusal = await waitForId(browser, ids.composerError);
  const refusalText = await refusal.getText();
  check(
    "a label above the ceiling is refused",
    refusalText.length > 0,
    refusalText,
  );
  await shot(browser, "04-refused");
  await accessibility(browser, "a refusal");
  liaison(["-p", "fra", "sync"]);
  const fraView = liaison(["-p", "fra", "messages", "list", CHANNEL]);
  check(
    "the refused message never reached the relay",
    !fraView.messages.some((m) => m.body.includes("never leave")),
  );

  // 7. The other main screens, for the record (docs/screenshots).
  await (await byId(browser, ids.membersButton)).click();
  const members = await browser.$(
    `[data-testid="member-row"][data-officer-id="fra.martin"]`,
  );
  await members.waitForExist({ timeout: 10000 }).catch(() => {});
  check("members show the partner officer", await members.isExisting());
  await shot(browser, "05-members");
  await accessibility(browser, "the members screen");
  await browser.keys("Escape");
  await (await byId(browser, ids.openAudit)).click();
  const auditRow = await byId(browser, ids.auditRow);
  await auditRow.waitForExist({ timeout: 10000 }).catch(() => {});
  check("the audit log has entries", await auditRow.isExisting());
  await shot(browser, "06-audit");
  await accessibility(browser, "the audit log");
  await browser.keys("Escape");
  await (await byId(browser, ids.openSettings)).click();
  check(
    "settings open",
    await (await waitForId(browser, ids.settingsView)).isDisplayed(),
  );
  const pinnedCount = async () =>
    (await browser.$$(`[data-testid="${ids.pinnedAuthority}"]`)).length;
  await browser
    .waitUntil(async () => (await pinnedCount()) === 2, { timeout: 10000 })
    .catch(() => {});
  check(
    "settings list the pinned authorities (own and confirmed)",
    (await pinnedCount()) === 2,
  );
  await shot(browser, "07-settings");
  await accessibility(browser, "settings");
  await browser.keys("Escape");

  // 8. Search finds the received message, offline, under a results banner.
  await (await byId(browser, ids.openSearch)).click();
  const searchInput = await waitForId(browser, ids.searchInput);
  await searchInput.setValue("checkpoint");
  await (await byId(browser, ids.searchSubmit)).click();
  const hit = await browser.$(`[data-testid="${ids.searchHit}"]`);
  await hit.waitForExist({ timeout: 10000 }).catch(() => {});
  const hits = await browser.$$(`[data-testid="${ids.searchHit}"]`);
  check(
    "search finds the received message",
    hits.length >= 1,
    `${hits.length} hits`,
  );
  const searchBanner = await browser.$(`[data-testid="${ids.searchBanner}"]`);
  check("search results carry a banner", await searchBanner.isExisting());
  await shot(browser, "08-search");
  await accessibility(browser, "search");

  // 9. Archiving the channel makes it read-only: the composer is disabled.
  if (hits.length >= 1) {
    await hits[0].click();
  } else {
    await browser.keys("Escape");
    await (
      await browser.$(
        `[data-testid="channel-item"][data-channel-name="${CHANNEL}"]`,
      )
    ).click();
  }
  await (await waitForId(browser, ids.archiveButton)).click();
  await (await waitForId(browser, ids.archiveConfirm)).click();
  const disabled = await browser.$(`[data-testid="${ids.composerDisabled}"]`);
  await disabled.waitForExist({ timeout: 10000 }).catch(() => {});
  check(
    "an archived channel disables the composer",
    await disabled.isExisting(),
  );

  // 10. Export it to the file the save dialog answers, protected by a passphrase.
  await (await byId(browser, ids.exportButton)).click();
  await (await waitForId(browser, ids.exportFileBrowse)).click();
  const exportName = await chosenName(browser, ids.exportFile);
  check(
    "the save dialog's file is shown by its name",
    exportName === "gbr-fra-cell.liaison",
    exportName,
  );
  await (
    await byId(browser, ids.exportPassphrase)
  ).setValue(ARCHIVE_PASSPHRASE);
  await (
    await byId(browser, ids.exportPassphraseConfirm)
  ).setValue(ARCHIVE_PASSPHRASE);
  await accessibility(browser, "the export dialog");
  await (await byId(browser, ids.exportSubmit)).click();
  const exported = await browser.$(`[data-testid="${ids.exportReport}"]`);
  await exported.waitForExist({ timeout: 30000 }).catch(() => {});
  const exportError = await browser.$(`[data-testid="${ids.exportError}"]`);
  check(
    "the archive is written where the save dialog said",
    (await exported.isExisting()) &&
      existsSync(archiveFile) &&
      statSync(archiveFile).size > 0,
    (await exportError.isExisting())
      ? await exportError.getText()
      : archiveFile,
  );
  await browser.keys("Escape");

  // 11. Import it again from the open dialog's answer: a read-only copy that verifies.
  await (await waitForId(browser, ids.openImport)).click();
  await (await waitForId(browser, ids.importFileBrowse)).click();
  await chosenName(browser, ids.importFile);
  await (
    await byId(browser, ids.importPassphrase)
  ).setValue(ARCHIVE_PASSPHRASE);
  await accessibility(browser, "the import dialog");
  await (await byId(browser, ids.importSubmit)).click();
  const imported = await browser.$(`[data-testid="${ids.importReport}"]`);
  await imported.waitForExist({ timeout: 30000 }).catch(() => {});
  const importError = await browser.$(`[data-testid="${ids.importError}"]`);
  check(
    "the archive opens from the file the open dialog said",
    await imported.isExisting(),
    (await importError.isExisting()) ? await importError.getText() : "",
  );
  if (await imported.isExisting()) {
    const tampered = await imported.getAttribute("data-tampered");
    check(
      "every imported message verifies",
      tampered === "0",
      `${tampered} tampered`,
    );
  }
  await browser.keys("Escape");

  // 12. The imported copy is a record: tagged, no composer, no actionable FLASH.
  const copy = await browser.$(
    `//*[@data-testid="channel-item"][.//*[@data-testid="${ids.importedTag}"]]`,
  );
  await copy.waitForExist({ timeout: 10000 }).catch(() => {});
  check(
    "the imported copy is tagged in the channel list",
    await copy.isExisting(),
  );
  if (await copy.isExisting()) {
    await copy.click();
    await waitForId(browser, ids.importedNote, 10000).catch(() => {});
    check(
      "the imported copy says it is read-only",
      await (await byId(browser, ids.importedNote)).isExisting(),
    );
    check(
      "the imported copy has no composer",
      !(await (await byId(browser, ids.composerBody)).isExisting()),
    );
    check(
      "the imported copy offers no Acknowledge",
      (await browser.$$(`[data-testid="${ids.acknowledge}"]`)).length === 0,
    );
    await shot(browser, "09-imported");
    await accessibility(browser, "an imported archive");
  }

  // 13. As an admin: create a channel in the window, then tighten it with
  //     the structured label picker (the preview fixes the default).
  await createChannel(browser);

  // 14. The same screens in French, as a French officer reads them.
  await french(browser);
}

/** Ticks a label picker's nation (under "more nations" when it is not shown). */
async function tickNation(browser, picker, nation) {
  const box = await browser.$(
    `[data-testid="${picker}-tag"][data-value="${nation}"]`,
  );
  if (!(await box.isDisplayed())) {
    await (await byId(browser, `${picker}-more`)).click();
  }
  if (!(await box.isSelected())) await box.click();
}

async function createChannel(browser) {
  await (await waitForId(browser, ids.newChannelButton)).click();
  await waitForId(browser, ids.newChannel);
  await (await byId(browser, ids.newName)).setValue(NEW_CHANNEL);
  await tickNation(browser, "new-ceiling", "FRA");
  await (
    await byId(browser, "new-default-level")
  ).selectByAttribute("value", "NATO RESTRICTED");
  await tickNation(browser, "new-default", "FRA");
  const ceiling = await (await byId(browser, "new-ceiling-marking")).getText();
  check(
    "the picker builds the ceiling's marking",
    ceiling === "NATO SECRET//REL TO FRA, GBR",
    ceiling,
  );
  await shot(browser, "10-new-channel");
  await accessibility(browser, "the new-channel screen");
  await (await byId(browser, ids.newSubmit)).click();
  const created = await browser.$(
    `[data-testid="channel-item"][data-channel-name="${NEW_CHANNEL}"]`,
  );
  await created.waitForExist({ timeout: 30000 }).catch(() => {});
  const refusals = await browser.$$(`[data-testid="new-refusal"]`);
  check(
    "an admin creates a channel in the window",
    await created.isExisting(),
    refusals.length
      ? (
          await Promise.all(refusals.map((r) => r.getAttribute("data-code")))
        ).join(", ")
      : "",
  );
  if (!(await created.isExisting())) {
    await (await byId(browser, ids.newCancel)).click().catch(() => {});
    return;
  }
  await created.click();
  await (await waitForId(browser, ids.membersButton)).click();
  await (await waitForId(browser, ids.policyTab)).click();
  await (
    await waitForId(browser, "policy-ceiling-level")
  ).selectByAttribute("value", "NATO UNCLASSIFIED");
  await (await byId(browser, ids.policyPreview)).click();
  const fix = await browser.$(`[data-testid="${ids.policyFixDefault}"]`);
  await fix.waitForExist({ timeout: 20000 }).catch(() => {});
  check(
    "lowering the ceiling below the default offers a fitted default",
    await fix.isExisting(),
  );
  await shot(browser, "11-policy-picker");
  await accessibility(browser, "the policy editor's preview");
  if (!(await fix.isExisting())) return;
  await fix.click();
  const done = await browser.$(`[data-testid="${ids.policyDone}"]`);
  await done.waitForExist({ timeout: 20000 }).catch(() => {});
  const fixedText = (await done.isExisting()) ? await done.getText() : "";
  const apply = await byId(browser, ids.policyApply);
  await browser
    .waitUntil(
      async () => (await apply.isExisting()) && (await apply.isEnabled()),
      { timeout: 20000 },
    )
    .catch(() => {});
  await apply.click();
  const failure = await browser.$(`[data-testid="policy-error"]`);
  await browser
    .waitUntil(
      async () =>
        (await failure.isExisting()) ||
        ((await done.isExisting()) && (await done.getText()) !== fixedText),
      { timeout: 30000 },
    )
    .catch(() => {});
  const applied =
    !(await failure.isExisting()) &&
    (await done.isExisting()) &&
    (await done.getText()) !== fixedText;
  check(
    "the tightened policy is applied",
    applied,
    (await failure.isExisting())
      ? await failure.getText()
      : (await done.isExisting())
        ? await done.getText()
        : "",
  );
  await browser.keys("Escape");
  const item = await browser.$(
    `[data-testid="channel-item"][data-channel-name="${NEW_CHANNEL}"]`,
  );
  // The DOM's text: WebKitWebDriver's rendered text of a list item can come back empty.
  const itemText = async () =>
    String(await browser.execute((el) => el.textContent, item));
  await browser
    .waitUntil(async () => (await itemText()).includes("NATO UNCLASSIFIED"), {
      timeout: 20000,
    })
    .catch(() => {});
  check(
    "the channel list shows the tightened ceiling",
    (await itemText()).includes("NATO UNCLASSIFIED"),
    (await itemText()).trim(),
  );
}

/** Switches the window to French and audits and records the main screens again. */
async function french(browser) {
  await (await byId(browser, ids.openSettings)).click();
  const language = await waitForId(browser, ids.settingsLanguage);
  await language.selectByAttribute("value", "fr");
  await (await byId(browser, ids.settingsSave)).click();
  await browser
    .waitUntil(
      async () =>
        (await browser.execute(() => document.documentElement.lang)) === "fr",
      { timeout: 10000 },
    )
    .catch(() => {});
  check(
    "the window switches to French",
    (await browser.execute(() => document.documentElement.lang)) === "fr",
  );
  await shot(browser, "fr-07-settings");
  await accessibility(browser, "settings, in French");
  await browser.keys("Escape");

  await (
    await browser.$(
      `[data-testid="channel-item"][data-channel-name="${CHANNEL}"]`,
    )
  ).click();
  await waitForId(browser, ids.messageRow);
  await shot(browser, "fr-03-thread");
  await accessibility(browser, "the thread, in French");

  await (await byId(browser, ids.lockButton)).click();
  const unlockInput = await waitForId(browser, ids.unlockPin);
  await unlockInput.setValue("000000");
  await (await byId(browser, ids.unlockSubmit)).click();
  await waitForId(browser, ids.unlockError);
  await shot(browser, "fr-02-unlock");
  await accessibility(browser, "the unlock screen, in French");
  await unlockInput.clearValue();
  await unlockInput.setValue(PIN);
  await (await byId(browser, ids.unlockSubmit)).click();
  await waitForId(browser, ids.channelList, 20000);
  check("unlocks with the PIN after a wrong one, in French", true);

  await (await byId(browser, ids.newChannelButton)).click();
  await waitForId(browser, ids.newChannel);
  await shot(browser, "fr-10-new-channel");
  await accessibility(browser, "the new-channel screen, in French");
  await (await byId(browser, ids.newCancel)).click();

  const copy = await browser.$(
    `//*[@data-testid="channel-item"][.//*[@data-testid="${ids.importedTag}"]]`,
  );
  if (await copy.isExisting()) {
    await copy.click();
    await waitForId(browser, ids.importedNote, 10000).catch(() => {});
    await shot(browser, "fr-09-imported");
    await accessibility(browser, "an imported archive, in French");
  }

  // Changing the PIN in Settings: the one in use first; then only the new one unlocks.
  await (await byId(browser, ids.openSettings)).click();
  await (await waitForId(browser, "secret-current")).setValue(PIN);
  await (await byId(browser, "secret-new")).setValue(NEW_PIN);
  await (await byId(browser, "secret-confirm")).setValue(NEW_PIN);
  await (await byId(browser, "secret-submit")).click();
  const changed = await browser.$('[data-testid="secret-done"]');
  await changed.waitForExist({ timeout: 20000 }).catch(() => {});
  const changeError = await browser.$('[data-testid="secret-error"]');
  check(
    "the PIN is changed in Settings",
    await changed.isExisting(),
    (await changeError.isExisting()) ? await changeError.getText() : "",
  );
  await shot(browser, "fr-07b-change-pin");
  await accessibility(browser, "changing the PIN, in French");
  await (await byId(browser, ids.lockButton)).click();
  const again = await waitForId(browser, ids.unlockPin);
  await again.setValue(PIN);
  await (await byId(browser, ids.unlockSubmit)).click();
  const refusedOld = await browser.$(`[data-testid="${ids.unlockError}"]`);
  await refusedOld.waitForExist({ timeout: 20000 }).catch(() => {});
  check("the old PIN no longer unlocks", await refusedOld.isExisting());
  await again.clearValue();
  await again.setValue(NEW_PIN);
  await (await byId(browser, ids.unlockSubmit)).click();
  const back = await byId(browser, ids.channelList);
  await back.waitForExist({ timeout: 20000 }).catch(() => {});
  check("the new PIN unlocks", await back.isExisting());
}

function finish(code) {
  for (const child of children) child.kill("SIGTERM");
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed + (code === 0 ? 0 : 1);
  console.log(`desktop e2e: ${passed} passed; ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().then(
  () => finish(0),
  (error) => {
    console.error(`desktop e2e stopped: ${error?.stack ?? error}`);
    finish(1);
  },
);
