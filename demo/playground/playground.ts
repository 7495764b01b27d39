// The rules playground (placeholder: issue 8 fills it in): the schema's path-precise errors and `simulate` in the browser.
import { safeParseRules } from "../../src/rules/schema";

if (typeof window !== "undefined") (window as { segmintPlayground?: unknown }).segmintPlayground = { safeParseRules };
