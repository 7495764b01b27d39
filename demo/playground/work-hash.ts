// The playground's two texts kept in the URL's fragment, so a reload keeps the work and a link shares it. The
// fragment never reaches a server. base64url of UTF-8 JSON: what people paste stays intact through any URL handling.

/** What the playground keeps: the two editors' texts. */
export interface Work {
  rules: string;
  history: string;
}

const PREFIX = "#w=";
// String.fromCharCode(...bytes) passes each byte as an argument: stay well below engines' argument limits.
const CHUNK = 8192;

/** The fragment (with its `#`) that holds `work`. */
export function encodeWork(work: Work): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ rules: work.rules, history: work.history }));
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return PREFIX + btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The work a fragment holds, or undefined when it holds none (or was damaged: a link cut short, say). */
export function decodeWork(hash: string): Work | undefined {
  if (!hash.startsWith(PREFIX)) return undefined;
  try {
    const binary = atob(hash.slice(PREFIX.length).replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    if (typeof value !== "object" || value === null) return undefined;
    const rules = own(value, "rules");
    const history = own(value, "history");
    return typeof rules === "string" && typeof history === "string" ? { rules, history } : undefined;
  } catch {
    return undefined;
  }
}

function own(object: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}
