// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.
import type { ResourceHandler } from "./types";

/** Resource handlers by schema token, loaded on first use: provider/<module>/<type>.ts exports `handler`. */
export const HANDLER_LOADERS: Record<string, () => ResourceHandler> = {
  "drprotect:zerto:Vpg": () => require("./zerto/vpg").handler,
  "drprotect:vcda:ReplicationPolicy": () => require("./vcda/replicationPolicy").handler,
  "drprotect:vcda:OrgPolicyAssignment": () => require("./vcda/orgPolicyAssignment").handler,
  "drprotect:vcda:VmReplication": () => require("./vcda/vmReplication").handler,
  "drprotect:vcda:VappReplication": () => require("./vcda/vappReplication").handler,
};
