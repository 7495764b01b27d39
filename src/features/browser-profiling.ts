// The progressive-profiling feature's script-tag entry (dist/segmint.profiling.js), fetched by segmint.min.js for
// rules with profiling fields.
import { profiling } from "./profiling";
import { registerFeature } from "./register";

if (typeof window !== "undefined") registerFeature(window, "profiling", profiling);
