// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.

/** Default recovery placement for every VM of the VPG. */
export interface VpgRecovery {
  /** Recovery host (set this or hostClusterId). */
  hostId?: string;
  /** Recovery host cluster (set this or hostId). */
  hostClusterId?: string;
  /** Recovery datastore (set this or datastoreClusterId). */
  datastoreId?: string;
  /** Recovery datastore cluster (set this or datastoreId). */
  datastoreClusterId?: string;
  /** Recovery VM folder. */
  folderId: string;
  /** Recovery resource pool. */
  resourcePoolId?: string;
}

/** Recovery networks. */
export interface VpgNetworks {
  /** Network used at failover and move. */
  failoverNetworkId: string;
  /** Network used by failover tests. */
  failoverTestNetworkId?: string;
}

/** Journal placement and size limits (MB or percent of the protected VMs' size). */
export interface VpgJournal {
  /** Datastore for the journal; the recovery datastore when absent. */
  datastoreId?: string;
  /** Hard limit in MB (at least 8 GB). */
  hardLimitMb?: number;
  /** Warning threshold in MB; must be below hardLimitMb. */
  warningThresholdMb?: number;
  /** Hard limit in percent. */
  hardLimitPercent?: number;
  /** Warning threshold in percent; must be below hardLimitPercent. */
  warningThresholdPercent?: number;
}

/** Per-VM overrides of the VPG's recovery placement. */
export interface VpgVmRecovery {
  /** Recovery host (set this or hostClusterId). */
  hostId?: string;
  /** Recovery host cluster (set this or hostId). */
  hostClusterId?: string;
  /** Recovery datastore (set this or datastoreClusterId). */
  datastoreId?: string;
  /** Recovery datastore cluster (set this or datastoreId). */
  datastoreClusterId?: string;
  /** Recovery VM folder. */
  folderId?: string;
  /** Recovery resource pool. */
  resourcePoolId?: string;
}

export interface VpgVm {
  /** VM id on the protected site: '<protected vCenter GUID>.vm-NN'. */
  vmId: string;
  /** Name of one of `bootGroups` (the built-in 'Default' group when absent). */
  bootGroup?: string;
  /** Per-VM overrides of the VPG's recovery placement. */
  recovery?: VpgVmRecovery;
}

export interface VpgBootGroup {
  /** Group name, referenced by vms[].bootGroup. */
  name: string;
  /** Delay after this group boots. Default: 0. */
  bootDelaySeconds?: number;
}

/** Runs before recovery. */
export interface VpgScript {
  /** Path of the script on the ZVM host. */
  command: string;
  /** Arguments passed to the script. */
  parameters?: string;
  /** Seconds before the script is considered failed. Default: 300. */
  timeoutSeconds?: number;
}

/** Scripts run on the recovery ZVM around recovery operations. */
export interface VpgScripting {
  /** Runs before recovery. */
  preRecovery?: VpgScript;
  /** Runs after recovery. */
  postRecovery?: VpgScript;
}

