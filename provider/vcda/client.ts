import { settingNames, taskTimeoutMs, vcdaConnection, VcdaConnection } from "../connection";
import {
  ApiError, authenticatedHttp, HttpClient, HttpResponse, pollUntil, PollTimeoutError, ProductHttpOptions, RequestSpec, SessionCache, TaskWaitOptions, waitForTask,
} from "../http";
import { claim, createdAfter, ExistedBeforeError, FoundObject, sameIdentity } from "../ownership";
import { VcdaLogin, VcdaSession } from "./auth";
import { sameValue } from "../state";

export { replicationSite } from "./sites";

/** The VCDA 4.1 Cloud Service API objects this provider uses (field names as the programming guide has them). */

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
  destinationState: { recoveryInfo: { recoveryState: string }; currentRpoViolation?: number; latestInstance?: ReplicationInstance | null };
  /** Cloud Director startup settings of the VM (what sourceReconfigure.vmStartupInfo sets). */
  startupInfo?: VmStartupInfo;
  isPaused?: boolean;
  dataConnectionState: string;
  overallHealth: string;
  isReversed: boolean;
  isMigration: boolean;
  slaProfile: { id: string; displayName: string } | null;
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
 * A vApp replication as GET /vapp-replications/{id} returns it. The 4.1 guide has no vApp replication
 * requests (notes vcda.md A6: they exist per other VMware sources); the guide's VM replication object
 * names its vApp replication (`vappReplicationId`, `C4VAPP-…`) and source vApp (`source.vappId`,
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

export interface VcdaClientOptions extends ProductHttpOptions, TaskWaitOptions {
  /** How long to look for a replication whose creation VCDA did not confirm (default 30 s). */
  adoptionWindowMs?: number;
}

const MEDIA_TYPE = "application/vnd.vmware.h4-v4.1+json;charset=UTF-8";

/** One login per endpoint and identity per provider process, and one extension per remote site per session. */
const sessions = new SessionCache<VcdaSession>();

/** `code: msg` from a VCDA ApiError body. */
export function describeVcdaError(_status: number, body: unknown): string | undefined {
  const error = body as Partial<VcdaApiErrorBody> | undefined;
  if (!error || typeof error !== "object" || typeof error.msg !== "string") return undefined;
  return error.code ? `${error.code}: ${error.msg}` : error.msg;
}

const path = (...segments: string[]) => "/" + segments.map(encodeURIComponent).join("/");

const outcomeUnknown = (err: unknown): err is ApiError => err instanceof ApiError && err.outcomeUnknown;

/**
 * Policies, org assignments, VM replications and tasks over the shared HttpClient. Calls that may
 * have been applied without an answer (outcome unknown) are settled by looking at what exists,
 * never by sending them again.
 */
export class VcdaClient {
  private readonly http: HttpClient;
  private readonly taskTimeoutMs: number;
  private readonly login: VcdaLogin;

  /** Checks that the connection has what its login type needs, without any request. */
  constructor(readonly connection: VcdaConnection, private readonly options: VcdaClientOptions = {}) {
    this.taskTimeoutMs = options.taskTimeoutMs ?? taskTimeoutMs("vcda", connection);
    this.login = new VcdaLogin(connection);
    this.http = authenticatedHttp(connection, { product: "VCDA", describeError: describeVcdaError, defaultHeaders: { Accept: MEDIA_TYPE } },
      this.login, sessions, options);
  }

  // ---- policies

  async listPolicies(): Promise<VcdaPolicy[]> {
    return this.body({ method: "GET", path: "/policies" });
  }

  async getPolicy(id: string): Promise<VcdaPolicy | undefined> {
    const response = await this.http.request<VcdaPolicy>({ method: "GET", path: path("policies", id), accept: [404] });
    return response.status === 404 ? undefined : response.body;
  }

  /** The policy with this display name (names are unique in VCDA). */
  async findPolicyNamed(displayName: string): Promise<VcdaPolicy | undefined> {
    return (await this.listPolicies()).find((p) => p.displayName === displayName);
  }

  /**
   * Creates the policy. A policy of the same name that exists before our request is never ours
   * (ExistedBeforeError: the caller may adopt it explicitly); after an unanswered POST, the policy
   * found is ours only if it appeared after our look and has exactly the settings we sent.
   */
  async createPolicy(settings: PolicySettings): Promise<VcdaPolicy> {
    const existing = await this.findPolicyNamed(settings.displayName);
    if (existing) throw new ExistedBeforeError(describePolicy(existing), existing, "choose another displayName");
    try {
      return await this.body({ method: "POST", path: "/policies", json: settings });
    } catch (err) {
      if (!outcomeUnknown(err)) throw err;
      const found = await this.findPolicyNamed(settings.displayName);
      if (!found) {
        throw new Error(`${err.message}. VCDA did not confirm the creation and no policy named '${settings.displayName}' exists, so nothing was created: run again.`);
      }
      claim(describePolicy(found), [sameIdentity({ ...settings }, { ...found })],
        `${err.message}. It was left alone; check it in VCDA before running again.`);
      return found;
    }
  }

  /** PUT overwrites every property of the policy. */
  async replacePolicy(id: string, settings: PolicySettings): Promise<VcdaPolicy> {
    return this.body({ method: "PUT", path: path("policies", id), json: settings });
  }

  /** False when the policy was already gone. */
  async deletePolicy(id: string): Promise<boolean> {
    const response = await this.http.request({ method: "DELETE", path: path("policies", id), accept: [404] });
    return response.status !== 404;
  }

  async policyStatus(id: string): Promise<PolicyOrgStatus[]> {
    return this.body({ method: "GET", path: path("policies", id, "status") });
  }

  /** The assignment overwrites the org's previous one, so repeating it is harmless. */
  async assignPolicy(policyId: string, org: string): Promise<void> {
    await this.http.request({ method: "PATCH", path: path("policies", policyId, "orgs", org), idempotent: true });
  }

  // ---- VM replications

  async getReplication(id: string, site?: string): Promise<VcdaReplication | undefined> {
    return this.readOne("vm-replications", id, site);
  }

  /** Every replication this session may see (GET /vm-replications, all pages); for `generate`. */
  async listReplications(site?: string): Promise<VcdaReplication[]> {
    return (await this.allPages<VcdaReplication>({ method: "GET", path: "/vm-replications", query: { site } })) ?? [];
  }

  async findReplicationOfVm(vmId: string, site?: string): Promise<VcdaReplication | undefined> {
    return onlyOne(await this.replicationsOf<VcdaReplication>("vm-replications", { vmId, site }), `VM ${vmId}`);
  }

  /**
   * Starts the replication and waits for its start task; the result is the replication as VCDA
   * reports it. A replication of the VM that exists before our request is never ours: the start is
   * refused with ExistedBeforeError (the caller may adopt it explicitly).
   */
  async createReplication(spec: ReplicationSpec, site: string | undefined): Promise<VcdaReplication> {
    const look = await this.request<{ items: VcdaReplication[] }>({ method: "GET", path: "/vm-replications", query: { vmId: spec.source.vmId, site } });
    const existing = onlyOne(look.body.items, `VM ${spec.source.vmId}`);
    if (existing) throw new ExistedBeforeError(describeReplication(existing), existing, "remove it from VCDA, or this declaration");
    // the server's clock (Date header, RFC 9110 §6.6.1) so that task start times compare with it
    const requestedAt = Date.parse(look.header("date") ?? "") || Date.now();
    let task: VcdaTask;
    try {
      task = await this.body({ method: "POST", path: "/vm-replications", query: { site }, json: spec });
    } catch (err) {
      if (!outcomeUnknown(err)) throw err;
      return this.settleUnansweredStart(spec, site, requestedAt, err);
    }
    return this.replicationOf(await this.waitForTask(task), site);
  }

  /** The start task of a replication still running (the replication may not be readable until it ends). */
  async runningStart(id: string, site: string | undefined): Promise<VcdaTask | undefined> {
    const start = await this.latestTask(id, "start", site);
    return start && taskInProgress(start) ? start : undefined;
  }

  /** A replication recorded while its start task ran: waits for that task, then reads it (undefined when it never came to be). */
  async finishPendingStart(id: string, site: string | undefined): Promise<VcdaReplication | undefined> {
    const start = await this.runningStart(id, site);
    if (!start) return undefined;
    await this.waitForTask(start);
    return this.getReplication(id, site);
  }

  async reconfigureReplication(id: string, site: string | undefined, spec: ReconfigureSpec): Promise<VcdaReplication> {
    return this.changeReplication(id, site, { method: "PATCH", path: path("vm-replications", id), query: { site }, json: spec },
      (live) => reconfigured(live, spec));
  }

  /** `keys` is the complete new set of excluded disks. */
  async setExcludedDisks(id: string, site: string | undefined, keys: number[]): Promise<VcdaReplication> {
    const wanted = [...keys].sort((a, b) => a - b);
    return this.changeReplication(id, site, { method: "PATCH", path: path("vm-replications", id, "disks"), query: { site }, json: wanted },
      (live) => sameValue([...live.settings.excludedDiskKeys].sort((a, b) => a - b), wanted));
  }

  /** Stops the replication (VCDA removes its replica disks); false when it was already gone. */
  async deleteReplication(id: string, site: string | undefined): Promise<boolean> {
    return this.deleteOne("vm-replications", id, site);
  }

  // ---- vApp replications (see VcdaVappReplication: endpoints per the notes, bodies as the guide's VM replication ones)

  async getVappReplication(id: string, site: string | undefined): Promise<VcdaVappReplication | undefined> {
    return this.readOne("vapp-replications", id, site);
  }

  /**
   * Starts the vApp replication and waits for its start task. One that exists for the vApp before our
   * request is never ours (ExistedBeforeError; the caller may adopt it explicitly). An unanswered POST
   * is not settled by guessing: without a documented task or creation time to prove it ours, the error
   * says so and the next run finds the replication as existing (adoptable only with adoptExisting).
   */
  async createVappReplication(spec: VappReplicationSpec, site: string | undefined): Promise<VcdaVappReplication> {
    const existing = onlyOne(await this.replicationsOf<VcdaVappReplication>("vapp-replications", { vappId: spec.source.vappId, site }), `vApp ${spec.source.vappId}`);
    if (existing) throw new ExistedBeforeError(describeVappReplication(existing), existing, "remove it from VCDA, or this declaration");
    let task: VcdaTask;
    try {
      task = await this.body({ method: "POST", path: "/vapp-replications", query: { site }, json: spec });
    } catch (err) {
      if (!outcomeUnknown(err)) throw err;
      throw new Error(`${err.message}. VCDA did not confirm the vApp replication of ${spec.source.vappId}; it may exist now. `
        + "Check it in VCDA: remove it and run again, or adopt it with adoptExisting.");
    }
    return this.vappReplicationOf(await this.waitForTask(task), site);
  }

  async reconfigureVappReplication(id: string, site: string | undefined, spec: ReconfigureSpec): Promise<VcdaVappReplication> {
    const task = await this.body<VcdaTask>({ method: "PATCH", path: path("vapp-replications", id), query: { site }, json: spec });
    return this.vappReplicationOf(await this.waitForTask(task), site);
  }

  /** Stops every VM replication of the vApp (VCDA removes their replica disks); false when it was already gone. */
  async deleteVappReplication(id: string, site: string | undefined): Promise<boolean> {
    return this.deleteOne("vapp-replications", id, site);
  }

  // ---- tasks

  /** Polls the task (adaptively) until it ends: only SUCCEEDED is success; FAILED or a timeout (naming the last state) throw a TaskError. */
  async waitForTask(task: VcdaTask): Promise<VcdaTask> {
    return waitForTask({
      product: "VCDA", taskId: task.id, operation: operationOf(task), current: task,
      read: () => this.body<VcdaTask>({ method: "GET", path: path("tasks", task.id), query: { site: task.site } }),
      outcome: (current) => {
        if (taskInProgress(current)) return "running";
        if (current.state === "SUCCEEDED") return "succeeded";
        const error = current.error;
        return { kind: "failed", reason: error ? `${error.msg} (${error.code})` : "the task failed without an error", code: error?.code };
      },
      runningState: "RUNNING",
      stateOf: (current) => String(current.state),
      timeoutMs: this.taskTimeoutMs,
      timeoutSettings: settingNames("vcda", "taskTimeoutSeconds"),
      whereToLook: `VCDA (GET /tasks/${task.id})`,
      poll: this.options,
    });
  }

  /** The newest task of a kind on a resource (GET /tasks filters by workflow type and resource). */
  async latestTask(resourceId: string, type: string, site: string | undefined): Promise<VcdaTask | undefined> {
    const page = await this.body<{ items: VcdaTask[] }>({ method: "GET", path: "/tasks", query: { resourceId, type, site, sort: "startTime-", limit: 1 } });
    return page.items[0];
  }

  // ---- internals

  private async body<T>(spec: RequestSpec): Promise<T> {
    return (await this.request<T>(spec)).body;
  }

  /** A request whose `site` is a remote cloud site goes out once the session is extended to that site. */
  private async request<T>(spec: RequestSpec): Promise<HttpResponse<T>> {
    const site = spec.query?.site;
    if (typeof site === "string") await this.authenticateAt(site);
    return this.http.request<T>(spec);
  }

  /**
   * An inventory read at `site`: a remote cloud site's is read only once the session is extended to
   * it (the guide requires it for operations on remote sites; a server may refuse reads too). An
   * on-premises site is never extended to, and neither is a site when GET /sites is not served.
   */
  private async inventoryRequest<T>(spec: RequestSpec): Promise<HttpResponse<T>> {
    const site = spec.query?.site;
    if (typeof site === "string" && (await this.isCloudSite(site))) await this.authenticateAt(site);
    return this.http.request<T>(spec);
  }

  private cloudSites?: Promise<Set<string> | undefined>;

  private async isCloudSite(site: string): Promise<boolean> {
    this.cloudSites ??= this.listSites().then((sites) => sites && new Set(sites.map((s) => s.site)));
    return (await this.cloudSites)?.has(site) ?? false;
  }

  /** The session of this connection (the one its next request uses), authenticated at `site`. */
  private async authenticateAt(site: string): Promise<void> {
    const session = await sessions.get(this.login.sessionKey, () => this.login.login(this.http));
    await this.login.extendTo(session, site, this.http);
  }

  private async readOne<T>(collection: string, id: string, site: string | undefined): Promise<T | undefined> {
    const response = await this.request<T>({ method: "GET", path: path(collection, id), query: { site }, accept: [404] });
    return response.status === 404 ? undefined : response.body;
  }

  private async replicationsOf<T = VcdaReplication>(collection: string, query: Record<string, string | undefined>): Promise<T[]> {
    return (await this.body<{ items: T[] }>({ method: "GET", path: `/${collection}`, query })).items;
  }

  private async deleteOne(collection: string, id: string, site: string | undefined): Promise<boolean> {
    const response = await this.request<VcdaTask>({ method: "DELETE", path: path(collection, id), query: { site }, accept: [404] });
    if (response.status === 404) return false;
    await this.waitForTask(response.body);
    return true;
  }

  private async vappReplicationOf(task: VcdaTask, site: string | undefined): Promise<VcdaVappReplication> {
    const result = task.result as Partial<VcdaVappReplication> | null;
    if (result && Array.isArray(result.vmReplications)) return result as VcdaVappReplication;
    const id = task.workflowInfo.resourceId;
    const live = id ? await this.getVappReplication(id, site) : undefined;
    if (!live) throw new Error(`VCDA task ${task.id} (${operationOf(task)}) succeeded but vApp replication ${id ?? "(no id)"} cannot be read back`);
    return live;
  }

  private async replicationOf(task: VcdaTask, site: string | undefined): Promise<VcdaReplication> {
    if (task.result && typeof task.result === "object" && "id" in task.result) return task.result as VcdaReplication;
    const id = task.workflowInfo.resourceId;
    const live = id ? await this.getReplication(id, site) : undefined;
    if (!live) throw new Error(`VCDA task ${task.id} (${operationOf(task)}) succeeded but replication ${id ?? "(no id)"} cannot be read back`);
    return live;
  }

  /**
   * After an unanswered POST: a replication of the VM found now is ours only with evidence that our
   * request made it: its start task began after our request (none existed when we looked just
   * before), and it replicates exactly what we sent (same VM, same source and destination).
   */
  private async settleUnansweredStart(spec: ReplicationSpec, site: string | undefined, requestedAt: number, cause: ApiError): Promise<VcdaReplication> {
    const vmId = spec.source.vmId;
    const windowMs = this.options.adoptionWindowMs ?? 30_000;
    const found = await pollUntil(() => this.findReplicationOfVm(vmId, site), {
      initialDelayMs: this.options.pollInitialDelayMs ?? 500, maxDelayMs: 5_000, timeoutMs: windowMs, what: `a replication of VM ${vmId}`,
    }).catch((err) => {
      if (err instanceof PollTimeoutError) return undefined;
      throw err;
    });
    if (!found) {
      throw new Error(`${cause.message}. VCDA did not confirm the replication and none exists for VM ${vmId} after ${Math.round(windowMs / 1000)}s, `
        + "so nothing was created: run again.");
    }
    const start = await this.latestTask(found.id, "start", site);
    claim(describeReplication(found), [
      createdAfter(requestedAt, start?.startTime, "its start task"),
      sameIdentity(identityOfSpec(spec), identityOfReplication(found)),
    ], `${cause.message}. It was left alone; check it in VCDA before running again.`);
    if (start) await this.waitForTask(start);
    return (await this.getReplication(found.id, site)) ?? found;
  }

  /** Sends a reconfigure request and waits for its task; an unanswered one is confirmed by re-reading the replication. */
  private async changeReplication(id: string, site: string | undefined, request: RequestSpec, applied: (live: VcdaReplication) => boolean): Promise<VcdaReplication> {
    let task: VcdaTask;
    try {
      task = await this.body(request);
    } catch (err) {
      if (!outcomeUnknown(err)) throw err;
      const running = await this.latestTask(id, "reconfigure", site);
      if (running && taskInProgress(running)) await this.waitForTask(running);
      const live = await this.getReplication(id, site);
      if (live && applied(live)) return live;
      throw new Error(`${err.message}. VCDA did not confirm the change and replication ${id} does not show it, so nothing was changed: run again.`);
    }
    return this.replicationOf(await this.waitForTask(task), site);
  }

  // ---- read-only look-ups (preflight). /sites and /inventory/* are not in the 4.1 guide (notes: they exist per
  // other sources; see simulator/vcda/lookups.ts), so a server that does not serve them answers undefined and
  // preflight skips that check instead of failing the preview.

  /** The base URL this client talks to (preflight caches answers per endpoint). */
  get endpoint(): string {
    return this.http.options.baseUrl;
  }

  /**
   * The on-premises sites paired to the cloud (GET /vc-sites, as vCAV.Community Get-vCAVCustomerSites
   * reads them): GET /sites lists only cloud sites. Undefined when the server does not serve it.
   */
  async listOnPremisesSites(): Promise<Array<{ site: string; description?: string; owner?: string | null }> | undefined> {
    const response = await this.http.request<Array<{ site: string; description?: string; owner?: string | null }>>({ method: "GET", path: "/vc-sites", accept: NOT_SERVED });
    if (NOT_SERVED.includes(response.status)) return undefined;
    return Array.isArray(response.body) ? response.body : [];
  }

  async listSites(): Promise<VcdaSite[] | undefined> {
    const response = await this.http.request<VcdaSite[]>({ method: "GET", path: "/sites", accept: NOT_SERVED });
    if (NOT_SERVED.includes(response.status)) return undefined;
    return Array.isArray(response.body) ? response.body : [];
  }

  async listOrgs(site?: string): Promise<Array<{ name: string }> | undefined> {
    return this.allPages({ method: "GET", path: "/inventory/orgs", query: { site } });
  }

  async listVdcs(site?: string): Promise<Array<{ id: string; name: string; org?: string }> | undefined> {
    return this.allPages({ method: "GET", path: "/inventory/vdcs", query: { site } });
  }

  /** The vDC's storage profiles; undefined when they cannot be listed (no such vDC, or the endpoint is not served). */
  async listStorageProfiles(vdcId: string, site?: string): Promise<Array<{ id: string; name: string }> | undefined> {
    const response = await this.inventoryRequest<Array<{ id: string; name: string }>>({ method: "GET", path: path("inventory", "vdcs", vdcId, "storage-profiles"), query: { site }, accept: NOT_SERVED });
    return NOT_SERVED.includes(response.status) ? undefined : response.body;
  }

  /** A site's VMs: Cloud Director VMs of a cloud site, vCenter VMs (id = moref, with vcUuid) of an on-premises one. */
  async listVms(site?: string): Promise<VcdaInventoryVm[] | undefined> {
    return this.allPages({ method: "GET", path: "/inventory/vms", query: { site } });
  }

  async listSlaProfiles(): Promise<VcdaSlaProfile[] | undefined> {
    return this.allPages({ method: "GET", path: "/sla-profiles" });
  }

  /** Every item of a paged list ({items, total}), 100 at a time; undefined when the server does not serve the list. */
  private async allPages<T>(spec: RequestSpec): Promise<T[] | undefined> {
    const items: T[] = [];
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const response = await this.inventoryRequest<{ items: T[]; total: number }>({ ...spec, query: { ...spec.query, offset, limit: PAGE_SIZE }, accept: NOT_SERVED });
      if (NOT_SERVED.includes(response.status)) return undefined;
      const page = response.body;
      items.push(...(page?.items ?? []));
      if (!page?.items?.length || items.length >= page.total) return items;
    }
  }
}

