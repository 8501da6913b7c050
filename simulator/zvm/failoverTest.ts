import * as http from "node:http";
import { HttpError, Router, uuid } from "../common";
import { arr, bind, bodyObject, obj, queryParam } from "./binding";
import { CheckpointRecord, TASK_STATE, TaskRecord, VpgRecord, ZvmContext, ZvmState } from "./state";
import { runTasksOfType, startTask } from "./tasks";
import { SYNCED_RPO_SECONDS } from "./vpgStatus";

// The failover-test life cycle (docs/api-notes/zerto.md#failover-tests-and-checkpoints): tagged
// checkpoints, FailoverTest / FailoverTestStop with their tasks, test VMs on a test network, recovery reports.

/** The test VMs' guests: one HTTP listener on 127.0.0.1 per VM with a service port set (admin API), open while the test runs. */
const testNetworks = new WeakMap<ZvmState, Map<string, http.Server[]>>();

function networkOf(state: ZvmState): Map<string, http.Server[]> {
  let network = testNetworks.get(state);
  if (!network) testNetworks.set(state, (network = new Map()));
  return network;
}

function powerOnTestVms(state: ZvmState, vpg: VpgRecord, vmIds: string[]): void {
  powerOffTestVms(state, vpg.id);
  const servers: http.Server[] = [];
  for (const vmId of vmIds) {
    const port = state.testServices[vmId];
    if (port === undefined) continue;
    const name = state.inventory.anyVm(vmId)?.VmName ?? vmId;
    const server = http.createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/plain" }).end(`${name} (failover test of ${vpg.def.core.Basic.Name})\n`));
    // a port already taken leaves that guest unreachable, as a guest whose service did not start
    server.on("error", () => undefined);
    server.listen(port, "127.0.0.1");
    servers.push(server);
  }
  networkOf(state).set(vpg.id, servers);
}

function powerOffTestVms(state: ZvmState, vpgId: string): void {
  for (const server of networkOf(state).get(vpgId) ?? []) server.close();
  networkOf(state).delete(vpgId);
}

/** Closes every test VM's listener (the simulator stops). */
export function closeTestNetwork(state: ZvmState): void {
  for (const vpgId of [...networkOf(state).keys()]) powerOffTestVms(state, vpgId);
}

/**
 * The VPG's checkpoints: its tagged ones and the latest automatic one, SYNCED_RPO_SECONDS old.
 * Assumption (no document says how often a ZVM writes one): one automatic checkpoint is enough for a test.
 */
function checkpointsOf(state: ZvmState, vpg: VpgRecord): CheckpointRecord[] {
  if (state.clock.now() < vpg.syncedAt) return [...(vpg.taggedCheckpoints ?? [])];
  const latestTime = Math.max(vpg.syncedAt, state.clock.now() - SYNCED_RPO_SECONDS * 1000);
  const latest = { id: String(Math.floor(latestTime / 1000)), tag: null, time: latestTime };
  return [...(vpg.taggedCheckpoints ?? []), latest].sort((a, b) => a.time - b.time);
}

/** CheckpointApi of the 10.0 U6 OpenAPI; on 7.x as the VPGs API document's example: CheckpointId, Tag, a WCF TimeStamp (docs/api-notes/zerto.md#failover-tests-and-checkpoints) */
function renderCheckpoint(state: ZvmState, c: CheckpointRecord): Record<string, unknown> {
  return state.responseShape === "7.x"
    ? { CheckpointId: c.id, Tag: c.tag, TimeStamp: `/Date(${c.time}+0000)/` }
    : { checkpointIdentifier: c.id, tag: c.tag, timeStamp: state.clock.iso(c.time), type: c.tag ? 1 : 0 };
}

/** A task answer: a bare task-id string (10.0 U6 OpenAPI) or, on 7.x, an object naming it (docs/api-notes/zerto.md#failover-tests-and-checkpoints) */
function taskAnswer(state: ZvmState, task: TaskRecord) {
  return { status: 200, body: state.responseShape === "7.x" ? { TaskIdentifier: task.id } : task.id };
}

