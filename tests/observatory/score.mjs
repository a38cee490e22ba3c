// Scores one local site with the real MDN HTTP Observatory code, for apiward's oracle test
// (tests/integration/observatory_oracle.rs).
//
//   node score.mjs URL [--http-port N] [--https-port N]
//
// URL names the host (localhost or 127.0.0.1 only), the path, and the port of its own
// scheme; the other scheme's port comes from its flag, and without one that scheme is
// treated as absent (port 0 refuses every connection). Prints one JSON object:
// {version, score, grade, tests: {name: {result, scoreModifier, pass}}}.
//
// The Observatory's `scan()` takes a bare hostname and always uses ports 80 and 443, so this
// calls what `scan()` calls, its retriever (which takes `httpPort`, `httpsPort` and `path`)
// and its analysers, and sums the modifiers exactly as `scan()` does.

import dns from "node:dns";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

// `localhost` must mean the test servers on 127.0.0.1, never ::1, and axios must not send
// anything through a proxy named in the environment.
dns.setDefaultResultOrder("ipv4first");
for (const name of Object.keys(process.env)) {
  if (name.toLowerCase().endsWith("_proxy")) {
    delete process.env[name];
  }
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1"]);

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let target = null;
const ports = { http: 0, https: 0 };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--http-port" || a === "--https-port") {
    const n = Number(args[++i]);
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      fail(`${a} needs a port number from 1 to 65535.`);
    }
    ports[a === "--http-port" ? "http" : "https"] = n;
  } else if (target === null) {
    target = a;
  } else {
    fail(`unexpected argument '${a}'; usage: node score.mjs URL [--http-port N] [--https-port N]`);
  }
}
if (target === null) {
  fail("usage: node score.mjs URL [--http-port N] [--https-port N]");
}
let url;
try {
  url = new URL(target);
} catch {
  fail(`'${target}' is not a URL.`);
}
const scheme = url.protocol.replace(":", "");
if (scheme !== "http" && scheme !== "https") {
  fail(`'${target}' is not an http or https URL.`);
}
if (!LOCAL_HOSTS.has(url.hostname)) {
  fail(`'${url.hostname}' is not localhost or 127.0.0.1: this oracle only scores local test servers.`);
}
ports[scheme] = Number(url.port || (scheme === "https" ? 443 : 80));

// The package's postinstall (skipped: .npmrc sets ignore-scripts) downloads Chromium's HSTS
// preload list into conf/hsts-preload.json, which the HSTS and redirection analysers read.
// Local hosts are never on that list, so an empty list gives the same verdicts.
const require = createRequire(import.meta.url);
const pkgDir = path.dirname(require.resolve("@mdn/mdn-http-observatory/package.json"));
const preload = path.join(pkgDir, "conf", "hsts-preload.json");
if (!fs.existsSync(preload)) {
  const tmp = `${preload}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, "{}");
  fs.renameSync(tmp, preload);
}
const version = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version;

const { retrieve } = await import("@mdn/mdn-http-observatory/src/retriever/retriever.js");
const { ALL_TESTS } = await import("@mdn/mdn-http-observatory/src/constants.js");
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await import(
  "@mdn/mdn-http-observatory/src/grader/charts.js"
);
const { getGradeForScore, getScoreModifier } = await import(
  "@mdn/mdn-http-observatory/src/grader/grader.js"
);

let requests;
try {
  requests = await retrieve(url.hostname, {
    httpPort: ports.http,
    httpsPort: ports.https,
    path: `${url.pathname}${url.search}`,
  });
} catch (e) {
  fail(`the Observatory's retriever failed: ${e?.message ?? e}`);
}
if (!requests.responses.auto) {
  fail("The site seems to be down.");
}

// From here on, the body of the Observatory's scan().
let scoreWithExtraCredit = 100;
let uncurvedScore = 100;
const tests = {};
for (const test of ALL_TESTS) {
  const out = test(requests);
  if (out.result) {
    out.scoreModifier = getScoreModifier(out.result);
    scoreWithExtraCredit += out.scoreModifier;
    if (out.scoreModifier < 0) {
      uncurvedScore += out.scoreModifier;
    }
  }
  tests[out.constructor.name] = {
    result: out.result,
    scoreModifier: out.scoreModifier,
    pass: out.pass,
  };
}
const score =
  uncurvedScore >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? scoreWithExtraCredit : uncurvedScore;
const final = getGradeForScore(score);
process.stdout.write(
  `${JSON.stringify({
    version,
    status: requests.responses.auto.status,
    score: final.score,
    grade: final.grade,
    tests,
  })}\n`,
);
