// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.
import * as pulumi from "@pulumi/pulumi";
import provider = require("../../provider/delegates/orgPolicyAssignment");
import type * as args from "../args.generated";
import { guardConstruction } from "../guards";
import { settleUnsetInputs } from "../unsetInputs";

/** Which replication policy a VCD organization gets. Deleting the assignment gives the organization the `default` policy back. */
export class OrgPolicyAssignment extends pulumi.dynamic.Resource {
  /** Display name of the assigned policy. */
  declare readonly policyDisplayName: pulumi.Output<string>;
  /** Short name of a local VCD organization. */
  declare readonly org: pulumi.Output<string>;
  /** The policy to assign ('default' or a policy id, e.g. a ReplicationPolicy's policyId). */
  declare readonly policyId: pulumi.Output<string>;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, resourceArgs: args.OrgPolicyAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    guardConstruction("drprotect:vcda:OrgPolicyAssignment", name, resourceArgs);
    // the provider's outputs are registered up front (undefined values are not sent), the inputs as set
    const placeholders = {
      policyDisplayName: undefined,
    };
    super(provider, name, { ...placeholders, ...resourceArgs }, opts, "vcda", "OrgPolicyAssignment");
    settleUnsetInputs(this, [
      "org", "policyId", "profile",
    ]);
  }
}
