import { FaultInjector, LoadControl, RequestJournal, Router, SimClock, SimRequest, SimServer } from "../common";
import { contentType, errorBody, requireApiVersion, targetSite } from "./api";
import { adminRoutes } from "./admin";
import { SessionManager } from "./auth";
import * as lookups from "./lookups";
import * as policies from "./policies";
import * as failoverTest from "./failoverTest";
import * as replications from "./replications";
import * as vappReplications from "./vappReplications";
import { loadInventory, VcdaStore } from "./state";
import { TaskEngine } from "./tasks";

export type { VcdaInventory, Policy, VmReplication, Task, ApiError } from "./state";
export { loadInventory } from "./state";

export interface VcdaSimulatorOptions {
  port?: number;
  /** The appliance `root` account (login type localUser). */
  localUser?: { username: string; password: string };
  /** vSphere SSO administrators (login type ssoCredentials). */
  ssoUsers?: Array<{ username: string; password: string }>;
  /** VCD users (login type vcdCredentials): `root@System` is a provider admin, `user@org` a tenant of `org`. */
  vcdUsers?: Array<{ username: string; password: string }>;
  /** VCD access tokens (login type vcdAccessToken), the user each one stands for and, if not the local one, the site whose Cloud Director issued it. */
  vcdAccessTokens?: Array<{ token: string; user: string; site?: string }>;
  sessionIdleSeconds?: number;
  /** Record every request sent with a token after the 401 for it (GET /_admin/vcda/auth-violations) and refuse it. Off by default. */
  strictAuth?: boolean;
  /** Reads (GET /tasks/{id}, POST /tasks/poll, GET /tasks) of a task before it finishes; 0 = tasks finish at once. */
  taskPolls?: number;
  /** The user field a credentials POST /sessions/extend must use: vcdUsername (the 4.1 guide, default) or vcdUser (vCAV.Community): docs/api-notes/first-contact.md#post-sessionsextend-credentials-field. */
  extendUserField?: "vcdUsername" | "vcdUser";
  /** A remote cloud site's inventory (GET /inventory/*?site=) is read only by a session extended to it (default true). */
  strictRemoteReads?: boolean;
  /** Where an on-premises site's VMs are read: "inventory" (default) serves both /inventory/vms?site= and /vc-sites/{site}/{vcId}/vms; "vc-sites" only the latter: docs/api-notes/first-contact.md#sites-get-sites-and-get-vc-sites. */
  onPremInventory?: "inventory" | "vc-sites";
  /** The `site` a replication PATCH must name: the destination cloud site (the guide, default) or the source site (vCAV.Community): docs/api-notes/first-contact.md#site-of-a-replication-patch. */
  patchSite?: "destination" | "source";
  /** The oldest API version (h4-vX.Y in Accept) served: older ones are refused 406 naming it. Default: any. */
  minApiVersion?: string;
  /** Every task answers QUEUED to its first read before RUNNING, as real appliances do (default true). */
  queuedTasks?: boolean;
  /** Replaces the bundled inventory.json. */
  inventoryFile?: string;
  /** Loaded at start when present, written after every change. */
  stateFile?: string;
  seed?: number;
  /** Added to every API answer, in ms (the bench's WAN); settable later through PUT /_admin/load. */
  latencyMs?: number;
  /** Above this many requests per rolling second, answer 429 with Retry-After; 0 or absent = unlimited. */
  throttlePerSecond?: number;
  tls?: { key: string; cert: string };
}

export interface VcdaSimulator {
  url: string;
  close(): Promise<void>;
  clock: SimClock;
  faults: FaultInjector;
  journal: RequestJournal;
  localSite: string;
  remoteSite: string;
}

