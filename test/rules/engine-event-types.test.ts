// @vitest-environment node
// Which events feed which metric: a count or daysSince names a whole event type, dots included (`video.play`), and the
// engine routes events to it by that whole type (it once took the part before the first dot, so these never counted).
import { expect, it } from "vitest";
import { createEngine, type Environment } from "../../src/rules/engine";
import { parseRules } from "../../src/rules/schema";
import type { SegmintEvent } from "../../src/rules/types";

const now = Date.parse("2026-11-20T12:00:00Z");
const env: Environment = {
  now,
  page: { url: "https://a.example/", path: "/", host: "a.example", query: {}, hash: "", title: "", referrer: "", tags: [] },
  session: { id: "s", number: 1, startedAt: now, landing: "/", referrer: { url: "", host: "", type: "direct" }, utm: {} },
  visitor: { id: "v", firstSeen: now, lastSeen: now, sessions: 1 },
  device: { type: "desktop", touch: false, language: "en", languages: ["en"], timezone: "UTC", width: 1, height: 1 },
  traits: {},
};

it("counts events whose type has a dot", () => {
  const rules = parseRules({
    version: 1,
    metrics: { plays: { count: "video.play" }, sincePlay: { daysSince: "video.play" } },
  });
  const engine = createEngine(rules, 0);
  const play = (id: string) => ({ id, t: now - 1000, type: "video.play", sid: "s", path: "/" }) as SegmintEvent;
  engine.load([play("a")], undefined);
  engine.add(play("b"));
  expect(engine.evaluate(env, [], {}).context.metrics).toEqual({ plays: 2, sincePlay: 0 });
});
