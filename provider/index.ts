import type { ResourceHandler } from "./types";

export { configure } from "./connection";
export * from "./types";

/** Resource handlers by schema token, loaded on first use. */
const loaders: Record<string, () => ResourceHandler> = {
  "drprotect:zerto:Vpg": () => require("./zerto/vpg").vpgHandler,
  "drprotect:vcda:ReplicationPolicy": () => require("./vcda/replicationPolicy").replicationPolicyHandler,
  "drprotect:vcda:OrgPolicyAssignment": () => require("./vcda/orgPolicyAssignment").orgPolicyAssignmentHandler,
  "drprotect:vcda:VmReplication": () => require("./vcda/vmReplication").vmReplicationHandler,
};

export function handlerFor(token: string): ResourceHandler {
  const load = loaders[token];
  if (!load) throw new Error(`pulumi-drprotect: unknown resource type ${token}; is the installed package older than the program?`);
  return load();
}
