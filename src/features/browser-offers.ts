// The offers feature's script-tag entry (dist/segmint.offers.js), fetched by segmint.min.js for rules with an offer
// or a trigger that waits for the visitor (exit intent, time, scroll depth).
import { offers } from "./offers";
import { registerFeature } from "./register";

if (typeof window !== "undefined") registerFeature(window, "offers", offers);
