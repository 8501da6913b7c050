// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.
export * from "./lookups";
export * from "./orgPolicyAssignment";
export * from "./replicationPolicy";
export * from "./vappReplication";
export * from "./vmReplication";
