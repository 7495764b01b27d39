// Condition evaluation throughput: segmint's compiled conditions against GrowthBook `evalCondition`, sift, mingo and
// json-logic-js on one workload (DESIGN §5: segmint must reach ≥ 3× the fastest peer). Peers are compiled once where
// they can be (sift, mingo); evaluation is timed alone; cold start (first compile + evaluate) is reported separately.
//
//   node bench/conditions.mjs                                   # against dist/segmint.mjs (npm run build first)
//   SEGMINT_MODULE=/tmp/cond.mjs node bench/conditions.mjs      # against any module exporting compileCondition
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { evalCondition as growthbookEval } from "@growthbook/growthbook";
import jsonLogic from "json-logic-js";
import { Query } from "mingo";
import sift from "sift";

const BUDGET = 3;
const GROUPS = { "vip-companies": ["acme", "globex", "initech", "umbrella", "hooli"] };

// ---- the workload --------------------------------------------------------------------------------------------------

/** Four visitors' context documents (DESIGN §3), different enough that most conditions pass for some and fail for others. */
function contexts() {
  const base = (over) => ({
    page: { url: "https://shop.example.com/pricing?utm_source=google&plan=pro", path: "/pricing", host: "shop.example.com",
      query: { utm_source: "google", plan: "pro" }, hash: "", title: "Pricing — Example", referrer: "https://www.google.com/",
      tags: ["pricing", "commercial"] },
    session: { id: "s-81f2", number: 4, startedAt: 1767225600000, pageviews: 6, seconds: 212, landing: "/blog/2026/ab-testing",
      referrer: { url: "https://www.google.com/", host: "www.google.com", type: "search", engine: "google", term: "ab testing" },
      utm: { source: "google", medium: "cpc", campaign: "spring_sale" }, clickId: { type: "gclid", value: "Cj0KCQ" } },
    visitor: { id: "v-3c9a", firstSeen: 1765000000000, lastSeen: 1767225600000, daysSinceFirstSeen: 26, daysSinceLastSeen: 2,
      sessions: 4, pageviews: 31, seconds: 1900, returning: true },
    device: { type: "mobile", touch: true, language: "de-DE", languages: ["de-DE", "de", "en"], timezone: "Europe/Berlin",
      width: 390, height: 844, osVersion: "17.2" },
    time: { hour: 14, weekday: 3, month: 1, date: "2027-01-13" },
    traits: { email: "ada@acme.test", company: "acme", role: "developer", appVersion: "2.10.1" },
    interests: { technical: 1, pricing: 0.62 },
    metrics: { pricingViews7d: 3, docsSeconds: 640, revenue: 0, daysSinceOrder: 400, lastSearch: "sso" },
    segments: ["returning", "hot-lead"],
    searches: ["sso", "pricing teams"],
    pages: ["/pricing", "/docs/start", "/"],
    cart: [{ sku: "pro-annual", qty: 1, price: 480 }, { sku: "addon-sso", qty: 1, price: 40 }],
    ...over,
  });
  return [
    base({}),
    base({
      page: { url: "https://shop.example.com/", path: "/", host: "shop.example.com", query: {}, hash: "", title: "Example",
        referrer: "", tags: [] },
      session: { id: "s-1", number: 1, startedAt: 1767225600000, pageviews: 1, seconds: 8, landing: "/",
        referrer: { url: "", host: "", type: "direct" }, utm: {} },
      visitor: { id: "v-new", firstSeen: 1767225600000, lastSeen: 1767225600000, daysSinceFirstSeen: 0, daysSinceLastSeen: 0,
        sessions: 1, pageviews: 1, seconds: 8, returning: false },
      device: { type: "desktop", touch: false, language: "en-US", languages: ["en-US", "en"], timezone: "America/New_York",
        width: 1440, height: 900, osVersion: "14.1" },
      time: { hour: 22, weekday: 6, month: 12, date: "2026-12-05" },
      traits: {},
      interests: { technical: 0, pricing: 0 },
      metrics: { pricingViews7d: 0, docsSeconds: 0, revenue: 0, daysSinceOrder: 9999, lastSearch: "" },
      segments: [], searches: [], pages: ["/"], cart: [],
    }),
    base({
      page: { url: "https://shop.example.com/docs/api/webhooks", path: "/docs/api/webhooks", host: "shop.example.com",
        query: {}, hash: "#retries", title: "Webhooks · Docs", referrer: "https://news.ycombinator.com/", tags: ["docs"] },
      device: { type: "tablet", touch: true, language: "fr-FR", languages: ["fr-FR", "fr", "en"], timezone: "Europe/Paris",
        width: 820, height: 1180, osVersion: "16.7" },
      traits: { company: "initech", role: "marketer", appVersion: "3.0.0-beta.2", phone: "answered" },
      metrics: { pricingViews7d: 1, docsSeconds: 95, revenue: 1290, daysSinceOrder: 12, lastSearch: "webhooks" },
      segments: ["returning", "customer"],
      searches: ["webhooks retry", "rate limit"],
      pages: ["/docs/api/webhooks", "/docs/api", "/signup"],
    }),
    base({
      page: { url: "https://shop.example.com/checkout/pay", path: "/checkout/pay", host: "shop.example.com", query: {},
        hash: "", title: "Checkout", referrer: "https://shop.example.com/pricing", tags: ["checkout"] },
      device: { type: "mobile", touch: true, language: "en-GB", languages: ["en-GB"], timezone: "Europe/London",
        width: 412, height: 915, osVersion: "14" },
      time: { hour: 9, weekday: 0, month: 1, date: "2027-01-03" },
      traits: { email: "sam@globex.test", company: "globex", role: "founder", appVersion: "2.4.0" },
      interests: { technical: 0.2, pricing: 1 },
      segments: ["returning", "hot-lead", "vip"],
    }),
  ];
}

