// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.
import * as pulumi from "@pulumi/pulumi";

/** Recovery into VMware Cloud Director (Recovery.VCD): set it, and no vSphere placement, when the recovery site is a Cloud Director site. */
export interface VpgRecoveryVcdArgs {
  /** Org vDC the VMs recover into. */
  orgVdcId: pulumi.Input<string>;
}

/** Default recovery placement for every VM of the VPG. */
export interface VpgRecoveryArgs {
  /** Recovery host (set this or hostClusterId). */
  hostId?: pulumi.Input<string>;
  /** Recovery host cluster (set this or hostId). */
  hostClusterId?: pulumi.Input<string>;
  /** Recovery datastore (set this or datastoreClusterId). */
  datastoreId?: pulumi.Input<string>;
  /** Recovery datastore cluster (set this or datastoreId). */
  datastoreClusterId?: pulumi.Input<string>;
  /** Recovery VM folder. */
  folderId?: pulumi.Input<string>;
  /** Recovery resource pool. */
  resourcePoolId?: pulumi.Input<string>;
  /** Recovery into VMware Cloud Director (Recovery.VCD): set it, and no vSphere placement, when the recovery site is a Cloud Director site. */
  vcd?: pulumi.Input<VpgRecoveryVcdArgs>;
}

export interface VpgVcdNetworkMappingArgs {
  /** Network at the protected site. */
  protectedOrgVdcNetworkId: pulumi.Input<string>;
  /** Org vDC network at the recovery site. */
  recoveryOrgVdcNetworkId: pulumi.Input<string>;
  /** Network for tests of the reverse direction (after a failover). */
  reverseTestOrgVdcNetworkId?: pulumi.Input<string>;
}

/** Cloud Director networks (a VPG recovering into Cloud Director). */
export interface VpgVcdNetworkArgs {
  /** Org vDC network a NIC joins when no mapping names its protected network. */
  defaultRecoveryOrgVdcNetworkId?: pulumi.Input<string>;
  /** Protected network to recovery org vDC network mappings. */
  mappings?: pulumi.Input<pulumi.Input<VpgVcdNetworkMappingArgs>[]>;
  /** Let Cloud Director customize the guest OS of recovered VMs. */
  enableGuestCustomization?: pulumi.Input<boolean>;
  /** How NAT rules are copied to the recovery org vDC network (CopyNATRules, a string the ZVM defines). */
  copyNatRules?: pulumi.Input<string>;
}

/** Failover and move networks at a Cloud Director recovery site (instead of failoverNetworkId). */
export interface VpgNetworkSettingsArgs {
  /** Cloud Director networks (a VPG recovering into Cloud Director). */
  vcd: pulumi.Input<VpgVcdNetworkArgs>;
}

/** Recovery networks. */
export interface VpgNetworksArgs {
  /** Network used at failover and move. */
  failoverNetworkId?: pulumi.Input<string>;
  /** Network used by failover tests. */
  failoverTestNetworkId?: pulumi.Input<string>;
  /** Failover and move networks at a Cloud Director recovery site (instead of failoverNetworkId). */
  failover?: pulumi.Input<VpgNetworkSettingsArgs>;
  /** Failover-test networks at a Cloud Director recovery site (instead of failoverTestNetworkId). */
  failoverTest?: pulumi.Input<VpgNetworkSettingsArgs>;
}

/** Journal placement and size limits (MB or percent of the protected VMs' size); only what is declared is managed. */
export interface VpgJournalArgs {
  /** Datastore for the journal; when absent, the VPG's is kept as the ZVM has it (for a VM: the VPG's journal datastore, else the VM's recovery datastore). */
  datastoreId?: pulumi.Input<string>;
  /** Hard limit in MB (at least 8 GB). */
  hardLimitMb?: pulumi.Input<number>;
  /** Warning threshold in MB; must be below hardLimitMb. */
  warningThresholdMb?: pulumi.Input<number>;
  /** Hard limit in percent. */
  hardLimitPercent?: pulumi.Input<number>;
  /** Warning threshold in percent; must be below hardLimitPercent. */
  warningThresholdPercent?: pulumi.Input<number>;
}

