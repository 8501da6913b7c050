import { DEFAULT_TASK_TIMEOUT_SECONDS, ZertoConnection } from "../connection";
import { ApiError, AuthStrategy, HttpClient, pollUntil, RetryOptions, SessionCache } from "../http";
import { identityKey, VpgIdentity } from "./intents";

/** Wire shapes the provider reads (PascalCase as on the ZVM; everything else passes through untouched). */
export type Wire = Record<string, any>;

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

export interface ZertoVpg {
  VpgIdentifier: string;
  VpgName: string;
  Status?: number;
  SubStatus?: number;
  ActualRPO?: number;
  ProtectedSite?: { identifier?: string };
  RecoverySite?: { identifier?: string };
}

/** VpgApi Status 7 (vpgs-api.txt); the provider relies only on 0, 1 and 7 because later values differ between sources. */
const VPG_STATUS_DELETING = 7;

export const TASK_STATE = { InProgress: 1, Failed: 4, Stopped: 5, Completed: 6 } as const;

/** A ZVM task that ended Failed or Stopped: `reason` is the ZVM's CompleteReason. */
export class ZertoTaskError extends Error {
  constructor(readonly task: ZertoTask, readonly reason: string) {
    super(reason);
    this.name = "ZertoTaskError";
  }
}

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

export interface ZertoClientOptions {
  /** How long a task may run (default: the connection's taskTimeoutSeconds). */
  taskTimeoutMs?: number;
  /** First and longest wait between polls of a task or listing. */
  pollInitialDelayMs?: number;
  pollMaxDelayMs?: number;
  /** How long a committed VPG may take to appear in (or leave) /v1/vpgs (default 2 min). */
  listingTimeoutMs?: number;
  requestTimeoutMs?: number;
  retry?: RetryOptions;
  /** Refresh a Keycloak token this long before it expires (default 30 s). */
  tokenRefreshMarginMs?: number;
}

interface ZertoSession {
  mode: "session" | "keycloak";
  headers: Record<string, string>;
  refreshToken?: string;
  /** Epoch ms after which the access token should be refreshed. */
  refreshAfter?: number;
  refreshExpiresAt?: number;
}

/** One login per endpoint and identity per provider process, shared by every resource. */
const sessions = new SessionCache<ZertoSession>();
/** The auth flavour each endpoint answered with, so a re-login after expiry does not probe again. */
const detectedModes = new Map<string, "session" | "keycloak">();

const TOKEN_PATH = "/auth/realms/zerto/protocol/openid-connect/token";
const DEFAULT_PUBLIC_CLIENT = "zerto-client";

/** The ZVM's explanation from an error body: `{"Message": …}` (API) or `{"error_description": …}` (Keycloak). */
export function describeZertoError(_status: number, body: unknown): string | undefined {
  if (!body || typeof body !== "object") return typeof body === "string" && body.trim() ? body.slice(0, 300) : undefined;
  const b = body as Record<string, unknown>;
  const message = b.Message ?? b.message;
  if (typeof message === "string") {
    // zvml strips this wrapper too: "<context> Exception occurred in API: <detail>;"
    const detail = /Exception occurred in API:\s*(.*?);?\s*$/s.exec(message);
    return (detail ? detail[1] : message).trim();
  }
  const keycloak = b.error_description ?? b.error;
  return typeof keycloak === "string" ? keycloak : undefined;
}

/**
 * The ZVM REST API as the VPG resource needs it. HTTP, retries and re-authentication live in the
 * shared HttpClient; this layer adds the Zerto auth flavours, task waiting and the reconciliation
 * of non-idempotent calls whose outcome is unknown.
 */
export class ZertoClient {
  readonly http: HttpClient;
  private readonly secrets: string[];
  private readonly sessionKey: string;
  private readonly taskTimeoutMs: number;

