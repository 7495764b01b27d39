import { conditions, contexts, GROUPS } from "./.tmp-w.mjs";
const { compileCondition } = await import(process.env.M);
const conds = conditions(), docs = contexts();
const preds = conds.map(c => compileCondition(c, GROUPS));
let s = 0;
const pass = () => { for (let d = 0; d < 4; d++) { const doc = docs[d]; for (let i = 0; i < preds.length; i++) if (preds[i](doc)) s++; } };
for (let k = 0; k < 20000; k++) pass();
const rates = [];
for (let r = 0; r < 5; r++) { const t0 = performance.now(); for (let k = 0; k < 20000; k++) pass(); rates.push(20000*240/((performance.now()-t0)/1000)); }
rates.sort((a,b)=>a-b); console.log(process.env.M, Math.round(rates[2]).toLocaleString());
