import { Handler, HttpError, Router } from "../common";
import type { ZvmAuth } from "./auth";
import { bind, bodyObject, obj } from "./binding";
import { endTest } from "./failoverTest";
import { renderSettings } from "./settingsModel";
import type { VpgRecord, ZvmState } from "./state";
import { tickTasks } from "./tasks";
import { renderVpg } from "./vpgs";
import { vpgStatus } from "./vpgStatus";

const MAX_FAULT_TIMES = 100;
const MAX_LISTING_LAG_MS = 10 * 60 * 1000;
/** The API bounds no task's duration (docs/api-notes/zerto.md#tasks); a slow task here is bounded so a test cannot hang on it. */
const MAX_TASK_DURATION_MS = 10 * 60 * 1000;
const DEFAULT_FAULT_REASON = "Injected failure: the ZVM could not complete the operation.";

/** Out-of-band changes (as if someone used the ZVM UI) and fault knobs, under /_admin/zvm. */
export function registerAdminRoutes(admin: Router, state: ZvmState, auth: ZvmAuth): void {
  const route = (method: string, path: string, handler: Handler) =>
    admin.on(method, `/_admin/zvm${path}`, async (req) => {
      tickTasks(state);
      const res = await handler(req);
      if (method !== "GET") state.save();
      return res;
    });
  const vpgOf = (id: string): VpgRecord => {
    const vpg = Object.values(state.vpgs).find((v) => v.id.toLowerCase() === id.toLowerCase());
    if (!vpg) throw new HttpError(404, `VPG with identifier ${id} was not found.`);
    return vpg;
  };

  route("GET", "/drafts", () => {
    state.purgeDrafts();
    const ids = Object.keys(state.drafts);
    return { status: 200, body: { count: ids.length, ids } };
  });
  route("GET", "/vpgs", () => ({
    status: 200,
    body: Object.values(state.vpgs).map((v) => {
      const { status, subStatus } = vpgStatus(state, v);
      return {
        VpgIdentifier: v.id,
        VpgName: v.def.core.Basic.Name,
        Listed: v.visibleAt <= state.clock.now(),
        Status: status,
        SubStatus: subStatus,
        Definition: renderSettings(v.def, { VpgIdentifier: v.id, VpgSettingsIdentifier: null }),
      };
    }),
  }));
  route("PATCH", "/vpgs/:vpgId", (req) => {
    const vpg = vpgOf(req.params.vpgId);
    const patch = bind(bodyObject(req.body), obj({
      Name: "string", RpoInSeconds: "int", JournalHistoryInHours: "int", Priority: "priority", TestIntervalInMinutes: "int", UseWanCompression: "bool",
    }));
    for (const [key, value] of Object.entries(patch)) if (value !== null) vpg.def.core.Basic[key] = value;
    return { status: 200, body: renderVpg(state, vpg) };
  });
  // an operation started (or, with null, finished) in the ZVM UI: pause, failoverTest, failover or move
  route("PUT", "/vpgs/:vpgId/operation", (req) => {
    const vpg = vpgOf(req.params.vpgId);
    const operation = bodyObject(req.body).operation;
    if (operation !== null && !["pause", "failoverTest", "failover", "move"].includes(operation)) {
      throw new HttpError(400, "operation must be \"pause\", \"failoverTest\", \"failover\", \"move\" or null.");
    }
    // a failover test that ends is the VPG's (and its VMs') last test
    if (vpg.operation === "failoverTest" && operation !== "failoverTest") {
      vpg.lastTestAt = state.clock.now();
      endTest(state, vpg);
    }
    vpg.operation = operation ?? undefined;
    return { status: 200, body: renderVpg(state, vpg) };
  });
  // the VPG stops (meeting: false) or starts again meeting its SLA, as after a broken link or a full journal
  route("PUT", "/vpgs/:vpgId/sla", (req) => {
    const vpg = vpgOf(req.params.vpgId);
    const { meeting } = bind(bodyObject(req.body), obj({ meeting: "bool" }));
    if (typeof meeting !== "boolean") throw new HttpError(400, "meeting must be true or false.");
    vpg.slaBreach = !meeting || undefined;
    return { status: 200, body: renderVpg(state, vpg) };
  });
  // the port the VM's guest serves on 127.0.0.1 while it runs as a test VM (null: none)
  route("PUT", "/vms/:vmId/test-service", (req) => {
    const port = bodyObject(req.body).port;
    if (port !== null && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new HttpError(400, "port must be an integer in 1..65535 or null.");
    if (port === null) delete state.testServices[req.params.vmId];
    else state.testServices[req.params.vmId] = port;
    return { status: 200, body: { vmId: req.params.vmId, port } };
  });
  route("DELETE", "/vpgs/:vpgId/vms/:vmId", (req) => {
    const vpg = vpgOf(req.params.vpgId);
    if (!vpg.def.vms.some((v) => v.VmIdentifier === req.params.vmId)) throw new HttpError(404, `VM ${req.params.vmId} is not in VPG ${vpg.id}.`);
    vpg.def.vms = vpg.def.vms.filter((v) => v.VmIdentifier !== req.params.vmId);
    return { status: 204 };
  });
  route("DELETE", "/vpgs/:vpgId", (req) => {
    delete state.vpgs[vpgOf(req.params.vpgId).id];
    return { status: 204 };
  });
  route("POST", "/reset", () => {
    state.reset();
    return { status: 204 };
  });
  route("POST", "/expire-sessions", () => ({ status: 200, body: { expired: auth.expireAll() } }));
  route("POST", "/task-faults", (req) => {
    const body = bodyObject(req.body);
    if (!["fail", "stuck", "slow", "cancelling"].includes(body.mode)) throw new HttpError(400, "mode must be \"fail\", \"stuck\", \"slow\" or \"cancelling\".");
    const times = body.times ?? 1;
    if (!Number.isInteger(times) || times < 1 || times > MAX_FAULT_TIMES) throw new HttpError(400, `times must be an integer in 1..${MAX_FAULT_TIMES}.`);
    const durationMs = body.durationMs;
    if (body.mode === "slow" && (!Number.isInteger(durationMs) || durationMs < 1 || durationMs > MAX_TASK_DURATION_MS)) {
      throw new HttpError(400, `durationMs must be an integer in 1..${MAX_TASK_DURATION_MS} for a slow task.`);
    }
    const answersState = body.answersState;
    if (answersState !== undefined && (!["slow", "stuck"].includes(body.mode) || !Number.isInteger(answersState) || answersState < 0 || answersState > 99)) {
      throw new HttpError(400, "answersState must be an integer in 0..99, for a slow or stuck task.");
    }
    const reason = typeof body.reason === "string" && body.reason ? body.reason : DEFAULT_FAULT_REASON;
    const extra = { ...(body.mode === "slow" ? { durationMs } : {}), ...(answersState !== undefined ? { answersState } : {}) };
    state.taskFault = { mode: body.mode, reason, remaining: times, ...extra };
    return { status: 201, body: { mode: body.mode, reason, times, ...extra } };
  });
  route("DELETE", "/task-faults", () => {
    state.taskFault = undefined;
    return { status: 204 };
  });
  route("POST", "/already-deleting-status", (req) => {
    const status = bodyObject(req.body).status;
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new HttpError(400, "status must be an integer in 400..599.");
    state.alreadyDeletingStatus = status;
    return { status: 200, body: { status } };
  });
  route("POST", "/listing-lag", (req) => {
    const ms = bodyObject(req.body).ms;
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_LISTING_LAG_MS) throw new HttpError(400, `ms must be an integer in 0..${MAX_LISTING_LAG_MS}.`);
    state.listingLagMs = ms;
    return { status: 200, body: { ms } };
  });
}
