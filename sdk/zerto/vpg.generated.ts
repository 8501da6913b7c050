// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.
import * as pulumi from "@pulumi/pulumi";
import provider = require("../../provider/delegates/vpg");
import type * as outputs from "../../provider/inputs.generated";
import type * as args from "../args.generated";
import { guardConstruction } from "../guards";
import { idOutput } from "../idOutput";
import { settleUnsetInputs } from "../unsetInputs";

/** A Zerto Virtual Protection Group, managed through the ZVM vpgSettings create/edit/commit flow. */
export class Vpg extends pulumi.dynamic.Resource {
  /** The VPG identifier. The resource id: known during the preview of an update. */
  declare readonly vpgId: pulumi.Output<string>;
  /** The state the ZVM reports: protected (also while a failover test runs), paused, failingOver, moving, recovered, deleting (unhealthy with failDriftOnUnhealthy). */
  declare readonly protectionState: pulumi.Output<"protected" | "paused" | "testingFailover" | "failingOver" | "moving" | "recovered" | "deleting" | "unhealthy">;
  /** VPG status as the ZVM reports it (Initializing, MeetingSLA, NotMeetingSLA, …). */
  declare readonly status: pulumi.Output<string>;
  /** VPG sub-status (None, InitialSync, Creating, …). */
  declare readonly subStatus: pulumi.Output<string>;
  /** The protected site: protectedSiteId, or the ZVM's local site when protectedSiteId is absent. */
  declare readonly resolvedProtectedSiteId: pulumi.Output<string>;
  /** Last measured RPO in seconds (-1 when not calculated yet); null when the ZVM reports none. */
  declare readonly actualRpoSeconds: pulumi.Output<number | null>;
  /** When the VPG's last failover test ran (GET /v1/vpgs/{id} LastTest); null when never tested. */
  declare readonly lastTest: pulumi.Output<string | null>;
  /** Each protected VM as the Protected VMs API (GET /v1/vms) reports it, sorted by vmId. Read by every refresh and update; a create fills it only with waitForSla (until then every VM is in its initial sync), so it is null after a plain create until the first refresh. */
  declare readonly protectedVms: pulumi.Output<outputs.VpgProtectedVm[] | null>;
  /** The protected site's name as the ZVM reports it (VpgApi ProtectedSiteName); null when it reports none. */
  declare readonly protectedSiteName: pulumi.Output<string | null>;
  /** The recovery site's name as the ZVM reports it (VpgApi RecoverySiteName); null when it reports none. */
  declare readonly recoverySiteName: pulumi.Output<string | null>;
  /** VPG name, unique on the ZVM (compared case-insensitively by Zerto). */
  declare readonly name: pulumi.Output<string>;
  /** Site whose VMs are protected; the ZVM's local site when absent. */
  declare readonly protectedSiteId: pulumi.Output<string | undefined>;
  /** Paired site the VMs are replicated to. */
  declare readonly recoverySiteId: pulumi.Output<string>;
  /** Target RPO in seconds; an alert is raised when it is not met. 300 when absent, unless serviceProfileId is set (the profile's then). */
  declare readonly rpoSeconds: pulumi.Output<number | undefined>;
  /** How far back the journal keeps checkpoints (1 hour to 30 days). 24 when absent, unless serviceProfileId is set (the profile's then). */
  declare readonly journalHistoryHours: pulumi.Output<number | undefined>;
  /** Recommended failover-test interval in minutes, any value a ZVM holds (the API's TestIntervalInMinutes is an integer, and a VPG made in the ZVM UI may hold a value no document lists). Known values: 0 (off), 43200, 131040 and 262080 (about 1, 3 and 6 months, documented); 9- and 12-month values differ between sources (393120, 525600; ZertoApiWrapper lists 294560 and 252600). 262080 when absent, unless serviceProfileId is set (the profile's then). */
  declare readonly testIntervalMinutes: pulumi.Output<number | undefined>;
  /** Bandwidth priority against other VPGs. */
  declare readonly priority: pulumi.Output<"Low" | "Medium" | "High" | undefined>;
  /** Compress replication traffic. */
  declare readonly useWanCompression: pulumi.Output<boolean | undefined>;
  /** Service profile whose settings the VPG follows. */
  declare readonly serviceProfileId: pulumi.Output<string | undefined>;
  /** Zerto Organization (ZORG) the VPG belongs to. */
  declare readonly zorgId: pulumi.Output<string | undefined>;
  /** Default recovery placement for every VM of the VPG. */
  declare readonly recovery: pulumi.Output<outputs.VpgRecovery>;
  /** Recovery networks. */
  declare readonly networks: pulumi.Output<outputs.VpgNetworks>;
  /** Journal placement and size limits (MB or percent of the protected VMs' size); only what is declared is managed. */
  declare readonly journal: pulumi.Output<outputs.VpgJournal | undefined>;
  /** The protected VMs (compared as a set). */
  declare readonly vms: pulumi.Output<outputs.VpgVm[]>;
  /** Boot order groups; VMs start group by group, waiting bootDelaySeconds after each. */
  declare readonly bootGroups: pulumi.Output<outputs.VpgBootGroup[] | undefined>;
  /** Scripts run on the recovery ZVM around recovery operations. */
  declare readonly scripting: pulumi.Output<outputs.VpgScripting | undefined>;
  /** Keep the replica disks at the recovery site when the VPG is deleted. */
  declare readonly keepRecoveryVolumesOnDelete: pulumi.Output<boolean | undefined>;
  /** On create, take over an existing object of the same identity instead of failing: true adopts it only when it already matches this declaration (otherwise the create is refused and lists each difference); "overwrite" adopts it and converges it to this declaration. */
  declare readonly adoptExisting: pulumi.Output<false | true | "overwrite" | undefined>;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  declare readonly profile: pulumi.Output<string | undefined>;
  /** Allow a change that replaces this resource. A replace deletes the protection first and creates the new one afterwards: until the new one has synced, the VMs are not protected. Without this opt-in such a change is refused at preview. On a VPG replace the recovery volumes are kept. */
  declare readonly allowProtectionGapOnReplace: pulumi.Output<boolean | undefined>;
  /** Report a VPG that does not meet its SLA (status NotMeetingSLA, RpoNotMeetingSLA or HistoryNotMeetingSLA) as protectionState 'unhealthy', so that the drift check fails on it too. */
  declare readonly failDriftOnUnhealthy: pulumi.Output<boolean | undefined>;
  /** On create, wait until the VPG meets its SLA (status MeetingSLA: initial sync done) before the resource is reported created, bounded by zerto:taskTimeoutSeconds. When the time runs out the VPG is still recorded in the stack and the operation fails naming its status. Only create waits. */
  declare readonly waitForSla: pulumi.Output<boolean | undefined>;

  constructor(name: string, resourceArgs: args.VpgArgs, opts?: pulumi.CustomResourceOptions) {
    guardConstruction("drprotect:zerto:Vpg", name, resourceArgs);
    // the provider's outputs are registered up front (undefined values are not sent), the inputs as set
    const placeholders = {
      vpgId: undefined, protectionState: undefined, status: undefined, subStatus: undefined, resolvedProtectedSiteId: undefined,
      actualRpoSeconds: undefined, lastTest: undefined, protectedVms: undefined, protectedSiteName: undefined,
      recoverySiteName: undefined,
    };
    super(provider, name, { ...placeholders, ...resourceArgs }, opts, "zerto", "Vpg");
    this.vpgId = idOutput(this.id, this.vpgId);
    settleUnsetInputs(this, [
      "name", "protectedSiteId", "recoverySiteId", "rpoSeconds", "journalHistoryHours", "testIntervalMinutes", "priority",
      "useWanCompression", "serviceProfileId", "zorgId", "recovery", "networks", "journal", "vms", "bootGroups", "scripting",
      "keepRecoveryVolumesOnDelete", "adoptExisting", "profile", "allowProtectionGapOnReplace", "failDriftOnUnhealthy",
      "waitForSla",
    ]);
  }
}
