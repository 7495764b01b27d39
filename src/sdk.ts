// createSegmint: the one place that wires rules, collectors, storage and the DOM side together (DESIGN §4).
import { createEngine, type Archive, type Engine, type Environment, type SegmentExplanation } from "./rules/engine";
import { compileExperiences, type ExperienceDecision, type ExperienceHistory, type Preview } from "./rules/experiences";
import { classifyReferrer, parseClickId, parsePage, parseUtm } from "./rules/referrer";
import { getPath } from "./rules/condition";
import { renderTemplate, templatePaths } from "./rules/template";
import { freezeContext, timeInfo, visitorInfo } from "./rules/context";
import type { Change, ConsentState, Context, ExperienceDef, Json, ProfilingField, Rules, SegmintEvent, Trigger } from "./rules/types";
import { createStorage, type SegmintStorage } from "./store/storage";
import { readSnapshot, writeSnapshot, clearSnapshot, type Snapshot } from "./store/snapshot";
import { writeRulesCache } from "./store/rules-cache";
import { takeWriteAhead, writeAhead, dropWriteAhead } from "./store/write-ahead";
import { openTabChannel, type TabChannel, type TabMessage } from "./store/tabs";
import { continueSession, type SessionState } from "./track/session";
import { watchNavigation, watchBackForward } from "./track/page";
import { startDwell, type Dwell } from "./track/dwell";
import { searchFromUrl, watchSearchForms } from "./track/search";
import { watchClicks } from "./track/clicks";
import { deviceInfo } from "./track/device";
import { randomId } from "./track/ids";
import { createApplier, type Applier, type WantedExperience } from "./act/apply";
import { adoptStylesheet } from "./act/styles";
import { createPrehider, type Prehider } from "./act/prehide";
import { declarativeCss, createDeclarativeText } from "./act/declarative";
import { afterSeconds, atScrollDepth } from "./act/triggers";
import { openOffer, OFFER_CSS, type OpenOffer } from "./offer/dialog";
import { watchExitIntent } from "./offer/exit-intent";
import { enhanceProfileForms } from "./profile/forms";
import { metaTags } from "./profile/tags";
import { nextFields } from "./rules/profiling";
import { createEmitter, type Listener, type SegmintEvents } from "./emitter";
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
  /** Runs one command tuple, as the pre-load queue does: `push(["track", "signup", { plan: "pro" }])`. */
  push(...commands: unknown[]): void;
}

const CHECKPOINT_MS = 5000;
const SEGMENT_EVENT = "segment";
const PREVIEW_PARAM = "segmint_preview";
// Event fields a custom event's props may not overwrite (DESIGN §3).
const RESERVED = ["id", "t", "type", "sid", "path"];

/** Creates a segmint instance; synchronous, never throws. Outside a browser (SSR) the instance is inert. */
export function createSegmint(options: SegmintOptions = {}): Segmint {
  if (typeof window === "undefined" || typeof document === "undefined") return inertSegmint();
  try {
    return browserSegmint(options);
  } catch (error) {
    console.warn("[segmint] SEGMINT_INTERNAL:", error);
    return inertSegmint();
  }
}

