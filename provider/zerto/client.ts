import { randomUUID } from "node:crypto";
import { settingNames, taskTimeoutMs, ZertoConnection, zertoConnection } from "../connection";
import { ApiError, authenticatedHttp, HttpClient, pollUntil, PollTimeoutError, processListings, ProductHttpOptions, SessionCache, TaskWaitOptions, waitForTask } from "../http";
import { describeZertoError, ZertoLogin, ZertoSession } from "./auth";
import { identityKey, VpgIdentity } from "./intents";
import {
  TASK_STATE, VpgSettings, VpgSettingsVm, ZertoLocalSite, ZertoPeerSite, ZertoProtectedVm, ZertoServiceProfile, ZertoSiteObject, ZertoTask, ZertoVpg, ZertoVpgAnswer, ZertoZorg,
} from "./models";
import { describeTaskState, newestFirst, relatesTo, taskEnded, taskIdOf } from "./tasks";
import { vpgOfAnyVersion } from "./vpgAnswer";

/** VpgApi Status 1 and 7; the provider relies only on 0, 1 and 7 because later values differ between sources (docs/api-notes/zerto.md#vpg-status-and-substatus). */
const VPG_STATUS_MEETING_SLA = 1;
const VPG_STATUS_DELETING = 7;

/**
 * What a commit is about, so that a commit without an answer can be reconciled by looking: a new
 * VPG is recognised by exactly the identity it was sent with, never by its name alone.
 */
export type CommitTarget = { kind: "create"; name: string; identity: VpgIdentity } | { kind: "update"; vpgId: string; name: string };

/** A commit whose answer was lost and whose effect could not be found: the draft is gone, the VPG may or may not come. */
export class CommitOutcomeUnknownError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommitOutcomeUnknownError";
  }
}

export interface ZertoClientOptions extends ProductHttpOptions, TaskWaitOptions {
  /** How long a committed VPG may take to appear in (or leave) /v1/vpgs (default 2 min). */
  listingTimeoutMs?: number;
  /** Refresh a Keycloak token this long before it expires (default 30 s). */
  tokenRefreshMarginMs?: number;
}

/** One login per endpoint and identity per provider process, shared by every resource. */
const sessions = new SessionCache<ZertoSession>();

/**
 * The ZVM REST API as the VPG resource needs it. HTTP, retries and re-authentication live in the
 * shared HttpClient, the login flavours in ./auth.ts, task waiting in http/tasks.ts; this layer adds
 * the ZVM's calls and the reconciliation of non-idempotent calls whose outcome is unknown.
 */
export class ZertoClient {
  readonly http: HttpClient;
  private readonly taskTimeoutMs: number;

  constructor(readonly connection: ZertoConnection, private readonly options: ZertoClientOptions = {}) {
    this.taskTimeoutMs = options.taskTimeoutMs ?? taskTimeoutMs("zerto", connection);
    this.http = authenticatedHttp(connection, { product: "Zerto", describeError: describeZertoError },
      new ZertoLogin(connection, options.tokenRefreshMarginMs), sessions, options);
  }

  // ---- sites and VPGs ----

  async localSite(): Promise<ZertoLocalSite> {
    return (await this.http.request<ZertoLocalSite>({ method: "GET", path: "/v1/localsite" })).body;
  }

  async listVpgs(name?: string): Promise<ZertoVpg[]> {
    const response = await this.http.request<ZertoVpgAnswer[]>({ method: "GET", path: "/v1/vpgs", query: { name } });
    return Array.isArray(response.body) ? response.body.map(vpgOfAnyVersion) : [];
  }

  /** The VPG, or undefined when the ZVM does not know (or no longer lists) it. */
  async getVpg(vpgId: string): Promise<ZertoVpg | undefined> {
    const response = await this.http.request<ZertoVpgAnswer>({ method: "GET", path: `/v1/vpgs/${encodeURIComponent(vpgId)}`, accept: [404] });
    return response.status === 404 ? undefined : vpgOfAnyVersion(response.body);
  }

  /** The VPG named exactly `name` (the API's filter is case-insensitive, the provider is not). */
  async findVpgByName(name: string): Promise<ZertoVpg | undefined> {
    return (await this.listVpgs(name)).find((v) => v.VpgName === name);
  }