const DEFAULTS = {
  localUser: { username: "root", password: "vcda-sim-root-password" },
  ssoUsers: [{ username: "administrator@vsphere.local", password: "vcda-sim-sso-password" }],
  vcdUsers: [
    { username: "root@System", password: "vcda-sim-vcd-password" },
    { username: "admin@org-acme", password: "vcda-sim-tenant-password" },
    { username: "admin@org-globex", password: "vcda-sim-tenant-password" },
  ],
  vcdAccessTokens: [
    { token: "vcda-sim-tenant-jwt", user: "admin@org-acme" },
    { token: "vcda-sim-west-tenant-jwt", user: "admin@org-acme", site: "cloud-west" },
  ],
  sessionIdleSeconds: 1800,
  taskPolls: 2,
};

/** Starts a VCDA 4.1 Cloud Service API simulator on 127.0.0.1 (cloud-east local, cloud-west remote, onprem-dc1 paired). */
export async function startVcdaSimulator(options: VcdaSimulatorOptions = {}): Promise<VcdaSimulator> {
  const clock = new SimClock();
  const faults = new FaultInjector(options.seed);
  const journal = new RequestJournal();
  const store = new VcdaStore(loadInventory(options.inventoryFile), options.stateFile);
  const sessions = new SessionManager({
    localUser: options.localUser ?? DEFAULTS.localUser,
    ssoUsers: options.ssoUsers ?? DEFAULTS.ssoUsers,
    vcdUsers: options.vcdUsers ?? DEFAULTS.vcdUsers,
    vcdAccessTokens: options.vcdAccessTokens ?? DEFAULTS.vcdAccessTokens,
    sessionIdleSeconds: options.sessionIdleSeconds ?? DEFAULTS.sessionIdleSeconds,
    strictAuth: options.strictAuth ?? false,
    extendUserField: options.extendUserField,
  }, store, clock);
  const tasks = new TaskEngine(store, clock, options.taskPolls ?? DEFAULTS.taskPolls, options.queuedTasks ?? true);

  const api = new PersistingRouter(store, (req) => requireApiVersion(req, options.minApiVersion));
  sessions.routes(api);
  tasks.routes(api, sessions);
  policies.routes(api, store, sessions, tasks);
  replications.routes(api, store, sessions, tasks, () => clock.now(), options.patchSite);
  vappReplications.routes(api, store, sessions, tasks, () => clock.now(), options.patchSite);
  lookups.routes(api, store, sessions, options.strictRemoteReads ?? true, options.onPremInventory);
  api.on("GET", "/diagnostics/about", sessions.authed((req) => {
    targetSite(req, store);
    return { status: 200, body: ABOUT };
  }));

  const admin = new PersistingRouter(store);
  adminRoutes(admin, store, sessions, clock);
  const testVms = new failoverTest.TestVmListeners();
  failoverTest.routes(api, admin, store, sessions, tasks, () => clock.now(), testVms);
  store.resetHooks.push(() => void testVms.closeAll());
  failoverTest.reopenTestVms(store, testVms);

  const server = new SimServer({
    name: "vcda",
    api,
    admin,
    errorBody,
    contentType,
    clock,
    faults,
    journal,
    load: new LoadControl({ latencyMs: options.latencyMs, throttlePerSecond: options.throttlePerSecond }),
    tls: options.tls,
  });
  const url = await server.listen(options.port ?? 0);
  return {
    url,
    close: async () => {
      await Promise.all([server.close(), testVms.closeAll()]);
    },
    clock,
    faults,
    journal,
    localSite: store.inventory.localSite,
    remoteSite: store.inventory.remoteSite,
  };
}

const ABOUT = {
  serviceType: "CLOUD",
  productName: "VMware Cloud Director Availability (simulator)",
  instanceId: "vcda-sim-cloud-east",
  buildVersion: "4.1.0.1660207-48e5972493",
  buildDate: 1625097600000,
};

/** A Router whose handlers write the state file after any request that changed state, each after an optional check of the request. */
class PersistingRouter extends Router {
  constructor(private readonly store: VcdaStore, private readonly check: (req: SimRequest) => void = () => undefined) {
    super();
  }

  override on(...[method, pattern, handler, options]: Parameters<Router["on"]>): this {
    return super.on(method, pattern, async (req) => {
      try {
        this.check(req);
        return await handler(req);
      } finally {
        this.store.saveIfChanged();
      }
    }, options);
  }
}
