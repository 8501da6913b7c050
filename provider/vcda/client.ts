import { settingNames, taskTimeoutMs, vcdaConnection, VcdaConnection } from "../connection";
import { ApiError, pollUntil, processListings, refusedWith, PollTimeoutError, ProductHttpOptions, RequestSpec, TaskWaitOptions, waitForTask } from "../http";
import { claim, createdAfter, ExistedBeforeError, sameIdentity } from "../ownership";
import { sameValue } from "../state";
import type {
  FailoverTestSettings, PolicyOrgStatus, PolicySettings, ReconfigureSpec, ReplicationInstance, ReplicationSpec, VappReplicationSpec, VcdaPolicy, VcdaReplication,
  VcdaTask, VcdaVappReplication,
} from "./models";
import { describeTask } from "./models";
import { path, VcdaInventoryClient } from "./inventoryClient";
import { describePolicy, describeReplication, describeVappReplication, identityOfReplication, identityOfSpec, onlyOne, reconfigured } from "./foundObjects";

export interface VcdaClientOptions extends ProductHttpOptions, TaskWaitOptions {
  /** How long to look for a replication whose creation VCDA did not confirm (default 30 s). */
  adoptionWindowMs?: number;
}

const outcomeUnknown = (err: unknown): err is ApiError => err instanceof ApiError && err.outcomeUnknown;

/**
 * Policies, org assignments, VM replications and tasks over the shared HttpClient. Calls that may
 * have been applied without an answer (outcome unknown) are settled by looking at what exists,
 * never by sending them again.
 */
export class VcdaClient extends VcdaInventoryClient {
  private readonly taskTimeoutMs: number;

  /** Checks that the connection has what its login type needs, without any request. */
  constructor(connection: VcdaConnection, private readonly options: VcdaClientOptions = {}) {
    super(connection, options);
    this.taskTimeoutMs = options.taskTimeoutMs ?? taskTimeoutMs("vcda", connection);
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

  /** The replications into (`destinationOrg`) or out of (`sourceOrg`) an organization (documented filters of GET /vm-replications). */
  async listReplicationsOfOrg(org: string, side: "destinationOrg" | "sourceOrg"): Promise<VcdaReplication[]> {
    return (await this.allPages<VcdaReplication>({ method: "GET", path: "/vm-replications", query: { [side]: org } })) ?? [];
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

  // ---- vApp replications (see VcdaVappReplication and docs/api-notes/vcda.md#vapp-replications: bodies as the VM replication ones)

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
    const task = await this.patchAtEitherSite({ method: "PATCH", path: path("vapp-replications", id), query: { site }, json: spec },
      async () => (await this.getVappReplication(id, site))?.source.site);
    return this.vappReplicationOf(await this.waitForTask(task), site);
  }

  /** Stops every VM replication of the vApp (VCDA removes their replica disks); false when it was already gone. */
  async deleteVappReplication(id: string, site: string | undefined): Promise<boolean> {
    return this.deleteOne("vapp-replications", id, site);
  }

  // ---- failover tests (docs/api-notes/vcda.md#failover-tests): `collection` is vm-replications or vapp-replications

  /** The replication's point-in-time instances (GET /vm-replications/{id}/instances). */
  async listInstances(id: string, site: string | undefined): Promise<ReplicationInstance[]> {
    return this.body({ method: "GET", path: path("vm-replications", id, "instances"), query: { site } });
  }

  /** Starts a failover test (POST …/failover-test) or cleans one up (DELETE) and waits for its task. */
  async failoverTestTask(collection: string, id: string, site: string | undefined, start?: FailoverTestSettings): Promise<VcdaTask> {
    const request: RequestSpec = start ? { method: "POST", path: path(collection, id, "failover-test"), query: { site }, json: start }
      : { method: "DELETE", path: path(collection, id, "failover-test"), query: { site } };
    return this.waitForTask(await this.body<VcdaTask>(request));
  }

  // ---- tasks

  /** Polls the task (adaptively) until it ends: only SUCCEEDED is success; FAILED or a timeout (naming the last state) throw a TaskError. */
  async waitForTask(task: VcdaTask): Promise<VcdaTask> {
    return waitForTask({
      product: "VCDA", taskId: task.id, operation: describeTask(task), current: task,
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
    if (!live) throw new Error(`VCDA task ${task.id} (${describeTask(task)}) succeeded but vApp replication ${id ?? "(no id)"} cannot be read back`);
    return live;
  }

  private async replicationOf(task: VcdaTask, site: string | undefined): Promise<VcdaReplication> {
    if (task.result && typeof task.result === "object" && "id" in task.result) return task.result as VcdaReplication;
    const id = task.workflowInfo.resourceId;
    const live = id ? await this.getReplication(id, site) : undefined;
    if (!live) throw new Error(`VCDA task ${task.id} (${describeTask(task)}) succeeded but replication ${id ?? "(no id)"} cannot be read back`);
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
      task = await this.patchAtEitherSite(request, async () => (await this.getReplication(id, site))?.source.site);
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

  /**
   * A replication PATCH with the guide's `site` (the destination cloud site); when the server refuses
   * that form (400 or 404: nothing was applied) it is sent once with the replication's source site, as
   * vCAV.Community Set-vCAVReplication sends it (docs/api-notes/first-contact.md#site-of-a-replication-patch).
   * An unanswered PATCH is never sent again here: its caller settles it by reading.
   */
  private async patchAtEitherSite(request: RequestSpec, sourceSite: () => Promise<string | undefined>): Promise<VcdaTask> {
    try {
      return await this.body<VcdaTask>(request);
    } catch (err) {
      if (!refusedWith(err, FORM_REFUSED)) throw err;
      const other = await sourceSite().catch(() => undefined);
      if (other === undefined || other === request.query?.site) throw err;
      try {
        return (await this.inventoryRequest<VcdaTask>({ ...request, query: { ...request.query, site: other } })).body;
      } catch (retryErr) {
        if (!refusedWith(retryErr, FORM_REFUSED)) throw retryErr;
        throw new ApiError(`${err.message}; sent again with the source site '${other}' (as vCAV.Community does): ${retryErr.message}`,
          "http", err.method, err.path, err.status, err.body);
      }
    }
  }
}

/** Statuses that prove a request was refused before anything was applied, so another form of it may be sent. */
const FORM_REFUSED = [400, 404];

/** Builds a client for a connection; sessions are shared by every client of the same endpoint and identity. */
export function createVcdaClient(connection: VcdaConnection, options?: VcdaClientOptions): VcdaClient {
  return new VcdaClient(connection, options);
}

/** How a resource gets its client (a seam for tests): by the profile named in its inputs. */
export type VcdaClientFor = (profile?: string) => VcdaClient;

/** The VCDA client for a resource's connection: the default one, or the named profile. */
export function vcdaClientFor(profile?: string): VcdaClient {
  return createVcdaClient(vcdaConnection(profile), { listings: processListings });
}

/**
 * Whether a VCDA task is still going: every state but the guide's end states SUCCEEDED and FAILED,
 * so QUEUED (before RUNNING, as terraform-provider-vcda waits through it) and any state the guide
 * does not name keep the wait polling (docs/api-notes/first-contact.md).
 */
export function taskInProgress(task: VcdaTask): boolean {
  return task.state !== "SUCCEEDED" && task.state !== "FAILED";
}