/** The VM at a Cloud Director recovery site (Vms[].Recovery.VCD). */
export interface VpgVmRecoveryVcdArgs {
  /** Storage policy of the org vDC for the VM's disks. */
  storagePolicyId: pulumi.Input<string>;
}

/** Per-VM overrides of the VPG's recovery placement. */
export interface VpgVmRecoveryArgs {
  /** Recovery host (set this or hostClusterId). */
  hostId?: pulumi.Input<string>;
  /** Recovery host cluster (set this or hostId). */
  hostClusterId?: pulumi.Input<string>;
  /** Recovery datastore (set this or datastoreClusterId). */
  datastoreId?: pulumi.Input<string>;
  /** Recovery datastore cluster (set this or datastoreId). */
  datastoreClusterId?: pulumi.Input<string>;
  /** Recovery VM folder. */
  folderId?: pulumi.Input<string>;
  /** Recovery resource pool. */
  resourcePoolId?: pulumi.Input<string>;
  /** The VM at a Cloud Director recovery site (Vms[].Recovery.VCD). */
  vcd?: pulumi.Input<VpgVmRecoveryVcdArgs>;
}

/** The NIC at failover and move. */
export interface VpgVmVcdNicNetworkArgs {
  /** Org vDC network the NIC joins. */
  recoveryOrgVdcNetworkId?: pulumi.Input<string>;
  /** Cloud Director IP allocation mode of the NIC (IpMode, a string the ZVM defines). */
  ipMode?: pulumi.Input<string>;
  /** IP address of the NIC. */
  ipAddress?: pulumi.Input<string>;
  /** Whether this is the VM's primary NIC. */
  primary?: pulumi.Input<boolean>;
  /** Whether the NIC is connected. */
  connected?: pulumi.Input<boolean>;
  /** Give the NIC a new MAC address. */
  resetMacAddress?: pulumi.Input<boolean>;
}

export interface VpgVmVcdNicArgs {
  /** NIC as the ZVM names it, such as 'Network adapter 1'. */
  nicId: pulumi.Input<string>;
  /** The NIC at failover and move. */
  failover?: pulumi.Input<VpgVmVcdNicNetworkArgs>;
  /** The NIC in failover tests. */
  failoverTest?: pulumi.Input<VpgVmVcdNicNetworkArgs>;
}

/** Re-IP of the recovered NIC (ZVM ShouldReplaceIpConfiguration and IpConfig); compared only when declared. */
export interface VpgNicIpConfigArgs {
  /** keep: no re-IP (the guest keeps its configuration); dhcp: re-IP by DHCP; static: re-IP to `ip`/`subnetMask`. */
  mode: pulumi.Input<"keep" | "dhcp" | "static">;
  /** Static IP address (mode static). */
  ip?: pulumi.Input<string>;
  /** Subnet mask (mode static). */
  subnetMask?: pulumi.Input<string>;
  /** Default gateway (mode static). */
  gateway?: pulumi.Input<string>;
  /** Primary DNS server. */
  primaryDns?: pulumi.Input<string>;
  /** Secondary DNS server. */
  secondaryDns?: pulumi.Input<string>;
  /** DNS suffix (ZVM DnsSuffix). */
  dnsSuffix?: pulumi.Input<string>;
}

/** At failover and move. */
export interface VpgNicSettingsArgs {
  /** Network the recovered NIC connects to; the VPG's network for this operation when absent. */
  networkId?: pulumi.Input<string>;
  /** Give the recovered NIC a new MAC address (ZVM ShouldReplaceMacAddress); compared only when declared. */
  replaceMacAddress?: pulumi.Input<boolean>;
  /** Re-IP of the recovered NIC (ZVM ShouldReplaceIpConfiguration and IpConfig); compared only when declared. */
  ipConfig?: pulumi.Input<VpgNicIpConfigArgs>;
}

