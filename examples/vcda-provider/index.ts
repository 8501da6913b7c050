import * as pulumi from "@pulumi/pulumi";
import * as dr from "pulumi-drprotect";

// The connection is vcda:url, vcda:authType (vcdCredentials), vcda:username (root@System) and
// vcda:password (set it with --secret).
const config = new pulumi.Config();

const policy = new dr.vcda.ReplicationPolicy("gold", {
  displayName: config.require("policyName"),
  minRpo: config.requireNumber("minRpo"),
  maxInstances: config.requireNumber("maxInstances"),
});

// One assignment per organization; removing an org from the list gives it the default policy back.
const assignments = config.requireObject<string[]>("orgs").map((org) =>
  new dr.vcda.OrgPolicyAssignment(org, { org, policyId: policy.policyId }));

export const policyId = policy.policyId;
export const policyName = policy.displayName;
export const minRpo = policy.minRpo;
export const assignedOrgs = assignments.map((a) => a.org);
