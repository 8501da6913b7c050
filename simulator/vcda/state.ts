import * as fs from "node:fs";
import bundledInventory from "./inventory.json";

/** The seeded, read-only world the simulator replicates between (simulator/vcda/inventory.json). */
export interface VcdaInventory {
  localSite: string;
  remoteSite: string;
  sites: Array<{ name: string; type: "vcloud" | "vcenter"; description?: string; vcUuid?: string; org?: string }>;
  orgs: Array<{ name: string }>;
  vdcs: Array<{ id: string; name: string; org: string; site: string; storageProfiles: Array<{ id: string; name: string }> }>;
  vms: InventoryVm[];
  vcVms: InventoryVcVm[];
  slaProfiles: SlaProfile[];
}

export interface Disk {
  key: number;
  sizeMb: number;
}

export interface InventoryVm {
  id: string;
  name: string;
  org: string;
  site: string;
  vdcId: string;
  vappId: string;
  vappName: string;
  computerName: string;
  powerState: string;
  disks: Disk[];
}

export interface InventoryVcVm {
  moref: string;
  vcUuid: string;
  name: string;
  site: string;
  powerState: string;
  disks: Disk[];
}

export interface RetentionPolicy {
  rules: Array<{ numberOfInstances: number; distance: number }>;
}

export interface SlaProfile {
  id: string;
  displayName: string;
  rpo: number;
  dataConnectionType: string;
  quiesced: boolean;
  retentionPolicy: RetentionPolicy;
}

export interface Policy {
  id: string;
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

export interface ApiError {
  code: string;
  msg: string;
  args: string[];
  stacktrace: string | null;
}

export interface ReplicationSettings {
  description: string;
  rpo: number;
  dataConnectionType: string;
  quiesced: boolean;
  retentionPolicy: RetentionPolicy;
  initialSyncTime: number;
  excludedDiskKeys: number[];
}

/** The VmReplication object exactly as the API returns it ("SingleVmReplicationInfo", docs/api-notes/vcda.md#vm-replications-the-object). */
export interface VmReplication {
  id: string;
  owner: string;
  vmId: string;
  vmName: string;
  computerName: string | null;
  vmDescription: string | null;
  source: { site: string; org: string | null; vdcId: string | null; vdcName: string | null; vappId: string | null; vappName: string | null };
  destination: { site: string; org: string | null; vdcId: string | null; vdcName: string | null; recoveredVappId: string | null };
  storageProfile: string | null;
  storageProfileName: string | null;
  isPaused: boolean;
  settings: ReplicationSettings;
  startupInfo: { order: number; startAction: string; startDelay: number; stopAction: string; stopDelay: number };
  sourceState: { state: string; progress: Record<string, number>; stateAge: number };
  destinationState: {
    currentRpoViolation: number;
    latestInstance: unknown;
    state: string;
    recoveryInfo: { vAppId: string | null; vcdVmId: string | null; type: string; recoveryState: string; testVm?: TestVmAddress };
    lastError: ApiError | null;
    stateAge: number;
    spaceRequirement: number;
    isMovingReplica: boolean;
  };
  dataConnectionState: string;
  overallHealth: string;
  lastUpdated: number;
  isReversed: boolean;
  isMigration: boolean;
  slaProfile: { id: string; displayName: string } | null;
  vappReplicationId: string;
}

/**
 * Simulator extension, not in the 4.1 guide (docs/api-notes/vcda.md#failover-tests-the-test-vm): where a
 * powered-on test VM answers, a listener on 127.0.0.1 that a drill's checks reach.
 */
export interface TestVmAddress {
  ipAddresses: string[];
  port: number | null;
  powerState: "POWERED_ON" | "POWERED_OFF";
}

/** Create-time inputs the API never returns but the simulator must remember. */
export interface ReplicationRecord {
  replication: VmReplication;
  sourceType: string;
  destinationType: string;
  vcUuid?: string;
  targetDiskType: string;
  /** Device keys of the replicated VM's disks, to validate excluded-disk changes. */
  diskKeys: number[];
  /** sourceReconfigure.vappName of the last PATCH (GET has no field for it). */
  vappName?: string;
  /** Point-in-time instances, oldest first (GET …/instances); the last is destinationState.latestInstance. */
  instances?: unknown[];
  /** The failover test in place: the instance it recovered and whether its VM was powered on. */
  test?: { instanceKey: string | null; poweredOn: boolean };
}

export interface Task {
  id: string;
  user: string;
  workflowInfo: { type: string; resourceType: string; resourceId: string | null; resourceName: string | null };
  progress: number;
  /** QUEUED before RUNNING as real appliances answer (terraform-provider-vcda waits through it); the 4.1 guide names only the other three: docs/api-notes/vcda.md#tasks. */
  state: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";
  lastUpdated: number;
  startTime: number;
  endTime: number;
  resultType: string | null;
  result: unknown;
  error: ApiError | null;
  warnings: unknown[];
  site: string;
}

export type TaskOutcome =
  | { kind: "succeed"; replicationId?: string; snapshot?: unknown }
  | { kind: "fail"; error: ApiError }
  | { kind: "stuck" }
  /** A slow task: its workflow runs (and its object appears) only when it ends, at `until` (simulated clock). */
  | { kind: "slow"; until: number };

export interface TaskRecord {
  task: Task;
  reads: number;
  outcome: TaskOutcome;
  sourceOrg: string | null;
  destinationOrg: string | null;
}

export interface TaskFault {
  mode: "fail" | "stuck" | "slow";
  code?: string;
  msg?: string;
  /** slow: how long the task runs. */
  durationMs?: number;
  /** Only tasks of this workflow type (e.g. "start"); any when absent. */
  type?: string;
  remaining: number;
}

/** Everything a client can change; persisted to `stateFile` when one is given. */
export interface VcdaData {
  policies: Policy[];
  /** Explicit org → policy assignments; an org without an entry has the `default` policy. */
  orgPolicies: Record<string, string>;
  replications: Record<string, ReplicationRecord>;
  tasks: Record<string, TaskRecord>;
}

export const DEFAULT_POLICY: Policy = {
  id: "default",
  displayName: "Default Policy",
  minRpo: 15,
  maxInstances: 24,
  maxPinnedInstances: 0,
  maxIncoming: 0,
  allowIncomingProtections: false,
  allowOutgoingProtections: false,
  allowIncomingMigrations: true,
  allowOutgoingMigrations: true,
  onpremDataCap: 0,
  allowCustomSlaSettings: true,
  allowNotificationConfiguration: true,
};

function emptyData(): VcdaData {
  return { policies: [{ ...DEFAULT_POLICY }], orgPolicies: {}, replications: {}, tasks: {} };
}

/** The bundled seed, or `file` when the caller brings its own inventory. */
export function loadInventory(file?: string): VcdaInventory {
  const text = file ? fs.readFileSync(file, "utf8") : JSON.stringify(bundledInventory);
  return JSON.parse(text) as VcdaInventory;
}

/** Mutable simulator state plus the lookups every route needs. */
export class VcdaStore {
  data: VcdaData;
  taskFaults: TaskFault[] = [];
  /** Run after a reset (the test VMs' listeners close). */
  readonly resetHooks: Array<() => void> = [];
  private dirty = false;

