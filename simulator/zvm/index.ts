import { FaultInjector, Handler, LoadControl, RequestJournal, Router, SimClock, SimServer } from "../common";
import { registerAdminRoutes } from "./admin";
import { closeTestNetwork, registerFailoverTestRoutes } from "./failoverTest";
import { AccountKind, ZvmAuth } from "./auth";
import { InventoryIndex } from "./inventory";
import { registerLookupRoutes } from "./lookups";
import { registerProtectedVmRoutes } from "./protectedVms";
import { ApiHandler, ResponseShape, ZvmState } from "./state";
import { registerTaskRoutes, tickTasks } from "./tasks";
import { registerVcdRoutes } from "./vcd";
import { registerVpgRoutes } from "./vpgs";
import { registerVpgSettingsRoutes } from "./vpgSettings";

export type { Inventory, InventorySite, InventoryVm, ServiceProfile } from "./inventory";

export interface ZvmSimulatorOptions {
  port?: number;                         // 0 = ephemeral
  authMode?: "session" | "keycloak";     // default "session"
  /** Session-mode accounts, vCenter unless `kind` says windows. Default: admin (vCenter) and ZVM\\administrator (Windows). */
  users?: Array<{ username: string; password: string; kind?: AccountKind }>;
  /** Session mode: each account logs in only by its own method, as a ZVM checks (default true); false accepts either. */
  strictLoginMethod?: boolean;
  clients?: Array<{ clientId: string; clientSecret: string }>;   // keycloak client_credentials; the public client "zerto-client" always accepts the password grant
  tokenTtlSeconds?: number;              // keycloak access token lifetime, default 300
  sessionIdleSeconds?: number;           // session-mode idle expiry, default 1800
  draftIdleSeconds?: number;             // vpgSettings idle expiry, default 1800
  taskPolls?: number;                    // GETs of a task before it completes, default 2
  /** A task also completes on its own this long after it started, even if nobody polls it; 0 = only polls. Default 10000. */
  taskCompleteMs?: number;
  listingLagMs?: number;                 // a committed VPG appears in /v1/vpgs only after this lag, default 300
  initializingMs?: number;               // Status 0 Initializing before MeetingSLA, default 500
  inventoryFile?: string;                // replaces the bundled inventory.json
  /**
   * The ZVM generation whose VpgApi shape GET /v1/vpgs answers in: 10.x (default) or 7.x (no
   * StatusDescription, SubStatusDescription, ProtectedSiteName, RecoverySiteName, VpgType). Without
   * the option, the environment variable DRPROTECT_SIM_ZVM_SHAPE decides, so any suite can run against 7.x.
   */
  responseShape?: ResponseShape;
  stateFile?: string;                    // optional persistence: load at start if present, save after each mutation
  seed?: number;                         // for the FaultInjector
  /** Added to every API answer, in ms (the bench's WAN); settable later through PUT /_admin/load. */
  latencyMs?: number;
  /** Above this many requests per rolling second, answer 429 with Retry-After; 0 or absent = unlimited. */
  throttlePerSecond?: number;
  tls?: { key: string; cert: string };
}

export interface ZvmSimulator {
  url: string;
  close(): Promise<void>;
  clock: SimClock;
  faults: FaultInjector;
  journal: RequestJournal;
  /** live (uncommitted, unexpired) vpgSettings drafts */
  liveDrafts(): number;
  localSiteId: string;
  peerSiteId: string;
}

function responseShapeFromEnvironment(): ResponseShape {
  const shape = process.env.DRPROTECT_SIM_ZVM_SHAPE;
  if (shape === undefined || shape === "") return "10.x";
  if (shape === "10.x" || shape === "7.x") return shape;
  throw new Error(`DRPROTECT_SIM_ZVM_SHAPE must be 10.x or 7.x, not '${shape}'`);
}

const DEFAULT_USERS: NonNullable<ZvmSimulatorOptions["users"]> = [
  { username: "admin", password: "zerto-sim-password", kind: "vcenter" },
  { username: "ZVM\\administrator", password: "zerto-sim-windows-password", kind: "windows" },
];

export async function startZvmSimulator(options: ZvmSimulatorOptions = {}): Promise<ZvmSimulator> {
  const clock = new SimClock();
  const faults = new FaultInjector(options.seed ?? 1);
  const journal = new RequestJournal();
  const inventory = InventoryIndex.load(options.inventoryFile);
  const state = new ZvmState({
    taskPolls: options.taskPolls ?? 2,
    taskCompleteMs: options.taskCompleteMs ?? 10000,
    listingLagMs: options.listingLagMs ?? 300,
    initializingMs: options.initializingMs ?? 500,
    draftIdleSeconds: options.draftIdleSeconds ?? 1800,
  }, clock, inventory, options.stateFile);
  state.load();
  state.responseShape = options.responseShape ?? responseShapeFromEnvironment();
  const auth = new ZvmAuth({
    mode: options.authMode ?? "session",
    users: options.users ?? DEFAULT_USERS,
    strictLoginMethod: options.strictLoginMethod ?? true,
    clients: options.clients ?? [{ clientId: "drprotect", clientSecret: "zerto-sim-client-secret" }],
    tokenTtlSeconds: options.tokenTtlSeconds ?? 300,
    sessionIdleSeconds: options.sessionIdleSeconds ?? 1800,
  }, clock, () => state.baseUrl);

  // Every /v1 route but login: authenticate, let time-driven tasks catch up, persist afterwards.
  const protect = (handler: ApiHandler): Handler => async (req) => {
    const user = auth.authenticate(req);
    tickTasks(state);
    try {
      return await handler(req, user);
    } finally {
      state.save();
    }
  };
  const ctx = { state, protect };
  const api = new Router(true);
  auth.register(api);
  registerVpgSettingsRoutes(api, ctx);
  registerVpgRoutes(api, ctx);
  registerFailoverTestRoutes(api, ctx);
  registerProtectedVmRoutes(api, ctx);
  registerTaskRoutes(api, ctx);
  registerLookupRoutes(api, ctx);
  registerVcdRoutes(api, ctx);
  const admin = new Router(true);
  registerAdminRoutes(admin, state, auth);

  const server = new SimServer({
    name: "zvm",
    api,
    admin,
    errorBody: (_status, err) => ({ Message: err.message }),
    clock,
    faults,
    journal,
    load: new LoadControl({ latencyMs: options.latencyMs, throttlePerSecond: options.throttlePerSecond }),
    tls: options.tls,
  });
  state.baseUrl = await server.listen(options.port ?? 0);
  return {
    url: state.baseUrl,
    close: () => {
      closeTestNetwork(state);
      return server.close();
    },
    clock,
    faults,
    journal,
    liveDrafts: () => {
      state.purgeDrafts();
      return Object.keys(state.drafts).length;
    },
    localSiteId: inventory.data.localSite.SiteIdentifier,
    peerSiteId: inventory.data.peerSites[0].SiteIdentifier,
  };
}