export function describePolicy(policy: VcdaPolicy): FoundObject {
  return { what: `VCDA replication policy '${policy.displayName}'`, id: policy.id };
}

export function describeReplication(live: VcdaReplication): FoundObject {
  return { what: `VCDA replication of VM ${live.vmName} (${live.vmId}) to ${live.destination.site}, owned by ${live.owner},`, id: live.id };
}

export function describeVappReplication(live: VcdaVappReplication): FoundObject {
  return { what: `VCDA replication of vApp ${live.source.vappName} (${live.source.vappId}) to ${live.destination.site}, owned by ${live.owner},`, id: live.id };
}

/** The one replication a look-up found; more than one cannot be told apart, so nothing is assumed to be the one meant. */
function onlyOne<T extends { id: string }>(items: T[], of: string): T | undefined {
  if (items.length > 1) {
    throw new Error(`VCDA lists ${items.length} replications of ${of} (${items.map((item) => item.id).join(", ")}); `
      + "Pulumi cannot tell which one is meant, so it neither creates nor adopts one. Remove the extra ones in VCDA.");
  }
  return items[0];
}

/** What makes a replication the one requested: the VM, and where it replicates from and to. */
function identityOfSpec(spec: ReplicationSpec): Record<string, unknown> {
  return { vmId: spec.source.vmId, sourceSite: spec.source.site, destinationSite: spec.destination.site, destinationVdc: spec.destination.vdc };
}