  constructor(readonly inventory: VcdaInventory, private readonly stateFile?: string) {
    this.data = stateFile && fs.existsSync(stateFile) ? (JSON.parse(fs.readFileSync(stateFile, "utf8")) as VcdaData) : emptyData();
  }

  reset(): void {
    this.data = emptyData();
    this.taskFaults = [];
    for (const hook of this.resetHooks) hook();
    this.changed();
  }

  changed(): void {
    this.dirty = true;
  }

  /** Writes the state file after a request that changed something (atomic rename, so a crash never truncates it). */
  saveIfChanged(): void {
    if (!this.dirty || !this.stateFile) return;
    this.dirty = false;
    const tmp = `${this.stateFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data, null, 2));
    fs.renameSync(tmp, this.stateFile);
  }

  site(name: string) {
    return this.inventory.sites.find((s) => s.name === name);
  }

  org(name: string) {
    return this.inventory.orgs.find((o) => o.name === name);
  }

  policy(id: string): Policy | undefined {
    return this.data.policies.find((p) => p.id === id);
  }

  policyOfOrg(org: string): Policy {
    return this.policy(this.data.orgPolicies[org] ?? "default") ?? this.policy("default")!;
  }

  /** Orgs whose policy is `policyId`: explicit assignments, or every unassigned org for `default`. */
  orgsOfPolicy(policyId: string): string[] {
    return this.inventory.orgs.map((o) => o.name).filter((org) => (this.data.orgPolicies[org] ?? "default") === policyId);
  }

  /** The API view of a policy: `orgs` counts explicit assignments, and is -1 for the default policy. */
  policyView(policy: Policy): Policy & { orgs: number } {
    return { ...policy, orgs: policy.id === "default" ? -1 : this.orgsOfPolicy(policy.id).length };
  }

  replications(): ReplicationRecord[] {
    return Object.values(this.data.replications);
  }
}
