/**
 * The ZVM REST API objects this provider reads and writes, PascalCase as on the wire (the 10.0 U6
 * OpenAPI document names them …Api: docs/api-notes/zerto.md#vpg-settings-object-shape). Every field is optional where a ZVM may omit it (older ZVMs
 * send no StatusDescription, a draft of a new VPG has no VpgIdentifier); fields the provider does
 * not model are not listed, and pass through untouched where a section is sent back.
 */

/** A link to another object (ResourceLink): its identifier, and where to GET it. */
export interface ZertoLink {
  identifier?: string;
  href?: string;
  rel?: string | null;
  type?: string;
}

// ---- VPGs (GET /v1/vpgs, /v1/vpgs/{id}: VpgApi)

export interface ZertoVpg {
  VpgIdentifier: string;
  VpgName: string;
  /** VpgVisualStatusApi, VpgVisualSubStatusApi. */
  Status?: number;
  SubStatus?: number;
  StatusDescription?: string;
  SubStatusDescription?: string;
  ProgressPercentage?: number;
  ActualRPO?: number;
  ConfiguredRpoSeconds?: number;
  /** VpgPriorityApi: 0 Low, 1 Medium, 2 High, or its name. */
  Priority?: number | string;
  LastTest?: string | null;
  ProtectedSite?: ZertoLink;
  ProtectedSiteName?: string;
  RecoverySite?: ZertoLink;
  RecoverySiteName?: string;
  /** The ZORG's name ("" for none); its identifier is in Zorg. */
  OrganizationName?: string;
  ServiceProfile?: ZertoLink | null;
  ServiceProfileIdentifier?: string | null;
  Zorg?: ZertoLink | null;
  HistoryStatusApi?: { ActualHistoryInMinutes?: number; ConfiguredHistoryInMinutes?: number };
  /** RunningFailOverTestApi is set while a failover test runs (only its presence is read). */
  ActiveProcessesApi?: { RunningFailOverTestApi?: object | null } | null;
}

/**
 * VpgApi as any ZVM generation answers it (docs/api-notes/first-contact.md): 7.x names the sites in
 * SourceSite and TargetSite, 10.x may give the VPG's id only in Link.
 */
export type ZertoVpgAnswer = Omit<ZertoVpg, "VpgIdentifier"> & { VpgIdentifier?: string; Link?: ZertoLink; SourceSite?: string; TargetSite?: string };

// ---- VPG settings drafts (/v1/vpgSettings: VpgSettingsApi)

export interface VpgSettings {
  VpgSettingsIdentifier?: string;
  /** Absent (or null) in the draft of a new VPG. */
  VpgIdentifier?: string | null;
  Basic?: VpgSettingsBasic;
  Recovery?: VpgSettingsRecovery;
  Networks?: VpgSettingsNetworks;
  Journal?: VpgSettingsJournal;
  Scratch?: VpgSettingsJournal;
  Scripting?: VpgSettingsScripting;
  BootGroups?: { BootGroups?: VpgSettingsBootGroup[] };
  Vms?: VpgSettingsVm[];
}

export interface VpgSettingsBasic {
  Name?: string;
  VpgType?: string;
  RpoInSeconds?: number;
  TestIntervalInMinutes?: number;
  JournalHistoryInHours?: number;
  Priority?: "Low" | "Medium" | "High";
  UseWanCompression?: boolean;
  ServiceProfileIdentifier?: string | null;
  ZorgIdentifier?: string | null;
  ProtectedSiteIdentifier?: string | null;
  RecoverySiteIdentifier?: string;
}

/** The VPG's default placement at the recovery site. */
export interface VpgSettingsRecovery {
  DefaultHostIdentifier?: string | null;
  DefaultHostClusterIdentifier?: string | null;
  DefaultDatastoreIdentifier?: string | null;
  DefaultDatastoreClusterIdentifier?: string | null;
  DefaultFolderIdentifier?: string | null;
  ResourcePoolIdentifier?: string | null;
  VCD?: { OrgVdcIdentifier?: string | null } | null;
}

export interface VpgSettingsNetworks {
  Failover?: VpgSettingsNetwork;
  FailoverTest?: VpgSettingsNetwork;
}

export interface VpgSettingsNetwork {
  Hypervisor?: { DefaultNetworkIdentifier?: string | null };
  VCD?: VpgSettingsVcdNetwork | null;
}

export interface VpgSettingsVcdNetwork {
  DefaultRecoveryOrgVdcNetworkIdentifier?: string | null;
  CopyNATRules?: string | null;
  IsEnableGuestCustomization?: boolean | null;
  Mapping?: VpgSettingsVcdNetworkMapping[];
}

export interface VpgSettingsVcdNetworkMapping {
  ProtectedOrgVdcNetworkIdentifier?: string | null;
  RecoveryOrgVdcNetworkIdentifier?: string | null;
  ReverseTestOrgVdcNetworkIdentifier?: string | null;
}

/** The journal (and scratch) limits: by size or by share of the VM's storage. */
export interface VpgSettingsJournalLimitation {
  HardLimitInMB?: number;
  HardLimitInPercent?: number;
  WarningThresholdInMB?: number;
  WarningThresholdInPercent?: number;
}

/** A journal or scratch section, of the VPG or of one VM. */
export interface VpgSettingsJournal {
  DatastoreIdentifier?: string | null;
  DatastoreClusterIdentifier?: string | null;
  Limitation?: VpgSettingsJournalLimitation;
}

export interface VpgSettingsScript {
  Command?: string | null;
  Parameters?: string | null;
  TimeoutInSeconds?: number;
}

