// Cross-tab notices: other tabs learn about new events, profile changes and forget() without polling.
import type { SegmintEvent } from "../rules/types";
import { safely } from "./local";

/** What one tab tells the others. */
export type TabMessage = { kind: "events"; events: SegmintEvent[] } | { kind: "profile"; key: string } | { kind: "forget" };

/** A channel to this origin's other segmint tabs. */
export interface TabChannel {
  /** Sends to every other tab (never to this one); never throws. */
  post(message: TabMessage): void;
  /** Stops sending and receiving. */
  close(): void;
}

/** Opens `BroadcastChannel("segmint")`; where it is missing (Safari < 15.4, some webviews) a channel that does nothing. */
export function openTabChannel(onMessage: (message: TabMessage) => void): TabChannel {
  const channel = safely(() => new BroadcastChannel("segmint"));
  // Same-origin scripts may use the channel name too: only segmint's kinds of message are passed on, and a
  // malformed one that makes the handler throw goes no further.
  if (channel) {
    channel.onmessage = ({ data }: MessageEvent<TabMessage | null>) =>
      ["events", "profile", "forget"].includes(data?.kind!) && safely(() => onMessage(data!));
  }
  return {
    // DataCloneError for a non-cloneable prop, or InvalidStateError once closed
    post: (message) => safely(() => channel?.postMessage(message)),
    close: () => channel?.close(),
  };
}
