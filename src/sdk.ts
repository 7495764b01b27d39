// createSegmint: the one place that wires rules, collectors, storage and the DOM side together (DESIGN §4).
import { createEngine, type Archive, type Engine, type Environment, type SegmentExplanation } from "./rules/engine";
import { compileExperiences, type ExperienceDecision, type ExperienceHistory, type Preview } from "./rules/experiences";
import { classifyReferrer, parseClickId, parsePage, parseUtm } from "./rules/referrer";
import { templatePaths } from "./rules/template";
import { compileCondition } from "./rules/condition";
import { freezeContext } from "./rules/context";
import { isObj } from "./rules/references";
import type { ConsentState, Context, ExperienceDef, Json, ProfilingField, Rules, SegmintEvent } from "./rules/types";
import { createStorage, type SegmintStorage } from "./store/storage";
import { readSnapshot, writeSnapshot, clearSnapshot } from "./store/snapshot";
import { writeRulesCache } from "./store/rules-cache";
import { takeWriteAhead, writeAhead, dropWriteAhead } from "./store/write-ahead";
import { openTabChannel, type TabMessage } from "./store/tabs";
import { continueSession, type SessionState } from "./track/session";
import { watchNavigation, watchBackForward } from "./track/page";
import { startDwell } from "./track/dwell";
import { searchFromUrl, watchSearchForms } from "./track/search";
import { watchClicks } from "./track/clicks";
import { deviceInfo } from "./track/device";
import { randomId } from "./track/ids";
import { listen } from "./track/listen";
import { createPageSide, setSegmentClasses, wantedOf, type EarlyKnowledge, type PageSide } from "./act/early";
import type { Feature, FeatureHooks, FeatureSource } from "./features/types";
import { metaTags } from "./profile/tags";
import { createEmitter, type Emitter, type Listener, type SegmintEvents } from "./emitter";
import { createReporter, ErrorCodes, type Report } from "./report";
import { fetchRules, loadRules, syncRules, type LoadedRules } from "./rules-source";

/** Options of `createSegmint` (DESIGN §1). */
export interface SegmintOptions {
  /** The rules: an object, or the URL of a rules file. Default: the page's inline `#segmint-rules` JSON. */
  rules?: object | string;
  /** The site's consent decision; wins over the rules file's `tracking.consent`. Default `"granted"`. */
  consent?: ConsentState;
  /** Where history is kept. Default `"indexeddb"` (memory when IndexedDB is unavailable). */
  storage?: "indexeddb" | "memory";
  /** The clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** An HTML sanitizer (e.g. `DOMPurify.sanitize`) for `html` changes where `Element.setHTML` is missing. */
  sanitize?: (html: string) => string;
  /** Opens the debug panel. Default false. */
  debug?: boolean;
}

/** One experience's state, as `experiences()` reports it. */
export interface ExperienceStatus {
  id: string;
  state: ExperienceDecision["state"];
  variant?: string;
  reason?: string;
}

/** What the debug panel (src/debug/, a separate bundle) reads and does; it never reaches the runtime's insides. */
export interface DebugHandle {
  instance: Segmint;
  /** The rules in use, or undefined while none could be loaded. */
  rules(): Rules | undefined;
  /** The rules file's URL when the rules came from one. */
  rulesUrl: string | undefined;
  /** The last problems reported (`on("error")` payloads), oldest first. */
  problems(): Array<{ code: string; message: string }>;
  /** Segments forced on for QA in this tab (sessionStorage), whatever their conditions say. */
  forced(): string[];
  force(segmentIds: string[]): void;
}

/** An open debug panel. */
export interface DebugPanel {
  close(): void;
}

/** Loads the debug panel's code; each entry knows where it lives (a script next to the tag, or a chunk). */
export type DebugLoader = () => Promise<{ openDebugPanel(handle: DebugHandle): DebugPanel }>;

/** A segmint instance (DESIGN §1). */
export interface Segmint {
  readonly ready: Promise<void>;
  track(type: string, props?: Record<string, Json>): void;
  page(url?: string): void;
  setTraits(traits: Record<string, Json>): void;
  segments(): string[];
  inSegment(id: string): boolean;
  context(): Context | undefined;
  explain(segmentId: string): SegmentExplanation | undefined;
  experiences(): ExperienceStatus[];
  showOffer(experienceId: string): void;
  nextFields(n: number): ProfilingField[];
  debug(open?: boolean): void;
  on<K extends keyof SegmintEvents>(event: K, fn: Listener<K>): () => void;
  consent(state: ConsentState): void;
  export(): Promise<object>;
  forget(): Promise<void>;
  destroy(): void;
  /** Runs command tuples, as the pre-load queue does: `push(["track", "signup", { plan: "pro" }])`. */
  push(...commands: unknown[]): void;
}