/** The business side of a FailOverTest or StopFailOverTest task, when it completes. */
function runFailoverTestTask(state: ZvmState, task: TaskRecord, now: number): void {
  const vpg = state.vpgs[task.vpgId];
  task.completed = now;
  const test = vpg?.test;
  const failure = task.fault?.mode === "fail" ? task.fault.reason : !test ? `VPG ${task.vpgId} has no failover test.` : undefined;
  if (failure) {
    task.state = TASK_STATE.Failed;
    task.completeReason = failure;
    // a test that failed to start leaves nothing running; a failed stop leaves the test as it was
    if (vpg && test && task.type === "FailOverTest") endTest(state, vpg);
    return;
  }
  task.state = TASK_STATE.Completed;
  task.progress = 100;
  task.completeReason = "";
  if (task.type === "FailOverTest") {
    test!.upAt = now;
    powerOnTestVms(state, vpg!, test!.vmIds);
    return;
  }
  state.recoveryReports.push({
    id: uuid(),
    vpgId: vpg!.id,
    vpgName: vpg!.def.core.Basic.Name,
    recoveryType: "FailoverTest",
    startedAt: test!.startedAt,
    endedAt: now,
    pointInTime: test!.checkpoint.time,
    rtoSeconds: Math.round(((test!.upAt ?? now) - test!.startedAt) / 1000),
    success: test!.stop?.success ?? true,
    initiatedBy: task.initiatedBy,
    notes: test!.stop?.summary ?? "",
  });
  vpg!.lastTestAt = now;
  endTest(state, vpg!);
}

/** Ends the VPG's test without a report: a stop in the ZVM UI (admin API), or a start that failed. */
export function endTest(state: ZvmState, vpg: VpgRecord): void {
  powerOffTestVms(state, vpg.id);
  delete vpg.test;
  if (vpg.operation === "failoverTest") vpg.operation = undefined;
}

/** RecoveryReportApi (10.0 U6 OpenAPI): general, and recoverySettings with the steps (docs/api-notes/zerto.md#failover-tests-and-checkpoints) */
function renderReport(state: ZvmState, r: ZvmState["recoveryReports"][number]): Record<string, unknown> {
  const iso = (t: number) => state.clock.iso(t);
  return {
    recoveryOperationIdentifier: r.id,
    general: {
      vpgIdentifier: r.vpgId, vpgName: r.vpgName, recoveryType: r.recoveryType, protectedSiteName: "", recoverySiteName: "",
      startTime: iso(r.startedAt), endTime: iso(r.endedAt), pointInTime: iso(r.pointInTime), rtoInSeconds: String(r.rtoSeconds),
      status: r.success ? "Passed" : "Failed", initiatedBy: r.initiatedBy, notes: r.notes,
    },
    recoverySettings: {
      vpg: { defaultHostName: "", defaultDatastoreName: "", defaultNetworkName: "" },
      vms: [],
      steps: [
        { description: "Create test VMs and power them on", result: "Completed", startTime: iso(r.startedAt), endTime: iso(r.startedAt + r.rtoSeconds * 1000), executionTime: String(r.rtoSeconds) },
        { description: "Stop the failover test and remove the test VMs", result: "Completed", startTime: iso(r.endedAt), endTime: iso(r.endedAt), executionTime: "0" },
      ],
    },
  };
}

function timeFilter(query: URLSearchParams, name: string): number | undefined {
  const raw = queryParam(query, name);
  if (!raw) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) throw new HttpError(400, `The request is invalid. The value '${raw}' is not valid for ${name}.`);
  return at;
}