  /** Waits out the listing lag after a commit: the VPG by id, or by exact name when the id is not known. */
  async waitForVpgListed(by: { vpgId?: string; name: string }): Promise<ZertoVpg> {
    return pollUntil(() => (by.vpgId ? this.getVpg(by.vpgId) : this.findVpgByName(by.name)), {
      ...this.pollOptions(),
      timeoutMs: this.options.listingTimeoutMs ?? 120_000,
      what: `VPG '${by.name}' to be listed by the ZVM`,
    });
  }

  /**
   * Starts deleting a VPG: its task id, "gone" when it no longer exists, or "deleting" when a
   * deletion is already under way. A repeated DELETE whose first answer was lost is refused while
   * the VPG is Deleting, with a status that differs between ZVMs (400, or a 5xx): so any refusal is
   * settled by reading the VPG's state, not by its status code.
   */
  async deleteVpg(vpgId: string, keepRecoveryVolumes: boolean): Promise<string | "gone" | "deleting"> {
    try {
      const response = await this.http.request({
        method: "DELETE",
        path: `/v1/vpgs/${encodeURIComponent(vpgId)}`,
        json: { Force: false, KeepRecoveryVolumes: keepRecoveryVolumes },
        accept: [404],
      });
      return response.status === 404 ? "gone" : taskIdOf(response.body);
    } catch (err) {
      if (!(err instanceof ApiError && err.kind === "http")) throw err;
      const vpg = await this.getVpg(vpgId);
      if (!vpg) return "gone";
      if (vpg.Status === VPG_STATUS_DELETING) return "deleting";
      throw err;
    }
  }

  /**
   * Waits until the VPG is gone: after its delete task, the listing lag; while a deletion started
   * earlier (whose task we do not know) is still running, as long as a task may take.
   */
  async waitForVpgGone(vpgId: string, name: string, deletionUnderWay = false): Promise<void> {
    await pollUntil(async () => ((await this.getVpg(vpgId)) ? undefined : true), {
      ...this.pollOptions(),
      timeoutMs: deletionUnderWay ? this.taskTimeoutMs : this.options.listingTimeoutMs ?? 120_000,
      what: deletionUnderWay ? `the deletion already under way of VPG '${name}'` : `VPG '${name}' to disappear from the ZVM`,
    });
  }

  // ---- vpgSettings drafts ----

  async listVpgSettings(): Promise<VpgSettings[]> {
    const response = await this.http.request<VpgSettings[]>({ method: "GET", path: "/v1/vpgSettings" });
    return Array.isArray(response.body) ? response.body : [];
  }

  /**
   * Opens a draft: `{Basic: {Name}}` for a new VPG, `{VpgIdentifier}` to edit one. A draft whose POST
   * lost its answer is found by looking, never by posting again: a new one by the name it alone holds
   * until the PUT names it (docs/api-notes/zerto.md#new-drafts-posted-under-a-unique-name), an edit
   * draft by not existing before (anyone may hold drafts of the same VPG).
   */
  async createVpgSettings(target: { vpgId: string } | { name: string }): Promise<string> {
    if ("name" in target) {
      const draftName = `${target.name} ~${randomUUID().replace(/-/g, "").slice(0, 12)}`;
      return this.postVpgSettings({ Basic: { Name: draftName } }, (d) => !d.VpgIdentifier && d.Basic?.Name === draftName);
    }
    const before = new Set((await this.listVpgSettings()).map((d) => d.VpgSettingsIdentifier));
    return this.postVpgSettings({ VpgIdentifier: target.vpgId }, (d) => !before.has(d.VpgSettingsIdentifier) && d.VpgIdentifier === target.vpgId);
  }

  private async postVpgSettings(body: VpgSettings, ours: (draft: VpgSettings) => boolean): Promise<string> {
    try {
      const response = await this.http.request({ method: "POST", path: "/v1/vpgSettings", json: body, keepsListings: true });
      return stringBody(response.body, "POST /v1/vpgSettings");
    } catch (err) {
      if (!(err instanceof ApiError && err.outcomeUnknown)) throw err;
      const made = (await this.listVpgSettings()).filter(ours);
      if (made.length === 1) return made[0].VpgSettingsIdentifier!;
      throw new Error(`${err.message}; ${made.length === 0 ? "no new draft exists, so none was made" : `${made.length} new drafts appeared, so which one is ours cannot be told`}: run the operation again`);
    }
  }

  async getVpgSettings(settingsId: string): Promise<VpgSettings> {
    return (await this.http.request<VpgSettings>({ method: "GET", path: `/v1/vpgSettings/${encodeURIComponent(settingsId)}` })).body;
  }