export interface VpgVmNicArgs {
  /** The NIC as the ZVM names it, e.g. 'Network adapter 1'. */
  nicId: pulumi.Input<string>;
  /** At failover and move. */
  failover?: pulumi.Input<VpgNicSettingsArgs>;
  /** In failover tests. */
  failoverTest?: pulumi.Input<VpgNicSettingsArgs>;
}

/** A pre-seeded disk at the recovery site to start the initial sync from (ZVM Preseed). Used only when the VM joins the VPG; never compared afterwards. */
export interface VpgVmVolumePreseedArgs {
  /** Datastore holding the pre-seeded disk. */
  datastoreId: pulumi.Input<string>;
  /** Path of the disk on that datastore, e.g. 'preseed/web01.vmdk'. */
  path: pulumi.Input<string>;
}

export interface VpgVmVolumeArgs {
  /** The volume as the ZVM names it, e.g. 'scsi:0:0'. */
  volumeId: pulumi.Input<string>;
  /** Recovery datastore of the volume (set this or datastoreClusterId). */
  datastoreId?: pulumi.Input<string>;
  /** Recovery datastore cluster of the volume (set this or datastoreId). */
  datastoreClusterId?: pulumi.Input<string>;
  /** Thin-provisioned recovery disk; compared only when declared. */
  thin?: pulumi.Input<boolean>;
  /** A pre-seeded disk at the recovery site to start the initial sync from (ZVM Preseed). Used only when the VM joins the VPG; never compared afterwards. */
  preseed?: pulumi.Input<VpgVmVolumePreseedArgs>;
}

/** Per-VM overrides of the VPG's journal; only what is declared is managed. */
export interface VpgVmJournalArgs {
  /** Datastore for the journal; when absent, the VPG's is kept as the ZVM has it (for a VM: the VPG's journal datastore, else the VM's recovery datastore). */
  datastoreId?: pulumi.Input<string>;
  /** Hard limit in MB (at least 8 GB). */
  hardLimitMb?: pulumi.Input<number>;
  /** Warning threshold in MB; must be below hardLimitMb. */
  warningThresholdMb?: pulumi.Input<number>;
  /** Hard limit in percent. */
  hardLimitPercent?: pulumi.Input<number>;
  /** Warning threshold in percent; must be below hardLimitPercent. */
  warningThresholdPercent?: pulumi.Input<number>;
}

export interface VpgVmArgs {
  /** VM id on the protected site: '<protected vCenter GUID>.vm-NN'. */
  vmId: pulumi.Input<string>;
  /** Name of one of `bootGroups` (the built-in 'Default' group when absent). */
  bootGroup?: pulumi.Input<string>;
  /** Per-VM overrides of the VPG's recovery placement. */
  recovery?: pulumi.Input<VpgVmRecoveryArgs>;
  /** Per-NIC settings at a Cloud Director recovery site (Vms[].Nics[].Failover.VCD and FailoverTest.VCD); only the NICs and fields listed are managed. */
  vcdNics?: pulumi.Input<pulumi.Input<VpgVmVcdNicArgs>[]>;
  /** Per-NIC recovery settings, by NIC identifier as the ZVM names it; NICs not listed follow the VPG's networks. */
  nics?: pulumi.Input<pulumi.Input<VpgVmNicArgs>[]>;
  /** Per-volume recovery storage, by volume identifier as the ZVM names it (e.g. 'scsi:0:0'); volumes not listed follow the VM's recovery datastore. */
  volumes?: pulumi.Input<pulumi.Input<VpgVmVolumeArgs>[]>;
  /** Per-VM overrides of the VPG's journal; only what is declared is managed. */
  journal?: pulumi.Input<VpgVmJournalArgs>;
}

export interface VpgBootGroupArgs {
  /** Group name, referenced by vms[].bootGroup. */
  name: pulumi.Input<string>;
  /** Delay after this group boots. Default: 0. */
  bootDelaySeconds?: pulumi.Input<number>;
}

