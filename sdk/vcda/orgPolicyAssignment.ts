import * as pulumi from "@pulumi/pulumi";
import provider = require("../../provider/delegates/orgPolicyAssignment");
import type * as args from "../args.generated";
import { guardConstruction } from "../guards";

/**
 * Assignments declared so far in this program, by org and connection profile. An org has one
 * policy, so two assignments of it would overwrite each other on every run and never converge;
 * the program process sees every resource (the provider's check sees one at a time), so the
 * clash is refused here, before preview sends any request.
 */
const declaredAssignments = new Map<string, string>();

function claimOrg(name: string, org: string, profile: string | undefined): void {
  const key = `${profile ?? ""}|${org}`;
  const other = declaredAssignments.get(key);
  if (other !== undefined && other !== name) {
    throw new Error(`OrgPolicyAssignment '${name}' and OrgPolicyAssignment '${other}' both assign a policy to organization '${org}`
      + `'${profile ? ` (profile ${profile})` : ""}: an organization has one policy, so they would undo each other on every run. Keep one of them.`);
  }
  declaredAssignments.set(key, name);
}

/** Assigns a replication policy to a VCD organization; deleting it assigns `default` back if the org is still on this policy. */
export class OrgPolicyAssignment extends pulumi.dynamic.Resource {
  declare readonly org: pulumi.Output<string>;
  declare readonly policyId: pulumi.Output<string>;
  declare readonly policyDisplayName: pulumi.Output<string>;

  constructor(name: string, assignmentArgs: args.OrgPolicyAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    guardConstruction("vcda", "OrgPolicyAssignment", name, assignmentArgs);
    const { org, profile } = assignmentArgs;
    if (typeof org === "string" && (profile === undefined || typeof profile === "string")) claimOrg(name, org, profile);
    else pulumi.all([org, profile]).apply(([o, p]) => claimOrg(name, o, p));
    super(provider, name, { policyDisplayName: undefined, ...assignmentArgs }, opts, "vcda", "OrgPolicyAssignment");
  }
}
