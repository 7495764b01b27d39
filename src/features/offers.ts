// Exit-intent offers wired into the runtime: detection (offer/exit-intent) and the dialog (offer/dialog), with
// the `offer {action}` events, exposure, conversion and frequency history the runtime keeps.
import { openOffer, OFFER_CSS, type OpenOffer } from "../offer/dialog";
import { watchExitIntent } from "../offer/exit-intent";
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
      exitIntent: (options, fire) =>
        watchExitIntent({ ...options, now: runtime.now, isBlocked: () => open.size > 0, onExitIntent: fire, onError: (e) => runtime.report(ErrorCodes.internal, String(e)) }),
      destroy: () => (open.forEach((handle) => handle.close()), removeStylesheet()),
    };
  },
};
