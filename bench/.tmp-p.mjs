import { conditions, contexts, GROUPS } from "./.tmp-w.mjs";
import { compileCondition } from "/tmp/cond.mjs";
import { evalCondition as gb } from "@growthbook/growthbook";
const conds = conditions(), docs = contexts();
const rows = [];
for (const [i, c] of conds.entries()) {
  const f = compileCondition(c, GROUPS);
  const g = (d) => gb(d, c, GROUPS);
  const time = (fn) => { let s=0; for (let k=0;k<20000;k++) for (const d of docs) if (fn(d)) s++; const t0=performance.now(); for (let k=0;k<100000;k++) for (let j=0;j<4;j++) if (fn(docs[j])) s++; return (performance.now()-t0)/400000*1e6; };
  rows.push([i, time(f).toFixed(0), time(g).toFixed(0), JSON.stringify(c).slice(0,90)]);
}
rows.sort((a,b)=>b[1]-a[1]); for (const r of rows.slice(0,25)) console.log(r.join("\t"));
