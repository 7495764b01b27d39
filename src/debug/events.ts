// What the visitor did, from the stored events: the most recent ones, and when each segment was entered or left.
import { formatTime, eventDetails } from "./format";
import { code, h, note, tableOr, type Child } from "./dom";
import type { StoredEvent, View } from "./view";

const RECENT = 30;
const HISTORY = 100;

/** The Recent events section: newest first. */
export function renderEvents(view: View): Child[] {
  const events = view.state.events;
  if (!events) return [note("Loading…")];
  const rows = newestFirst(events, RECENT).map((e): Child[] => [
    formatTime(e.t),
    code(String(e.type)),
    code(String(e.path ?? "")),
    eventDetails(e),
  ]);
  return [
    note(`${events.length} stored event${events.length === 1 ? "" : "s"}${events.length > RECENT ? `; the last ${RECENT}` : ""}.`),
    tableOr("Recent events", ["time", "type", "path", "props"], rows, "No stored events."),
  ];
}

/** The Segment history section: each time a segment was entered or left, newest first. */
export function renderHistory(view: View): Child[] {
  const events = view.state.events;
  if (!events) return [note("Loading…")];
  const changes = newestFirst(events.filter((e) => e.type === "segment"), HISTORY);
  const rows = changes.map((e): Child[] => [
    formatTime(e.t),
    code(String(e.segment)),
    h("span", { class: e.change === "enter" ? "pass" : "fail" }, e.change === "enter" ? "entered" : "left"),
    e.qa === true ? "QA" : "",
  ]);
  return [tableOr("Segment history", ["time", "segment", "change", ""], rows, "No segment was entered or left yet.")];
}

function newestFirst(events: readonly StoredEvent[], n: number): StoredEvent[] {
  return events.slice(-n).reverse();
}