/** Runs before recovery. */
export interface VpgScriptArgs {
  /** Path of the script on the ZVM host. */
  command: pulumi.Input<string>;
  /** Arguments passed to the script. */
  parameters?: pulumi.Input<string>;
  /** Seconds before the script is considered failed. Default: 300. */
  timeoutSeconds?: pulumi.Input<number>;
}

/** Scripts run on the recovery ZVM around recovery operations. */
export interface VpgScriptingArgs {
  /** Runs before recovery. */
  preRecovery?: pulumi.Input<VpgScriptArgs>;
  /** Runs after recovery. */
  postRecovery?: pulumi.Input<VpgScriptArgs>;
}

/** A Zerto Virtual Protection Group, managed through the ZVM vpgSettings create/edit/commit flow. */
export interface VpgArgs {
  /** VPG name, unique on the ZVM (compared case-insensitively by Zerto). */
  name: pulumi.Input<string>;
  /** Site whose VMs are protected; the ZVM's local site when absent. Changing it replaces the resource. */
  protectedSiteId?: pulumi.Input<string>;
  /** Paired site the VMs are replicated to. Changing it replaces the resource. */
  recoverySiteId: pulumi.Input<string>;
  /** Target RPO in seconds; an alert is raised when it is not met. 300 when absent, unless serviceProfileId is set (the profile's then). */
  rpoSeconds?: pulumi.Input<number>;
  /** How far back the journal keeps checkpoints (1 hour to 30 days). 24 when absent, unless serviceProfileId is set (the profile's then). */
  journalHistoryHours?: pulumi.Input<number>;
  /** Recommended failover-test interval in minutes, any value a ZVM holds (the API's TestIntervalInMinutes is an integer, and a VPG made in the ZVM UI may hold a value no document lists). Known values: 0 (off), 43200, 131040 and 262080 (about 1, 3 and 6 months, documented); 9- and 12-month values differ between sources (393120, 525600; ZertoApiWrapper lists 294560 and 252600). 262080 when absent, unless serviceProfileId is set (the profile's then). */
  testIntervalMinutes?: pulumi.Input<number>;
  /** Bandwidth priority against other VPGs. Default: "Medium". */
  priority?: pulumi.Input<"Low" | "Medium" | "High">;
  /** Compress replication traffic. Default: true. */
  useWanCompression?: pulumi.Input<boolean>;
  /** Service profile whose settings the VPG follows. */
  serviceProfileId?: pulumi.Input<string>;
  /** Zerto Organization (ZORG) the VPG belongs to. */
  zorgId?: pulumi.Input<string>;
  /** Default recovery placement for every VM of the VPG. */
  recovery: pulumi.Input<VpgRecoveryArgs>;
  /** Recovery networks. */
  networks: pulumi.Input<VpgNetworksArgs>;
  /** Journal placement and size limits (MB or percent of the protected VMs' size); only what is declared is managed. */
  journal?: pulumi.Input<VpgJournalArgs>;
  /** The protected VMs (compared as a set). */
  vms: pulumi.Input<pulumi.Input<VpgVmArgs>[]>;
  /** Boot order groups; VMs start group by group, waiting bootDelaySeconds after each. */
  bootGroups?: pulumi.Input<pulumi.Input<VpgBootGroupArgs>[]>;
  /** Scripts run on the recovery ZVM around recovery operations. */
  scripting?: pulumi.Input<VpgScriptingArgs>;
  /** Keep the replica disks at the recovery site when the VPG is deleted. Default: false. */
  keepRecoveryVolumesOnDelete?: pulumi.Input<boolean>;
  /** On create, take over an existing object of the same identity instead of failing: true adopts it only when it already matches this declaration (otherwise the create is refused and lists each difference); "overwrite" adopts it and converges it to this declaration. Default: false. */
  adoptExisting?: pulumi.Input<false | true | "overwrite">;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. Changing it replaces the resource. */
  profile?: pulumi.Input<string>;
  /** Allow a change that replaces this resource. A replace deletes the protection first and creates the new one afterwards: until the new one has synced, the VMs are not protected. Without this opt-in such a change is refused at preview. On a VPG replace the recovery volumes are kept. */
  allowProtectionGapOnReplace?: pulumi.Input<boolean>;
  /** The state the program expects the VPG in. The ZVM reporting another state (paused, a failover or move under way, recovered) is drift that `pulumi refresh --expect-no-changes` fails on; Pulumi never changes the state. Set it to the state found to acknowledge it. A failover test runs beside replication and is no drift: testingFailover is read as protected. Default: "protected". */
  protectionState?: pulumi.Input<"protected" | "paused" | "testingFailover" | "failingOver" | "moving" | "recovered" | "deleting" | "unhealthy">;
  /** Report a VPG that does not meet its SLA (status NotMeetingSLA, RpoNotMeetingSLA or HistoryNotMeetingSLA) as protectionState 'unhealthy', so that the drift check fails on it too. */
  failDriftOnUnhealthy?: pulumi.Input<boolean>;
  /** On create, wait until the VPG meets its SLA (status MeetingSLA: initial sync done) before the resource is reported created, bounded by zerto:taskTimeoutSeconds. When the time runs out the VPG is still recorded in the stack and the operation fails naming its status. Only create waits. */
  waitForSla?: pulumi.Input<boolean>;
}

