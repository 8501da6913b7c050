/** The VCDA 4.1 Cloud Service API objects this provider uses (field names as on the wire: docs/api-notes/vcda.md#vm-replications-the-object). */

/** The id of the policy every organization without an assignment has (GET /policies lists it with orgs -1). */
export const DEFAULT_POLICY_ID = "default";

export const POLICY_FIELDS = [
  "displayName", "minRpo", "maxInstances", "maxPinnedInstances", "maxIncoming", "allowIncomingProtections",
  "allowOutgoingProtections", "allowIncomingMigrations", "allowOutgoingMigrations", "onpremDataCap",
  "allowCustomSlaSettings", "allowNotificationConfiguration",
] as const;

export interface PolicySettings {
  displayName: string;
  minRpo: number;
  maxInstances: number;
  maxPinnedInstances: number;
  maxIncoming: number;
  allowIncomingProtections: boolean;
  allowOutgoingProtections: boolean;
  allowIncomingMigrations: boolean;
  allowOutgoingMigrations: boolean;
  onpremDataCap: number;
  allowCustomSlaSettings: boolean;
  allowNotificationConfiguration: boolean;
}

export interface VcdaPolicy extends PolicySettings {
  id: string;
  /** Organizations assigned to the policy; -1 for the default policy. */
  orgs: number;
}

/** One organization of a policy in GET /policies/{id}/status. */
export interface PolicyOrgStatus {
  org: string;
  configuredReplications?: number;
  quotaViolation?: number;
  protectionViolation?: number;
  migrationViolation?: number;
  /** Ids of the VM replications whose RPO is below the policy's minRpo. */
  nonRpoCompliant?: string[];
  /** Ids of the VM replications that keep more instances than maxInstances. */
  nonInstancesCompliant?: string[];
}

export interface VcdaApiErrorBody {
  code: string;
  msg: string;
  args?: string[];
}

export interface VcdaTask {
  id: string;
  state: "RUNNING" | "SUCCEEDED" | "FAILED";
  site: string;
  /** Epoch milliseconds, the server's clock. */
  startTime?: number;
  workflowInfo: { type: string; resourceType: string; resourceId: string | null; resourceName: string | null };
  result: unknown;
  error: VcdaApiErrorBody | null;
}

export interface RetentionPolicy {
  rules: Array<{ numberOfInstances: number; distance: number }>;
}

/** A VmReplication as GET /vm-replications/{id} returns it (the fields the provider reads). */
export interface VcdaReplication {
  id: string;
  owner: string;
  vmId: string;
  vmName: string;
  source: { site: string; org: string | null };
  destination: { site: string; org: string | null; vdcId: string | null };
  storageProfile: string | null;
  settings: {
    description: string;
    rpo: number;
    dataConnectionType: string;
    quiesced: boolean;
    retentionPolicy: RetentionPolicy;
    initialSyncTime: number;
    excludedDiskKeys: number[];
  };
  destinationState: { recoveryInfo: RecoveryInfo; currentRpoViolation?: number; latestInstance?: ReplicationInstance | null };
  /** Cloud Director startup settings of the VM (what sourceReconfigure.vmStartupInfo sets). */
  startupInfo?: VmStartupInfo;
  isPaused?: boolean;
  dataConnectionState: string;
  overallHealth: string;
  isReversed: boolean;
  isMigration: boolean;
  slaProfile: { id: string; displayName: string } | null;
  /** The vApp replication this VM's belongs to (`C4VAPP-…`), when it is one of a vApp's. */
  vappReplicationId?: string | null;
}

/** Where the replication was recovered to: NOT_STARTED, TEST (a failover test in place) or COMPLETE. */
export interface RecoveryInfo {
  recoveryState: string;
  /** The recovered (or test) VM in Cloud Director. */
  vcdVmId?: string | null;
  /**
   * Not in the 4.1 guide: where a test VM answers, as the simulator reports it
   * (docs/api-notes/vcda.md#failover-tests-the-test-vm); absent on an appliance.
   */
  testVm?: { ipAddresses?: string[]; port?: number | null; powerState?: string };
}