function browserSegmint(options: SegmintOptions): Segmint {
  const now = options.now ?? Date.now;
  const emitter = createEmitter((name, error) => report(ErrorCodes.listenerFailed, `an on("${name}") listener threw: ${String(error)}`));
  const report = createReporter((problem) => emitter.emit("error", problem));
  let runtime: Runtime | undefined;
  let destroyed = false;
  const waiting: Array<(r: Runtime) => void> = [];
  const page = createPageSide(options, report);
  const early = syncRules(options.rules, report);
  if (early) startEarly(early, page, now);

  const ready = start()
    .catch((error) => report(ErrorCodes.internal, `start failed: ${String(error)}`))
    .then(() => {
      if (!destroyed) emitter.emit("ready");
    });

  async function start(): Promise<void> {
    const loaded = early ?? (await loadRules(options.rules, report));
    if (!loaded || destroyed) return page.destroy();
    const rules = loaded.rules;
    if (!early) page.adopt(rules);
    const consent = consentOf(options.consent, rules.tracking.consent);
    const created = await createRuntime({ loaded, rules, consent, now, emitter, report, storageKind: options.storage, page });
    if (destroyed) return created.destroy();
    runtime = created;
    for (const call of waiting.splice(0)) call(created);
  }

  // Calls before `ready` wait for the runtime; every entry point is guarded so the host page never sees a throw.
  const run = (name: string, call: (r: Runtime) => void) => {
    try {
      if (destroyed) return;
      if (runtime) call(runtime);
      else waiting.push((r) => guarded(report, name, () => call(r)));
    } catch (error) {
      report(ErrorCodes.internal, `${name} failed: ${String(error)}`);
    }
  };
  const read = <T>(fallback: T, call: (r: Runtime) => T): T => {
    try {
      return runtime ? call(runtime) : fallback;
    } catch (error) {
      report(ErrorCodes.internal, String(error));
      return fallback;
    }
  };

  const instance: Segmint = {
    ready,
    track: (type, props) => run("track", (r) => r.track(type, props)),
    page: (url) => run("page", (r) => r.page(url)),
    setTraits: (traits) => run("setTraits", (r) => r.setTraits(traits)),
    segments: () => read(page.snapshot?.segments.slice() ?? [], (r) => r.segments()),
    inSegment: (id) => instance.segments().includes(id),
    context: () => read(undefined, (r) => r.context()),
    explain: (id) => read(undefined, (r) => r.explain(id)),
    experiences: () => read([], (r) => r.experiences()),
    showOffer: (id) => run("showOffer", (r) => r.showOffer(id)),
    nextFields: (n) => read([], (r) => r.nextFields(n)),
    debug: () => undefined,
    on: (event, fn) => emitter.on(event, fn),
    consent: (state) => run("consent", (r) => r.consent(state)),
    export: () => ready.then(() => (runtime ? runtime.exportData() : {})),
    forget: () => ready.then(() => runtime?.forget()),
    destroy: () => {
      destroyed = true;
      if (runtime) runtime.destroy();
      else page.destroy();
      runtime = undefined;
      emitter.clear();
    },
    push: (...commands) => {
      for (const command of commands) runCommand(instance, command, report);
    },
  };
  return instance;
}

// ---- the page side: what exists from the first synchronous moment -------------------------------------

/** The DOM side of one instance, created synchronously so a head script can act before first paint. */
interface PageSide {
  snapshot: Snapshot | null;
  /** The context that `{{…}}` tokens read now (the early one, then each evaluation's). */
  context?: Context;
  applier: Applier;
  prehider: Prehider;
  text: ReturnType<typeof createDeclarativeText>;
  /** Exposure handler: queued until the runtime exists, then the runtime's. */
  onApplied: (experience: string) => void;
  appliedEarly: string[];
  adopt(rules: Rules): void;
  destroy(): void;
}

function createPageSide(options: SegmintOptions, report: Report): PageSide {
  let removeStylesheet = () => {};
  const side: PageSide = {
    snapshot: readSnapshot(),
    appliedEarly: [],
    onApplied: (experience) => side.appliedEarly.push(experience),
    applier: createApplier(document, {
      sanitize: options.sanitize,
      refuse: (reason) => report(ErrorCodes.changeRefused, reason),
      onApplied: (experience) => side.onApplied(experience),
      onSelectorDone: (selector) => side.prehider.reveal(selector),
    }),
    prehider: createPrehider(document),
    text: createDeclarativeText(document, (template) => (side.context ? renderTemplate(template, side.context, getPath) : undefined)),
    adopt(rules) {
      removeStylesheet = adoptStylesheet(document, declarativeCss(rules.segments.map((s) => s.id)) + OFFER_CSS);
    },
    destroy() {
      side.prehider.revealAll();
      side.applier.destroy();
      side.text.stop();
      removeStylesheet();
      setSegmentClasses(side.snapshot?.segments ?? [], []);
    },
  };
  return side;
}

// A returning visitor's page, before any history is read: the snapshot's segments and traits decide the
// experiences that need nothing else (no `when`, not held out or capped), and only their targets are pre-hidden.
function startEarly(loaded: LoadedRules, page: PageSide, now: () => number): void {
  const { rules } = loaded;
  page.adopt(rules);
  const snapshot = page.snapshot;
  if (!snapshot) return;
  setSegmentClasses([], snapshot.segments);
  const context = earlyContext(snapshot, now());
  page.context = context;
  const decisions = compileExperiences(rules)(context, snapshot.visitorId, now(), {}, previewOf(location.href));
  const wanted = decisions
    .filter((d) => d.state === "applied" && !snapshot.held.includes(d.id) && isEarlyExperience(rules, d.id))
    .map((d) => wantedOf(d, context));
  page.prehider.hide(wanted.flatMap((w) => w.changes.map((c) => c.selector)), rules.tracking.prehideMs);
  page.applier.sync(wanted);
}