/** A VCDA replication policy: the limits that apply to the organizations assigned to it. A new policy gets the default of each setting the program leaves out. With `isDefault: true` the built-in `default` policy is managed instead: only the settings the program declares are set (every other one keeps its live value), it is never deleted, and removing it from the program restores the values the declared settings had before. */
export interface ReplicationPolicyArgs {
  /** Manage the built-in `default` policy instead of creating one. Default: false. Changing it replaces the resource. */
  isDefault?: pulumi.Input<boolean>;
  /** Unique, case-sensitive name. */
  displayName?: pulumi.Input<string>;
  /** Lowest RPO (minutes) a replication into the organization may use. Default for a new resource: 15. */
  minRpo?: pulumi.Input<number>;
  /** Maximum retained (rotated) instances per VM replication. Default for a new resource: 24. */
  maxInstances?: pulumi.Input<number>;
  /** Maximum stored (pinned) instances per VM replication. Default for a new resource: 0. */
  maxPinnedInstances?: pulumi.Input<number>;
  /** Maximum incoming replications per organization: -1 unlimited, 0 none. Default for a new resource: -1. */
  maxIncoming?: pulumi.Input<number>;
  /** Organizations may be the destination of protections. Default for a new resource: true. */
  allowIncomingProtections?: pulumi.Input<boolean>;
  /** Organizations may be the source of protections. Default for a new resource: true. */
  allowOutgoingProtections?: pulumi.Input<boolean>;
  /** Organizations may be the destination of migrations. Default for a new resource: true. */
  allowIncomingMigrations?: pulumi.Input<boolean>;
  /** Organizations may be the source of migrations. Default for a new resource: true. */
  allowOutgoingMigrations?: pulumi.Input<boolean>;
  /** Bandwidth cap in Mbit/s for on-premises to cloud traffic (0 = none). Default for a new resource: 0. */
  onpremDataCap?: pulumi.Input<number>;
  /** Organizations may set custom RPO, retention and quiescing instead of SLA profiles. Default for a new resource: true. */
  allowCustomSlaSettings?: pulumi.Input<boolean>;
  /** Organizations may configure notifications. Default for a new resource: true. */
  allowNotificationConfiguration?: pulumi.Input<boolean>;
  /** On create, take over an existing object of the same identity instead of failing: true adopts it only when it already matches this declaration (otherwise the create is refused and lists each difference); "overwrite" adopts it and converges it to this declaration. Default: false. */
  adoptExisting?: pulumi.Input<false | true | "overwrite">;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. Changing it replaces the resource. */
  profile?: pulumi.Input<string>;
}