/** A Zerto Virtual Protection Group, managed through the ZVM vpgSettings create/edit/commit flow. */
export interface VpgInputs {
  /** VPG name, unique on the ZVM (compared case-insensitively by Zerto). */
  name: string;
  /** Site whose VMs are protected; the ZVM's local site when absent. Changing it replaces the resource. */
  protectedSiteId?: string;
  /** Paired site the VMs are replicated to. Changing it replaces the resource. */
  recoverySiteId: string;
  /** Target RPO in seconds; an alert is raised when it is not met. Default: 300. */
  rpoSeconds?: number;
  /** How far back the journal keeps checkpoints (1 hour to 30 days). Default: 24. */
  journalHistoryHours?: number;
  /** Recommended failover-test interval: 0 (off), 1, 3, 6, 9 or 12 months in minutes. Default: 262080. */
  testIntervalMinutes?: 0 | 43200 | 131040 | 262080 | 393120 | 525600;
  /** Bandwidth priority against other VPGs. Default: "Medium". */
  priority?: "Low" | "Medium" | "High";
  /** Compress replication traffic. Default: true. */
  useWanCompression?: boolean;
  /** Service profile whose settings the VPG follows. */
  serviceProfileId?: string;
  /** Zerto Organization (ZORG) the VPG belongs to. */
  zorgId?: string;
  /** Default recovery placement for every VM of the VPG. */
  recovery: VpgRecovery;
  /** Recovery networks. */
  networks: VpgNetworks;
  /** Journal placement and size limits (MB or percent of the protected VMs' size). */
  journal?: VpgJournal;
  /** The protected VMs (compared as a set). */
  vms: VpgVm[];
  /** Boot order groups; VMs start group by group, waiting bootDelaySeconds after each. */
  bootGroups?: VpgBootGroup[];
  /** Scripts run on the recovery ZVM around recovery operations. */
  scripting?: VpgScripting;
  /** Keep the replica disks at the recovery site when the VPG is deleted. Default: false. */
  keepRecoveryVolumesOnDelete?: boolean;
  /** On create, take over an existing object of the same identity instead of failing: true adopts it only when it already matches this declaration (otherwise the create is refused and lists each difference); "overwrite" adopts it and converges it to this declaration. Default: false. */
  adoptExisting?: false | true | "overwrite";
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. Changing it replaces the resource. */
  profile?: string;
  /** Allow a change that replaces this resource. A replace deletes the protection first and creates the new one afterwards: until the new one has synced, the VMs are not protected. Without this opt-in such a change is refused at preview. On a VPG replace the recovery volumes are kept. */
  allowProtectionGapOnReplace?: boolean;
  /** The state the program expects the VPG in. The ZVM reporting another state (paused, a failover, failover test or move under way, recovered) is drift that `pulumi refresh --expect-no-changes` fails on; Pulumi never changes the state. Set it to the state found to acknowledge it. Default: "protected". */
  protectionState?: "protected" | "paused" | "testingFailover" | "failingOver" | "moving" | "recovered" | "deleting" | "unhealthy";
  /** Report a VPG that does not meet its SLA (status NotMeetingSLA, RpoNotMeetingSLA or HistoryNotMeetingSLA) as protectionState 'unhealthy', so that the drift check fails on it too. */
  failDriftOnUnhealthy?: boolean;
}

/** Outputs of Vpg beyond its inputs. */
export interface VpgOutputs extends VpgInputs {
  /** The VPG identifier. */
  vpgId?: string;
  /** VPG status as the ZVM reports it (Initializing, MeetingSLA, NotMeetingSLA, …). */
  status?: string;
  /** VPG sub-status (None, InitialSync, Creating, …). */
  subStatus?: string;
  /** The protected site: protectedSiteId, or the ZVM's local site when protectedSiteId is absent. */
  resolvedProtectedSiteId?: string;
  /** Last measured RPO in seconds (-1 when not calculated yet); null when the ZVM reports none. */
  actualRpoSeconds?: number | null;
  /** The protected site's name as the ZVM reports it (VpgApi ProtectedSiteName); null when it reports none. */
  protectedSiteName?: string | null;
  /** The recovery site's name as the ZVM reports it (VpgApi RecoverySiteName); null when it reports none. */
  recoverySiteName?: string | null;
}

