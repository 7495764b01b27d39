// How values read in the panel: JSON-like, so a QA person tells the string "2" from the number 2.

const MAX_VALUE = 160;
// Event fields every event has (shown in their own columns) or that only link records (dwell spans).
const EVENT_FIELDS = new Set(["id", "t", "type", "sid", "path", "span"]);

/** A value as JSON, cut to a readable length; a missing value reads "—". */
export function formatValue(value: unknown): string {
  if (value === undefined) return "—";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value); // a cycle or a BigInt: still show something
  }
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** A local time as `YYYY-MM-DD HH:MM:SS` (what the visitor's clock said; the same in every locale). */
export function formatTime(t: unknown): string {
  if (typeof t !== "number" || !Number.isFinite(t)) return "—";
  const d = new Date(t);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** An event's own props as `key=value` pairs. */
export function eventDetails(event: Record<string, unknown>): string {
  const pairs = Object.keys(event)
    .filter((key) => !EVENT_FIELDS.has(key))
    .map((key) => `${key}=${formatValue(event[key])}`);
  const text = pairs.join(", ");
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}