export interface VpgSettingsScripting {
  PreRecovery?: VpgSettingsScript | null;
  PostRecovery?: VpgSettingsScript | null;
}

export interface VpgSettingsBootGroup {
  BootGroupIdentifier: string;
  Name: string;
  BootDelayInSeconds?: number;
}

export interface VpgSettingsVm {
  VmIdentifier: string;
  Recovery?: VpgSettingsVmRecovery;
  BootGroupIdentifier?: string | null;
  Journal?: VpgSettingsJournal;
  Scratch?: VpgSettingsJournal;
  Volumes?: VpgSettingsVmVolume[];
  Nics?: VpgSettingsVmNic[];
}

/** A VM's placement: the ZVM stores the VPG's defaults in every VM. */
export interface VpgSettingsVmRecovery {
  HostIdentifier?: string | null;
  HostClusterIdentifier?: string | null;
  DatastoreIdentifier?: string | null;
  DatastoreClusterIdentifier?: string | null;
  FolderIdentifier?: string | null;
  ResourcePoolIdentifier?: string | null;
  VCD?: { StoragePolicyIdentifier?: string | null } | null;
}

export interface VpgSettingsVmVolume {
  VolumeIdentifier: string;
  Datastore?: { DatastoreIdentifier?: string | null; DatastoreClusterIdentifier?: string | null; IsThin?: boolean | null };
  Preseed?: { DatastoreIdentifier?: string | null; Path?: string | null } | null;
}

export interface VpgSettingsVmNic {
  NicIdentifier: string;
  Failover?: VpgSettingsVmNicNetwork;
  FailoverTest?: VpgSettingsVmNicNetwork;
}

export interface VpgSettingsVmNicNetwork {
  Hypervisor?: VpgSettingsVmNicHypervisor;
  VCD?: VpgSettingsVmNicVcd | null;
}

export interface VpgSettingsVmNicHypervisor {
  NetworkIdentifier?: string | null;
  ShouldReplaceMacAddress?: boolean;
  ShouldReplaceIpConfiguration?: boolean;
  DnsSuffix?: string | null;
  IpConfig?: {
    IsDhcp?: boolean;
    StaticIp?: string | null;
    SubnetMask?: string | null;
    Gateway?: string | null;
    PrimaryDns?: string | null;
    SecondaryDns?: string | null;
  } | null;
}

export interface VpgSettingsVmNicVcd {
  IsPrimary?: boolean | null;
  IsConnected?: boolean | null;
  IsResetMacAddress?: boolean | null;
  IpMode?: string | null;
  IpAddress?: string | null;
  RecoveryOrgVdcNetworkIdentifier?: string | null;
}

// ---- tasks (/v1/tasks: TaskApi)

export interface ZertoTask {
  TaskIdentifier?: string;
  Type?: string;
  Started?: string;
  Completed?: string | null;
  CompleteReason?: string | null;
  Status?: { State?: number; Progress?: number };
  RelatedEntities?: { Vpgs?: Array<{ identifier?: string }> };
  Link?: { identifier?: string };
}

/** TaskStatusEnumApi (0 FirstUnusedValue … 4 Failed, 5 Stopped, 6 Completed, 7 Cancelling: docs/api-notes/zerto.md#tasks). */
export const TASK_STATE = { InProgress: 1, Failed: 4, Stopped: 5, Completed: 6, Cancelling: 7 } as const;

// ---- protected VMs (GET /v1/vms: VmApi, one row per VM and VPG)

export interface ZertoProtectedVm {
  VmIdentifier: string;
  VmName?: string;
  VpgIdentifier?: string;
  VpgName?: string;
  Status?: number;
  SubStatus?: number;
  ActualRPO?: number;
  JournalUsedStorageMb?: number;
  LastTest?: string | null;
  ProtectedSite?: ZertoLink;
  RecoverySite?: ZertoLink;
}

// ---- sites and inventory

/** GET /v1/localsite (LocalSiteApi); SiteIdentifier on older ZVMs, Link.identifier on all. */
export interface ZertoLocalSite {
  SiteIdentifier?: string;
  Link?: ZertoLink;
  SiteName?: string;
  Location?: string;
  Version?: string;
  IsReplicationToSelfEnabled?: boolean;
}

/** GET /v1/peersites (PeerSiteApi). */
export interface ZertoPeerSite {
  SiteIdentifier?: string;
  Link?: ZertoLink;
  PeerSiteName?: string;
  PairingStatus?: number | string;
  SiteType?: string;
  Location?: string;
  Version?: string;
}

/**
 * A row of GET /v1/virtualizationsites/{siteId}/{kind}: a VM, host, datastore, network, org vDC…;
 * each kind has its own identifier and name fields (the look-ups name which).
 */
export interface ZertoSiteObject {
  [field: string]: unknown;
  VmIdentifier?: string;
  VmName?: string;
  Identifier?: string;
  OrgVdcName?: string;
  NetworkIdentifier?: string;
  VirtualizationNetworkName?: string;
  StoragePolicyIdentifier?: string;
  StoragePolicyName?: string;
  IsEnabled?: boolean;
}

/** GET /v1/serviceprofiles (ServiceProfileApi). */
export interface ZertoServiceProfile {
  ServiceProfileIdentifier?: string;
  Link?: ZertoLink;
  ServiceProfileName?: string;
  Description?: string;
}

/** GET /v1/zorgs. */
export interface ZertoZorg {
  ZorgIdentifier?: string;
  ZorgName?: string;
}
