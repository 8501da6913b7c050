import * as pulumi from "@pulumi/pulumi";
import provider = require("../../provider/delegates/replicationPolicy");
import type * as args from "../args.generated";
import { guardConstruction } from "../guards";

/**
 * A VCDA replication policy. With `isDefault: true` the built-in `default` policy is managed: it is
 * updated, never deleted, and removing the resource restores the values it had before.
 */
export class ReplicationPolicy extends pulumi.dynamic.Resource {
  /** The resource id: known during the preview of an update, so dependents never see it as unknown. */
  declare readonly policyId: pulumi.Output<string>;
  declare readonly orgs: pulumi.Output<number>;
  /** With isDefault: the values restored when the resource is deleted. */
  declare readonly restoreValues: pulumi.Output<Record<string, unknown>>;
  declare readonly displayName: pulumi.Output<string>;
  declare readonly minRpo: pulumi.Output<number>;
  declare readonly maxInstances: pulumi.Output<number>;

  constructor(name: string, policyArgs: args.ReplicationPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    guardConstruction("vcda", "ReplicationPolicy", name, policyArgs);
    super(provider, name, { orgs: undefined, restoreValues: undefined, ...policyArgs }, opts, "vcda", "ReplicationPolicy");
    this.policyId = this.id;
  }
}