  constructor(readonly connection: ZertoConnection, private readonly options: ZertoClientOptions = {}) {
    this.secrets = [connection.password, connection.clientSecret].filter((s): s is string => !!s);
    if (connection.username && connection.password) {
      this.secrets.push(Buffer.from(`${connection.username}:${connection.password}`).toString("base64"));
    }
    this.sessionKey = [connection.url.replace(/\/+$/, ""), connection.authMode, connection.username ?? "", connection.clientId ?? ""].join("|");
    this.taskTimeoutMs = options.taskTimeoutMs ?? (connection.taskTimeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS) * 1000;
    this.http = new HttpClient({
      product: "Zerto",
      baseUrl: connection.url,
      insecure: connection.insecure,
      caCertificate: connection.caCertificate,
      timeoutMs: options.requestTimeoutMs,
      retry: options.retry,
      auth: this.authStrategy(),
      secrets: this.secrets,
      describeError: describeZertoError,
    });
  }

  // ---- authentication ----

  private authStrategy(): AuthStrategy {
    return {
      headers: async () => {
        let session = await sessions.get(this.sessionKey, () => this.login());
        if (session.refreshAfter !== undefined && Date.now() >= session.refreshAfter) {
          const stale = session;
          sessions.invalidate(this.sessionKey, stale);
          session = await sessions.get(this.sessionKey, () => this.renew(stale));
        }
        return session.headers;
      },
      // synchronous, like the cache's invalidate: no request started after the 401 is handed the refused session
      invalidate: (used) => {
        const current = sessions.peek(this.sessionKey);
        if (current && sameHeaders(current.headers, used)) {
          sessions.invalidate(this.sessionKey, current);
          // a Keycloak session may still renew with its refresh token; the renewal is the one every request waits for
          if (current.mode === "keycloak") sessions.get(this.sessionKey, () => this.renew(current)).catch(() => undefined);
        }
      },
    };
  }

  private async login(): Promise<ZertoSession> {
    const c = this.connection;
    let mode = c.authMode === "auto" ? detectedModes.get(this.sessionKey) : c.authMode;
    if (!mode && !(c.username && c.password) && c.clientId && c.clientSecret) mode = "keycloak";
    if (mode !== "keycloak") {
      const session = await this.sessionLogin(mode === undefined);
      if (session) {
        detectedModes.set(this.sessionKey, "session");
        return session;
      }
    }
    detectedModes.set(this.sessionKey, "keycloak");
    return this.keycloakLogin();
  }