/** A VCDA replication policy: the limits that apply to the organizations assigned to it. With `isDefault: true` the built-in `default` policy is managed instead: it is updated, never deleted, and removing it from the program restores the values it had before. */
export interface ReplicationPolicyInputs {
  /** Manage the built-in `default` policy instead of creating one. Default: false. Changing it replaces the resource. */
  isDefault?: boolean;
  /** Unique, case-sensitive name. */
  displayName?: string;
  /** Lowest RPO (minutes) a replication into the organization may use. Default: 15. */
  minRpo?: number;
  /** Maximum retained (rotated) instances per VM replication. Default: 24. */
  maxInstances?: number;
  /** Maximum stored (pinned) instances per VM replication. Default: 0. */
  maxPinnedInstances?: number;
  /** Maximum incoming replications per organization: -1 unlimited, 0 none. Default: -1. */
  maxIncoming?: number;
  /** Organizations may be the destination of protections. Default: true. */
  allowIncomingProtections?: boolean;
  /** Organizations may be the source of protections. Default: true. */
  allowOutgoingProtections?: boolean;
  /** Organizations may be the destination of migrations. Default: true. */
  allowIncomingMigrations?: boolean;
  /** Organizations may be the source of migrations. Default: true. */
  allowOutgoingMigrations?: boolean;
  /** Bandwidth cap in Mbit/s for on-premises to cloud traffic (0 = none). Default: 0. */
  onpremDataCap?: number;
  /** Organizations may set custom RPO, retention and quiescing instead of SLA profiles. Default: true. */
  allowCustomSlaSettings?: boolean;
  /** Organizations may configure notifications. Default: true. */
  allowNotificationConfiguration?: boolean;
  /** On create, take over an existing object of the same identity instead of failing: true adopts it only when it already matches this declaration (otherwise the create is refused and lists each difference); "overwrite" adopts it and converges it to this declaration. Default: false. */
  adoptExisting?: false | true | "overwrite";
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. Changing it replaces the resource. */
  profile?: string;
}

/** Outputs of ReplicationPolicy beyond its inputs. */
export interface ReplicationPolicyOutputs extends ReplicationPolicyInputs {
  /** Policy id (`default` for the built-in policy). */
  policyId?: string;
  /** Number of organizations assigned to the policy (-1 for the default policy). */
  orgs?: number;
  /** With isDefault: the built-in policy's values before Pulumi managed it, put back when the resource is deleted. */
  restoreValues?: Record<string, unknown> | null;
}

/** Which replication policy a VCD organization gets. Deleting the assignment gives the organization the `default` policy back. */
export interface OrgPolicyAssignmentInputs {
  /** Short name of a local VCD organization. Changing it replaces the resource. */
  org: string;
  /** The policy to assign ('default' or a policy id, e.g. a ReplicationPolicy's policyId). */
  policyId: string;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. Changing it replaces the resource. */
  profile?: string;
}

/** Outputs of OrgPolicyAssignment beyond its inputs. */
export interface OrgPolicyAssignmentOutputs extends OrgPolicyAssignmentInputs {
  /** Display name of the assigned policy. */
  policyDisplayName?: string;
}

/** The replicated VM. */
export interface VmReplicationSource {
  /** 'vm' for a Cloud Director VM, 'vcVm' for an on-premises vCenter VM. Changing it replaces the resource. */
  type: "vm" | "vcVm";
  /** Source site short name. Changing it replaces the resource. */
  site: string;
  /** Cloud Director VM UUID ('vm') or vCenter moref such as vm-42 ('vcVm'). Changing it replaces the resource. */
  vmId: string;
  /** Source vCenter UUID; only for type 'vcVm'. Changing it replaces the resource. */
  vcUuid?: string;
  /** Device keys of disks left out of replication (e.g. 2001). */
  excludedDisks?: number[];
}

/** On-premises seed VM (type 'vcVm'). */
export interface VmReplicationSeedVm {
  vcId: string;
  moId: string;
}

/** Where the replica lives. */
export interface VmReplicationDestination {
  /** 'vcloud' (a Cloud Director vDC), 'vm' (seeded from a VCD VM), 'vc' (on-premises vCenter), 'vcVm' (seeded on-premises). Changing it replaces the resource. */
  type: "vcloud" | "vm" | "vc" | "vcVm";
  /** Destination site short name. Changing it replaces the resource. */
  site: string;
  /** Destination vDC id; for types 'vcloud' and 'vm'. Changing it replaces the resource. */
  vdc?: string;
  /** Destination storage profile id ('*' = the vDC default); for types 'vcloud' and 'vm'. Changing it replaces the resource. */
  storageProfile?: string;
  /** Powered-off VCD VM whose disks seed the replica (type 'vm'); the VM itself is deleted. */
  seedVmId?: string;
  /** On-premises seed VM (type 'vcVm'). */
  seedVm?: VmReplicationSeedVm;
}

