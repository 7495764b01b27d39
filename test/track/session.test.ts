import { describe, expect, it, vi } from "vitest";
import table from "../cases/sessions.json";
import type { ReferrerInfo } from "../../src/rules/types";
import { continueSession, type SessionInput, type SessionState } from "../../src/track/session";

interface Row {
  name: string;
  prev: (Partial<Omit<SessionState, "lastActivity" | "startedAt">> & { lastActivity: string; startedAt?: string }) | null;
  input: Partial<Omit<SessionInput, "now" | "newId" | "classify">> & { now: string };
  expected: { isNew: boolean; number: number; landing?: string; referrerType?: string; utm?: object; clickId?: object | null };
}

const ms = (iso: string) => Date.parse(iso);
const classify = ({ referrer }: { referrer: string }): ReferrerInfo =>
  referrer ? { url: referrer, host: new URL(referrer).host, type: "referral" } : { url: "", host: "", type: "direct" };

function previous(row: Row): SessionState | undefined {
  if (!row.prev) return undefined;
  const { lastActivity, startedAt, ...rest } = row.prev;
  return {
    id: "s1",
    number: 1,
    landing: "https://shop.example/",
    referrer: { url: "", host: "", type: "direct" },
    utm: {},
    ...rest,
    lastActivity: ms(lastActivity),
    startedAt: ms(startedAt ?? lastActivity),
  };
}

function input(row: Row): SessionInput {
  return {
    timeoutMinutes: 30,
    url: "https://shop.example/page",
    referrer: "",
    utm: {},
    ...row.input,
    now: ms(row.input.now),
    newId: () => "s-new",
    classify,
  };
}

describe("continueSession (test/cases/sessions.json)", () => {
  it.each((table.rows as Row[]).map((row) => [row.name, row] as const))("%s", (_, row) => {
    const prev = previous(row);
    const { session, isNew } = continueSession(prev, input(row));
    const { expected } = row;
    expect(isNew).toBe(expected.isNew);
    expect(session.number).toBe(expected.number);
    expect(session.lastActivity).toBe(Math.max(ms(row.input.now), prev?.lastActivity ?? 0));
    if (isNew) {
      expect(session.id).toBe("s-new");
      expect(session.startedAt).toBe(ms(row.input.now));
    } else {
      expect(session.id).toBe(prev?.id);
      expect(session.startedAt).toBe(prev?.startedAt);
    }
    if (expected.landing) expect(session.landing).toBe(expected.landing);
    if (expected.referrerType) expect(session.referrer.type).toBe(expected.referrerType);
    if (expected.utm) expect(session.utm).toEqual(expected.utm);
    if (expected.clickId !== undefined) expect(session.clickId).toEqual(expected.clickId ?? undefined);
  });
});

describe("continueSession", () => {
  it("classifies the referrer only when a session starts, with what classifyReferrer takes", () => {
    const spy = vi.fn(classify);
    const clickId = { type: "gclid", value: "g1" };
    const base = { timeoutMinutes: 30, url: "https://shop.example/?gclid=g1", referrer: "https://www.google.com/",
      utm: {}, clickId, newId: () => "a", classify: spy };
    const { session } = continueSession(undefined, { ...base, now: 0 });
    continueSession(session, { ...base, now: 60_000 });
    expect(spy.mock.calls).toEqual([
      [{ referrer: "https://www.google.com/", pageUrl: "https://shop.example/?gclid=g1", utm: {}, clickId }],
    ]);
  });

  it("does not mutate the previous state", () => {
    const row = (table.rows as Row[]).find((r) => r.name.startsWith("a new utm_campaign"))!;
    const prev = previous(row)!;
    const copy = structuredClone(prev);
    continueSession(prev, input(row));
    expect(prev).toEqual(copy);
  });
});
