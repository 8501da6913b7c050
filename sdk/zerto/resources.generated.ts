// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.
export * from "./vpg.generated";
