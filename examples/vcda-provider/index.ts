import * as pulumi from "@pulumi/pulumi";
import * as dr from "pulumi-drprotect";

// The connection is vcda:url, vcda:authType (vcdCredentials), vcda:username (root@System) and
// vcda:password (set it with --secret). Organizations are looked up by name (read-only), so a
// misspelt one fails the preview listing the close names instead of reaching VCDA.
const config = new pulumi.Config();

const policy = new dr.vcda.ReplicationPolicy("gold", {
  displayName: config.require("policyName"),
  minRpo: config.requireNumber("minRpo"),
  maxInstances: config.requireNumber("maxInstances"),
});

// One assignment per organization; removing an org from the list gives it the default policy back.
const assignments = config.requireObject<string[]>("orgs").map((name) =>
  new dr.vcda.OrgPolicyAssignment(name, { org: dr.vcda.getOrgOutput({ name }).id, policyId: policy.policyId }));

export const policyId = policy.policyId;
export const policyName = policy.displayName;
export const minRpo = policy.minRpo;
export const assignedOrgs = assignments.map((a) => a.org);