  async putVpgSettings(settingsId: string, settings: VpgSettings): Promise<void> {
    await this.http.request({ method: "PUT", path: `/v1/vpgSettings/${encodeURIComponent(settingsId)}`, json: settings });
  }

  /** Discards a draft; one that is already gone (committed, expired) is fine. */
  async deleteVpgSettings(settingsId: string): Promise<void> {
    await this.http.request({ method: "DELETE", path: `/v1/vpgSettings/${encodeURIComponent(settingsId)}`, accept: [404], keepsListings: true });
  }

  /** Drops a draft after a failure; the failure being reported matters more than a failed clean-up. */
  async discardVpgSettings(settingsId: string): Promise<void> {
    await this.deleteVpgSettings(settingsId).catch(() => undefined);
  }

  async addVm(settingsId: string, vm: VpgSettingsVm): Promise<void> {
    const path = `/v1/vpgSettings/${encodeURIComponent(settingsId)}/vms`;
    try {
      await this.http.request({ method: "POST", path, json: vm });
    } catch (err) {
      if (!(err instanceof ApiError && err.outcomeUnknown)) throw err;
      const draft = await this.getVpgSettings(settingsId);
      if (!(draft.Vms ?? []).some((v) => v.VmIdentifier === vm.VmIdentifier)) throw err;
    }
  }

  async removeVm(settingsId: string, vmId: string): Promise<void> {
    await this.http.request({
      method: "DELETE",
      path: `/v1/vpgSettings/${encodeURIComponent(settingsId)}/vms/${encodeURIComponent(vmId)}`,
      accept: [404],
    });
  }

  /**
   * Commits a draft and returns the task id; on failure the draft is settled here and never used
   * again by the caller. A refused commit discards its draft. A commit without an answer is
   * reconciled by looking: a draft still alive was not committed (it is discarded); a draft gone
   * means the commit was taken, and its task is found by the VPG it names.
   */
  async commitVpgSettings(settingsId: string, target: CommitTarget): Promise<string> {
    try {
      const response = await this.http.request({ method: "POST", path: `/v1/vpgSettings/${encodeURIComponent(settingsId)}/commit` });
      return stringBody(response.body, "commit");
    } catch (err) {
      if (!(err instanceof ApiError && err.outcomeUnknown)) {
        // refused, so not committed: the draft is still there and goes
        await this.discardVpgSettings(settingsId);
        throw err;
      }
      const found = await this.findCommitTask(settingsId, target);
      if (found !== undefined && found !== "not committed") return found;
      // a committed draft is gone for good: only one still alive is discarded
      if (found === "not committed") await this.deleteVpgSettings(settingsId);
      if (found === "not committed") {
        throw new Error(`${err.message}; the draft is still there, so the ZVM did not apply the change to VPG '${target.name}'. The draft was discarded: run again.`);
      }
      throw new CommitOutcomeUnknownError(`${err.message}; whether the ZVM applied the change to VPG '${target.name}' cannot be determined (no matching task was found). `
        + "Check the ZVM task list, then run again (pulumi refresh shows what exists).");
    }
  }

  /** The commit's task id; "not committed" when the draft is still alive (commit deletes it); undefined when unknown. */
  private async findCommitTask(settingsId: string, target: CommitTarget): Promise<string | "not committed" | undefined> {
    const draft = await this.http.request({ method: "GET", path: `/v1/vpgSettings/${encodeURIComponent(settingsId)}`, accept: [404] });
    if (draft.status !== 404) return "not committed";
    if (target.kind === "update") {
      const ours = newestFirst(await this.listTasks("UpdateProtectionGroup")).find((t) => relatesTo(t, target.vpgId));
      return ours ? taskIdOf(ours) : undefined;
    }
    return this.findLostCreateTask(target.identity);
  }

  /** Whether the VPG has exactly this identity: name, recovery (and declared protected) site, VM set. */
  async hasIdentity(vpgId: string, identity: VpgIdentity): Promise<boolean> {
    const vpg = await this.getVpg(vpgId);
    if (!vpg) return false;
    const live: VpgIdentity = {
      name: vpg.VpgName,
      vms: (await this.protectedVmsOf(vpg)).map((vm) => String(vm.VmIdentifier)),
      protectedSiteId: identity.protectedSiteId === undefined ? undefined : vpg.ProtectedSite?.identifier,
      recoverySiteId: vpg.RecoverySite?.identifier ?? "",
    };
    return JSON.stringify(identityKey(live)) === JSON.stringify(identityKey(identity));
  }

