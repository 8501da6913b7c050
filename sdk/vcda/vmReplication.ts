import * as pulumi from "@pulumi/pulumi";
import provider = require("../../provider/delegates/vmReplication");
import type * as args from "../args.generated";
import { guardConstruction } from "../guards";

/**
 * A VCDA VM replication. Reconfigurable settings update in place; a replication failed over or
 * migrated outside Pulumi is reported in `recoveryState`/`drift` and left alone.
 */
export class VmReplication extends pulumi.dynamic.Resource {
  /** The resource id: known during the preview of an update. */
  declare readonly replicationId: pulumi.Output<string>;
  declare readonly vmName: pulumi.Output<string>;
  declare readonly owner: pulumi.Output<string>;
  declare readonly recoveryState: pulumi.Output<string>;
  declare readonly isReversed: pulumi.Output<boolean>;
  declare readonly dataConnectionState: pulumi.Output<string>;
  declare readonly overallHealth: pulumi.Output<string>;
  /** Why Pulumi leaves the replication alone (failed over, migrated or reversed outside Pulumi), or null. */
  declare readonly drift: pulumi.Output<string | null>;
  /** The state VCDA reports: replicating, paused, testingFailover, failedOver, migrated, reversed (unhealthy with failDriftOnUnhealthy). */
  declare readonly replicationState: pulumi.Output<string>;
  declare readonly rpo: pulumi.Output<number>;

  constructor(name: string, replicationArgs: args.VmReplicationArgs, opts?: pulumi.CustomResourceOptions) {
    guardConstruction("vcda", "VmReplication", name, replicationArgs);
    const outputs = { vmName: undefined, owner: undefined, recoveryState: undefined, isReversed: undefined,
      dataConnectionState: undefined, overallHealth: undefined, drift: undefined, replicationState: undefined };
    super(provider, name, { ...outputs, ...replicationArgs }, opts, "vcda", "VmReplication");
    this.replicationId = this.id;
  }
}