/** Which replication policy a VCD organization gets. Deleting the assignment gives the organization the `default` policy back. */
export interface OrgPolicyAssignmentArgs {
  /** Short name of a local VCD organization. Changing it replaces the resource. */
  org: pulumi.Input<string>;
  /** The policy to assign ('default' or a policy id, e.g. a ReplicationPolicy's policyId). */
  policyId: pulumi.Input<string>;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. Changing it replaces the resource. */
  profile?: pulumi.Input<string>;
}

/** The replicated VM. */
export interface VmReplicationSourceArgs {
  /** 'vm' for a Cloud Director VM, 'vcVm' for an on-premises vCenter VM. Changing it replaces the resource. */
  type: pulumi.Input<"vm" | "vcVm">;
  /** Source site short name. Changing it replaces the resource. */
  site: pulumi.Input<string>;
  /** Cloud Director VM UUID ('vm') or vCenter moref such as vm-42 ('vcVm'). Changing it replaces the resource. */
  vmId: pulumi.Input<string>;
  /** Source vCenter UUID; only for type 'vcVm'. Changing it replaces the resource. */
  vcUuid?: pulumi.Input<string>;
  /** Device keys of disks left out of replication (e.g. 2001). */
  excludedDisks?: pulumi.Input<pulumi.Input<number>[]>;
}

/** On-premises seed VM (type 'vcVm'). */
export interface VmReplicationSeedVmArgs {
  vcId: pulumi.Input<string>;
  moId: pulumi.Input<string>;
}

/** Where the replica lives. */
export interface VmReplicationDestinationArgs {
  /** 'vcloud' (a Cloud Director vDC), 'vm' (seeded from a VCD VM), 'vc' (on-premises vCenter), 'vcVm' (seeded on-premises). Changing it replaces the resource. */
  type: pulumi.Input<"vcloud" | "vm" | "vc" | "vcVm">;
  /** Destination site short name. Changing it replaces the resource. */
  site: pulumi.Input<string>;
  /** Destination vDC id; for types 'vcloud' and 'vm'. Changing it replaces the resource. */
  vdc?: pulumi.Input<string>;
  /** Destination storage profile id ('*' = the vDC default); for types 'vcloud' and 'vm'. Changing it replaces the resource. */
  storageProfile?: pulumi.Input<string>;
  /** Powered-off VCD VM whose disks seed the replica (type 'vm'); the VM itself is deleted. */
  seedVmId?: pulumi.Input<string>;
  /** On-premises seed VM (type 'vcVm'). */
  seedVm?: pulumi.Input<VmReplicationSeedVmArgs>;
}

export interface VmReplicationRetentionRuleArgs {
  /** Instances kept by this rule. */
  numberOfInstances: pulumi.Input<number>;
  /** Minutes between kept instances. */
  distance: pulumi.Input<number>;
}

/** Which point-in-time instances are kept. */
export interface VmReplicationRetentionPolicyArgs {
  rules: pulumi.Input<pulumi.Input<VmReplicationRetentionRuleArgs>[]>;
}

/** Cloud Director startupInfo of the VM (of every VM, for a vApp replication). */
export interface ReplicationVmStartupInfoArgs {
  /** Boot order number. */
  order: pulumi.Input<number>;
  /** Start action. */
  startAction: pulumi.Input<"powerOn" | "none">;
  /** Start delay in milliseconds. */
  startDelay: pulumi.Input<number>;
  /** Stop action. */
  stopAction: pulumi.Input<"powerOff" | "guestShutdown">;
  /** Stop delay in milliseconds. */
  stopDelay: pulumi.Input<number>;
}

/** Source settings VCDA reconfigures in place (PATCH sourceReconfigure): the vApp the replicated VMs are imported into and the VMs' Cloud Director startup settings. */
export interface ReplicationSourceReconfigureArgs {
  /** 'vcVmReconfigure' or 'vcVappReconfigure', as the programming guide names them. */
  type: pulumi.Input<"vcVmReconfigure" | "vcVappReconfigure">;
  /** The name of the vApp into which the replicated VMs are imported. */
  vappName?: pulumi.Input<string>;
  /** Cloud Director startupInfo of the VM (of every VM, for a vApp replication). */
  vmStartupInfo?: pulumi.Input<ReplicationVmStartupInfoArgs>;
}