function isEarlyExperience(rules: Rules, id: string): boolean {
  const def = rules.experiences.find((e) => e.id === id);
  return Boolean(def && !def.when && (def.trigger ?? "load") === "load");
}

function earlyContext(snapshot: Snapshot, now: number): Context {
  const page = parsePage(location.href, document.title, document.referrer, []);
  const none = { url: "", host: "", type: "direct" as const };
  return {
    page,
    session: { id: "", number: 0, startedAt: now, pageviews: 0, seconds: 0, landing: page.url, referrer: none, utm: {} },
    visitor: visitorInfo({ id: snapshot.visitorId, firstSeen: now, lastSeen: now, sessions: 0, pageviews: 0, seconds: 0 }, now),
    device: deviceInfo(),
    time: timeInfo(now, new Date(now).getTimezoneOffset()),
    traits: snapshot.traits,
    interests: {},
    metrics: {},
    segments: snapshot.segments,
    searches: [],
    pages: [],
  };
}

/** The changes of an applied decision, with `{{…}}` tokens rendered against `context` (text, never HTML). */
function wantedOf(decision: ExperienceDecision, context: Context): WantedExperience {
  return { id: decision.id, variant: decision.variant ?? "treated", changes: decision.changes.map((c) => renderChange(c, context)) };
}

function renderChange(change: Change, context: Context): Change {
  const render = (text: string) => renderTemplate(text, context, getPath);
  const rendered: Change = { ...change };
  if (change.text !== undefined) rendered.text = render(change.text);
  if (change.href !== undefined) rendered.href = render(change.href);
  if (change.insert?.text !== undefined) rendered.insert = { ...change.insert, text: render(change.insert.text) };
  if (change.attributes) {
    rendered.attributes = {};
    for (const [name, value] of Object.entries(change.attributes)) rendered.attributes[name] = value === null ? null : render(value);
  }
  return rendered;
}

// ---- consent -------------------------------------------------------------------------------------