  /**
   * The create task of a commit whose answer never arrived (its draft is gone). A task names its VPG
   * once it completes, and the VPG is listed later: wait until a recent create task names a VPG with
   * exactly `identity` (one of the same name made by someone else is not ours), or none runs or ran.
   */
  async findLostCreateTask(identity: VpgIdentity): Promise<string | undefined> {
    let quietSince: number | undefined;
    const found = await pollUntil<string | null>(async () => {
      const tasks = newestFirst(await this.listTasks("CreateProtectionGroup")).slice(0, RECENT_TASKS);
      for (const task of tasks) {
        for (const related of task.RelatedEntities?.Vpgs ?? []) {
          if (related.identifier && (await this.hasIdentity(related.identifier, identity))) return taskIdOf(task);
        }
      }
      if (tasks.some((t) => !taskEnded(t))) quietSince = undefined;
      else quietSince ??= Date.now();
      return quietSince !== undefined && Date.now() - quietSince > (this.options.listingTimeoutMs ?? 120_000) ? null : undefined;
    }, { ...this.pollOptions(), timeoutMs: this.taskTimeoutMs, what: `the task of the commit of VPG '${identity.name}'` });
    return found ?? undefined;
  }

  // ---- tasks ----

  async listTasks(type?: string): Promise<ZertoTask[]> {
    const response = await this.http.request<ZertoTask[]>({ method: "GET", path: "/v1/tasks", query: { type } });
    return Array.isArray(response.body) ? response.body : [];
  }

  async getTask(taskId: string): Promise<ZertoTask> {
    return (await this.http.request<ZertoTask>({ method: "GET", path: `/v1/tasks/${encodeURIComponent(taskId)}` })).body;
  }

  /** The task, or undefined when the ZVM no longer knows it. */
  async findTask(taskId: string): Promise<ZertoTask | undefined> {
    const response = await this.http.request<ZertoTask>({ method: "GET", path: `/v1/tasks/${encodeURIComponent(taskId)}`, accept: [404] });
    return response.status === 404 ? undefined : response.body;
  }

  /**
   * Polls a task until it completes; Failed, Stopped or Cancelling throw a TaskError with the ZVM's
   * CompleteReason. Every other state (WaitingForUserInput, Paused, or one no document names) keeps
   * polling: it may yet complete; the timeout names the state it was left in.
   */
  async waitForTask(taskId: string, operation: string): Promise<ZertoTask> {
    return waitForTask({
      product: "Zerto", taskId, operation,
      read: () => this.getTask(taskId),
      outcome: (task) => {
        const state = task.Status?.State;
        if (state === TASK_STATE.Completed && (task.Status?.Progress ?? 100) >= 100) return "succeeded";
        if (state === TASK_STATE.Failed) return { kind: "failed", reason: task.CompleteReason || "the task failed without a reason" };
        if (state === TASK_STATE.Stopped) return { kind: "cancelled", reason: task.CompleteReason || "the task was stopped" };
        // a cancel under way ends in Stopped, never in success: waiting for it would only run into the timeout
        if (state === TASK_STATE.Cancelling) return { kind: "cancelled", reason: task.CompleteReason || "the task is being cancelled" };
        return "running";
      },
      runningState: "in progress",
      stateOf: describeTaskState,
      timeoutMs: this.taskTimeoutMs,
      timeoutSettings: settingNames("zerto", "taskTimeoutSeconds"),
      whereToLook: `the ZVM's task list (GET /v1/tasks/${taskId})`,
      poll: this.options,
    });
  }

  private pollOptions() {
    return { initialDelayMs: this.options.pollInitialDelayMs ?? 500, maxDelayMs: this.options.pollMaxDelayMs ?? 10_000, factor: 1.5 };
  }

  // ---- read-only look-ups (preflight)

  async listPeerSites(): Promise<ZertoPeerSite[]> {
    const response = await this.http.request<ZertoPeerSite[]>({ method: "GET", path: "/v1/peersites" });
    return Array.isArray(response.body) ? response.body : [];
  }