/** A VCDA VM replication (protection or migration). Reconfigurable settings update in place; source, destination, disk type and migration flag replace it. A replication failed over or migrated outside Pulumi is reported in its outputs and never deleted or recreated by the next update. */
export interface VmReplicationArgs {
  /** The replicated VM. */
  source: pulumi.Input<VmReplicationSourceArgs>;
  /** Where the replica lives. */
  destination: pulumi.Input<VmReplicationDestinationArgs>;
  /** Free text shown in VCDA. */
  description?: pulumi.Input<string>;
  /** RPO in minutes (required unless slaProfileId is set). */
  rpo?: pulumi.Input<number>;
  /** Traffic encryption and compression (ENCRYPTED_COMPRESSED when absent and no SLA profile). */
  dataConnectionType?: pulumi.Input<"PLAIN" | "ENCRYPTED" | "ENCRYPTED_COMPRESSED">;
  /** Quiesce the guest OS for instances (true when absent and no SLA profile). */
  quiesced?: pulumi.Input<boolean>;
  /** Which point-in-time instances are kept. */
  retentionPolicy?: pulumi.Input<VmReplicationRetentionPolicyArgs>;
  /** Provisioning of the replica disks. Default: "THIN". Changing it replaces the resource. */
  targetDiskType?: pulumi.Input<"THIN" | "PREALLOCATED" | "PREALLOCATED_ZEROS">;
  /** When the first sync starts, epoch milliseconds (now when absent or past). */
  initialSyncTime?: pulumi.Input<number>;
  /** A migration rather than a protection. Default: false. Changing it replaces the resource. */
  isMigration?: pulumi.Input<boolean>;
  /** SLA profile whose RPO, retention, quiescing and connection type apply instead of custom values. */
  slaProfileId?: pulumi.Input<string>;
  /** Source settings VCDA reconfigures in place (PATCH sourceReconfigure): the vApp the replicated VMs are imported into and the VMs' Cloud Director startup settings. */
  sourceReconfigure?: pulumi.Input<ReplicationSourceReconfigureArgs>;
  /** On create, take over an existing object of the same identity instead of failing: true adopts it only when it already matches this declaration (otherwise the create is refused and lists each difference); "overwrite" adopts it and converges it to this declaration. Default: false. */
  adoptExisting?: pulumi.Input<false | true | "overwrite">;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. Changing it replaces the resource. */
  profile?: pulumi.Input<string>;
  /** Allow a change that replaces this resource. A replace deletes the protection first and creates the new one afterwards: until the new one has synced, the VMs are not protected. Without this opt-in such a change is refused at preview. On a VPG replace the recovery volumes are kept. */
  allowProtectionGapOnReplace?: pulumi.Input<boolean>;
  /** The state the program expects the replication in. VCDA reporting another state (paused, failed over, migrated, reversed) is drift that `pulumi refresh --expect-no-changes` fails on; Pulumi never changes the state. Set it to the state found to acknowledge it. A failover test is no drift (VCDA keeps replicating): testingFailover, which acknowledged one, reads as replicating. Default: "replicating". */
  replicationState?: pulumi.Input<"replicating" | "paused" | "testingFailover" | "failedOver" | "migrated" | "reversed" | "unhealthy">;
  /** Report a replication whose overallHealth is not GREEN as replicationState 'unhealthy', so that the drift check fails on it too. */
  failDriftOnUnhealthy?: pulumi.Input<boolean>;
}

/** The replicated vApp (all its VMs). */
export interface VappReplicationSourceArgs {
  /** 'vapp' for a Cloud Director vApp. Changing it replaces the resource. */
  type: pulumi.Input<"vapp">;
  /** Source site short name. Changing it replaces the resource. */
  site: pulumi.Input<string>;
  /** Cloud Director vApp UUID. Changing it replaces the resource. */
  vappId: pulumi.Input<string>;
}

