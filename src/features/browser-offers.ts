// The offers feature's script-tag entry (dist/segmint.offers.js), fetched by segmint.min.js for rules with an offer
// or an exit-intent trigger.
import { offers } from "./offers";
import { registerFeature } from "./register";

if (typeof window !== "undefined") registerFeature(window, "offers", offers);
