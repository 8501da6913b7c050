// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.

/** Recovery into VMware Cloud Director (Recovery.VCD): set it, and no vSphere placement, when the recovery site is a Cloud Director site. */
export interface VpgRecoveryVcd {
  /** Org vDC the VMs recover into. */
  orgVdcId: string;
}

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
  folderId?: string;
  /** Recovery resource pool. */
  resourcePoolId?: string;
  /** Recovery into VMware Cloud Director (Recovery.VCD): set it, and no vSphere placement, when the recovery site is a Cloud Director site. */
  vcd?: VpgRecoveryVcd;
}

export interface VpgVcdNetworkMapping {
  /** Network at the protected site. */
  protectedOrgVdcNetworkId: string;
  /** Org vDC network at the recovery site. */
  recoveryOrgVdcNetworkId: string;
  /** Network for tests of the reverse direction (after a failover). */
  reverseTestOrgVdcNetworkId?: string;
}

/** Cloud Director networks (a VPG recovering into Cloud Director). */
export interface VpgVcdNetwork {
  /** Org vDC network a NIC joins when no mapping names its protected network. */
  defaultRecoveryOrgVdcNetworkId?: string;
  /** Protected network to recovery org vDC network mappings. */
  mappings?: VpgVcdNetworkMapping[];
  /** Let Cloud Director customize the guest OS of recovered VMs. */
  enableGuestCustomization?: boolean;
  /** How NAT rules are copied to the recovery org vDC network (CopyNATRules, a string the ZVM defines). */
  copyNatRules?: string;
}

/** Failover and move networks at a Cloud Director recovery site (instead of failoverNetworkId). */
export interface VpgNetworkSettings {
  /** Cloud Director networks (a VPG recovering into Cloud Director). */
  vcd: VpgVcdNetwork;
}

/** Recovery networks. */
export interface VpgNetworks {
  /** Network used at failover and move. */
  failoverNetworkId?: string;
  /** Network used by failover tests. */
  failoverTestNetworkId?: string;
  /** Failover and move networks at a Cloud Director recovery site (instead of failoverNetworkId). */
  failover?: VpgNetworkSettings;
  /** Failover-test networks at a Cloud Director recovery site (instead of failoverTestNetworkId). */
  failoverTest?: VpgNetworkSettings;
}