  /**
   * vCenter objects of a site: kind is vms (the unprotected VMs), hosts, hostclusters, datastores,
   * datastoreclusters, folders, networks or resourcepools; undefined when the ZVM knows no such site.
   */
  async listSiteObjects(siteId: string, kind: string): Promise<ZertoSiteObject[] | undefined> {
    const response = await this.http.request<ZertoSiteObject[]>({
      method: "GET", path: `/v1/virtualizationsites/${encodeURIComponent(siteId)}/${kind}`, accept: [400, 404],
    });
    if (response.status !== 200) return undefined;
    return Array.isArray(response.body) ? response.body : [];
  }

  /**
   * The Protected VMs API's rows of one VPG. GET /v1/vms filters by VPG name only (there is no
   * VPG-identifier filter, and name filters are not case-sensitive: docs/api-notes/zerto.md#protected-vms),
   * so the rows are narrowed to the VPG's identifier here.
   */
  async protectedVmsOf(vpg: Pick<ZertoVpg, "VpgIdentifier" | "VpgName">): Promise<ZertoProtectedVm[]> {
    const response = await this.http.request<ZertoProtectedVm[]>({ method: "GET", path: "/v1/vms", query: { vpgName: vpg.VpgName } });
    return (Array.isArray(response.body) ? response.body : []).filter((vm) => vm.VpgIdentifier === vpg.VpgIdentifier);
  }

  /**
   * Waits until the VPG meets its SLA (VpgApi Status 1, MeetingSLA:
   * docs/api-notes/zerto.md#vpg-status-and-substatus), as long as one task may take; the VPG as last read.
   * A timeout names the status it was left in.
   */
  async waitForSla(vpgId: string, name: string): Promise<ZertoVpg> {
    let last: ZertoVpg | undefined;
    try {
      return await pollUntil(async () => {
        last = await this.getVpg(vpgId);
        if (!last) throw new Error(`VPG '${name}' (${vpgId}) disappeared while waiting for it to meet its SLA`);
        return last.Status === VPG_STATUS_MEETING_SLA ? last : undefined;
      }, { ...this.pollOptions(), timeoutMs: this.taskTimeoutMs, what: `VPG '${name}' to meet its SLA` });
    } catch (err) {
      if (!(err instanceof PollTimeoutError) || !last) throw err;
      const status = [last.StatusDescription ?? last.Status, last.SubStatusDescription ?? last.SubStatus].filter((s) => s !== undefined).join(" / ");
      throw new Error(`VPG '${name}' (${vpgId}) did not meet its SLA within ${this.taskTimeoutMs / 1000} s (set by ${settingNames("zerto", "taskTimeoutSeconds")}): `
        + `the ZVM reports ${status}, ${last.ProgressPercentage ?? 0}% of the initial sync done`);
    }
  }

  /** Protected VMs (GET /v1/vms, docs/api-notes/zerto.md#protected-vms): one row per VM and VPG. */
  async listProtectedVms(): Promise<ZertoProtectedVm[]> {
    const response = await this.http.request<ZertoProtectedVm[]>({ method: "GET", path: "/v1/vms" });
    return Array.isArray(response.body) ? response.body : [];
  }

  async listServiceProfiles(): Promise<ZertoServiceProfile[]> {
    const response = await this.http.request<ZertoServiceProfile[]>({ method: "GET", path: "/v1/serviceprofiles" });
    return Array.isArray(response.body) ? response.body : [];
  }

  async listZorgs(): Promise<ZertoZorg[]> {
    const response = await this.http.request<ZertoZorg[]>({ method: "GET", path: "/v1/zorgs" });
    return Array.isArray(response.body) ? response.body : [];
  }
}

/** How many of the newest create tasks are examined when reconciling a commit. */
const RECENT_TASKS = 20;

function stringBody(body: unknown, what: string): string {
  if (typeof body === "string" && body) return body;
  throw new Error(`Zerto ${what}: expected an identifier in the answer, got ${JSON.stringify(body)?.slice(0, 100)}`);
}

/** Builds a client for a connection; sessions are shared by every client of the same endpoint and identity. */
export function createZertoClient(connection: ZertoConnection, options?: ZertoClientOptions): ZertoClient {
  return new ZertoClient(connection, options);
}

/** How a resource gets its client (a seam for tests): by the profile named in its inputs. */
export type ZertoClientFor = (profile?: string) => ZertoClient;

/** The Zerto client for a resource's connection (the default one, or the named profile), sharing the run's listings. */
export function zertoClientFor(profile?: string): ZertoClient {
  return createZertoClient(zertoConnection(profile), { listings: processListings });
}