function identityOfReplication(live: VcdaReplication): Record<string, unknown> {
  return { vmId: live.vmId, sourceSite: live.source.site, destinationSite: live.destination.site, destinationVdc: live.destination.vdcId ?? undefined };
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

const PAGE_SIZE = 100;
/** Statuses that say an endpoint is not served at all. */
const NOT_SERVED = [404, 405, 501];

/** What a task does, e.g. "start on acme-web-01". */
function operationOf(task: VcdaTask): string {
  const { type, resourceName, resourceId } = task.workflowInfo;
  const subject = resourceName ?? resourceId;
  return `${type}${subject ? ` on ${subject}` : ""}`;
}

/** Whether a replication shows every setting a reconfigure request asked for. */
function reconfigured(live: VcdaReplication, spec: ReconfigureSpec): boolean {
  const settings = live.settings as unknown as Record<string, unknown>;
  return Object.entries(spec).every(([field, value]) => {
    if (field === "slaProfileId") return live.slaProfile?.id === value;
    if (field === "sourceReconfigure") return value.vmStartupInfo === undefined || sameValue(live.startupInfo, value.vmStartupInfo);
    return sameValue(settings[field], value);
  });
}

/** Builds a client for a connection; sessions are shared by every client of the same endpoint and identity. */
export function createVcdaClient(connection: VcdaConnection, options?: VcdaClientOptions): VcdaClient {
  return new VcdaClient(connection, options);
}

/** How a resource gets its client (a seam for tests): by the profile named in its inputs. */
export type VcdaClientFor = (profile?: string) => VcdaClient;

/** The VCDA client for a resource's connection: the default one, or the named profile. */
export function vcdaClientFor(profile?: string): VcdaClient {
  return createVcdaClient(vcdaConnection(profile));
}

/**
 * Whether a VCDA task is still going: every state but the guide's end states SUCCEEDED and FAILED,
 * so QUEUED (before RUNNING, as terraform-provider-vcda waits through it) and any state the guide
 * does not name keep the wait polling (docs/api-notes/first-contact.md).
 */
export function taskInProgress(task: VcdaTask): boolean {
  return task.state !== "SUCCEEDED" && task.state !== "FAILED";
}