/** ≥ 50 conditions a marketer would write, in segmint's (GrowthBook's) syntax. */
function conditions() {
  return [
    { "page.path": "/pricing" },
    { "page.host": "shop.example.com" },
    { "device.type": "mobile" },
    { "visitor.returning": true },
    { "session.referrer.type": "search" },
    { "session.utm.medium": "cpc" },
    { "traits.role": "developer" },
    { "visitor.sessions": { $gt: 1 } },
    { "visitor.pageviews": { $gte: 10, $lt: 50 } },
    { "session.seconds": { $gte: 60 } },
    { "device.width": { $lt: 768 } },
    { "time.hour": { $gte: 9, $lte: 17 } },
    { "time.weekday": { $in: [1, 2, 3, 4, 5] } },
    { "metrics.pricingViews7d": { $gte: 2 } },
    { "metrics.revenue": { $gt: 100 } },
    { "metrics.daysSinceOrder": { $lte: 30 } },
    { "interests.technical": { $gte: 0.5 } },
    { "visitor.daysSinceFirstSeen": { $gt: 7 } },
    { "session.referrer.type": { $in: ["search", "paid", "social"] } },
    { "device.language": { $in: ["de-DE", "de-AT", "de-CH"] } },
    { "traits.company": { $in: ["acme", "globex", "initech", "umbrella", "hooli", "piedpiper", "stark", "wayne"] } },
    { segments: { $in: ["hot-lead"] } },
    { "page.tags": { $in: ["docs", "commercial"] } },
    { "device.type": { $nin: ["desktop"] } },
    { segments: { $all: ["returning", "hot-lead"] } },
    { segments: { $nin: ["customer"] } },
    { "page.path": { $regex: "^/pricing" } },
    { "page.path": { $regex: "^/docs/" } },
    { "page.url": { $regex: "[?&]utm_source=google" } },
    { "session.landing": { $regex: "^/blog/[0-9]{4}/" } },
    { "page.title": { $regexi: "pricing" } },
    { "session.referrer.host": { $regex: "(?:^|\\.)google\\." } },
    { pages: { $elemMatch: { $regex: "^/docs" } } },
    { searches: { $elemMatch: { $regex: "pric" } } },
    { pages: { $elemMatch: { $eq: "/signup" } } },
    { cart: { $elemMatch: { sku: "pro-annual", qty: { $gte: 1 } } } },
    { cart: { $elemMatch: { price: { $gt: 50 } } } },
    { pages: { $size: 3 } },
    { searches: { $size: { $gt: 0 } } },
    { "traits.email": { $exists: true } },
    { "traits.phone": { $exists: false } },
    { "session.clickId": { $exists: true } },
    { "traits.appVersion": { $vgte: "2.4.0" } },
    { "traits.appVersion": { $vlt: "3.0.0" } },
    { "traits.appVersion": { $veq: "2.10.1" } },
    { "device.osVersion": { $vgt: "16.4" } },
    { $or: [{ "session.referrer.type": "search" }, { "session.utm.medium": "cpc" }] },
    { $and: [{ "visitor.returning": true }, { "metrics.pricingViews7d": { $gte: 2 } }] },
    { $or: [{ "page.path": { $regex: "^/pricing" } }, { pages: { $elemMatch: { $eq: "/pricing" } } }], "device.type": { $ne: "tablet" } },
    { $and: [{ $or: [{ "device.type": "mobile" }, { "device.width": { $lt: 1024 } }] }, { $or: [{ "time.weekday": 0 }, { "time.weekday": 6 }] }] },
    { $nor: [{ "traits.role": "marketer" }, { segments: { $in: ["customer"] } }] },
    { $not: { "session.referrer.type": "direct" } },
    { "page.path": { $not: { $regex: "^/(?:checkout|account)" } } },
    { $or: [{ $and: [{ "visitor.sessions": { $gte: 3 } }, { "metrics.docsSeconds": { $gt: 300 } }] }, { "traits.role": { $in: ["developer", "founder"] } }] },
    { "session.utm.campaign": { $regex: "^spring_" }, "session.utm.source": "google" },
    { "page.query.plan": { $in: ["pro", "team"] } },
    { "device.languages": { $elemMatch: { $in: ["fr", "fr-FR"] } } },
    { "time.date": { $gte: "2026-12-01", $lte: "2027-01-31" } },
    { "traits.company": { $inGroup: "vip-companies" } },
    { "device.touch": true, "device.type": { $in: ["mobile", "tablet"] } },
  ];
}

