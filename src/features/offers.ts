// Offers wired into the runtime: the triggers that wait for the visitor (offer/exit-intent, offer/triggers: time and
// scroll depth, also for experiences with changes) and the dialog (offer/dialog), with the `offer {action}` events,
// exposure, conversion and frequency history the runtime keeps.
import { openOffer, OFFER_CSS, type OpenOffer } from "../offer/dialog";
import { watchExitIntent } from "../offer/exit-intent";
import { afterSeconds, atScrollDepth } from "../offer/triggers";
import { adoptStylesheet } from "../act/styles";
import { ErrorCodes } from "../report";
import type { Feature } from "./types";

/** The offers feature. */
export const offers: Feature = {
  start(runtime) {
    const open = new Map<string, OpenOffer>();
    const removeStylesheet = adoptStylesheet(document, OFFER_CSS);
    const note = (id: string, action: "show" | "dismiss" | "accept") => {
      runtime.record("offer", { experience: id, action });
      runtime.emitter.emit("offer", { experience: id, action });
    };
    return {
      showOffer(id) {
        const offer = runtime.rules.experiences.find((e) => e.id === id)?.offer;
        if (!offer || open.has(id)) return;
        const handle = openOffer(document, id, offer, {
          onShow: () => (note(id, "show"), runtime.expose(id), runtime.remember(id, (h) => ({ ...h, shows: [...(h.shows ?? []), runtime.now()].slice(-50) }))),
          onDismiss: () => (open.delete(id), note(id, "dismiss"), runtime.remember(id, (h) => ({ ...h, dismissedAt: runtime.now() }))),
          onAccept: () => (open.delete(id), note(id, "accept"), runtime.convert(id, "offer")),
          onError: (error) => runtime.report(ErrorCodes.offerFailed, `offer ${id}: ${error}`),
        });
        if (handle) open.set(id, handle);
      },
      watchTrigger: (trigger, fire) =>
        "afterSeconds" in trigger ? afterSeconds(trigger.afterSeconds, fire)
          : "scrollDepth" in trigger ? atScrollDepth(window, trigger.scrollDepth, fire)
          : watchExitIntent({
              ...trigger.exitIntent, now: runtime.now, isBlocked: () => open.size > 0, onExitIntent: fire,
              onError: (e) => runtime.report(ErrorCodes.internal, String(e)),
            }),
      destroy: () => (open.forEach((handle) => handle.close()), removeStylesheet()),
    };
  },
};
