// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.
export * as zerto from "./zerto";
export * as vcda from "./vcda";
