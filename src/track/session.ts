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
  { now, timeoutMinutes, url, referrer, utm, clickId, newId, classify }: SessionInput,
): { session: SessionState; isNew: boolean } {
  const isNew =
    !prev ||
    // Inactive for the whole timeout. A clock that went backwards (time zone or manual change) is not inactivity.
    now - prev.lastActivity >= timeoutMinutes * 60_000 ||
    // This page carries a campaign, and not the session's own: a new ad click, newsletter or partner link.
    (clickId
      ? clickId.type != prev.clickId?.type || clickId.value != prev.clickId.value
      : !!(utm.source || utm.campaign) && (utm.source != prev.utm.source || utm.campaign != prev.utm.campaign));
  const click = clickId && { clickId };
  return {
    session: isNew
      ? {
          id: newId(),
          number: (prev?.number ?? 0) + 1,
          startedAt: now,
          lastActivity: now,
          landing: url,
          referrer: classify({ referrer, pageUrl: url, utm, ...click }),
          utm,
          ...click,
        }
      : { ...prev, lastActivity: Math.max(prev.lastActivity, now) },
    isNew,
  };
}