  /** Windows ZVM: Basic auth on /v1/session/add, token in x-zerto-session. Undefined when probing finds no such route. */
  private async sessionLogin(probing: boolean): Promise<ZertoSession | undefined> {
    const c = this.connection;
    if (!c.username || !c.password) {
      throw new Error("Zerto session login needs a username and password: set zerto:username and zerto:password (as a secret), or ZERTO_USERNAME/ZERTO_PASSWORD");
    }
    const response = await this.http.request({
      method: "POST",
      path: "/v1/session/add",
      authenticated: false,
      idempotent: true, // a login has no side effect worth protecting
      headers: { Authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}` },
      accept: probing ? [401, 404] : [401],
    });
    if (response.status === 404) return undefined;
    if (response.status === 401) throw this.loginRejected(response.body);
    const token = response.header("x-zerto-session");
    if (!token) throw new Error("Zerto login: the ZVM answered /v1/session/add without an x-zerto-session header");
    this.secrets.push(token);
    return { mode: "session", headers: { "x-zerto-session": token } };
  }

  /** ZVM appliance: Keycloak client_credentials when a client secret is set, else the password grant. */
  private async keycloakLogin(): Promise<ZertoSession> {
    const c = this.connection;
    if (c.clientId && c.clientSecret) {
      return this.token({ grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret });
    }
    if (!c.username || !c.password) {
      throw new Error("Zerto Keycloak login needs zerto:clientId and zerto:clientSecret, or zerto:username and zerto:password");
    }
    return this.token({ grant_type: "password", client_id: c.clientId ?? DEFAULT_PUBLIC_CLIENT, username: c.username, password: c.password });
  }

  /** A new access token from the refresh token while it is valid, else a full login. */
  private async renew(stale: ZertoSession): Promise<ZertoSession> {
    if (stale.mode !== "keycloak" || !stale.refreshToken || (stale.refreshExpiresAt !== undefined && Date.now() >= stale.refreshExpiresAt)) {
      return this.login();
    }
    const c = this.connection;
    const form: Record<string, string> = { grant_type: "refresh_token", refresh_token: stale.refreshToken, client_id: c.clientId ?? DEFAULT_PUBLIC_CLIENT };
    if (c.clientSecret) form.client_secret = c.clientSecret;
    return this.token(form, true).catch(() => this.login());
  }

  private async token(form: Record<string, string>, quiet = false): Promise<ZertoSession> {
    const response = await this.http.request({ method: "POST", path: TOKEN_PATH, form, authenticated: false, idempotent: true, accept: [400, 401] });
    if (response.status !== 200) {
      if (quiet) throw new Error("refresh refused");
      throw this.loginRejected(response.body);
    }
    const body = response.body as { access_token?: string; refresh_token?: string; expires_in?: number; refresh_expires_in?: number };
    if (!body?.access_token) throw new Error("Zerto login: the Keycloak token response has no access_token");
    this.secrets.push(body.access_token, ...(body.refresh_token ? [body.refresh_token] : []));
    const now = Date.now();
    const margin = this.options.tokenRefreshMarginMs ?? 30_000;
    return {
      mode: "keycloak",
      headers: { Authorization: `Bearer ${body.access_token}` },
      refreshToken: body.refresh_token,
      refreshAfter: body.expires_in ? now + Math.max(body.expires_in * 1000 - margin, body.expires_in * 500) : undefined,
      refreshExpiresAt: body.refresh_expires_in ? now + body.refresh_expires_in * 1000 : undefined,
    };
  }

  private loginRejected(body: unknown): Error {
    const c = this.connection;
    const who = c.clientId && c.clientSecret ? `client '${c.clientId}'` : `user '${c.username}'`;
    const detail = describeZertoError(401, body);
    return new Error(`Zerto login to ${c.url} as ${who} was refused${detail ? `: ${detail}` : ""}; check zerto:username/zerto:password (or clientId/clientSecret)`);
  }

  // ---- sites and VPGs ----

  async localSite(): Promise<Wire> {
    return (await this.http.request({ method: "GET", path: "/v1/localsite" })).body;
  }

  async listVpgs(name?: string): Promise<ZertoVpg[]> {
    const response = await this.http.request<ZertoVpg[]>({ method: "GET", path: "/v1/vpgs", query: { name } });
    return Array.isArray(response.body) ? response.body : [];
  }

  /** The VPG, or undefined when the ZVM does not know (or no longer lists) it. */
  async getVpg(vpgId: string): Promise<ZertoVpg | undefined> {
    const response = await this.http.request<ZertoVpg>({ method: "GET", path: `/v1/vpgs/${encodeURIComponent(vpgId)}`, accept: [404] });
    return response.status === 404 ? undefined : response.body;
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

  async listVpgSettings(): Promise<Wire[]> {
    const response = await this.http.request<Wire[]>({ method: "GET", path: "/v1/vpgSettings" });
    return Array.isArray(response.body) ? response.body : [];
  }

  /**
   * Opens a draft: `{}` for a new VPG, `{VpgIdentifier}` to edit one. When the POST gets no answer,
   * the draft it may have made is found by looking for one that did not exist before, never by posting again.
   */
  async createVpgSettings(target: { vpgId: string } | { name: string }): Promise<string> {
    // A new draft carries its VPG's name from the start (the POST accepts a partial VpgSettings),
    // so that a draft whose POST lost its answer can be told apart from other new drafts.
    const body = "vpgId" in target ? { VpgIdentifier: target.vpgId } : { Basic: { Name: target.name } };
    const ours = (d: Wire) => ("vpgId" in target ? d.VpgIdentifier === target.vpgId : !d.VpgIdentifier && d.Basic?.Name === target.name);
    const before = new Set((await this.listVpgSettings()).map((d) => d.VpgSettingsIdentifier));
    try {
      const response = await this.http.request({ method: "POST", path: "/v1/vpgSettings", json: body });
      return stringBody(response.body, "POST /v1/vpgSettings");
    } catch (err) {
      if (!(err instanceof ApiError && err.outcomeUnknown)) throw err;
      const made = (await this.listVpgSettings()).filter((d) => !before.has(d.VpgSettingsIdentifier) && ours(d));
      if (made.length === 1) return made[0].VpgSettingsIdentifier;
      throw new Error(`${err.message}; ${made.length === 0 ? "no new draft exists, so none was made" : `${made.length} new drafts appeared, so which one is ours cannot be told`}: run the operation again`);
    }
  }


  async getVpgSettings(settingsId: string): Promise<Wire> {
    return (await this.http.request({ method: "GET", path: `/v1/vpgSettings/${encodeURIComponent(settingsId)}` })).body;
  }

  async putVpgSettings(settingsId: string, settings: Wire): Promise<void> {
    await this.http.request({ method: "PUT", path: `/v1/vpgSettings/${encodeURIComponent(settingsId)}`, json: settings });
  }

  /** Discards a draft; one that is already gone (committed, expired) is fine. */
  async deleteVpgSettings(settingsId: string): Promise<void> {
    await this.http.request({ method: "DELETE", path: `/v1/vpgSettings/${encodeURIComponent(settingsId)}`, accept: [404] });
  }

  async addVm(settingsId: string, vm: Wire): Promise<void> {
    const path = `/v1/vpgSettings/${encodeURIComponent(settingsId)}/vms`;
    try {
      await this.http.request({ method: "POST", path, json: vm });
    } catch (err) {
      if (!(err instanceof ApiError && err.outcomeUnknown)) throw err;
      const draft = await this.getVpgSettings(settingsId);
      if (!(draft.Vms ?? []).some((v: Wire) => v.VmIdentifier === vm.VmIdentifier)) throw err;
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
        await this.deleteVpgSettings(settingsId).catch(() => undefined);
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
    return this.findCreateTask(target.identity);
  }

  /** The create task of a commit whose answer never arrived (its draft is gone): see findCreateTask. */
  async findLostCreateTask(identity: VpgIdentity): Promise<string | undefined> {
    return this.findCreateTask(identity);
  }

  /** Whether the VPG has exactly this identity: name, recovery (and declared protected) site, VM set. */
  async hasIdentity(vpgId: string, identity: VpgIdentity): Promise<boolean> {
    const vpg = await this.getVpg(vpgId);
    if (!vpg) return false;
    const vms = await this.http.request<Wire[]>({ method: "GET", path: "/v1/vms", query: { vpgIdentifier: vpgId } });
    const live: VpgIdentity = {
      name: vpg.VpgName,
      vms: (Array.isArray(vms.body) ? vms.body : []).map((vm) => String(vm.VmIdentifier)),
      protectedSiteId: identity.protectedSiteId === undefined ? undefined : vpg.ProtectedSite?.identifier,
      recoverySiteId: vpg.RecoverySite?.identifier ?? "",
    };
    return JSON.stringify(identityKey(live)) === JSON.stringify(identityKey(identity));
  }

  /**
   * A create task names its VPG only once it completes, and the VPG is listed a little later: wait
   * until a recent create task names a VPG with exactly `identity` (a VPG of the same name made by
   * someone else is not ours), or until no create task runs and none has.
   */
  private async findCreateTask(identity: VpgIdentity): Promise<string | undefined> {
    let quietSince: number | undefined;
    const found = await pollUntil<string | null>(async () => {
      const tasks = newestFirst(await this.listTasks("CreateProtectionGroup")).slice(0, RECENT_TASKS);
      for (const task of tasks) {
        for (const related of task.RelatedEntities?.Vpgs ?? []) {
          if (related.identifier && (await this.hasIdentity(related.identifier, identity))) return taskIdOf(task);
        }
      }
      if (tasks.some((t) => t.Status?.State === TASK_STATE.InProgress)) quietSince = undefined;
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

  /** Polls a task until it completes; Failed or Stopped throws a ZertoTaskError with the ZVM's CompleteReason. */
  async waitForTask(taskId: string, what: string): Promise<ZertoTask> {
    return pollUntil(async () => {
      const task = await this.getTask(taskId);
      const state = task.Status?.State;
      if (state === TASK_STATE.Completed && (task.Status?.Progress ?? 100) >= 100) return task;
      if (state === TASK_STATE.Failed || state === TASK_STATE.Stopped) {
        throw new ZertoTaskError(task, task.CompleteReason || (state === TASK_STATE.Stopped ? "the task was stopped" : "the task failed without a reason"));
      }
      return undefined;
    }, { ...this.pollOptions(), timeoutMs: this.taskTimeoutMs, what: `${what} (ZVM task ${taskId})` });
  }

  private pollOptions() {
    return { initialDelayMs: this.options.pollInitialDelayMs ?? 500, maxDelayMs: this.options.pollMaxDelayMs ?? 10_000, factor: 1.5 };
  }

  // ---- read-only look-ups (preflight)

  async listPeerSites(): Promise<Wire[]> {
    const response = await this.http.request<Wire[]>({ method: "GET", path: "/v1/peersites" });
    return Array.isArray(response.body) ? response.body : [];
  }

  /**
   * vCenter objects of a site: kind is vms (the unprotected VMs), hosts, hostclusters, datastores,
   * datastoreclusters, folders, networks or resourcepools; undefined when the ZVM knows no such site.
   */
  async listSiteObjects(siteId: string, kind: string): Promise<Wire[] | undefined> {
    const response = await this.http.request<Wire[]>({
      method: "GET", path: `/v1/virtualizationsites/${encodeURIComponent(siteId)}/${kind}`, accept: [400, 404],
    });
    if (response.status !== 200) return undefined;
    return Array.isArray(response.body) ? response.body : [];
  }

  /** Protected VMs (protected-vms-api.txt: GET /v1/vms): one row per VM and VPG. */
  async listProtectedVms(): Promise<Wire[]> {
    const response = await this.http.request<Wire[]>({ method: "GET", path: "/v1/vms" });
    return Array.isArray(response.body) ? response.body : [];
  }

  async listServiceProfiles(): Promise<Wire[]> {
    const response = await this.http.request<Wire[]>({ method: "GET", path: "/v1/serviceprofiles" });
    return Array.isArray(response.body) ? response.body : [];
  }

  async listZorgs(): Promise<Wire[]> {
    const response = await this.http.request<Wire[]>({ method: "GET", path: "/v1/zorgs" });
    return Array.isArray(response.body) ? response.body : [];
  }
}

/** How many of the newest create tasks are examined when reconciling a commit. */
const RECENT_TASKS = 20;

function newestFirst(tasks: ZertoTask[]): ZertoTask[] {
  return [...tasks].sort((a, b) => Date.parse(b.Started ?? "") - Date.parse(a.Started ?? ""));
}

function relatesTo(task: ZertoTask, vpgId: string): boolean {
  return (task.RelatedEntities?.Vpgs ?? []).some((v) => v.identifier === vpgId);
}

function sameHeaders(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

function stringBody(body: unknown, what: string): string {
  if (typeof body === "string" && body) return body;
  throw new Error(`Zerto ${what}: expected an identifier in the answer, got ${JSON.stringify(body)?.slice(0, 100)}`);
}

/** A task id from a bare JSON string answer or a task object (10.x keeps it in Link.identifier). */
export function taskIdOf(value: unknown): string {
  if (typeof value === "string" && value) return value;
  const task = value as ZertoTask | undefined;
  const id = task?.TaskIdentifier ?? task?.Link?.identifier;
  if (!id) throw new Error(`Zerto: expected a task identifier, got ${JSON.stringify(value)?.slice(0, 100)}`);
  return id;
}

export function createZertoClient(connection: ZertoConnection, overrides?: ZertoClientOptions): ZertoClient {
  return new ZertoClient(connection, overrides);
}