// ---- translations for peers: throw Unsupported where a peer has no equivalent ------------------------------------

class Unsupported extends Error {}

const isOps = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).every((k) => k.startsWith("$"));

/** MongoDB query syntax (sift, mingo). Only conditions whose Mongo semantics equal GrowthBook's on this workload. */
function toMongo(condition) {
  const out = {};
  for (const [key, value] of Object.entries(condition)) {
    if (key === "$and" || key === "$or" || key === "$nor") out[key] = value.map(toMongo);
    else if (key === "$not") (out.$nor ??= []).push(toMongo(value)); // Mongo has no top-level $not
    else out[key] = isOps(value) ? mongoOps(value) : value;
  }
  return out;
}

function mongoOps(ops) {
  const out = {};
  for (const [op, arg] of Object.entries(ops)) {
    if (op === "$regexi") Object.assign(out, { $regex: arg, $options: "i" });
    else if (op === "$inGroup") out.$in = GROUPS[arg]; // the closest equivalent: the group's list inline
    else if (op === "$not") out.$not = mongoOps(arg);
    else if (op === "$elemMatch") out.$elemMatch = isOps(arg) ? mongoOps(arg) : toMongo(arg);
    else if (op === "$size" && typeof arg !== "number") throw new Unsupported("$size with an operator");
    else if (/^\$v|^\$ini$|^\$nini$|^\$alli$|^\$type$/.test(op)) throw new Unsupported(op);
    else out[op] = arg;
  }
  return out;
}

const jlVar = (p) => ({ var: p });

/** json-logic, which has no regex and no version comparison. */
function toJsonLogic(condition) {
  const parts = Object.entries(condition).map(([key, value]) => {
    if (key === "$and") return { and: value.map(toJsonLogic) };
    if (key === "$or") return { or: value.map(toJsonLogic) };
    if (key === "$nor") return { "!": { or: value.map(toJsonLogic) } };
    if (key === "$not") return { "!": toJsonLogic(value) };
    return isOps(value) ? jlOps(value, key) : { "===": [jlVar(key), value] };
  });
  return parts.length === 1 ? parts[0] : { and: parts };
}

function jlIn(list, p) {
  // GrowthBook's $in also intersects an array attribute with the list.
  return { or: [{ in: [jlVar(p), list] }, { some: [jlVar(p), { in: [jlVar(""), list] }] }] };
}

function jlOps(ops, p) {
  const parts = Object.entries(ops).map(([op, arg]) => {
    const v = jlVar(p);
    switch (op) {
      case "$eq": return { "===": [v, arg] };
      case "$ne": return { "!==": [v, arg] };
      case "$gt": return { ">": [v, arg] };
      case "$gte": return { ">=": [v, arg] };
      case "$lt": return { "<": [v, arg] };
      case "$lte": return { "<=": [v, arg] };
      case "$in": return jlIn(arg, p);
      case "$inGroup": return jlIn(GROUPS[arg], p);
      case "$nin": return { "!": jlIn(arg, p) };
      case "$all": return { and: arg.map((x) => ({ in: [x, v] })) };
      case "$exists": return arg ? { "!==": [v, null] } : { "===": [v, null] };
      case "$size": return typeof arg === "number" ? { "===": [jlVar(`${p}.length`), arg] } : jlOps(arg, `${p}.length`);
      case "$not": return { "!": jlOps(arg, p) };
      case "$elemMatch": return { some: [v, isOps(arg) ? jlOps(arg, "") : toJsonLogic(arg)] };
      default: throw new Unsupported(op);
    }
  });
  return parts.length === 1 ? parts[0] : { and: parts };
}