export interface VmReplicationRetentionRule {
  /** Instances kept by this rule. */
  numberOfInstances: number;
  /** Minutes between kept instances. */
  distance: number;
}

/** Which point-in-time instances are kept. */
export interface VmReplicationRetentionPolicy {
  rules: VmReplicationRetentionRule[];
}

/** A VCDA VM replication (protection or migration). Reconfigurable settings update in place; source, destination, disk type and migration flag replace it. A replication failed over or migrated outside Pulumi is reported in its outputs and never deleted or recreated by the next update. */
export interface VmReplicationInputs {
  /** The replicated VM. */
  source: VmReplicationSource;
  /** Where the replica lives. */
  destination: VmReplicationDestination;
  /** Free text shown in VCDA. */
  description?: string;
  /** RPO in minutes (required unless slaProfileId is set). */
  rpo?: number;
  /** Traffic encryption and compression (ENCRYPTED_COMPRESSED when absent and no SLA profile). */
  dataConnectionType?: "PLAIN" | "ENCRYPTED" | "ENCRYPTED_COMPRESSED";
  /** Quiesce the guest OS for instances (true when absent and no SLA profile). */
  quiesced?: boolean;
  /** Which point-in-time instances are kept. */
  retentionPolicy?: VmReplicationRetentionPolicy;
  /** Provisioning of the replica disks. Default: "THIN". Changing it replaces the resource. */
  targetDiskType?: "THIN" | "PREALLOCATED" | "PREALLOCATED_ZEROS";
  /** When the first sync starts, epoch milliseconds (now when absent or past). */
  initialSyncTime?: number;
  /** A migration rather than a protection. Default: false. Changing it replaces the resource. */
  isMigration?: boolean;
  /** SLA profile whose RPO, retention, quiescing and connection type apply instead of custom values. */
  slaProfileId?: string;
  /** On create, take over an existing object of the same identity instead of failing: true adopts it only when it already matches this declaration (otherwise the create is refused and lists each difference); "overwrite" adopts it and converges it to this declaration. Default: false. */
  adoptExisting?: false | true | "overwrite";
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. Changing it replaces the resource. */
  profile?: string;
  /** Allow a change that replaces this resource. A replace deletes the protection first and creates the new one afterwards: until the new one has synced, the VMs are not protected. Without this opt-in such a change is refused at preview. On a VPG replace the recovery volumes are kept. */
  allowProtectionGapOnReplace?: boolean;
  /** The state the program expects the replication in. VCDA reporting another state (paused, failed over, migrated, reversed, a test failover in place) is drift that `pulumi refresh --expect-no-changes` fails on; Pulumi never changes the state. Set it to the state found to acknowledge it. Default: "replicating". */
  replicationState?: "replicating" | "paused" | "testingFailover" | "failedOver" | "migrated" | "reversed" | "unhealthy";
  /** Report a replication whose overallHealth is not GREEN as replicationState 'unhealthy', so that the drift check fails on it too. */
  failDriftOnUnhealthy?: boolean;
}

/** Outputs of VmReplication beyond its inputs. */
export interface VmReplicationOutputs extends VmReplicationInputs {
  /** The replication id (C4-…). */
  replicationId?: string;
  /** Name of the replicated VM. */
  vmName?: string;
  /** Owning user. */
  owner?: string;
  /** NOT_STARTED, TEST or COMPLETE (failed over or migrated). */
  recoveryState?: string;
  /** The replication was reversed outside Pulumi. */
  isReversed?: boolean;
  /** Replication traffic state (OK, SYNCING, …). */
  dataConnectionState?: string;
  /** Health as VCDA shows it (GREEN, YELLOW, RED). */
  overallHealth?: string;
  /** Why Pulumi leaves the replication alone, when it was failed over, migrated or reversed outside Pulumi. */
  drift?: string | null;
}
