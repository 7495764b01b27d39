// The script-tag entry (IIFE). It exports nothing, so no `var segmint = …` overwrites the instance (DESIGN §1).
import { boot } from "./boot";

if (typeof window !== "undefined") boot(window, document.currentScript);
