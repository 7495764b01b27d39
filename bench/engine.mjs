// Engine benchmarks (DESIGN §5): re-evaluation after one new event with 5,000 stored events, 50 metrics and
// 100 segments (budget ≤ 1 ms median), and the main-thread cost of track() (budget ≤ 20 µs median), in Node
// (jsdom + fake-indexeddb for track). Run through bench/run.mjs, which builds bench/.build/segmint-bench.mjs.
import { performance } from "node:perf_hooks";

const DAY = 86_400_000;

/** A rules file of the benchmark's shape: 50 metrics of every kind, 100 segments testing them. */
export function benchRules() {
  const kinds = [
    (i) => ({ count: "pageview", where: { path: { $regex: `^/section${i % 10}` } }, withinDays: 30 }),
    (i) => ({ sum: "purchase.value", withinDays: 365 - i }),
    (i) => ({ avg: "dwell.seconds", where: { path: { $regex: `^/section${i % 10}` } } }),
    (i) => ({ max: "purchase.value", withinDays: 90 + i }),
    (i) => ({ distinct: "pageview.path", withinDays: 14 }),
    () => ({ daysSince: "purchase" }),
    () => ({ last: "search.query" }),
    (i) => ({ count: "click", where: { goal: `goal${i % 5}` } }),
    () => ({ first: "pageview.path" }),
    (i) => ({ min: "dwell.seconds", withinDays: 7 + i }),
  ];
  const metrics = {};
  for (let i = 0; i < 50; i++) metrics[`m${i}`] = kinds[i % kinds.length](i);
  const segments = [];
  for (let i = 0; i < 100; i++) {
    const when =
      i % 4 === 0 ? { [`metrics.m${i % 50}`]: { $gte: i % 7 } }
      : i % 4 === 1 ? { $or: [{ "visitor.sessions": { $gt: i % 5 } }, { [`metrics.m${(i * 3) % 50}`]: { $exists: true } }] }
      : i % 4 === 2 ? { "page.path": { $regex: `^/section${i % 10}` }, "device.type": { $in: ["desktop", "mobile"] } }
      : { segments: { $elemMatch: { $eq: `s${i - 3}` } } };
    segments.push({ id: `s${i}`, when, ...(i % 10 === 0 ? { stickyDays: 7 } : {}) });
  }
  return { version: 1, metrics, segments };
}

/** 5,000 events over 200 days: page views, dwell, searches, clicks and purchases. */
export function benchEvents(now, count = 5000) {
  const types = ["pageview", "pageview", "dwell", "search", "click", "purchase"];
  return Array.from({ length: count }, (_, i) => {
    const type = types[i % types.length];
    const t = now - 200 * DAY + Math.floor((i / count) * 200 * DAY);
    const props = type === "dwell" ? { seconds: (i % 90) + 1 } : type === "search" ? { query: `q${i % 40}` } : type === "click" ? { goal: `goal${i % 5}` } : type === "purchase" ? { value: (i % 300) + 5 } : {};
    return { id: `e${i}`, t, type, sid: `s${Math.floor(i / 12)}`, path: `/section${i % 10}/page${i % 37}`, ...props };
  });
}

/** Median time of one `track()`-style event followed by a full re-evaluation, in ms. */
export function reevaluationBench({ createEngine, compileRules }, { rounds = 400 } = {}) {
  const now = Date.UTC(2026, 10, 20, 12);
  const compiled = compileRules(benchRules());
  if (!compiled.ok) throw new Error("bench rules rejected: " + JSON.stringify(compiled.issues.slice(0, 3)));
  const engine = createEngine(compiled.rules, 0);
  engine.load(benchEvents(now), undefined);
  const env = environment(now);
  let sticky = {};
  let previous = [];
  const times = [];
  for (let i = 0; i < rounds + 50; i++) {
    const t0 = performance.now();
    engine.add({ id: `n${i}`, t: now + i, type: i % 2 ? "pageview" : "purchase", sid: "s-now", path: "/section1/x", value: 20 });
    const result = engine.evaluate({ ...env, now: now + i }, previous, sticky);
    sticky = result.stickyUntil;
    previous = result.context.segments;
    if (i >= 50) times.push(performance.now() - t0);
  }
  return { medianMs: median(times), p95Ms: percentile(times, 0.95), segments: previous.length };
}

function environment(now) {
  return {
    now,
    page: { url: "https://example.com/section1/x", path: "/section1/x", host: "example.com", query: {}, hash: "", title: "", referrer: "", tags: [] },
    session: { id: "s-now", number: 7, startedAt: now - 60_000, landing: "https://example.com/", referrer: { url: "", host: "", type: "direct" }, utm: {} },
    visitor: { id: "v1", firstSeen: now - 200 * DAY, lastSeen: now - DAY, sessions: 7 },
    device: { type: "desktop", touch: false, language: "en", languages: ["en"], timezone: "UTC", width: 1280, height: 800 },
    traits: {},
  };
}

/** Median main-thread cost of one `track()` call, in µs, on a ready instance (jsdom + fake-indexeddb). */
export async function trackBench({ createSegmint }, { calls = 3000 } = {}) {
  const sm = createSegmint({ rules: benchRules() });
  await sm.ready;
  const times = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    sm.track("purchase", { value: i % 100, sku: `sku-${i % 17}` });
    times.push((performance.now() - t0) * 1000);
    if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 0)); // let batched writes and evaluation run
  }
  sm.destroy();
  return { medianUs: median(times.slice(200)), p95Us: percentile(times.slice(200), 0.95) };
}

function median(values) {
  return percentile(values, 0.5);
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Bytes IndexedDB holds per 1,000 typical events (fake-indexeddb: keys plus structured-clone-sized JSON values). */
export async function storageBench({ createStorage }, { count = 1000 } = {}) {
  const { IDBFactory } = await import("fake-indexeddb");
  globalThis.indexedDB = new IDBFactory(); // an empty database, not the track() bench's
  const storage = createStorage({ kind: "indexeddb" });
  await storage.load();
  for (const event of benchEvents(Date.UTC(2026, 10, 20, 12), count)) storage.append(event);
  await storage.flush();
  const { events } = await storage.export();
  // Each event is stored under its own [t, id] key; JSON length approximates the structured clone's size.
  const bytes = events.reduce((sum, e) => sum + JSON.stringify(e).length + JSON.stringify([e.t, e.id]).length, 0);
  await storage.clear();
  return { events: events.length, bytes, bytesPerEvent: bytes / Math.max(1, events.length) };
}
