import * as pulumi from "@pulumi/pulumi";
import provider = require("../../provider/delegates/orgPolicyAssignment");
import type * as args from "../args.generated";
import { guardConstruction } from "../guards";

/** Assigns a replication policy to a VCD organization; deleting it assigns `default` back. */
export class OrgPolicyAssignment extends pulumi.dynamic.Resource {
  declare readonly org: pulumi.Output<string>;
  declare readonly policyId: pulumi.Output<string>;
  declare readonly policyDisplayName: pulumi.Output<string>;

  constructor(name: string, assignmentArgs: args.OrgPolicyAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    guardConstruction("vcda", "OrgPolicyAssignment", name, assignmentArgs);
    super(provider, name, { policyDisplayName: undefined, ...assignmentArgs }, opts, "vcda", "OrgPolicyAssignment");
  }
}
