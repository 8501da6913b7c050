export * from "./orgPolicyAssignment";
export * from "./replicationPolicy";
export * from "./vmReplication";
