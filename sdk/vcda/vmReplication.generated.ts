// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.
import * as pulumi from "@pulumi/pulumi";
import provider = require("../../provider/delegates/vmReplication");
import type * as outputs from "../../provider/inputs.generated";
import type * as args from "../args.generated";
import { guardConstruction } from "../guards";
import { idOutput } from "../idOutput";
import { settleUnsetInputs } from "../unsetInputs";

/** A VCDA VM replication (protection or migration). Reconfigurable settings update in place; source, destination, disk type and migration flag replace it. A replication failed over or migrated outside Pulumi is reported in its outputs and never deleted or recreated by the next update. */
export class VmReplication extends pulumi.dynamic.Resource {
  /** The replication id (C4-…). The resource id: known during the preview of an update. */
  declare readonly replicationId: pulumi.Output<string>;
  /** The state VCDA reports: replicating (also while a failover test runs), paused, failedOver, migrated, reversed (unhealthy with failDriftOnUnhealthy). */
  declare readonly replicationState: pulumi.Output<"replicating" | "paused" | "testingFailover" | "failedOver" | "migrated" | "reversed" | "unhealthy">;
  /** Name of the replicated VM. */
  declare readonly vmName: pulumi.Output<string>;
  /** Owning user. */
  declare readonly owner: pulumi.Output<string>;
  /** NOT_STARTED or COMPLETE (failed over or migrated); a failover test in place (VCDA's TEST) reads as NOT_STARTED. */
  declare readonly recoveryState: pulumi.Output<string>;
  /** The replication was reversed outside Pulumi. */
  declare readonly isReversed: pulumi.Output<boolean>;
  /** Replication traffic state (OK, SYNCING, …). */
  declare readonly dataConnectionState: pulumi.Output<string>;
  /** Health as VCDA shows it (GREEN, YELLOW, RED). */
  declare readonly overallHealth: pulumi.Output<string>;
  /** Why Pulumi leaves the replication alone, when it was failed over, migrated or reversed outside Pulumi. */
  declare readonly drift: pulumi.Output<string | null>;
  declare readonly latestInstance: pulumi.Output<outputs.ReplicationInstance | null>;
  /** Minutes by which the RPO is currently violated (destinationState.currentRpoViolation; -1 = none). */
  declare readonly currentRpoViolation: pulumi.Output<number>;
  /** The replicated VM. */
  declare readonly source: pulumi.Output<outputs.VmReplicationSource>;
  /** Where the replica lives. */
  declare readonly destination: pulumi.Output<outputs.VmReplicationDestination>;
  /** Free text shown in VCDA. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** RPO in minutes (required unless slaProfileId is set). */
  declare readonly rpo: pulumi.Output<number | undefined>;
  /** Traffic encryption and compression (ENCRYPTED_COMPRESSED when absent and no SLA profile). */
  declare readonly dataConnectionType: pulumi.Output<"PLAIN" | "ENCRYPTED" | "ENCRYPTED_COMPRESSED" | undefined>;
  /** Quiesce the guest OS for instances (true when absent and no SLA profile). */
  declare readonly quiesced: pulumi.Output<boolean | undefined>;
  /** Which point-in-time instances are kept. */
  declare readonly retentionPolicy: pulumi.Output<outputs.VmReplicationRetentionPolicy | undefined>;
  /** Provisioning of the replica disks. */
  declare readonly targetDiskType: pulumi.Output<"THIN" | "PREALLOCATED" | "PREALLOCATED_ZEROS" | undefined>;
  /** When the first sync starts, epoch milliseconds (now when absent or past). */
  declare readonly initialSyncTime: pulumi.Output<number | undefined>;
  /** A migration rather than a protection. */
  declare readonly isMigration: pulumi.Output<boolean | undefined>;
  /** SLA profile whose RPO, retention, quiescing and connection type apply instead of custom values. */
  declare readonly slaProfileId: pulumi.Output<string | undefined>;
  /** Source settings VCDA reconfigures in place (PATCH sourceReconfigure): the vApp the replicated VMs are imported into and the VMs' Cloud Director startup settings. */
  declare readonly sourceReconfigure: pulumi.Output<outputs.ReplicationSourceReconfigure | undefined>;
  /** On create, take over an existing object of the same identity instead of failing: true adopts it only when it already matches this declaration (otherwise the create is refused and lists each difference); "overwrite" adopts it and converges it to this declaration. */
  declare readonly adoptExisting: pulumi.Output<false | true | "overwrite" | undefined>;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  declare readonly profile: pulumi.Output<string | undefined>;
  /** Allow a change that replaces this resource. A replace deletes the protection first and creates the new one afterwards: until the new one has synced, the VMs are not protected. Without this opt-in such a change is refused at preview. On a VPG replace the recovery volumes are kept. */
  declare readonly allowProtectionGapOnReplace: pulumi.Output<boolean | undefined>;
  /** Report a replication whose overallHealth is not GREEN as replicationState 'unhealthy', so that the drift check fails on it too. */
  declare readonly failDriftOnUnhealthy: pulumi.Output<boolean | undefined>;

  constructor(name: string, resourceArgs: args.VmReplicationArgs, opts?: pulumi.CustomResourceOptions) {
    guardConstruction("drprotect:vcda:VmReplication", name, resourceArgs);
    // the provider's outputs are registered up front (undefined values are not sent), the inputs as set
    const placeholders = {
      replicationId: undefined, replicationState: undefined, vmName: undefined, owner: undefined, recoveryState: undefined,
      isReversed: undefined, dataConnectionState: undefined, overallHealth: undefined, drift: undefined,
      latestInstance: undefined, currentRpoViolation: undefined,
    };
    super(provider, name, { ...placeholders, ...resourceArgs }, opts, "vcda", "VmReplication");
    this.replicationId = idOutput(this.id, this.replicationId);
    settleUnsetInputs(this, [
      "source", "destination", "description", "rpo", "dataConnectionType", "quiesced", "retentionPolicy", "targetDiskType",
      "initialSyncTime", "isMigration", "slaProfileId", "sourceReconfigure", "adoptExisting", "profile",
      "allowProtectionGapOnReplace", "failDriftOnUnhealthy",
    ]);
  }
}