/** The body of POST …/failover-test (docs/api-notes/vcda.md#failover-tests): the latest instance unless `instanceId` names one. */
export interface FailoverTestSettings {
  type: "vcloud" | "vcenter";
  instanceId?: string;
  sync: boolean;
  powerOn: boolean;
}

/** A point-in-time instance (GET …/instances, destinationState.latestInstance). */
export interface ReplicationInstance {
  key: string;
  sequenceNumber: number;
  timestamp: number;
  quiescedType?: string;
}

export interface VmStartupInfo {
  order: number;
  startAction: string;
  startDelay: number;
  stopAction: string;
  stopDelay: number;
}

/**
 * A vApp replication as GET /vapp-replications/{id} returns it (docs/api-notes/vcda.md#vapp-replications):
 * the 4.1 API has no vApp replication requests, later VMware sources do; the VM replication object names
 * its vApp replication (`vappReplicationId`, `C4VAPP-…`) and source vApp (`source.vappId`,
 * `source.vappName`). The fields read here are that vApp identity and its VM replications.
 */
export interface VcdaVappReplication {
  id: string;
  owner: string;
  source: { site: string; org: string | null; vappId: string; vappName: string };
  destination: { site: string; org: string | null; vdcId: string | null };
  storageProfile: string | null;
  isMigration: boolean;
  vmReplications: VcdaReplication[];
}

/** The body of POST /vapp-replications: the VM replication body with the vApp as source. */
export type VappReplicationSpec = Omit<ReplicationSpec, "source" | "destination"> & {
  source: { type: "vapp"; site: string; vappId: string };
  destination: { type: "vcloud"; site: string; vdc: string; storageProfile?: string };
};

/** The body of POST /vm-replications. */
export interface ReplicationSpec {
  source: { type: string; site: string; vmId: string; vcUuid?: string; excludedDisks?: number[] };
  destination: { type: string; site: string; vdc?: string; storageProfile?: string; seedVmId?: string; seedVm?: { vcId: string; moId: string } };
  description?: string;
  rpo?: number;
  dataConnectionType?: string;
  quiesced?: boolean;
  retentionPolicy?: RetentionPolicy;
  targetDiskType?: string;
  initialSyncTime?: number;
  isMigration?: boolean;
  slaProfileId?: string;
}

/** The body of PATCH /vm-replications/{id}: omitted fields stay as they are. */
export interface ReconfigureSpec {
  description?: string;
  rpo?: number;
  dataConnectionType?: string;
  quiesced?: boolean;
  retentionPolicy?: RetentionPolicy;
  slaProfileId?: string;
  sourceReconfigure?: { type: string; vappName?: string; vmStartupInfo?: VmStartupInfo };
}

/** A VM as GET /inventory/vms lists it. */
export interface VcdaInventoryVm {
  id: string;
  name: string;
  org?: string;
  vdcId?: string;
  vappId?: string;
  vappName?: string;
  vcUuid?: string;
  powerState?: string;
}

/** An SLA profile as GET /sla-profiles lists it (id and displayName as in a replication's slaProfile). */
export interface VcdaSlaProfile {
  id: string;
  displayName: string;
  rpo?: number;
  dataConnectionType?: string;
  quiesced?: boolean;
  retentionPolicy?: RetentionPolicy;
}

/** A site as GET /sites lists it. */
export interface VcdaSite {
  site: string;
  description?: string;
  isLocal?: boolean;
}

/** `code: msg` from a VCDA ApiError body. */
export function describeVcdaError(_status: number, body: unknown): string | undefined {
  const error = body as Partial<VcdaApiErrorBody> | undefined;
  if (!error || typeof error !== "object" || typeof error.msg !== "string") return undefined;
  return error.code ? `${error.code}: ${error.msg}` : error.msg;
}

/** What a task does, e.g. "start on acme-web-01". */
export function describeTask(task: VcdaTask): string {
  const { type, resourceName, resourceId } = task.workflowInfo;
  const subject = resourceName ?? resourceId;
  return `${type}${subject ? ` on ${subject}` : ""}`;
}