/** Consent: the site's code over the rules file over "granted"; Global Privacy Control means denied. */
function consentOf(site: ConsentState | undefined, rulesDefault: ConsentState | undefined): ConsentState {
  if ((navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true) return "denied";
  return site ?? rulesDefault ?? "granted";
}

// ---- the runtime: everything that exists once rules and history are loaded ----------------------------

interface RuntimeInput {
  loaded: LoadedRules;
  rules: Rules;
  consent: ConsentState;
  now: () => number;
  emitter: ReturnType<typeof createEmitter>;
  report: Report;
  storageKind: "indexeddb" | "memory" | undefined;
  page: PageSide;
}

interface Profile {
  visitor: { id: string; firstSeen: number; lastSeen: number };
  session?: SessionState;
  traits: Record<string, Json>;
  sticky: Record<string, number>;
  experiences: Record<string, ExperienceHistory>;
}

type Runtime = Awaited<ReturnType<typeof createRuntime>>;

async function createRuntime(input: RuntimeInput) {
  const { rules, now, emitter, report } = input;
  let consent = input.consent;
  let storage = openStorage(input, consent);
  const loaded = await storage.load();
  const engine = createEngine(rules, new Date(now()).getTimezoneOffset());
  const profile = profileOf(loaded.profile, now());
  const decide = compileExperiences(rules);
  const preview = previewOf(location.href);
  const { applier, prehider } = input.page;
  let lastContext: Context | undefined;
  let previousSegments: string[] = readSnapshot()?.segments ?? [];
  let decisions: ExperienceDecision[] = [];
  let pageUrl = location.href;
  let pageviewId = "";
  let referrer = document.referrer;
  let exposed = new Set<string>();
  let evaluationQueued = false;
  const bufferedEvents: SegmintEvent[] = [];
  const stops: Array<() => void> = [];
  let dwell: Dwell | undefined;
  let tabs: TabChannel | undefined;
  const armed = new Map<string, () => void>();
  const fired = new Set<string>();
  const offers = new Map<string, OpenOffer>();
  const forms = enhanceProfileForms(document, {
    profiling: rules.profiling,
    traits: () => profile.traits,
    onAnswers: (traits, fields) => (setTraits(traits), record("profile", { fields })),
    onError: (error) => report(ErrorCodes.internal, `profiling form: ${String(error)}`),
  });

  engine.load(loaded.events, loaded.archive as Archive | undefined);
  recoverWriteAhead(loaded.events);
  saveProfile("visitor", profile.visitor);
  startPage(pageUrl, true);
  evaluate();
  prehider.revealAll();
  input.page.onApplied = expose;
  for (const experience of input.page.appliedEarly.splice(0)) if (isApplied(experience)) expose(experience);
  startCollectors();
  cacheRules();
  prune();

  function isApplied(experience: string): boolean {
    return decisions.some((d) => d.id === experience && d.state === "applied");
  }

  // The rules text is cached (for a synchronous start next time) only once consent allows writing.
  function cacheRules(): void {
    const { url, cached, fetched } = input.loaded;
    if (!url || !persisting()) return;
    if (fetched) writeRulesCache(url, fetched);
    if (cached) void fetchRules(url, undefined, cached).then((f) => f.ok && "text" in f && persisting() && writeRulesCache(url, f));
  }

  function persisting(): boolean {
    return consent === "granted";
  }

  function record(type: string, props: Record<string, Json | undefined> = {}, at = now()): SegmintEvent {
    const session = profile.session as SessionState;
    const event = { ...withoutReserved(props), id: randomId(), t: at, type, sid: session.id, path: pathOf(pageUrl) } as SegmintEvent;
    engine.add(event);
    if (!persisting()) bufferedEvents.push(event);
    storage.append(event);
    tabs?.post({ kind: "events", events: [event] });
    touchSession(at);
    return event;
  }

  function touchSession(at: number): void {
    const session = profile.session as SessionState;
    if (at > session.lastActivity) profile.session = { ...session, lastActivity: at };
    saveProfile("session", profile.session);
  }

  function saveProfile<K extends keyof Profile>(key: K, value: Profile[K]): void {
    void storage.updateProfile(key, () => value);
  }

  function startPage(url: string, first: boolean): void {
    pageUrl = url;
    exposed = new Set();
    const query = new URL(url).searchParams;
    const params = Object.fromEntries(query.entries());
    const utm = parseUtm(params);
    const clickId = parseClickId(params);
    const { session, isNew } = continueSession(profile.session, {
      now: now(), timeoutMinutes: rules.tracking.sessionTimeoutMinutes, url, referrer: first ? referrer : "",
      utm, ...(clickId ? { clickId } : {}), newId: randomId, classify: classifyReferrer,
    });
    if (isNew && profile.session) profile.visitor = { ...profile.visitor, lastSeen: profile.session.lastActivity };
    if (isNew) saveProfile("visitor", profile.visitor);
    profile.session = session;
    pageviewId = record("pageview", { title: document.title }).id;
    const query_ = searchFromUrl(url, rules.tracking.searchParams);
    if (query_) record("search", { query: query_ });
  }

  function environment(): Environment {
    const session = profile.session as SessionState;
    const { lastActivity: _ignored, ...sessionInfo } = session;
    return {
      now: now(),
      page: parsePage(pageUrl, document.title, referrer, metaTags(document)),
      session: sessionInfo,
      visitor: { ...profile.visitor, sessions: session.number },
      device: deviceInfo(),
      traits: profile.traits,
    };
  }

  function evaluate(): void {
    evaluationQueued = false;
    const evaluation = engine.evaluate(environment(), previousSegments, profile.sticky);
    const context = evaluation.context;
    const before = previousSegments;
    lastContext = context;
    previousSegments = context.segments;
    if (JSON.stringify(evaluation.stickyUntil) !== JSON.stringify(profile.sticky)) {
      profile.sticky = evaluation.stickyUntil;
      saveProfile("sticky", profile.sticky);
    }
    announceTransitions(evaluation.entered, evaluation.exited, before, context.segments);
    decisions = decide(context, profile.visitor.id, now(), profile.experiences, preview);
    applyDecisions(context);
    saveSnapshot(context);
  }

  function announceTransitions(entered: string[], exited: string[], before: string[], after: string[]): void {
    setSegmentClasses(before, after);
    for (const segment of entered) record(SEGMENT_EVENT, { segment, change: "enter" });
    for (const segment of exited) record(SEGMENT_EVENT, { segment, change: "exit" });
    if (entered.length || exited.length) emitter.emit("segments", after.slice(), before.slice());
    for (const segment of entered) emitter.emit("enter", segment);
    for (const segment of exited) emitter.emit("exit", segment);
  }

  function applyDecisions(context: Context): void {
    const wanted = decisions
      .filter((d) => d.state === "applied" && d.changes.length > 0 && (triggerOf(d.id) === "load" || fired.has(d.id)))
      .map((d) => wantedOf(d, context));
    applier.sync(wanted);
    input.page.context = context;
    input.page.text.refresh();
    armTriggers();
  }

  function definition(id: string): ExperienceDef | undefined {
    return rules.experiences.find((e) => e.id === id);
  }

  function triggerOf(id: string): string {
    const trigger = definition(id)?.trigger ?? "load";
    return typeof trigger === "string" ? trigger : (Object.keys(trigger)[0] ?? "load");
  }

  // Experiences that wait for a trigger (or are offers) are armed while they apply, once per page view.
  function armTriggers(): void {
    for (const d of decisions) {
      const live = (d.state === "applied" || d.state === "control") && !fired.has(d.id);
      const def = definition(d.id);
      if (!live || !def) disarm(d.id);
      else if (triggerOf(d.id) === "load" && (def.offer || d.state === "control")) fire(d.id);
      else if (triggerOf(d.id) !== "load" && !armed.has(d.id)) armed.set(d.id, watchTrigger(def.trigger as Exclude<Trigger, "load">, () => fire(d.id)));
    }
  }

  function watchTrigger(trigger: Exclude<Trigger, "load">, onFire: () => void): () => void {
    if ("afterSeconds" in trigger) return afterSeconds(trigger.afterSeconds, onFire);
    if ("scrollDepth" in trigger) return atScrollDepth(window, trigger.scrollDepth, onFire);
    return watchExitIntent({ ...trigger.exitIntent, now, isBlocked: () => offers.size > 0, onExitIntent: onFire, onError: (e) => report(ErrorCodes.internal, String(e)) });
  }

  function disarm(id: string): void {
    armed.get(id)?.();
    armed.delete(id);
  }

  // A trigger fired: control visitors are exposed (they would have seen it), others get the change or the offer.
  function fire(id: string): void {
    disarm(id);
    fired.add(id);
    const decision = decisions.find((d) => d.id === id);
    if (decision?.state === "control") return expose(id);
    if (definition(id)?.offer) return showOfferNow(id);
    if (lastContext) applyDecisions(lastContext);
  }

  function showOfferNow(id: string): void {
    const offer = definition(id)?.offer;
    if (!offer || offers.has(id)) return;
    const offerEvent = (action: "show" | "dismiss" | "accept") => {
      record("offer", { experience: id, action });
      emitter.emit("offer", { experience: id, action });
    };
    const handle = openOffer(document, id, offer, {
      onShow: () => (offerEvent("show"), expose(id), remember(id, (h) => ({ ...h, shows: [...(h.shows ?? []), now()].slice(-50) }))),
      onDismiss: () => (offers.delete(id), offerEvent("dismiss"), remember(id, (h) => ({ ...h, dismissedAt: now() }))),
      onAccept: () => (offers.delete(id), offerEvent("accept"), convert(id, "offer")),
      onError: (error) => report(ErrorCodes.offerFailed, `offer ${id}: ${String(error)}`),
    });
    if (handle) offers.set(id, handle);
  }

  // What the visitor did with an experience (caps), merged into the stored document so tabs never overwrite it.
  function remember(id: string, change: (history: ExperienceHistory) => ExperienceHistory): void {
    profile.experiences = { ...profile.experiences, [id]: change(profile.experiences[id] ?? {}) };
    void storage.updateProfile<Record<string, ExperienceHistory>>("experiences", (stored) => {
      const all = isPlainObject(stored) ? stored : {};
      return { ...all, [id]: change(all[id] ?? {}) };
    });
  }

  function expose(experience: string): void {
    if (exposed.has(experience)) return;
    exposed.add(experience);
    const variant = decisions.find((d) => d.id === experience)?.variant ?? "treated";
    const segments = previousSegments.slice();
    record("exposure", { experience, variant, ...(preview?.id === experience ? { qa: true } : {}) });
    emitter.emit("exposure", { experience, variant, segments });
    pushDataLayer({ event: "segmint_exposure", segmint_experience: experience, segmint_variant: variant });
  }

  function saveSnapshot(context: Context): void {
    if (!persisting()) return;
    const held = decisions.filter((d) => d.state === "control" || d.state === "capped").map((d) => d.id);
    const snapshot: Snapshot = { v: 1, visitorId: profile.visitor.id, segments: context.segments, held, traits: snapshotTraits(context), t: now() };
    writeSnapshot(snapshot);
  }

  // Only the trait values that text tokens read are kept in the synchronous snapshot (DESIGN §4).
  function snapshotTraits(context: Context): Record<string, Json> {
    const traits: Record<string, Json> = {};
    for (const path of rules.experiences.flatMap((e) => tokenPaths(e))) {
      const name = path.startsWith("traits.") ? path.slice(7).split(".")[0] : undefined;
      if (name && Object.prototype.hasOwnProperty.call(context.traits, name)) traits[name] = context.traits[name] as Json;
    }
    return traits;
  }

  function scheduleEvaluation(): void {
    if (evaluationQueued) return;
    evaluationQueued = true;
    queueMicrotask(() => guarded(report, "evaluate", evaluate));
  }

  function startCollectors(): void {
    const onError = (error: unknown) => report(ErrorCodes.internal, String(error));
    if (document.readyState === "loading") stops.push(on(document, "DOMContentLoaded", () => forms.refresh()));
    stops.push(watchNavigation({ hashRoutes: rules.tracking.hashRoutes, onNavigate: (url) => navigate(url), onError }));
    stops.push(watchBackForward(() => navigate(location.href, true), onError));
    stops.push(watchSearchForms((query) => (record("search", { query }), scheduleEvaluation()), { params: rules.tracking.searchParams, onError }));
    stops.push(watchClicks({ goalSelectors: clickGoals, onGoal: (goal) => clickGoal(goal.name, goal.href, goal.experience), onError }));
    dwell = startDwell({ now, checkpointMs: CHECKPOINT_MS, onCheckpoint: (seconds) => checkpointDwell(seconds), onError });
    const flushNow = () => (recordDwell(), void storage.flush());
    stops.push(on(window, "pagehide", flushNow), on(document, "visibilitychange", () => document.visibilityState === "hidden" && flushNow()));
    tabs = openTabChannel((message) => fromOtherTab(message));
  }

  function navigate(url: string, restored = false): void {
    recordDwell();
    referrer = restored ? referrer : pageUrl;
    for (const id of Array.from(armed.keys())) disarm(id);
    fired.clear();
    startPage(url, restored);
    scheduleEvaluation();
    queueMicrotask(() => forms.refresh());
  }

  function recordDwell(): void {
    const seconds = dwell?.take() ?? 0;
    if (seconds > 0) record("dwell", { seconds, of: pageviewId, tags: lastContext?.page.tags ?? [] });
    if (persisting()) dropWriteAhead(pageviewId);
  }

  // The running dwell of this page view, kept synchronously so an abruptly closed page still yields it.
  function checkpointDwell(seconds: number): void {
    if (!persisting()) return;
    const session = profile.session as SessionState;
    writeAhead({ id: pageviewId, t: now(), sid: session.id, path: pathOf(pageUrl), seconds, tags: lastContext?.page.tags ?? [] });
  }

  // A page closed abruptly never wrote its dwell event; its last checkpoint survived in localStorage. Records
  // still being updated by another open tab (written within three checkpoints) are left to that tab.
  function recoverWriteAhead(stored: readonly SegmintEvent[]): void {
    if (!persisting()) return;
    for (const item of takeWriteAhead(now() - 3 * CHECKPOINT_MS)) {
      const { id, t, sid, path, seconds, tags } = item;
      const recorded = stored.some((e) => e.type === "dwell" && e.of === id);
      if (recorded || typeof seconds !== "number" || !(seconds > 0) || typeof sid !== "string" || typeof path !== "string") continue;
      const event: SegmintEvent = { id: randomId(), t, type: "dwell", sid, path, seconds, of: id, tags: Array.isArray(tags) ? tags : [] };
      engine.add(event);
      storage.append(event);
    }
  }

  function clickGoals() {
    return decisions.flatMap((d) => {
      const def = rules.experiences.find((e) => e.id === d.id);
      return (def?.goals ?? []).flatMap((g) => ("click" in g ? [{ selector: g.click, experience: d.id }] : []));
    });
  }

  function clickGoal(goal: string, href: string | undefined, experience: string | undefined): void {
    record("click", { goal, ...(href ? { href } : {}) });
    if (experience) convert(experience, goal);
    scheduleEvaluation();
  }

  function convert(experience: string, goal: string): void {
    const decision = decisions.find((d) => d.id === experience);
    if (!decision || (decision.state !== "applied" && decision.state !== "control")) return;
    const variant = decision.variant ?? "treated";
    record("conversion", { experience, variant, goal });
    remember(experience, (h) => ({ ...h, convertedAt: now() }));
    emitter.emit("conversion", { experience, variant, goal });
    pushDataLayer({ event: "segmint_conversion", segmint_experience: experience, segmint_variant: variant, segmint_goal: goal });
  }

  function setTraits(traits: Record<string, Json>): void {
    if (!isPlainObject(traits)) return report(ErrorCodes.badCall, "setTraits(traits) needs an object");
    const known = jsonProps(traits);
    profile.traits = { ...profile.traits, ...known };
    const saved = storage.updateProfile<Record<string, Json>>("traits", (stored) => ({ ...(isPlainObject(stored) ? stored : {}), ...known }));
    void saved.then(() => tabs?.post({ kind: "profile", key: "traits" }));
    scheduleEvaluation();
  }

  function fromOtherTab(message: TabMessage): void {
    if (message.kind === "events") for (const event of message.events) engine.add(event);
    if (message.kind === "profile") void storage.load().then((stored) => adoptProfile(stored.profile));
    if (message.kind === "forget") void forget(false);
    scheduleEvaluation();
  }

  // Another tab changed a profile document: take its traits, sticky segments and experience history.
  function adoptProfile(stored: Record<string, unknown>): void {
    const fresh = profileOf(stored, now());
    Object.assign(profile, { traits: fresh.traits, sticky: fresh.sticky, experiences: fresh.experiences });
    scheduleEvaluation();
  }

  // forget(): every stored byte erased, other tabs told, and a new anonymous visitor starts on this page.
  async function forget(tellOtherTabs: boolean): Promise<void> {
    await storage.clear();
    clearSnapshot();
    if (tellOtherTabs) tabs?.post({ kind: "forget" });
    bufferedEvents.length = 0;
    Object.assign(profile, { visitor: { id: randomId(), firstSeen: now(), lastSeen: now() }, traits: {}, sticky: {}, experiences: {} });
    delete profile.session;
    previousSegments = [];
    engine.load([], undefined);
    startPage(pageUrl, false);
    evaluate();
  }

  function prune(): void {
    if (!persisting()) return;
    void storage.prune({
      retentionDays: rules.tracking.retentionDays,
      maxEvents: rules.tracking.maxEvents,
      now: now(),
      fold: (pruned: SegmintEvent[], archive: unknown) => engine.fold(pruned, archive as Archive | undefined),
    });
  }

  return {
    track(type: string, props?: Record<string, Json>): void {
      if (typeof type !== "string" || !type) return report(ErrorCodes.badCall, "track(type) needs a non-empty string type");
      record(type, isPlainObject(props) ? jsonProps(props) : {});
      for (const def of rules.experiences) if (def.goals?.some((g) => "event" in g && g.event === type)) convert(def.id, type);
      scheduleEvaluation();
    },
    page(url?: string): void {
      navigate(url ? new URL(url, location.href).href : location.href);
    },
    setTraits,
    showOffer(id: string): void {
      const decision = decisions.find((d) => d.id === id);
      if (!definition(id)?.offer) return report(ErrorCodes.badCall, `showOffer("${id}"): no experience with an offer has that id`);
      if (decision?.state === "control") return expose(id);
      showOfferNow(id);
    },
    nextFields: (n: number) => nextFields(rules.profiling, profile.traits, n),
    segments: () => previousSegments.slice(),
    context: () => (lastContext ? freezeContext(lastContext) : undefined),
    explain: (id: string) => (lastContext ? engine.explain(id, lastContext, profile.sticky, now()) : undefined),
    experiences: (): ExperienceStatus[] => {
      const waiting = new Set(applier.waiting());
      return decisions.map((d) => ({
        id: d.id,
        state: d.state === "applied" && (waiting.has(d.id) || triggerOf(d.id) !== "load") ? "waiting" : d.state,
        ...(d.variant ? { variant: d.variant } : {}),
        ...(d.reason ? { reason: d.reason } : {}),
      }));
    },
    consent(state: ConsentState): void {
      const was = consent;
      consent = state;
      if (state === "granted" && was !== "granted") {
        storage = openStorage(input, consent);
        for (const event of bufferedEvents.splice(0)) storage.append(event);
        for (const key of Object.keys(profile) as Array<keyof Profile>) saveProfile(key, profile[key]);
        if (lastContext) saveSnapshot(lastContext);
      }
    },
    exportData: () => storage.export(),
    forget: () => forget(true),
    destroy(): void {
      recordDwell();
      void storage.flush();
      for (const stop of stops.splice(0)) stop();
      dwell?.stop();
      tabs?.close();
      for (const id of Array.from(armed.keys())) disarm(id);
      for (const offer of offers.values()) offer.close();
      forms.stop();
      input.page.destroy();
      setSegmentClasses(previousSegments, []);
    },
  };
}

// ---- helpers ------------------------------------------------------------------------------------------

function openStorage(input: RuntimeInput, consent: ConsentState): SegmintStorage {
  const kind = consent === "granted" && input.storageKind !== "memory" ? "indexeddb" : "memory";
  return createStorage({ kind, onError: (code, message) => input.report(code, message) });
}

function profileOf(stored: Record<string, unknown>, now: number): Profile {
  const visitor = stored.visitor as Profile["visitor"] | undefined;
  return {
    visitor: visitor && typeof visitor.id === "string" ? visitor : { id: randomId(), firstSeen: now, lastSeen: now },
    ...(stored.session ? { session: stored.session as SessionState } : {}),
    traits: isPlainObject(stored.traits) ? (stored.traits as Record<string, Json>) : {},
    sticky: isPlainObject(stored.sticky) ? (stored.sticky as Record<string, number>) : {},
    experiences: isPlainObject(stored.experiences) ? (stored.experiences as Record<string, ExperienceHistory>) : {},
  };
}

function previewOf(url: string): Preview | undefined {
  const value = new URL(url).searchParams.get(PREVIEW_PARAM);
  if (!value) return undefined;
  const [id, variant] = value.split(":");
  return id ? { id, ...(variant ? { variant } : {}) } : undefined;
}

function setSegmentClasses(before: readonly string[], after: readonly string[]): void {
  const root = document.documentElement.classList;
  for (const id of before) if (!after.includes(id)) root.remove(`sm-${id}`);
  for (const id of after) root.add(`sm-${id}`);
}

function tokenPaths(def: Rules["experiences"][number]): string[] {
  const changes = [...(def.changes ?? []), ...(def.variants ?? []).flatMap((v) => v.changes)];
  return changes.flatMap((c) => [c.text, c.insert?.text, c.href].flatMap((t) => (t ? templatePaths(t) : [])));
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}

function withoutReserved(props: Record<string, Json | undefined>): Record<string, Json | undefined> {
  const copy: Record<string, Json | undefined> = {};
  for (const key of Object.keys(props)) if (!RESERVED.includes(key)) copy[key] = props[key];
  return copy;
}

// Props and traits are stored as JSON: functions, undefined and cycles are dropped, prototype keys never copied.
function jsonProps(value: Record<string, unknown>): Record<string, Json> {
  try {
    const parsed = JSON.parse(JSON.stringify(value)) as Record<string, Json>;
    for (const key of ["__proto__", "constructor", "prototype"]) delete parsed[key];
    return parsed;
  } catch {
    return {};
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pushDataLayer(entry: Record<string, string>): void {
  const layer = (window as { dataLayer?: unknown }).dataLayer;
  if (Array.isArray(layer)) layer.push(entry);
}

function on(target: EventTarget, type: string, handler: () => void): () => void {
  target.addEventListener(type, handler);
  return () => target.removeEventListener(type, handler);
}

function guarded(report: Report, name: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    report(ErrorCodes.internal, `${name} failed: ${String(error)}`);
  }
}

function runCommand(instance: Segmint, command: unknown, report: Report): void {
  if (!Array.isArray(command) || typeof command[0] !== "string") return report(ErrorCodes.badCall, "push() takes command tuples like [\"track\", \"signup\", {…}]");
  const [name, ...args] = command as [string, ...unknown[]];
  const method = Object.prototype.hasOwnProperty.call(instance, name) ? (instance as unknown as Record<string, unknown>)[name] : undefined;
  if (typeof method !== "function" || name === "push") return report(ErrorCodes.badCall, `unknown command "${name}"`);
  (method as (...a: unknown[]) => void)(...args);
}

function inertSegmint(): Segmint {
  const noop = () => undefined;
  return {
    ready: Promise.resolve(),
    track: noop, page: noop, setTraits: noop, showOffer: noop, debug: noop, consent: noop, destroy: noop, push: noop,
    segments: () => [], inSegment: () => false, context: () => undefined, explain: () => undefined,
    experiences: () => [], nextFields: () => [], on: () => noop,
    export: () => Promise.resolve({}), forget: () => Promise.resolve(),
  };
}
