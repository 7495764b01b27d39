// What conditions read about this visitor: a few key facts, metric values, traits and interest scores.
import type { Context } from "../rules/types";
import { formatTime, formatValue } from "./format";
import { code, h, note, tableOr, type Child } from "./dom";
import type { View } from "./view";

/** The Visitor section. */
export function renderValues(view: View): Child[] {
  const context = view.handle.instance.context();
  if (!context) return [note("Not evaluated yet.")];
  return [
    h("h4", {}, "Visitor"),
    tableOr("Visitor", ["path", "value"], facts(context), ""),
    h("h4", {}, "Metrics"),
    tableOr("Metrics", ["metric", "value"], pairs(context.metrics), "The rules define no metrics."),
    h("h4", {}, "Traits"),
    tableOr("Traits", ["trait", "value"], pairs(context.traits), "No traits known."),
    h("h4", {}, "Interests"),
    tableOr("Interests", ["tag", "score"], interests(context.interests), "No interests yet."),
  ];
}

function facts(context: Context): Child[][] {
  const { visitor, session, page, device } = context;
  const referrer = session.referrer.host ? `${session.referrer.type} (${session.referrer.host})` : session.referrer.type;
  const rows: Array<[string, string]> = [
    ["visitor.id", visitor.id],
    ["visitor.firstSeen", formatTime(visitor.firstSeen)],
    ["visitor.sessions", String(visitor.sessions)],
    ["visitor.pageviews", String(visitor.pageviews)],
    ["session.pageviews", String(session.pageviews)],
    ["session.referrer.type", referrer],
    ["page.path", page.path],
    ["device.type", device.type],
  ];
  return rows.map(([path, value]) => [code(path), value]);
}

// Rows in name order, each value as JSON; only own keys (the context is a plain copy, but names are data).
function pairs(values: Record<string, unknown>): Child[][] {
  return Object.keys(values)
    .sort()
    .map((name) => [code(name), code(formatValue(values[name]))]);
}

function interests(scores: Record<string, number>): Child[][] {
  return Object.keys(scores)
    .sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0))
    .map((tag) => [code(tag), (scores[tag] ?? 0).toFixed(2)]);
}