export function registerFailoverTestRoutes(api: Router, { state, protect }: ZvmContext): void {
  runTasksOfType(["FailOverTest", "StopFailOverTest"], runFailoverTestTask);
  const vpgOf = (id: string) => {
    const vpg = state.visibleVpg(id);
    if (!vpg) throw new HttpError(404, `VPG with identifier ${id} was not found.`);
    return vpg;
  };

  api.on("GET", "/v1/vpgs/:vpgId/checkpoints", protect((req) => {
    const vpg = vpgOf(req.params.vpgId);
    const start = timeFilter(req.query, "startDate");
    const end = timeFilter(req.query, "endDate");
    const rows = checkpointsOf(state, vpg).filter((c) => (start === undefined || c.time >= start) && (end === undefined || c.time <= end));
    return { status: 200, body: rows.map((c) => renderCheckpoint(state, c)) };
  }));
  // Assumption: the OpenAPI types the answer only as a string; it is the new checkpoint's identifier here, and clients find a checkpoint by its tag. (docs/api-notes/zerto.md#failover-tests-and-checkpoints)
  api.on("POST", "/v1/vpgs/:vpgId/checkpoints", protect((req) => {
    const vpg = vpgOf(req.params.vpgId);
    const { checkpointName } = bind(bodyObject(req.body), obj({ checkpointName: "string" }));
    if (!checkpointName) throw new HttpError(400, "The request is invalid. CheckpointName is mandatory.");
    if (state.clock.now() < vpg.syncedAt) throw new HttpError(400, `VPG ${vpg.def.core.Basic.Name} has no checkpoint yet: it is initializing.`);
    const checkpoint = { id: String(state.clock.now()), tag: checkpointName, time: state.clock.now() };
    (vpg.taggedCheckpoints ??= []).push(checkpoint);
    return { status: 200, body: checkpoint.id };
  }));

  // checkpointId is the document's name, checkpointIdentifier the OpenAPI's; both bind (docs/api-notes/zerto.md#failover-tests-and-checkpoints)
  api.on("POST", "/v1/vpgs/:vpgId/FailoverTest", protect((req, user) => {
    const vpg = vpgOf(req.params.vpgId);
    const body = bind(bodyObject(req.body), obj({ CheckpointId: "string", CheckpointIdentifier: "string", VmIdentifiers: arr("string") }));
    if (vpg.deleting || vpg.operation) {
      throw new HttpError(400, `VPG ${vpg.def.core.Basic.Name} cannot be tested: ${vpg.operation === "failoverTest" ? "a failover test is already running" : `a ${vpg.operation ?? "delete"} is under way`}.`);
    }
    const checkpoints = checkpointsOf(state, vpg);
    if (!checkpoints.length) throw new HttpError(400, `VPG ${vpg.def.core.Basic.Name} has no checkpoint to test from.`);
    const wanted = body.CheckpointIdentifier ?? body.CheckpointId;
    const checkpoint = wanted ? checkpoints.find((c) => c.id === wanted) : checkpoints[checkpoints.length - 1];
    if (!checkpoint) throw new HttpError(400, `Checkpoint ${wanted} of VPG ${vpg.def.core.Basic.Name} was not found.`);
    const members = vpg.def.vms.map((v) => v.VmIdentifier);
    const vmIds: string[] = body.VmIdentifiers?.length ? body.VmIdentifiers : members;
    const stranger = vmIds.find((id) => !members.includes(id));
    if (stranger) throw new HttpError(400, `VM ${stranger} is not protected by VPG ${vpg.def.core.Basic.Name}.`);
    const task = startTask(state, "FailOverTest", user, vpg.id);
    vpg.operation = "failoverTest";
    vpg.test = { startTaskId: task.id, checkpoint, vmIds, startedAt: state.clock.now() };
    return taskAnswer(state, task);
  }));

  api.on("POST", "/v1/vpgs/:vpgId/FailoverTestStop", protect((req, user) => {
    const vpg = vpgOf(req.params.vpgId);
    const body = bind(bodyObject(req.body), obj({ FailoverTestSuccess: "bool", FailoverTestSummary: "string" }));
    if (!vpg.test) throw new HttpError(400, `VPG ${vpg.def.core.Basic.Name} has no failover test running.`);
    const running = vpg.test.stopTaskId ? state.tasks[vpg.test.stopTaskId] : undefined;
    if (running?.state === TASK_STATE.InProgress) throw new HttpError(400, `The failover test of VPG ${vpg.def.core.Basic.Name} is already stopping.`);
    vpg.test.stop = { success: body.FailoverTestSuccess ?? true, summary: body.FailoverTestSummary ?? "" };
    const task = startTask(state, "StopFailOverTest", user, vpg.id);
    vpg.test.stopTaskId = task.id;
    return taskAnswer(state, task);
  }));

  api.on("GET", "/v1/reports/recovery", protect((req) => {
    const type = queryParam(req.query, "recoveryType");
    const vpgName = queryParam(req.query, "vpgName");
    const start = timeFilter(req.query, "startTime");
    const end = timeFilter(req.query, "endTime");
    const rows = state.recoveryReports.filter((r) =>
      (!type || r.recoveryType.toLowerCase() === type.toLowerCase()) &&
      (!vpgName || r.vpgName.toLowerCase() === vpgName.toLowerCase()) &&
      (start === undefined || r.startedAt >= start) &&
      (end === undefined || r.startedAt <= end));
    return { status: 200, body: rows.map((r) => renderReport(state, r)) };
  }));
  api.on("GET", "/v1/reports/recovery/:reportId", protect((req) => {
    const report = state.recoveryReports.find((r) => r.id === req.params.reportId);
    if (!report) throw new HttpError(404, `Recovery report ${req.params.reportId} was not found.`);
    return { status: 200, body: renderReport(state, report) };
  }));
}

/** While a test started through the API runs, the ZVM lists it as RunningFailOverTestApi (its stage). */
export function runningTestOf(vpg: VpgRecord): { Stage: string } | null {
  if (vpg.operation !== "failoverTest") return null;
  if (!vpg.test) return { Stage: "Running" };
  return { Stage: vpg.test.stopTaskId ? "Stopping" : vpg.test.upAt === undefined ? "Initializing" : "Running" };
}

