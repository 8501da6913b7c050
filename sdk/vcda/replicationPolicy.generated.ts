// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.
import * as pulumi from "@pulumi/pulumi";
import provider = require("../../provider/delegates/replicationPolicy");
import type * as outputs from "../../provider/inputs.generated";
import type * as args from "../args.generated";
import { guardConstruction } from "../guards";
import { idOutput } from "../idOutput";
import { settleUnsetInputs } from "../unsetInputs";

/** A VCDA replication policy: the limits that apply to the organizations assigned to it. A new policy gets the default of each setting the program leaves out. With `isDefault: true` the built-in `default` policy is managed instead: only the settings the program declares are set (every other one keeps its live value), it is never deleted, and removing it from the program restores the values the declared settings had before. */
export class ReplicationPolicy extends pulumi.dynamic.Resource {
  /** Policy id (`default` for the built-in policy). The resource id: known during the preview of an update. */
  declare readonly policyId: pulumi.Output<string>;
  /** Number of organizations assigned to the policy (-1 for the default policy). */
  declare readonly orgs: pulumi.Output<number>;
  /** With isDefault: the built-in policy's values before Pulumi managed it, put back when the resource is deleted. */
  declare readonly restoreValues: pulumi.Output<Record<string, unknown> | null>;
  /** The organizations whose live replications this policy's limits do not admit, from VCDA's compliance status (`GET /policies/{id}/status`): per organization its configured replications, by how many the incoming quota is exceeded, the protections and migrations the policy no longer allows, and the ids of the replications below `minRpo` (`nonRpoCompliant`) or above `maxInstances` (`nonInstancesCompliant`). Empty when every replication complies: organizations in compliance are left out, so a tenant's new compliant replication is no change of the policy. Null when the session may not read the status (it needs a provider administrator). */
  declare readonly compliance: pulumi.Output<outputs.PolicyOrgCompliance[] | null>;
  /** Manage the built-in `default` policy instead of creating one. */
  declare readonly isDefault: pulumi.Output<boolean | undefined>;
  /** Unique, case-sensitive name. */
  declare readonly displayName: pulumi.Output<string | undefined>;
  /** Lowest RPO (minutes) a replication into the organization may use. */
  declare readonly minRpo: pulumi.Output<number | undefined>;
  /** Maximum retained (rotated) instances per VM replication. */
  declare readonly maxInstances: pulumi.Output<number | undefined>;
  /** Maximum stored (pinned) instances per VM replication. */
  declare readonly maxPinnedInstances: pulumi.Output<number | undefined>;
  /** Maximum incoming replications per organization: -1 unlimited, 0 none. */
  declare readonly maxIncoming: pulumi.Output<number | undefined>;
  /** Organizations may be the destination of protections. */
  declare readonly allowIncomingProtections: pulumi.Output<boolean | undefined>;
  /** Organizations may be the source of protections. */
  declare readonly allowOutgoingProtections: pulumi.Output<boolean | undefined>;
  /** Organizations may be the destination of migrations. */
  declare readonly allowIncomingMigrations: pulumi.Output<boolean | undefined>;
  /** Organizations may be the source of migrations. */
  declare readonly allowOutgoingMigrations: pulumi.Output<boolean | undefined>;
  /** Bandwidth cap in Mbit/s for on-premises to cloud traffic (0 = none). */
  declare readonly onpremDataCap: pulumi.Output<number | undefined>;
  /** Organizations may set custom RPO, retention and quiescing instead of SLA profiles. */
  declare readonly allowCustomSlaSettings: pulumi.Output<boolean | undefined>;
  /** Organizations may configure notifications. */
  declare readonly allowNotificationConfiguration: pulumi.Output<boolean | undefined>;
  /** On create, take over an existing object of the same identity instead of failing: true adopts it only when it already matches this declaration (otherwise the create is refused and lists each difference); "overwrite" adopts it and converges it to this declaration. */
  declare readonly adoptExisting: pulumi.Output<false | true | "overwrite" | undefined>;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, resourceArgs: args.ReplicationPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    guardConstruction("drprotect:vcda:ReplicationPolicy", name, resourceArgs);
    // the provider's outputs are registered up front (undefined values are not sent), the inputs as set
    const placeholders = {
      policyId: undefined, orgs: undefined, restoreValues: undefined, compliance: undefined,
    };
    super(provider, name, { ...placeholders, ...resourceArgs }, opts, "vcda", "ReplicationPolicy");
    this.policyId = idOutput(this.id, this.policyId);
    settleUnsetInputs(this, [
      "isDefault", "displayName", "minRpo", "maxInstances", "maxPinnedInstances", "maxIncoming", "allowIncomingProtections",
      "allowOutgoingProtections", "allowIncomingMigrations", "allowOutgoingMigrations", "onpremDataCap", "allowCustomSlaSettings",
      "allowNotificationConfiguration", "adoptExisting", "profile",
    ]);
  }
}