// ---- the libraries ---------------------------------------------------------------------------------------------

async function loadSegmint() {
  const spec = process.env.SEGMINT_MODULE ?? "../dist/segmint.mjs";
  const url = spec.startsWith(".") ? new URL(spec, import.meta.url) : pathToFileURL(path.resolve(spec));
  const mod = await import(url.href);
  if (typeof mod.compileCondition !== "function") throw new Error(`${spec} does not export compileCondition`);
  return mod.compileCondition;
}

/** Each library: how it turns one workload condition into a predicate (throws Unsupported to leave it out). */
function libraries(compileCondition) {
  return [
    { name: "segmint", compile: (c) => compileCondition(c, GROUPS) },
    { name: "growthbook", compile: (c) => (doc) => growthbookEval(doc, c, GROUPS) },
    { name: "sift", compile: (c) => sift(toMongo(c)) },
    { name: "mingo", compile: (c) => { const q = new Query(toMongo(c)); return (doc) => q.test(doc); } },
    { name: "json-logic-js", compile: (c) => { const rule = toJsonLogic(c); return (doc) => !!jsonLogic.apply(rule, doc); } },
  ];
}

/** Compiles what a library can express; returns the predicates and the indexes it had to leave out. */
function compileAll(lib, conds) {
  const preds = [];
  const indexes = [];
  const leftOut = [];
  conds.forEach((c, i) => {
    try {
      preds.push(lib.compile(structuredClone(c)));
      indexes.push(i);
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      leftOut.push({ index: i, reason: e.message });
    }
  });
  return { preds, indexes, leftOut };
}

// ---- measuring -------------------------------------------------------------------------------------------------

/** First compile + evaluate of the whole workload, in a fresh process so no library profits from another's warm-up. */
function coldStart(name) {
  const self = new URL(import.meta.url).pathname;
  const child = spawnSync(process.execPath, [self, `--cold=${name}`], { encoding: "utf8", env: process.env });
  const ms = Number(child.stdout.trim());
  if (child.status !== 0 || !Number.isFinite(ms)) throw new Error(`cold start of ${name} failed: ${child.stderr}`);
  return ms;
}

async function coldStartHere(name) {
  const lib = libraries(await loadSegmint()).find((l) => l.name === name);
  const conds = conditions();
  const doc = contexts()[0];
  const t0 = performance.now();
  for (const c of conds) {
    try {
      lib.compile(c)(doc);
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
    }
  }
  return performance.now() - t0;
}

/** One timed round: whole passes over the documents until `ms` have elapsed; returns evaluations per second. */
function round(preds, docs, ms) {
  let sink = 0;
  let passes = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let k = 0; k < 10; k++) {
      for (let d = 0; d < docs.length; d++) {
        const doc = docs[d];
        for (let i = 0; i < preds.length; i++) if (preds[i](doc)) sink++;
      }
    }
    passes += 10;
    elapsed = performance.now() - t0;
  }
  if (sink < 0) console.log(sink); // keep results observable so nothing is optimised away
  return (passes * preds.length * docs.length) / (elapsed / 1000);
}

/**
 * Evaluations per second for each named set of predicates: a warm-up, then `rounds` rounds in which every set runs
 * once in turn (so a neighbour's load on this 2-core machine hits all sets alike), median per set.
 */
