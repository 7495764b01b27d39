// Early application (zero flicker without hiding the page, DESIGN §4): the DOM side exists from the head
// script's first synchronous moment. For a returning visitor the snapshot's segments and traits decide the
// experiences that need nothing else, only their target elements are pre-hidden (for at most `prehideMs`),
// and each change lands as its element is parsed. The runtime later reconciles with the full history.
import { createApplier, type Applier, type WantedExperience } from "./apply";
import { createPrehider, type Prehider } from "./prehide";
import { createDeclarativeText, declarativeCss } from "./declarative";
import { adoptStylesheet, BASE_CSS } from "./styles";
import { compileExperiences, type ExperienceDecision, type Preview } from "../rules/experiences";
import { renderTemplate } from "../rules/template";
import { getPath } from "../rules/condition";
import { parsePage } from "../rules/referrer";
import { PROFILE_FORMS } from "../rules/profiling";
import { timeInfo, visitorInfo } from "../rules/context";
import type { Change, Context, DeviceInfo, Json, Rules } from "../rules/types";

/** What the head script knows synchronously about a returning visitor (the store's snapshot). */
export interface EarlyKnowledge {
  visitorId: string;
  segments: string[];
  held: string[];
  traits: Record<string, Json>;
}

/** Options of the page side. */
export interface PageOptions {
  sanitize?: ((html: string) => string) | undefined;
  refuse(reason: string): void;
}

/** The DOM side of one instance. */
export interface PageSide {
  applier: Applier;
  prehider: Prehider;
  text: ReturnType<typeof createDeclarativeText>;
  /** Sets the context `{{…}}` tokens read (the early one, then each evaluation's) and re-renders them. */
  render(context: Context): void;
  /** Adopts segmint's stylesheet: base rules, and data-segmint-show/hide for these rules' segments. */
  adopt(rules: Rules): void;
  /** From now on exposures go to `handler`; returns the experiences applied before it existed. */
  exposeTo(handler: (experience: string) => void): string[];
  /** Shows the page with what the snapshot knows, before any history is read. */
  start(rules: Rules, known: EarlyKnowledge, device: DeviceInfo, now: number, preview: Preview | undefined): void;
  /** Undoes every change and removes the stylesheets. */
  destroy(): void;
}

/** Creates the DOM side of one instance. */
export function createPageSide(doc: Document, options: PageOptions): PageSide {
  let removeStylesheet = () => {};
  const appliedEarly: string[] = [];
  let onApplied: (experience: string) => void = (experience) => appliedEarly.push(experience);
  let context: Context | undefined;
  const prehider = createPrehider(doc);
  const applier = createApplier(doc, {
    sanitize: options.sanitize,
    refuse: options.refuse,
    onApplied: (experience) => onApplied(experience),
    onSelectorDone: (selector) => prehider.reveal(selector),
  });
  const side: PageSide = {
    applier,
    prehider,
    text: createDeclarativeText(doc, (template) => (context ? renderTemplate(template, context, getPath) : undefined)),
    render(next: Context): void {
      context = next;
      side.text.refresh();
    },
    adopt(rules: Rules): void {
      removeStylesheet = adoptStylesheet(doc, BASE_CSS + declarativeCss(rules.segments.map((s) => s.id)));
    },
    exposeTo(handler: (experience: string) => void): string[] {
      onApplied = handler;
      return appliedEarly.splice(0);
    },
    start(rules: Rules, known: EarlyKnowledge, device: DeviceInfo, now: number, preview: Preview | undefined): void {
      setSegmentClasses(doc, [], known.segments);
      const early = earlyContext(doc, known, device, now);
      context = early;
      const wanted = compileExperiences(rules)(early, known.visitorId, now, {}, preview)
        .filter((d) => d.state === "applied" && !known.held.includes(d.id) && isEarly(rules, d.id))
        .map((d) => wantedOf(d, early));
      const held = wanted.flatMap((w) => w.changes.map((c) => c.selector));
      // Profiling forms wait for their plan (known answers hidden) rather than show every field first.
      if (rules.profiling.fields.length) held.push(PROFILE_FORMS);
      prehider.hide(held, rules.tracking.prehideMs);
      applier.sync(wanted);
    },
    destroy(): void {
      prehider.revealAll();
      applier.destroy();
      side.text.stop();
      removeStylesheet();
    },
  };
  return side;
}


/** Sets `sm-<segment>` classes on <html> for `after`, removing those only in `before`. */
export function setSegmentClasses(doc: Document, before: readonly string[], after: readonly string[]): void {
  const classes = doc.documentElement.classList;
  for (const id of before) if (!after.includes(id)) classes.remove(`sm-${id}`);
  for (const id of after) classes.add(`sm-${id}`);
}

/** The changes of an applied decision, with `{{…}}` tokens rendered against `context` (as text, never HTML). */
export function wantedOf(decision: ExperienceDecision, context: Context): WantedExperience {
  const render = (text: string) => renderTemplate(text, context, getPath);
  const changes = decision.changes.map((change): Change => {
    const out: Change = { ...change };
    if (change.text !== undefined) out.text = render(change.text);
    if (change.href !== undefined) out.href = render(change.href);
    if (change.insert?.text !== undefined) out.insert = { ...change.insert, text: render(change.insert.text) };
    if (change.attributes) out.attributes = mapValues(change.attributes, (v) => (v === null ? null : render(v)));
    return out;
  });
  return { id: decision.id, variant: decision.variant ?? "treated", changes };
}

// Only experiences decided by segments, pages and traits can run before history loads; one with `when`
// may read metrics or visitor counters, so it waits for the runtime.
function isEarly(rules: Rules, id: string): boolean {
  const def = rules.experiences.find((e) => e.id === id);
  return Boolean(def && !def.when && !def.offer && (def.trigger ?? "load") === "load");
}

function earlyContext(doc: Document, known: EarlyKnowledge, device: DeviceInfo, now: number): Context {
  const page = parsePage(doc.location.href, doc.title, doc.referrer, []);
  const visitor = visitorInfo({ id: known.visitorId, firstSeen: now, lastSeen: now, sessions: 0, pageviews: 0, seconds: 0 }, now);
  const referrer = { url: "", host: "", type: "direct" as const };
  return {
    page,
    session: { id: "", number: 0, startedAt: now, pageviews: 0, seconds: 0, landing: page.url, referrer, utm: {} },
    visitor,
    device,
    time: timeInfo(now, new Date(now).getTimezoneOffset()),
    traits: known.traits,
    interests: {},
    metrics: {},
    segments: known.segments,
    searches: [],
    pages: [],
  };
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const key of Object.keys(record)) out[key] = fn(record[key] as T);
  return out;
}