/** Where the replicas live. */
export interface VappReplicationDestinationArgs {
  /** 'vcloud' (a Cloud Director vDC). Changing it replaces the resource. */
  type: pulumi.Input<"vcloud">;
  /** Destination site short name. Changing it replaces the resource. */
  site: pulumi.Input<string>;
  /** Destination vDC id. Changing it replaces the resource. */
  vdc: pulumi.Input<string>;
  /** Destination storage profile id ('*' = the vDC default). Changing it replaces the resource. */
  storageProfile?: pulumi.Input<string>;
}

/** A VCDA vApp replication: every VM of a Cloud Director vApp replicated with one set of settings. Reconfigurable settings update in place; source, destination, disk type and migration flag replace it. A vApp replication failed over or migrated outside Pulumi is reported in its outputs and never deleted or recreated by the next update. */
export interface VappReplicationArgs {
  /** The replicated vApp (all its VMs). */
  source: pulumi.Input<VappReplicationSourceArgs>;
  /** Where the replicas live. */
  destination: pulumi.Input<VappReplicationDestinationArgs>;
  /** Free text shown in VCDA. */
  description?: pulumi.Input<string>;
  /** RPO in minutes (required unless slaProfileId is set). */
  rpo?: pulumi.Input<number>;
  /** Traffic encryption and compression (ENCRYPTED_COMPRESSED when absent and no SLA profile). */
  dataConnectionType?: pulumi.Input<"PLAIN" | "ENCRYPTED" | "ENCRYPTED_COMPRESSED">;
  /** Quiesce the guest OS for instances (true when absent and no SLA profile). */
  quiesced?: pulumi.Input<boolean>;
  /** Which point-in-time instances are kept. */
  retentionPolicy?: pulumi.Input<VmReplicationRetentionPolicyArgs>;
  /** Provisioning of the replica disks. Default: "THIN". Changing it replaces the resource. */
  targetDiskType?: pulumi.Input<"THIN" | "PREALLOCATED" | "PREALLOCATED_ZEROS">;
  /** When the first sync starts, epoch milliseconds (now when absent or past). */
  initialSyncTime?: pulumi.Input<number>;
  /** A migration rather than a protection. Default: false. Changing it replaces the resource. */
  isMigration?: pulumi.Input<boolean>;
  /** SLA profile whose RPO, retention, quiescing and connection type apply instead of custom values. */
  slaProfileId?: pulumi.Input<string>;
  /** Source settings VCDA reconfigures in place (PATCH sourceReconfigure): the vApp the replicated VMs are imported into and the VMs' Cloud Director startup settings. */
  sourceReconfigure?: pulumi.Input<ReplicationSourceReconfigureArgs>;
  /** On create, take over an existing object of the same identity instead of failing: true adopts it only when it already matches this declaration (otherwise the create is refused and lists each difference); "overwrite" adopts it and converges it to this declaration. Default: false. */
  adoptExisting?: pulumi.Input<false | true | "overwrite">;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. Changing it replaces the resource. */
  profile?: pulumi.Input<string>;
  /** Allow a change that replaces this resource. A replace deletes the protection first and creates the new one afterwards: until the new one has synced, the VMs are not protected. Without this opt-in such a change is refused at preview. On a VPG replace the recovery volumes are kept. */
  allowProtectionGapOnReplace?: pulumi.Input<boolean>;
  /** The state the program expects the vApp replication in (see VmReplication). Pulumi never changes the state. Default: "replicating". */
  replicationState?: pulumi.Input<"replicating" | "paused" | "testingFailover" | "failedOver" | "migrated" | "reversed" | "unhealthy">;
  /** Report a vApp replication with a VM whose overallHealth is not GREEN as replicationState 'unhealthy'. */
  failDriftOnUnhealthy?: pulumi.Input<boolean>;
}
