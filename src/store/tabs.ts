// Cross-tab notices: other tabs learn about new events, profile changes and forget() without polling.
import type { SegmintEvent } from "../rules/types";

/** What one tab tells the others. */
export type TabMessage = { kind: "events"; events: SegmintEvent[] } | { kind: "profile"; key: string } | { kind: "forget" };

/** A channel to this origin's other segmint tabs. */
export interface TabChannel {
  /** Sends to every other tab (never to this one); never throws. */
  post(message: TabMessage): void;
  /** Stops sending and receiving. */
  close(): void;
}

// Same-origin scripts may use the channel name too: accept only well-formed messages.
const isTabMessage = (m: TabMessage | null): m is TabMessage =>
  m?.kind == "forget" ||
  (m?.kind == "profile" && typeof m.key == "string") ||
  (m?.kind == "events" && Array.isArray(m.events));

/** Opens `BroadcastChannel("segmint")`; where it is missing (Safari < 15.4, some webviews) a channel that does nothing. */
export function openTabChannel(onMessage: (message: TabMessage) => void): TabChannel {
  let channel: BroadcastChannel | undefined;
  try {
    channel = new BroadcastChannel("segmint");
    channel.onmessage = ({ data }: MessageEvent<TabMessage | null>) => isTabMessage(data) && onMessage(data);
  } catch {}
  return {
    post(message) {
      try {
        channel?.postMessage(message);
      } catch {} // DataCloneError for a non-cloneable prop, or InvalidStateError once closed
    },
    close: () => channel?.close(),
  };
}