function throughputs(sets, docs, { rounds = 7, roundMs = 120 } = {}) {
  const rates = Object.fromEntries(Object.keys(sets).map((k) => [k, []]));
  for (const preds of Object.values(sets)) round(preds, docs, roundMs * 2); // let the JIT settle
  for (let r = 0; r < rounds; r++) {
    for (const [key, preds] of Object.entries(sets)) rates[key].push(round(preds, docs, roundMs));
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(Object.entries(rates).map(([k, xs]) => [k, median(xs)]));
}

function disagreements(results, conds, docs) {
  const out = [];
  const reference = results.segmint;
  for (const [name, r] of Object.entries(results)) {
    r.indexes.forEach((ci, k) => {
      docs.forEach((doc, d) => {
        const want = reference.preds[ci](doc);
        const got = r.preds[k](doc);
        if (got !== want) out.push({ library: name, condition: conds[ci], doc: d, segmint: want, [name]: got });
      });
    });
  }
  return out;
}

/** Runs the whole benchmark and returns its figures (for `bench/run.mjs`); never prints. */
export async function runConditionBench(options = {}) {
  const compileCondition = await loadSegmint();
  const conds = conditions();
  const docs = contexts();
  const libs = libraries(compileCondition);

  const cold = Object.fromEntries(libs.map((lib) => [lib.name, coldStart(lib.name)]));

  const compiled = Object.fromEntries(libs.map((lib) => [lib.name, compileAll(lib, conds)]));
  const problems = disagreements(compiled, conds, docs);
  const passing = conds.map((_, i) => docs.filter((d) => compiled.segmint.preds[i](d)).length);

  // Segmint is also timed on exactly the conditions each peer could express, to compare like with like.
  // Peers that left out the same conditions share one such set.
  const subset = (indexes) => (indexes.length === conds.length ? "segmint" : `segmint[${indexes.join(",")}]`);
  const sets = { segmint: compiled.segmint.preds };
  for (const { name } of libs.slice(1)) {
    const { preds, indexes } = compiled[name];
    sets[name] = preds;
    sets[subset(indexes)] ??= indexes.map((i) => compiled.segmint.preds[i]);
  }
  const rates = throughputs(sets, docs, options);
  const peers = libs.slice(1).map(({ name }) => {
    const { indexes, leftOut } = compiled[name];
    const same = rates[subset(indexes)];
    const rate = rates[name];
    return { name, conditions: indexes.length, leftOut, evalsPerSec: rate, segmintEvalsPerSec: same, ratio: same / rate };
  });
  const fastest = peers.reduce((a, b) => (b.evalsPerSec > a.evalsPerSec ? b : a));
  const minRatio = Math.min(...peers.map((p) => p.ratio));
  return {
    workload: { conditions: conds.length, documents: docs.length, passingPerCondition: passing },
    segmint: { evalsPerSec: rates.segmint, coldStartMs: cold.segmint },
    peers: peers.map((p) => ({ ...p, coldStartMs: cold[p.name] })),
    fastestPeer: fastest.name,
    ratio: fastest.ratio,
    minRatio,
    budget: BUDGET,
    pass: problems.length === 0 && fastest.ratio >= BUDGET && minRatio >= BUDGET,
    disagreements: problems,
  };
}

// ---- printing --------------------------------------------------------------------------------------------------

const fmt = (n) => Math.round(n).toLocaleString("en-US");

function print(r) {
  const { workload: w } = r;
  console.log(`condition evaluation: ${w.conditions} conditions × ${w.documents} context documents`);
  console.log(`  (${w.passingPerCondition.filter((n) => n > 0 && n < w.documents).length} conditions pass for some documents and fail for others)`);
  if (r.disagreements.length) {
    console.log(`\nDISAGREEMENT (${r.disagreements.length}):`);
    for (const d of r.disagreements.slice(0, 20)) console.log("  " + JSON.stringify(d));
    return;
  }
  console.log("  all libraries agree on every condition they can express\n");
  for (const p of r.peers) {
    if (!p.leftOut.length) continue;
    const why = [...new Set(p.leftOut.map((l) => l.reason))].join(", ");
    console.log(`  ${p.name}: ${p.leftOut.length} conditions left out (no equivalent for ${why})`);
  }
  const rows = [
    ["library", "conditions", "evals/s", "segmint same set", "segmint ×", "cold start ms"],
    ["segmint", String(w.conditions), fmt(r.segmint.evalsPerSec), "", "", r.segmint.coldStartMs.toFixed(2)],
    ...r.peers.map((p) => [p.name, String(p.conditions), fmt(p.evalsPerSec), fmt(p.segmintEvalsPerSec), p.ratio.toFixed(1) + "×", p.coldStartMs.toFixed(2)]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  console.log("");
  for (const row of rows) console.log("  " + row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  "));
  console.log(`\n  fastest peer: ${r.fastestPeer}; segmint is ${r.ratio.toFixed(1)}× it (lowest ratio to any peer ${r.minRatio.toFixed(1)}×)`);
  console.log(`  budget ≥ ${r.budget}×: ${r.pass ? "PASS" : "FAIL"}`);
}

const cold = process.argv.find((a) => a.startsWith("--cold="));
if (cold) {
  console.log(await coldStartHere(cold.slice("--cold=".length)));
} else if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = await runConditionBench();
  print(result);
  if (result.disagreements.length || !result.pass) process.exitCode = 1;
}