const DAY = 86_400_000;
const CHECKPOINT_MS = 5000;
const PREVIEW_PARAM = "segmint_preview";
const DEBUG_PARAM = "segmint_debug";
const FORCE_KEY = "segmint_force";
const MAX_PROBLEMS = 50;
// Event fields a custom event's props may not overwrite (DESIGN §3).
const RESERVED = ["id", "t", "type", "sid", "path"];
// Calls that wait for the runtime (queued before `ready`), and reads that answer from it (with a fallback before).
const COMMANDS = ["track", "page", "setTraits", "showOffer", "consent"] as const;
const READS = { context: undefined, explain: undefined, experiences: [], nextFields: [] } as const;

type Runtime = Awaited<ReturnType<typeof createRuntime>>;

/**
 * Creates a segmint instance with the given optional features (offers, progressive profiling); synchronous, never
 * throws. Outside a browser (SSR) the instance is inert. The entries decide which features a build carries or fetches.
 */
export function createSegmintWith(features: readonly FeatureSource[], options: SegmintOptions = {}, loadDebug?: DebugLoader): Segmint {
  try {
    if (typeof document === "object") return browserSegmint(options, features, loadDebug);
  } catch (error) {
    console.warn(`[segmint] ${ErrorCodes.internal}:`, error);
  }
  return inertSegmint();
}

function browserSegmint(options: SegmintOptions, sources: readonly FeatureSource[], loadDebug?: DebugLoader): Segmint {
  const now = options.now ?? Date.now;
  const emitter = createEmitter((name, error) => report(ErrorCodes.listenerFailed, `on("${name}") listener threw: ${error}`));
  const problems: Array<{ code: string; message: string }> = [];
  const report = createReporter((problem) => (problems.push(problem) > MAX_PROBLEMS && problems.shift(), emitter.emit("error", problem)));
  const forced = new Set(tabSetting(location.href, FORCE_KEY)?.split(",").filter(Boolean));
  const page = createPageSide(document, { sanitize: options.sanitize, refuse: (reason) => report(ErrorCodes.changeRefused, reason) });
  const snapshot = readSnapshot();
  const early = syncRules(options.rules, report);
  let runtime: Runtime | undefined;
  let rules = early?.rules;
  let panel: Promise<DebugPanel | undefined> | undefined;
  let destroyed = false;
  const waiting: Array<(r: Runtime) => void> = [];
  // No snapshot: nothing was stored for this visitor (a first visit), so this page alone decides their segments and
  // synchronously available rules personalize it before first paint too. The runtime keeps this visitor id, so
  // bucketing agrees; if history did exist after all (localStorage cleared), the runtime reconciles.
  const first = snapshot || !early ? undefined : firstVisit(early.rules, now(), forced);
  const known = snapshot ?? first?.known;
  if (early) {
    page.adopt(early.rules);
    if (known) page.start(early.rules, known, deviceInfo(), now(), previewOf(location.href));
  }

  async function start(): Promise<void> {
    const loaded = early ?? (await loadRules(options.rules, report));
    if (!loaded || destroyed) return page.destroy();
    if (!early) page.adopt(loaded.rules);
    rules = loaded.rules;
    const features = loadFeatures(sources, loaded.rules, report);
    const consent = consentOf(options.consent, loaded.rules.tracking.consent);
    const created = await createRuntime({ loaded, consent, now, emitter, report, storageKind: options.storage, page, features, forced, visitorId: known?.visitorId, engine: first?.engine });
    if (destroyed) return created.destroy();
    runtime = created;
    for (const call of waiting.splice(0)) call(created);
  }

  const ready = start()
    .catch((error) => report(ErrorCodes.internal, `start failed: ${error}`))
    .then(() => destroyed || emitter.emit("ready"));

  // Every entry point is guarded: the host page never sees a throw. Commands before `ready` wait for it.
  const guard = <T>(fallback: T, call: () => T): T => {
    try {
      return call();
    } catch (error) {
      report(ErrorCodes.internal, String(error));
      return fallback;
    }
  };
  const instance = {
    ready: ready.then(() => {}),
    segments: () => guard([], () => (runtime ? runtime.segments() : (known?.segments.slice() ?? []))),
    inSegment: (id: string) => instance.segments().includes(id),
    on: (event, fn) => emitter.on(event, fn),
    debug: (open = true) => guard(undefined, () => (open ? openPanel() : closePanel())),
    // The right of access and erasure holds even when the rules could not be loaded (no runtime).
    export: () => ready.then(() => runtime?.exportData() ?? createStorage({ onError: report }).export()),
    forget: () => ready.then(() => (runtime ? runtime.forget(true) : createStorage({ onError: report }).clear())),
    destroy: () => {
      destroyed = true;
      closePanel();
      guard(undefined, () => (runtime ? runtime.destroy() : page.destroy()));
      runtime = undefined;
      emitter.clear();
    },
    push: (...commands: unknown[]) => commands.forEach((command) => guard(undefined, () => runCommand(instance, command, report))),
  } as Segmint;
  for (const name of COMMANDS) {
    instance[name] = (...args: never[]) => {
      const call = (r: Runtime) => guard(undefined, () => (r[name] as (...a: never[]) => void)(...args));
      if (runtime) call(runtime);
      else if (!destroyed) waiting.push(call);
    };
  }
  for (const [name, fallback] of Object.entries(READS) as Array<[keyof typeof READS, unknown]>) {
    instance[name] = ((...args: never[]) => guard(fallback, () => (runtime ? (runtime[name] as (...a: never[]) => unknown)(...args) : fallback))) as never;
  }
  const handle: DebugHandle = {
    instance,
    rules: () => rules,
    rulesUrl: typeof options.rules === "string" ? new URL(options.rules, location.href).href : undefined,
    problems: () => problems.slice(),
    forced: () => Array.from(forced),
    force(ids) {
      forced.clear();
      for (const id of ids) forced.add(id);
      writeTabSetting(FORCE_KEY, Array.from(forced).join(","));
      runtime?.refresh();
    },
  };
  function openPanel(): void {
    if (panel || destroyed) return;
    if (!loadDebug) return report(ErrorCodes.debugUnavailable, "debug(): this build cannot load the debug panel");
    panel = loadDebug()
      .then((module) => (destroyed ? undefined : module.openDebugPanel(handle)))
      .catch((error) => ((panel = undefined), report(ErrorCodes.debugUnavailable, `the debug panel could not be loaded: ${error}`), undefined));
  }
  function closePanel(): void {
    void panel?.then((open) => open?.close());
    panel = undefined;
  }
  if (options.debug || tabSetting(location.href, DEBUG_PARAM) === "1") instance.debug(true);
  return instance;
}