/** Journal placement and size limits (MB or percent of the protected VMs' size); only what is declared is managed. */
export interface VpgJournal {
  /** Datastore for the journal; when absent, the VPG's is kept as the ZVM has it (for a VM: the VPG's journal datastore, else the VM's recovery datastore). */
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

/** The VM at a Cloud Director recovery site (Vms[].Recovery.VCD). */
export interface VpgVmRecoveryVcd {
  /** Storage policy of the org vDC for the VM's disks. */
  storagePolicyId: string;
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
  /** The VM at a Cloud Director recovery site (Vms[].Recovery.VCD). */
  vcd?: VpgVmRecoveryVcd;
}

/** The NIC at failover and move. */
export interface VpgVmVcdNicNetwork {
  /** Org vDC network the NIC joins. */
  recoveryOrgVdcNetworkId?: string;
  /** Cloud Director IP allocation mode of the NIC (IpMode, a string the ZVM defines). */
  ipMode?: string;
  /** IP address of the NIC. */
  ipAddress?: string;
  /** Whether this is the VM's primary NIC. */
  primary?: boolean;
  /** Whether the NIC is connected. */
  connected?: boolean;
  /** Give the NIC a new MAC address. */
  resetMacAddress?: boolean;
}

export interface VpgVmVcdNic {
  /** NIC as the ZVM names it, such as 'Network adapter 1'. */
  nicId: string;
  /** The NIC at failover and move. */
  failover?: VpgVmVcdNicNetwork;
  /** The NIC in failover tests. */
  failoverTest?: VpgVmVcdNicNetwork;
}

/** Re-IP of the recovered NIC (ZVM ShouldReplaceIpConfiguration and IpConfig); compared only when declared. */
export interface VpgNicIpConfig {
  /** keep: no re-IP (the guest keeps its configuration); dhcp: re-IP by DHCP; static: re-IP to `ip`/`subnetMask`. */
  mode: "keep" | "dhcp" | "static";
  /** Static IP address (mode static). */
  ip?: string;
  /** Subnet mask (mode static). */
  subnetMask?: string;
  /** Default gateway (mode static). */
  gateway?: string;
  /** Primary DNS server. */
  primaryDns?: string;
  /** Secondary DNS server. */
  secondaryDns?: string;
  /** DNS suffix (ZVM DnsSuffix). */
  dnsSuffix?: string;
}

/** At failover and move. */
export interface VpgNicSettings {
  /** Network the recovered NIC connects to; the VPG's network for this operation when absent. */
  networkId?: string;
  /** Give the recovered NIC a new MAC address (ZVM ShouldReplaceMacAddress); compared only when declared. */
  replaceMacAddress?: boolean;
  /** Re-IP of the recovered NIC (ZVM ShouldReplaceIpConfiguration and IpConfig); compared only when declared. */
  ipConfig?: VpgNicIpConfig;
}

export interface VpgVmNic {
  /** The NIC as the ZVM names it, e.g. 'Network adapter 1'. */
  nicId: string;
  /** At failover and move. */
  failover?: VpgNicSettings;
  /** In failover tests. */
  failoverTest?: VpgNicSettings;
}

/** A pre-seeded disk at the recovery site to start the initial sync from (ZVM Preseed). Used only when the VM joins the VPG; never compared afterwards. */
export interface VpgVmVolumePreseed {
  /** Datastore holding the pre-seeded disk. */
  datastoreId: string;
  /** Path of the disk on that datastore, e.g. 'preseed/web01.vmdk'. */
  path: string;
}

export interface VpgVmVolume {
  /** The volume as the ZVM names it, e.g. 'scsi:0:0'. */
  volumeId: string;
  /** Recovery datastore of the volume (set this or datastoreClusterId). */
  datastoreId?: string;
  /** Recovery datastore cluster of the volume (set this or datastoreId). */
  datastoreClusterId?: string;
  /** Thin-provisioned recovery disk; compared only when declared. */
  thin?: boolean;
  /** A pre-seeded disk at the recovery site to start the initial sync from (ZVM Preseed). Used only when the VM joins the VPG; never compared afterwards. */
  preseed?: VpgVmVolumePreseed;
}

/** Per-VM overrides of the VPG's journal; only what is declared is managed. */
export interface VpgVmJournal {
  /** Datastore for the journal; when absent, the VPG's is kept as the ZVM has it (for a VM: the VPG's journal datastore, else the VM's recovery datastore). */
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

export interface VpgVm {
  /** VM id on the protected site: '<protected vCenter GUID>.vm-NN'. */
  vmId: string;
  /** Name of one of `bootGroups` (the built-in 'Default' group when absent). */
  bootGroup?: string;
  /** Per-VM overrides of the VPG's recovery placement. */
  recovery?: VpgVmRecovery;
  /** Per-NIC settings at a Cloud Director recovery site (Vms[].Nics[].Failover.VCD and FailoverTest.VCD); only the NICs and fields listed are managed. */
  vcdNics?: VpgVmVcdNic[];
  /** Per-NIC recovery settings, by NIC identifier as the ZVM names it; NICs not listed follow the VPG's networks. */
  nics?: VpgVmNic[];
  /** Per-volume recovery storage, by volume identifier as the ZVM names it (e.g. 'scsi:0:0'); volumes not listed follow the VM's recovery datastore. */
  volumes?: VpgVmVolume[];
  /** Per-VM overrides of the VPG's journal; only what is declared is managed. */
  journal?: VpgVmJournal;
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
  /** Target RPO in seconds; an alert is raised when it is not met. 300 when absent, unless serviceProfileId is set (the profile's then). */
  rpoSeconds?: number;
  /** How far back the journal keeps checkpoints (1 hour to 30 days). 24 when absent, unless serviceProfileId is set (the profile's then). */
  journalHistoryHours?: number;
  /** Recommended failover-test interval in minutes, any value a ZVM holds (the API's TestIntervalInMinutes is an integer, and a VPG made in the ZVM UI may hold a value no document lists). Known values: 0 (off), 43200, 131040 and 262080 (about 1, 3 and 6 months, documented); 9- and 12-month values differ between sources (393120, 525600; ZertoApiWrapper lists 294560 and 252600). 262080 when absent, unless serviceProfileId is set (the profile's then). */
  testIntervalMinutes?: number;
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
  /** Journal placement and size limits (MB or percent of the protected VMs' size); only what is declared is managed. */
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
  /** The state the program expects the VPG in. The ZVM reporting another state (paused, a failover or move under way, recovered) is drift that `pulumi refresh --expect-no-changes` fails on; Pulumi never changes the state. Set it to the state found to acknowledge it. A failover test runs beside replication and is no drift: testingFailover is read as protected. Default: "protected". */
  protectionState?: "protected" | "paused" | "testingFailover" | "failingOver" | "moving" | "recovered" | "deleting" | "unhealthy";
  /** Report a VPG that does not meet its SLA (status NotMeetingSLA, RpoNotMeetingSLA or HistoryNotMeetingSLA) as protectionState 'unhealthy', so that the drift check fails on it too. */
  failDriftOnUnhealthy?: boolean;
  /** On create, wait until the VPG meets its SLA (status MeetingSLA: initial sync done) before the resource is reported created, bounded by zerto:taskTimeoutSeconds. When the time runs out the VPG is still recorded in the stack and the operation fails naming its status. Only create waits. */
  waitForSla?: boolean;
}

export interface VpgProtectedVm {
  /** The VM identifier (serverid.moref). */
  vmId?: string;
  /** The VM name. */
  name?: string;
  /** Status of the VPG as the VM sees it (Initializing, MeetingSLA, NotMeetingSLA, …). */
  status?: string;
  /** Sub-status (None, InitialSync, …). */
  subStatus?: string;
  /** Seconds since the VM's last checkpoint (-1 when not calculated yet). */
  actualRpoSeconds?: number | null;
  /** Journal storage the VM uses, in MB. */
  journalUsedMb?: number | null;
  /** When the VM was last failover-tested; null when never. */
  lastTest?: string | null;
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
  /** When the VPG's last failover test ran (GET /v1/vpgs/{id} LastTest); null when never tested. */
  lastTest?: string | null;
  /** Each protected VM as the Protected VMs API (GET /v1/vms) reports it, sorted by vmId. Read by every refresh and update; a create fills it only with waitForSla (until then every VM is in its initial sync), so it is null after a plain create until the first refresh. */
  protectedVms?: VpgProtectedVm[] | null;
  /** The protected site's name as the ZVM reports it (VpgApi ProtectedSiteName); null when it reports none. */
  protectedSiteName?: string | null;
  /** The recovery site's name as the ZVM reports it (VpgApi RecoverySiteName); null when it reports none. */
  recoverySiteName?: string | null;
}

/** A VCDA replication policy: the limits that apply to the organizations assigned to it. A new policy gets the default of each setting the program leaves out. With `isDefault: true` the built-in `default` policy is managed instead: only the settings the program declares are set (every other one keeps its live value), it is never deleted, and removing it from the program restores the values the declared settings had before. */
export interface ReplicationPolicyInputs {
  /** Manage the built-in `default` policy instead of creating one. Default: false. Changing it replaces the resource. */
  isDefault?: boolean;
  /** Unique, case-sensitive name. */
  displayName?: string;
  /** Lowest RPO (minutes) a replication into the organization may use. Default for a new resource: 15. */
  minRpo?: number;
  /** Maximum retained (rotated) instances per VM replication. Default for a new resource: 24. */
  maxInstances?: number;
  /** Maximum stored (pinned) instances per VM replication. Default for a new resource: 0. */
  maxPinnedInstances?: number;
  /** Maximum incoming replications per organization: -1 unlimited, 0 none. Default for a new resource: -1. */
  maxIncoming?: number;
  /** Organizations may be the destination of protections. Default for a new resource: true. */
  allowIncomingProtections?: boolean;
  /** Organizations may be the source of protections. Default for a new resource: true. */
  allowOutgoingProtections?: boolean;
  /** Organizations may be the destination of migrations. Default for a new resource: true. */
  allowIncomingMigrations?: boolean;
  /** Organizations may be the source of migrations. Default for a new resource: true. */
  allowOutgoingMigrations?: boolean;
  /** Bandwidth cap in Mbit/s for on-premises to cloud traffic (0 = none). Default for a new resource: 0. */
  onpremDataCap?: number;
  /** Organizations may set custom RPO, retention and quiescing instead of SLA profiles. Default for a new resource: true. */
  allowCustomSlaSettings?: boolean;
  /** Organizations may configure notifications. Default for a new resource: true. */
  allowNotificationConfiguration?: boolean;
  /** On create, take over an existing object of the same identity instead of failing: true adopts it only when it already matches this declaration (otherwise the create is refused and lists each difference); "overwrite" adopts it and converges it to this declaration. Default: false. */
  adoptExisting?: false | true | "overwrite";
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. Changing it replaces the resource. */
  profile?: string;
}

export interface PolicyOrgCompliance {
  org?: string;
  configuredReplications?: number;
  quotaViolation?: number;
  protectionViolation?: number;
  migrationViolation?: number;
  nonRpoCompliant?: string[];
  nonInstancesCompliant?: string[];
}

/** Outputs of ReplicationPolicy beyond its inputs. */
export interface ReplicationPolicyOutputs extends ReplicationPolicyInputs {
  /** Policy id (`default` for the built-in policy). */
  policyId?: string;
  /** Number of organizations assigned to the policy (-1 for the default policy). */
  orgs?: number;
  /** With isDefault: the built-in policy's values before Pulumi managed it, put back when the resource is deleted. */
  restoreValues?: Record<string, unknown> | null;
  /** The organizations whose live replications this policy's limits do not admit, from VCDA's compliance status (`GET /policies/{id}/status`): per organization its configured replications, by how many the incoming quota is exceeded, the protections and migrations the policy no longer allows, and the ids of the replications below `minRpo` (`nonRpoCompliant`) or above `maxInstances` (`nonInstancesCompliant`). Empty when every replication complies: organizations in compliance are left out, so a tenant's new compliant replication is no change of the policy. Null when the session may not read the status (it needs a provider administrator). */
  compliance?: PolicyOrgCompliance[] | null;
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

/** Cloud Director startupInfo of the VM (of every VM, for a vApp replication). */
export interface ReplicationVmStartupInfo {
  /** Boot order number. */
  order: number;
  /** Start action. */
  startAction: "powerOn" | "none";
  /** Start delay in milliseconds. */
  startDelay: number;
  /** Stop action. */
  stopAction: "powerOff" | "guestShutdown";
  /** Stop delay in milliseconds. */
  stopDelay: number;
}

/** Source settings VCDA reconfigures in place (PATCH sourceReconfigure): the vApp the replicated VMs are imported into and the VMs' Cloud Director startup settings. */
export interface ReplicationSourceReconfigure {
  /** 'vcVmReconfigure' or 'vcVappReconfigure', as the programming guide names them. */
  type: "vcVmReconfigure" | "vcVappReconfigure";
  /** The name of the vApp into which the replicated VMs are imported. */
  vappName?: string;
  /** Cloud Director startupInfo of the VM (of every VM, for a vApp replication). */
  vmStartupInfo?: ReplicationVmStartupInfo;
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
  /** Source settings VCDA reconfigures in place (PATCH sourceReconfigure): the vApp the replicated VMs are imported into and the VMs' Cloud Director startup settings. */
  sourceReconfigure?: ReplicationSourceReconfigure;
  /** On create, take over an existing object of the same identity instead of failing: true adopts it only when it already matches this declaration (otherwise the create is refused and lists each difference); "overwrite" adopts it and converges it to this declaration. Default: false. */
  adoptExisting?: false | true | "overwrite";
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. Changing it replaces the resource. */
  profile?: string;
  /** Allow a change that replaces this resource. A replace deletes the protection first and creates the new one afterwards: until the new one has synced, the VMs are not protected. Without this opt-in such a change is refused at preview. On a VPG replace the recovery volumes are kept. */
  allowProtectionGapOnReplace?: boolean;
  /** The state the program expects the replication in. VCDA reporting another state (paused, failed over, migrated, reversed) is drift that `pulumi refresh --expect-no-changes` fails on; Pulumi never changes the state. Set it to the state found to acknowledge it. A failover test is no drift (VCDA keeps replicating): testingFailover, which acknowledged one, reads as replicating. Default: "replicating". */
  replicationState?: "replicating" | "paused" | "testingFailover" | "failedOver" | "migrated" | "reversed" | "unhealthy";
  /** Report a replication whose overallHealth is not GREEN as replicationState 'unhealthy', so that the drift check fails on it too. */
  failDriftOnUnhealthy?: boolean;
}

/** The newest point-in-time instance (destinationState.latestInstance); null until the initial sync completes. */
export interface ReplicationInstance {
  key?: string;
  sequenceNumber?: number;
  /** Epoch milliseconds. */
  timestamp?: number;
  quiescedType?: string;
}

/** Outputs of VmReplication beyond its inputs. */
export interface VmReplicationOutputs extends VmReplicationInputs {
  /** The replication id (C4-…). */
  replicationId?: string;
  /** Name of the replicated VM. */
  vmName?: string;
  /** Owning user. */
  owner?: string;
  /** NOT_STARTED or COMPLETE (failed over or migrated); a failover test in place (VCDA's TEST) reads as NOT_STARTED. */
  recoveryState?: string;
  /** The replication was reversed outside Pulumi. */
  isReversed?: boolean;
  /** Replication traffic state (OK, SYNCING, …). */
  dataConnectionState?: string;
  /** Health as VCDA shows it (GREEN, YELLOW, RED). */
  overallHealth?: string;
  /** Why Pulumi leaves the replication alone, when it was failed over, migrated or reversed outside Pulumi. */
  drift?: string | null;
  latestInstance?: ReplicationInstance | null;
  /** Minutes by which the RPO is currently violated (destinationState.currentRpoViolation; -1 = none). */
  currentRpoViolation?: number;
}

/** The replicated vApp (all its VMs). */
export interface VappReplicationSource {
  /** 'vapp' for a Cloud Director vApp. Changing it replaces the resource. */
  type: "vapp";
  /** Source site short name. Changing it replaces the resource. */
  site: string;
  /** Cloud Director vApp UUID. Changing it replaces the resource. */
  vappId: string;
}

/** Where the replicas live. */
export interface VappReplicationDestination {
  /** 'vcloud' (a Cloud Director vDC). Changing it replaces the resource. */
  type: "vcloud";
  /** Destination site short name. Changing it replaces the resource. */
  site: string;
  /** Destination vDC id. Changing it replaces the resource. */
  vdc: string;
  /** Destination storage profile id ('*' = the vDC default). Changing it replaces the resource. */
  storageProfile?: string;
}

/** A VCDA vApp replication: every VM of a Cloud Director vApp replicated with one set of settings. Reconfigurable settings update in place; source, destination, disk type and migration flag replace it. A vApp replication failed over or migrated outside Pulumi is reported in its outputs and never deleted or recreated by the next update. */
export interface VappReplicationInputs {
  /** The replicated vApp (all its VMs). */
  source: VappReplicationSource;
  /** Where the replicas live. */
  destination: VappReplicationDestination;
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
  /** Source settings VCDA reconfigures in place (PATCH sourceReconfigure): the vApp the replicated VMs are imported into and the VMs' Cloud Director startup settings. */
  sourceReconfigure?: ReplicationSourceReconfigure;
  /** On create, take over an existing object of the same identity instead of failing: true adopts it only when it already matches this declaration (otherwise the create is refused and lists each difference); "overwrite" adopts it and converges it to this declaration. Default: false. */
  adoptExisting?: false | true | "overwrite";
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. Changing it replaces the resource. */
  profile?: string;
  /** Allow a change that replaces this resource. A replace deletes the protection first and creates the new one afterwards: until the new one has synced, the VMs are not protected. Without this opt-in such a change is refused at preview. On a VPG replace the recovery volumes are kept. */
  allowProtectionGapOnReplace?: boolean;
  /** The state the program expects the vApp replication in (see VmReplication). Pulumi never changes the state. Default: "replicating". */
  replicationState?: "replicating" | "paused" | "testingFailover" | "failedOver" | "migrated" | "reversed" | "unhealthy";
  /** Report a vApp replication with a VM whose overallHealth is not GREEN as replicationState 'unhealthy'. */
  failDriftOnUnhealthy?: boolean;
}

export interface VappReplicationVm {
  replicationId?: string;
  vmId?: string;
  vmName?: string;
  recoveryState?: string;
  dataConnectionState?: string;
  overallHealth?: string;
  currentRpoViolation?: number;
  /** The newest point-in-time instance (destinationState.latestInstance); null until the initial sync completes. */
  latestInstance?: ReplicationInstance | null;
}

/** Outputs of VappReplication beyond its inputs. */
export interface VappReplicationOutputs extends VappReplicationInputs {
  /** The vApp replication id (C4VAPP-…). */
  replicationId?: string;
  /** Name of the replicated vApp. */
  vappName?: string;
  /** Owning user. */
  owner?: string;
  /** The worst health of its VM replications (GREEN, YELLOW, RED). */
  overallHealth?: string;
  /** The largest current RPO violation of its VM replications in minutes (-1 = none). */
  currentRpoViolation?: number;
  /** Each VM replication of the vApp as VCDA reports it. */
  vms?: VappReplicationVm[];
  /** Why Pulumi leaves the vApp replication alone, when it was failed over, migrated or reversed outside Pulumi. */
  drift?: string | null;
}
