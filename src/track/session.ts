// Session rules as a pure function of time: the caller passes the clock and the stored state.
import type { ClickId, ReferrerInfo, Utm } from "../rules/types";

/** What is kept about the current session between page loads. */
export interface SessionState {
  id: string;
  number: number;
  startedAt: number;
  lastActivity: number;
  landing: string;
  referrer: ReferrerInfo;
  utm: Utm;
  clickId?: ClickId;
}

/** What `classifyReferrer` (rules/referrer.ts) takes. */
export interface ReferrerInput {
  referrer: string;
  pageUrl: string;
  utm: Utm;
  clickId?: ClickId;
}

/** This page load (or SPA page view): the clock, the page and where the visitor came from. */
export interface SessionInput {
  now: number;
  timeoutMinutes: number;
  url: string;
  referrer: string;
  utm: Utm;
  clickId?: ClickId;
  newId(): string;
  classify(input: ReferrerInput): ReferrerInfo;
}

/**
 * Continues prev, or starts session number prev.number + 1 when there is none, after `timeoutMinutes` without
 * activity, or when the visitor arrives with a different campaign (utm_source, utm_campaign or click id), as
 * Google Analytics does. Midnight does not end a session. A new external referrer without a campaign does not either:
 * people come back from a search or a link in another tab mid-visit, and splitting those visits would inflate
 * session counts and hand the conversion to whichever referrer happened to be last.
 */
export function continueSession(
  prev: SessionState | undefined,
  input: SessionInput,
): { session: SessionState; isNew: boolean } {
  if (prev && !expired(prev, input) && !newCampaign(prev, input)) {
    return { session: { ...prev, lastActivity: Math.max(prev.lastActivity, input.now) }, isNew: false };
  }
  const { now, url, referrer, utm, clickId } = input;
  const click = clickId && { clickId };
  const session: SessionState = {
    id: input.newId(),
    number: (prev?.number ?? 0) + 1,
    startedAt: now,
    lastActivity: now,
    landing: url,
    referrer: input.classify({ referrer, pageUrl: url, utm, ...click }),
    utm,
    ...click,
  };
  return { session, isNew: true };
}

/** Inactive for the whole timeout. A clock that went backwards (time zone or manual change) is not inactivity. */
function expired(prev: SessionState, { now, timeoutMinutes }: SessionInput): boolean {
  return now - prev.lastActivity >= timeoutMinutes * 60_000;
}

/** This page carries a campaign, and not the session's own: a new ad click, newsletter or partner link. */
function newCampaign(prev: SessionState, { utm, clickId }: SessionInput): boolean {
  if (clickId) return clickId.type !== prev.clickId?.type || clickId.value !== prev.clickId.value;
  if (!utm.source && !utm.campaign) return false;
  return utm.source !== prev.utm.source || utm.campaign !== prev.utm.campaign;
}
