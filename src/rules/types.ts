// The data shapes shared by every part of segmint. Types only: nothing here exists at run time.

/** A JSON value, as rules files, event props and traits hold them. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A MongoDB-style condition (GrowthBook semantics). */
export type Condition = { [pathOrOperator: string]: unknown };

/** Named lists for `$inGroup` / `$notInGroup`. */
export type Groups = Record<string, readonly unknown[]>;

/** One recorded event (DESIGN §3). Times are epoch milliseconds. */
export interface SegmintEvent {
  id: string;
  t: number;
  type: string;
  sid: string;
  path: string;
  [prop: string]: Json | undefined;
}

// ---- the rules file (DESIGN §2) -------------------------------------------------------------

export interface Tracking {
  searchParams: string[];
  sessionTimeoutMinutes: number;
  hashRoutes: boolean;
  retentionDays: number;
  maxEvents: number;
  consent: ConsentState;
  prehideMs: number;
}

export type ConsentState = "granted" | "pending" | "denied";

export type MetricKind = "count" | "sum" | "avg" | "min" | "max" | "distinct" | "first" | "last" | "daysSince";

/** A metric: exactly one kind key. `count`/`daysSince` take an event type; the others `"type.prop"`. */
export type MetricDef = { [K in MetricKind]?: string } & {
  where?: Condition;
  withinDays?: number;
};

export interface SegmentDef {
  id: string;
  when: Condition;
  stickyDays?: number;
  description?: string;
}

export interface InsertOp {
  position: "before" | "after" | "prepend" | "append";
  text?: string;
  template?: string;
}

export interface Change {
  selector: string;
  text?: string;
  template?: string;
  html?: string;
  insert?: InsertOp;
  href?: string;
  attributes?: Record<string, string | null>;
  addClass?: string | string[];
  removeClass?: string | string[];
  hide?: boolean;
  show?: boolean;
}

export interface Variant {
  id: string;
  weight?: number;
  changes: Change[];
}

export interface ExitIntentOptions {
  sensitivity?: number;
  minSecondsOnPage?: number;
  graceMs?: number;
  mobile?: { scrollUp?: boolean; tabReturn?: boolean; idleSeconds?: number } | false;
  backButton?: boolean;
}

export type Trigger =
  | "load"
  | { exitIntent: ExitIntentOptions }
  | { afterSeconds: number }
  | { scrollDepth: number };

export interface Offer {
  template?: string;
  title?: string;
  body?: string;
  cta?: { text: string; href?: string };
}

export interface Frequency {
  maxShows?: number;
  perDays?: number;
  afterDismissDays?: number;
  afterConversionDays?: number;
}

export type Goal = { click: string } | { pageview: Condition } | { event: string };

export interface ExperienceDef {
  id: string;
  description?: string;
  segment?: string | string[];
  when?: Condition;
  pages?: Condition;
  enabled?: boolean;
  start?: string;
  end?: string;
  holdout?: number;
  changes?: Change[];
  variants?: Variant[];
  offer?: Offer;
  trigger?: Trigger;
  frequency?: Frequency;
  goals?: Goal[];
  attributionDays?: number;
}

export interface ProfilingField {
  name: string;
  type?: "text" | "email" | "number" | "tel" | "select";
  label?: string;
  options?: string[];
  sensitive?: boolean;
}

export interface Profiling {
  fields: ProfilingField[];
  perForm: number;
  always: string[];
}

export interface InterestRule {
  when: Condition;
  tags: string[];
}

export interface Interests {
  halfLifeDays: number;
  tags: InterestRule[];
}

/** A validated rules file with every default filled in. */
export interface Rules {
  $schema?: string;
  version: 1;
  tracking: Tracking;
  groups: Groups;
  metrics: Record<string, MetricDef>;
  segments: SegmentDef[];
  experiences: ExperienceDef[];
  profiling: Profiling;
  interests: Interests;
}

/** One problem found in a rules file: a JSON path a marketer can follow, and what is wrong there. */
export interface RulesIssue {
  path: string;
  message: string;
}

// ---- the context document (DESIGN §3) -------------------------------------------------------

export type ReferrerType = "direct" | "internal" | "search" | "social" | "email" | "paid" | "referral";

export interface ReferrerInfo {
  url: string;
  host: string;
  type: ReferrerType;
  engine?: string;
  term?: string;
}

export interface Utm {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}

export interface ClickId {
  type: string;
  value: string;
}

export interface PageInfo {
  url: string;
  path: string;
  host: string;
  query: Record<string, string>;
  hash: string;
  title: string;
  referrer: string;
  tags: string[];
}

export interface SessionInfo {
  id: string;
  number: number;
  startedAt: number;
  pageviews: number;
  seconds: number;
  landing: string;
  referrer: ReferrerInfo;
  utm: Utm;
  clickId?: ClickId;
}

export interface VisitorInfo {
  id: string;
  firstSeen: number;
  lastSeen: number;
  daysSinceFirstSeen: number;
  daysSinceLastSeen: number;
  sessions: number;
  pageviews: number;
  seconds: number;
  returning: boolean;
}

export interface DeviceInfo {
  type: "desktop" | "tablet" | "mobile";
  touch: boolean;
  language: string;
  languages: string[];
  timezone: string;
  width: number;
  height: number;
}

export interface TimeInfo {
  hour: number;
  weekday: number;
  month: number;
  date: string;
}

export interface Context {
  page: PageInfo;
  session: SessionInfo;
  visitor: VisitorInfo;
  device: DeviceInfo;
  time: TimeInfo;
  traits: Record<string, Json>;
  interests: Record<string, number>;
  metrics: Record<string, Json>;
  segments: string[];
  searches: string[];
  pages: string[];
}

/** One condition's verdict, as `explain()` reports it. */
export interface ConditionExplanation {
  path: string;
  operator: string;
  expected: unknown;
  actual: unknown;
  pass: boolean;
}
