// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.
export * from "./replicationPolicy.generated";
export * from "./orgPolicyAssignment.generated";
export * from "./vmReplication.generated";
export * from "./vappReplication.generated";
