// The instance's `on(event, fn)`: listeners are isolated from each other and from the SDK, so a listener
// that throws stops neither the other listeners nor personalization (DESIGN §4, "never break the host page").

/** Event names and payloads of `on(event, fn)` (DESIGN §1). */
export interface SegmintEvents {
  ready: [];
  segments: [now: string[], before: string[]];
  enter: [segmentId: string];
  exit: [segmentId: string];
  /** `qa: true` when forced by `?segmint_preview` (leave it out of analytics). */
  exposure: [{ experience: string; variant: string; segments: string[]; qa?: true }];
  conversion: [{ experience: string; variant: string; goal: string; qa?: true }];
  offer: [{ experience: string; action: "show" | "dismiss" | "accept" }];
  error: [{ code: string; message: string }];
}

/** A listener for one event name. */
export type Listener<K extends keyof SegmintEvents> = (...args: SegmintEvents[K]) => void;

/** Creates an emitter; `onListenerError` hears about listeners that threw. */
export function createEmitter(onListenerError: (name: string, error: unknown) => void) {
  const listeners = new Map<string, Set<(...args: never[]) => void>>();
  return {
    /** Adds a listener; returns its remover. */
    on<K extends keyof SegmintEvents>(name: K, fn: Listener<K>): () => void {
      if (typeof fn !== "function") return () => {};
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(fn as (...args: never[]) => void);
      return () => void set.delete(fn as (...args: never[]) => void);
    },
    /** Calls every listener of `name`; a throwing listener is reported and the rest still run. */
    emit<K extends keyof SegmintEvents>(name: K, ...args: SegmintEvents[K]): void {
      for (const fn of Array.from(listeners.get(name) ?? [])) {
        try {
          (fn as (...a: SegmintEvents[K]) => void)(...args);
        } catch (error) {
          if (name !== "error") onListenerError(name, error);
        }
      }
    },
    /** Removes every listener. */
    clear(): void {
      listeners.clear();
    },
  };
}

/** The emitter `createEmitter` returns. */
export type Emitter = ReturnType<typeof createEmitter>;
