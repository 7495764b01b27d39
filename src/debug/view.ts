// What every part of the panel reads (the handle and the panel's own state) and how it asks for a re-render.
import type { DebugHandle } from "../sdk";
import type { RulesIssue } from "../rules/types";

/** The result of checking the rules file with the full schema. */
export type Validation =
  | { status: "checking" }
  | { status: "valid"; segments: number; experiences: number }
  | { status: "unreachable"; message: string }
  | { status: "invalid"; issues: RulesIssue[] };

/** "Forget me" asks for confirmation inside the panel (window.confirm would block the page). */
export type ForgetStep = "idle" | "confirm" | "working" | "done";

/** A stored event as export() returns it. */
export type StoredEvent = Record<string, unknown>;

/** The panel's own state: what survives a re-render. */
export interface PanelState {
  /** Segments whose explanation is open. */
  expanded: Set<string>;
  forget: ForgetStep;
  validation: Validation | undefined;
  /** The stored events, oldest first; undefined until export() answers. */
  events: StoredEvent[] | undefined;
  /** A control to focus after the next render (when the focused one is replaced by another). */
  focus: string | undefined;
  minimised: boolean;
}

/** The panel as its sections see it. */
export interface View {
  handle: DebugHandle;
  state: PanelState;
  /** Re-renders at the next frame (several calls, one render). */
  render(): void;
  /** Reloads the stored events, then re-renders. */
  refresh(): void;
  /** Fetches the rules file and checks it with the full schema. */
  validate(): void;
}

/** A fresh panel state. */
export function initialState(): PanelState {
  return { expanded: new Set(), forget: "idle", validation: undefined, events: undefined, focus: undefined, minimised: false };
}