// Features a build fetches load beside the stored history, and only for rules that use them; one that fails to load
// is reported and left out (its part of the rules does nothing), the rest of the page is personalized as usual.
function loadFeatures(sources: readonly FeatureSource[], rules: Rules, report: Report): Promise<Feature[]> {
  const loads = sources.map((source) =>
    Promise.resolve(typeof source === "function" ? source(rules) : source).catch((error) => void report(ErrorCodes.featureUnavailable, String(error))),
  );
  return Promise.all(loads).then((features) => features.filter((feature): feature is Feature => !!feature));
}

/** Consent: the site's code over the rules file over "granted"; Global Privacy Control means denied. */
function consentOf(site: ConsentState | undefined, rulesDefault: ConsentState): ConsentState {
  return (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl ? "denied" : (site ?? rulesDefault);
}

// ---- the runtime: everything that exists once rules and history are loaded ----------------------------

interface RuntimeInput {
  loaded: LoadedRules;
  consent: ConsentState;
  now: () => number;
  emitter: Emitter;
  report: Report;
  storageKind: "indexeddb" | "memory" | undefined;
  page: PageSide;
  features: Promise<Feature[]>;
  /** Segments forced on for QA in this tab; their events and the tab's exposures carry `qa: true`. */
  forced: ReadonlySet<string>;
  /** The id the head script bucketed a new visitor with, kept when nothing is stored. */
  visitorId: string | undefined;
  /** The engine the head script already compiled for a first visit (it is reloaded with the stored history). */
  engine: Engine | undefined;
}

interface Profile {
  visitor: { id: string; firstSeen: number; lastSeen: number };
  session?: SessionState;
  traits: Record<string, Json>;
  sticky: Record<string, number>;
  experiences: Record<string, ExperienceHistory & { exposedAt?: number; variant?: string }>;
}

async function createRuntime(input: RuntimeInput) {
  const { loaded: { rules }, now, emitter, report, page, forced } = input;
  let consent = input.consent;
  let storage = openStorage(input.storageKind, consent, report);
  const [stored, features] = await Promise.all([storage.load(), input.features]);
  const engine = input.engine ?? createEngine(rules, new Date(now()).getTimezoneOffset());
  const profile = profileOf(stored.profile, now(), input.visitorId);
  const decide = compileExperiences(rules);
  const preview = previewOf(location.href);
  const stops: Array<() => void> = [];
  const armed = new Map<string, () => void>();
  const fired = new Set<string>();
  const buffered: SegmintEvent[] = [];
  const outgoing: SegmintEvent[] = [];
  let sessionSavedAt = 0;
  let context = undefined as unknown as Context;
  const known = readSnapshot();
  let segments: string[] = known?.segments ?? [];
  // Traits that text tokens read, by name: kept across pages, so a page whose data-segmint-text was seen on an
  // earlier visit finds its traits in the snapshot even when it was evaluated before those elements were parsed.
  const textTraits = new Set(Object.keys(known?.traits ?? {}));
  let decisions: ExperienceDecision[] = [];
  let pageUrl = location.href;
  let pagePath = location.pathname;
  let referrer = document.referrer;
  let exposed = new Set<string>();
  let goalsMet = new Set<string>();
  let queued = false;
  const pageGoals = rules.experiences.map((e) => [e.id, (e.goals ?? []).flatMap((g) => ("pageview" in g ? [compileCondition(g.pageview, rules.groups)] : []))] as const);
  const onError = (error: unknown) => report(ErrorCodes.internal, String(error));
  const hooks: FeatureHooks[] = features.map((feature) =>
    feature.start({ rules, now, report, emitter, record, traits: () => profile.traits, setTraits, expose, convert, remember }),
  );
  const hook = <K extends keyof FeatureHooks>(name: K) => hooks.find((h) => h[name])?.[name];
  let span = randomId();
  const dwell = startDwell({ now, checkpointMs: CHECKPOINT_MS, onCheckpoint: (seconds) => checkpointDwell(seconds), onError });
  const tabs = openTabChannel(fromOtherTab);

  engine.load(stored.events, stored.archive as Archive | undefined);
  recoverWriteAhead(stored.events);
  save("visitor", profile.visitor);
  startPage(pageUrl, true);
  evaluate();
  revealUnwanted();
  for (const id of page.exposeTo(expose)) if (isApplied(id)) expose(id);
  startCollectors();
  cacheRules();
  prune();

  function persisting(): boolean {
    return consent === "granted";
  }

  function record(type: string, props: Record<string, Json | undefined> = {}, at = now()): SegmintEvent {
    const session = profile.session as SessionState;
    const event = { ...withoutReserved(props), id: randomId(), t: at, type, sid: session.id, path: pagePath } as SegmintEvent;
    engine.add(event);
    if (!persisting()) buffered.push(event);
    storage.append(event);
    if (outgoing.push(event) === 1) queueMicrotask(() => tabs.post({ kind: "events", events: outgoing.splice(0) }));
    // The session's last activity decides its time-out on later pages: saved once a minute, not per event.
    if (at > session.lastActivity) profile.session = { ...session, lastActivity: at };
    if (at - sessionSavedAt > 60_000 || type === "pageview") (save("session", profile.session), (sessionSavedAt = at));
    return event;
  }

  function save<K extends keyof Profile>(key: K, value: Profile[K]): void {
    void storage.updateProfile(key, () => value);
  }

  function startPage(url: string, first: boolean): void {
    pageUrl = url;
    pagePath = new URL(url).pathname;
    exposed = new Set();
    goalsMet = new Set();
    const { session, isNew, events } = pageView(rules, url, first ? referrer : "", profile.session, now());
    if (isNew && profile.session) profile.visitor = { ...profile.visitor, lastSeen: profile.session.lastActivity };
    if (isNew) save("visitor", profile.visitor);
    profile.session = session;
    for (const [type, props] of events) record(type, props);
  }

  function environment(): Environment {
    return environmentOf(pageUrl, referrer, profile.session as SessionState, profile.visitor, profile.traits, now());
  }

  function evaluate(): void {
    queued = false;
    const before = segments;
    const evaluation = engine.evaluate(environment(), before, profile.sticky, forced);
    context = evaluation.context;
    segments = context.segments;
    if (JSON.stringify(evaluation.stickyUntil) !== JSON.stringify(profile.sticky)) save("sticky", (profile.sticky = evaluation.stickyUntil));
    announce(evaluation.entered, evaluation.exited, before);
    decisions = decide(context, profile.visitor.id, now(), profile.experiences, preview);
    applyDecisions();
    for (const [id, tests] of pageGoals) if (!goalsMet.has(id) && tests.some((test) => test(context))) goalsMet.add(id) && convert(id, "pageview");
    if (persisting()) writeSnapshot({ visitorId: profile.visitor.id, segments, held: heldIds(), traits: snapshotTraits(), t: now() });
  }

  function announce(entered: string[], exited: string[], before: string[]): void {
    setSegmentClasses(document, before, segments);
    for (const segment of entered) record("segment", { segment, change: "enter", ...qaOf(forced.has(segment)) });
    for (const segment of exited) record("segment", { segment, change: "exit", ...qaOf(forced.has(segment)) });
    if (entered.length || exited.length) emitter.emit("segments", segments.slice(), before.slice());
    for (const segment of entered) emitter.emit("enter", segment);
    for (const segment of exited) emitter.emit("exit", segment);
  }

  function wantedDecisions(): ExperienceDecision[] {
    return decisions.filter((d) => d.state === "applied" && d.changes.length && (triggerOf(d.id) === "load" || fired.has(d.id)));
  }

  function applyDecisions(): void {
    page.applier.sync(wantedDecisions().map((d) => wantedOf(d, context)));
    page.render(context);
    armTriggers();
  }

  // With the history loaded, elements pre-hidden for a change that no longer applies are shown now; those whose
  // change still waits (its element or <template> not parsed yet) stay hidden until it lands or prehideMs passes,
  // or their original content would show in between.
  function revealUnwanted(): void {
    const wanted = new Set(wantedDecisions().flatMap((d) => d.changes.map((c) => c.selector)));
    for (const selector of page.prehider.pending()) if (!wanted.has(selector)) page.prehider.reveal(selector);
  }

  function definition(id: string): ExperienceDef | undefined {
    return rules.experiences.find((e) => e.id === id);
  }

  function decision(id: string): ExperienceDecision | undefined {
    return decisions.find((d) => d.id === id);
  }

  function isApplied(id: string): boolean {
    return decision(id)?.state === "applied";
  }

  function triggerOf(id: string): string {
    const trigger = definition(id)?.trigger ?? "load";
    return typeof trigger === "string" ? trigger : (Object.keys(trigger)[0] as string);
  }

  // Offers and experiences that wait for a trigger are armed while they apply, once per page view.
  function armTriggers(): void {
    for (const d of decisions) {
      const def = definition(d.id) as ExperienceDef;
      const live = (d.state === "applied" || d.state === "control") && !fired.has(d.id);
      if (!live) disarm(d.id);
      else if (def.trigger && def.trigger !== "load") armed.has(d.id) || armed.set(d.id, hook("watchTrigger")?.(def.trigger, () => fire(d.id)) ?? (() => {}));
      else if (def.offer || d.state === "control") fire(d.id);
    }
  }

  function disarm(id: string): void {
    armed.get(id)?.();
    armed.delete(id);
  }

  // A trigger fired: control visitors are exposed (they would have seen it); others get the change or the offer.
  function fire(id: string): void {
    disarm(id);
    fired.add(id);
    if (decision(id)?.state === "control") expose(id);
    else if (definition(id)?.offer) hook("showOffer")?.(id);
    else applyDecisions();
  }

  // What the visitor did with an experience (caps, attribution), merged into the stored document so that
  // tabs never overwrite each other's.
  function remember(id: string, change: (history: Profile["experiences"][string]) => Profile["experiences"][string]): void {
    profile.experiences = { ...profile.experiences, [id]: change(profile.experiences[id] ?? {}) };
    void storage.updateProfile<Profile["experiences"]>("experiences", (all = {}) => ({ ...all, [id]: change(all[id] ?? {}) }));
  }

  function expose(id: string): void {
    if (exposed.has(id)) return;
    exposed.add(id);
    const variant = decision(id)?.variant ?? "treated";
    const qa = qaOf(preview?.id === id || forced.size > 0);
    record("exposure", { experience: id, variant, ...qa });
    remember(id, (h) => ({ ...h, exposedAt: now(), variant }));
    emitter.emit("exposure", { experience: id, variant, segments: segments.slice(), ...qa });
    pushDataLayer({ event: "segmint_exposure", segmint_experience: id, segmint_variant: variant, ...(qa.qa && { segmint_qa: "true" }) });
  }

  // A goal counts for an experience the visitor was exposed to within its attribution window.
  function convert(id: string, goal: string): void {
    const { exposedAt, variant = "treated" } = profile.experiences[id] ?? {};
    const days = definition(id)?.attributionDays ?? 30;
    if (exposedAt === undefined || now() - exposedAt > days * DAY) return;
    const qa = qaOf(preview?.id === id || forced.size > 0);
    record("conversion", { experience: id, variant, goal, ...qa });
    remember(id, (h) => ({ ...h, convertedAt: now() }));
    emitter.emit("conversion", { experience: id, variant, goal, ...qa });
    pushDataLayer({ event: "segmint_conversion", segmint_experience: id, segmint_variant: variant, segmint_goal: goal, ...(qa.qa && { segmint_qa: "true" }) });
  }

  function heldIds(): string[] {
    return decisions.filter((d) => d.state === "control" || d.state === "capped").map((d) => d.id);
  }

  // Only the trait values that text tokens read are kept in the synchronous snapshot (DESIGN §4): the rules'
  // changes and the page's data-segmint-text attributes, which would otherwise show their fallback first.
  function snapshotTraits(): Record<string, Json> {
    const changes = rules.experiences.flatMap((def) => [...(def.changes ?? []), ...(def.variants ?? []).flatMap((v) => v.changes)]);
    const templates = [
      ...changes.flatMap((change) => [change.text, change.href, change.insert?.text]),
      ...Array.from(document.querySelectorAll("[data-segmint-text]"), (element) => element.getAttribute("data-segmint-text")),
    ];
    for (const path of templates.flatMap((t) => (t ? templatePaths(t) : []))) {
      const name = /^traits\.([^.]+)/.exec(path)?.[1];
      if (name) textTraits.add(name);
    }
    const traits: Record<string, Json> = {};
    for (const name of textTraits) if (Object.prototype.hasOwnProperty.call(profile.traits, name)) traits[name] = profile.traits[name] as Json;
    return traits;
  }

  function schedule(): void {
    if (queued) return;
    queued = true;
    queueMicrotask(() => guarded(report, evaluate));
  }

  function startCollectors(): void {
    const flush = () => (recordDwell(), save("session", profile.session), void storage.flush());
    stops.push(
      watchNavigation({ hashRoutes: rules.tracking.hashRoutes, onNavigate: (url) => navigate(url), onError }),
      watchBackForward(() => navigate(location.href, true), onError),
      watchSearchForms((query) => (record("search", { query }), schedule()), { params: rules.tracking.searchParams, onError }),
      watchClicks({ goalSelectors: clickGoals, onGoal: (goal) => clickGoal(goal.name, goal.href, goal.experience), onError }),
      listen(window, "pagehide", flush, onError),
      listen(document, "visibilitychange", () => document.visibilityState === "hidden" && flush(), onError),
    );
  }

  function navigate(url: string, restored = false): void {
    recordDwell();
    if (!restored) referrer = pageUrl;
    for (const id of Array.from(armed.keys())) disarm(id);
    fired.clear();
    startPage(url, restored);
    schedule();
    for (const h of hooks) h.navigated?.();
  }

  // Dwell is counted in spans (each ends when it is recorded). A span's seconds also go to a synchronous
  // write-ahead record, dropped only once the event is stored: IndexedDB writes started at pagehide may never
  // commit, so the next page load recovers a span whose event did not make it.
  function recordDwell(): void {
    const seconds = dwell.take();
    if (seconds <= 0) return;
    const done = span;
    span = randomId();
    record("dwell", { seconds, span: done, tags: context.page.tags });
    if (!persisting()) return;
    checkpointDwell(seconds, done, true);
    void storage.flush().then(() => dropWriteAhead(done));
  }

  function checkpointDwell(seconds: number, id = span, final = false): void {
    const { id: sid } = profile.session as SessionState;
    if (persisting()) writeAhead({ id, t: now(), final, sid, path: pagePath, seconds, tags: context.page.tags });
  }

  // Spans of pages that ended (final) or were closed abruptly (not updated for three checkpoints) whose dwell
  // event is not stored are recorded now; a span another open tab is still counting is left to that tab.
  function recoverWriteAhead(events: readonly SegmintEvent[]): void {
    if (!persisting()) return;
    for (const { id, t, sid, path, seconds, tags } of takeWriteAhead(now() - 3 * CHECKPOINT_MS)) {
      if (events.some((e) => e.type === "dwell" && e.span === id) || typeof seconds !== "number" || seconds <= 0) continue;
      const event = { id: randomId(), t, type: "dwell", sid: String(sid), path: String(path), seconds, span: id, tags: Array.isArray(tags) ? tags : [] };
      engine.add(event);
      storage.append(event);
    }
  }

  function clickGoals() {
    return decisions.flatMap((d) => (definition(d.id)?.goals ?? []).flatMap((g) => ("click" in g ? [{ selector: g.click, experience: d.id }] : [])));
  }

  function clickGoal(goal: string, href: string | undefined, experience: string | undefined): void {
    record("click", { goal, ...(href && { href }) });
    if (experience) convert(experience, goal);
    schedule();
  }

  function setTraits(traits: Record<string, Json>): void {
    if (!isObj(traits)) return report(ErrorCodes.badCall, "setTraits(traits) needs an object");
    const known = jsonProps(traits);
    profile.traits = { ...profile.traits, ...known };
    void storage.updateProfile<Record<string, Json>>("traits", (all = {}) => ({ ...all, ...known })).then(() => tabs.post({ kind: "profile", key: "traits" }));
    schedule();
  }

  function fromOtherTab(message: TabMessage): void {
    if (message.kind === "events") for (const event of message.events) engine.add(event);
    if (message.kind === "forget") return void forget(false);
    if (message.kind === "profile") void storage.load().then(({ profile: docs }) => (Object.assign(profile, profileOf(docs, now()), { session: profile.session }), schedule()));
    schedule();
  }

  // Every stored byte erased, other tabs told, and a new anonymous visitor starts on this page.
  async function forget(tellOtherTabs: boolean): Promise<void> {
    await storage.clear();
    clearSnapshot();
    if (tellOtherTabs) tabs.post({ kind: "forget" });
    buffered.length = 0;
    Object.assign(profile, profileOf({}, now()));
    delete profile.session;
    engine.load([], undefined);
    // Nothing of the forgotten visitor carries over: no exit events for their segments, and the new visitor's
    // experiences are decided, applied and exposed afresh (undone and redone in one task: nothing paints between).
    setSegmentClasses(document, segments, []);
    segments = [];
    page.applier.sync([]);
    for (const id of Array.from(armed.keys())) disarm(id);
    fired.clear();
    startPage(pageUrl, false);
    evaluate();
  }

  // The rules text is cached (for a synchronous start next time) only once consent allows writing.
  function cacheRules(): void {
    const { url, cached, fetched } = input.loaded;
    if (!url || !persisting()) return;
    if (fetched) writeRulesCache(url, fetched);
    if (cached) void fetchRules(url, report, cached).then((fresh) => fresh && persisting() && writeRulesCache(url, fresh));
  }

  function prune(): void {
    const { retentionDays, maxEvents } = rules.tracking;
    if (persisting()) void storage.prune({ retentionDays, maxEvents, now: now(), fold: (pruned, archive) => engine.fold(pruned, archive as Archive) });
  }

  return {
    track(type: string, props?: Record<string, Json>): void {
      if (!type || typeof type !== "string") return report(ErrorCodes.badCall, "track(type) needs a non-empty string");
      record(type, isObj(props) ? jsonProps(props) : {});
      for (const def of rules.experiences) if (def.goals?.some((g) => "event" in g && g.event === type)) convert(def.id, type);
      schedule();
    },
    page: (url?: string) => navigate(new URL(url ?? location.href, location.href).href),
    refresh: schedule,
    setTraits,
    showOffer(id: string): void {
      if (!definition(id)?.offer) return report(ErrorCodes.badCall, `showOffer("${id}"): no offer has that id`);
      if (decision(id)?.state === "control") expose(id);
      else hook("showOffer")?.(id);
    },
    nextFields: (n: number) => hook("nextFields")?.(n) ?? [],
    segments: () => segments.slice(),
    context: () => freezeContext(context),
    explain: (id: string) => engine.explain(id, context, profile.sticky, now()),
    experiences: (): ExperienceStatus[] => {
      const waiting = page.applier.waiting();
      return decisions.map(({ id, state, variant, reason }) => ({
        id,
        state: state === "applied" && (waiting.includes(id) || (triggerOf(id) !== "load" && !fired.has(id))) ? "waiting" : state,
        ...(variant && { variant }),
        ...(reason && { reason }),
      }));
    },
    // Granting consent persists what was buffered in memory; pending/denied keep everything in memory.
    consent(state: ConsentState): void {
      const was = consent;
      consent = state;
      // Withdrawn: from now on nothing is written (what was stored stays until forget()).
      if (was === "granted" && state !== "granted") storage = openStorage(input.storageKind, consent, report);
      if (state !== "granted" || was === "granted") return;
      storage = openStorage(input.storageKind, consent, report);
      for (const event of buffered.splice(0)) storage.append(event);
      for (const key of Object.keys(profile) as Array<keyof Profile>) save(key, profile[key]);
      schedule();
    },
    // Right of access (DESIGN §1): every key is present even when nothing was stored under it yet.
    exportData: () => storage.export().then((data) => ({ visitor: profile.visitor, traits: {}, experiences: {}, events: [], ...data })),
    forget,
    destroy(): void {
      recordDwell();
      void storage.flush();
      for (const stop of [...stops.splice(0), ...armed.values()]) stop();
      for (const h of hooks) h.destroy?.();
      dwell.stop();
      tabs.close();
      page.destroy();
      setSegmentClasses(document, segments, []);
    },
  };
}

// ---- helpers ------------------------------------------------------------------------------------------

function openStorage(kind: "indexeddb" | "memory" | undefined, consent: ConsentState, report: Report): SegmintStorage {
  return createStorage({ kind: consent === "granted" && kind !== "memory" ? "indexeddb" : "memory", onError: report });
}

function profileOf(stored: Record<string, unknown>, now: number, newId = randomId()): Profile {
  const object = (value: unknown) => (isObj(value) ? value : {}) as never;
  const visitor = stored.visitor as Profile["visitor"] | undefined;
  return {
    visitor: typeof visitor?.id === "string" ? visitor : { id: newId, firstSeen: now, lastSeen: now },
    ...(isObj(stored.session) && { session: stored.session as unknown as SessionState }),
    traits: object(stored.traits),
    sticky: object(stored.sticky),
    experiences: object(stored.experiences),
  };
}

/** A page view at `url`: the session it belongs to, and the events it records (the view, and a site search). */
function pageView(rules: Rules, url: string, referrer: string, previous: SessionState | undefined, at: number) {
  const query = Object.fromEntries(new URL(url).searchParams);
  const clickId = parseClickId(query);
  const continued = continueSession(previous, {
    now: at, timeoutMinutes: rules.tracking.sessionTimeoutMinutes, url, referrer,
    utm: parseUtm(query), ...(clickId && { clickId }), newId: randomId, classify: classifyReferrer,
  });
  const search = searchFromUrl(url, rules.tracking.searchParams);
  const events: Array<[string, Record<string, Json>]> = [["pageview", { title: document.title }]];
  if (search) events.push(["search", { query: search }]);
  return { ...continued, events };
}

function environmentOf(url: string, referrer: string, state: SessionState, visitor: Profile["visitor"], traits: Record<string, Json>, at: number): Environment {
  const { lastActivity: _, ...session } = state;
  return {
    now: at,
    page: parsePage(url, document.title, referrer, metaTags(document)),
    session,
    visitor: { ...visitor, sessions: session.number },
    device: deviceInfo(),
    traits,
  };
}

/** What a first visit's head script knows: this page view alone decides the segments (nothing is stored yet). */
function firstVisit(rules: Rules, at: number, forced: ReadonlySet<string>): { known: EarlyKnowledge; engine: Engine } {
  const visitor = { id: randomId(), firstSeen: at, lastSeen: at };
  const { session, events } = pageView(rules, location.href, document.referrer, undefined, at);
  const engine = createEngine(rules, new Date(at).getTimezoneOffset());
  engine.load(events.map(([type, props]) => ({ ...props, id: randomId(), t: at, type, sid: session.id, path: location.pathname })), undefined);
  const { context } = engine.evaluate(environmentOf(location.href, document.referrer, session, visitor, {}, at), [], {}, forced);
  return { known: { visitorId: visitor.id, segments: context.segments, held: [], traits: {} }, engine };
}

// A preview lasts for the tab (sessionStorage), so QA can browse on; an empty `?segmint_preview=` ends it.
function previewOf(url: string): Preview | undefined {
  const [id, variant] = (tabSetting(url, PREVIEW_PARAM) ?? "").split(":");
  return id ? { id, ...(variant && { variant }) } : undefined;
}

// A QA setting of this tab: the URL parameter when present (an empty one ends it), else what the tab kept.
function tabSetting(url: string, name: string): string | undefined {
  const param = new URL(url).searchParams.get(name);
  if (param !== null) writeTabSetting(name, param);
  try {
    return param ?? sessionStorage.getItem(name) ?? undefined;
  } catch {
    return undefined; // storage blocked: the setting lasts for this page only
  }
}

function writeTabSetting(name: string, value: string): void {
  try {
    if (value) sessionStorage.setItem(name, value);
    else sessionStorage.removeItem(name);
  } catch {
    // Storage blocked: the setting lasts for this page only.
  }
}

function qaOf(qa: boolean): { qa?: true } {
  return qa ? { qa: true } : {};
}

function withoutReserved(props: Record<string, Json | undefined>): Record<string, Json | undefined> {
  const copy = { ...props };
  for (const key of RESERVED) delete copy[key];
  return copy;
}

// Props and traits are stored as JSON: functions, undefined and cycles dropped, prototype keys never copied.
function jsonProps(value: Record<string, unknown>): Record<string, Json> {
  try {
    const parsed = JSON.parse(JSON.stringify(value)) as Record<string, Json>;
    for (const key of ["__proto__", "constructor", "prototype"]) delete parsed[key];
    return parsed;
  } catch {
    return {};
  }
}

function pushDataLayer(entry: Record<string, string>): void {
  const layer = (window as { dataLayer?: unknown }).dataLayer;
  if (Array.isArray(layer)) layer.push(entry);
}

function guarded(report: Report, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    report(ErrorCodes.internal, String(error));
  }
}

function runCommand(instance: Segmint, command: unknown, report: Report): void {
  const [name, ...args] = Array.isArray(command) ? command : [];
  const method = typeof name === "string" && name !== "push" && Object.prototype.hasOwnProperty.call(instance, name) ? instance[name as keyof Segmint] : 0;
  if (typeof method === "function") (method as (...a: unknown[]) => void)(...args);
  else report(ErrorCodes.badCall, `push() takes command tuples like ["track", "signup", {…}]; got ${JSON.stringify(command)}`);
}

function inertSegmint(): Segmint {
  const none = () => undefined;
  const resolved = Promise.resolve();
  return {
    ready: resolved, track: none, page: none, setTraits: none, showOffer: none, debug: none, consent: none, destroy: none, push: none,
    segments: () => [], inSegment: () => false, context: none, explain: none, experiences: () => [], nextFields: () => [],
    on: () => none, export: () => Promise.resolve({}), forget: () => resolved,
  };
}
