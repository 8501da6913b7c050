import { HttpError, Router, uuid } from "../common";
import { queryParam } from "./binding";
import type { Definition } from "./settingsModel";
import { TASK_STATE, TaskRecord, TaskType, ZvmContext, ZvmState } from "./state";
import { validateCommit } from "./validate";

const STATE_NAMES = ["FirstUnusedValue", "InProgress", "WaitingForUserInput", "Paused", "Failed", "Stopped", "Completed", "Cancelling"];
const TASK_TYPES = ["CreateProtectionGroup", "RemoveProtectionGroup", "UpdateProtectionGroup", "FailOver", "FailOverTest", "StopFailOverTest", "Move"];

/** Starts the asynchronous side of a commit or delete; an armed task fault decides its fate up front. */
export function startTask(state: ZvmState, type: TaskType, initiatedBy: string, vpgId: string, def?: Definition): TaskRecord {
  const task: TaskRecord = {
    id: `${uuid()}.${state.localSiteId}`,
    type,
    initiatedBy,
    started: state.clock.now(),
    completed: null,
    completeReason: null,
    state: TASK_STATE.InProgress,
    progress: 0,
    polls: 0,
    vpgId,
    def,
  };
  const fault = state.taskFault;
  if (fault) {
    task.fault = { mode: fault.mode, reason: fault.reason, durationMs: fault.durationMs, answersState: fault.answersState };
    if (--fault.remaining <= 0) state.taskFault = undefined;
  }
  // Someone cancelled it in the ZVM UI. Assumption (the API lists 7/Cancelling among the states but not how
  // long a cancel takes: docs/api-notes/zerto.md#tasks): the cancel never completes while the client waits.
  if (task.fault?.mode === "cancelling") task.state = TASK_STATE.Cancelling;
  state.tasks[task.id] = task;
  return task;
}

/** A GET of the task: it completes after `taskPolls` of them. */
function pollTask(state: ZvmState, task: TaskRecord): void {
  if (task.state !== TASK_STATE.InProgress || task.fault?.mode === "stuck") return;
  if (task.polls >= state.timings.taskPolls && task.fault?.mode !== "slow") {
    runTask(state, task, state.clock.now());
  } else {
    task.polls++;
    task.progress = Math.round((100 * task.polls) / (state.timings.taskPolls + 1));
  }
}

/** Tasks also finish on their own, so a client that never heard the task id (dropped response) is not stranded. */
export function tickTasks(state: ZvmState): void {
  const { taskCompleteMs } = state.timings;
  const now = state.clock.now();
  // Completed at the time it was due, not when someone next looked (the clock may have jumped).
  for (const task of Object.values(state.tasks)) {
    const duration = task.fault?.mode === "slow" ? task.fault.durationMs! : taskCompleteMs;
    if (duration <= 0) continue;
    const due = task.started + duration;
    if (task.state === TASK_STATE.InProgress && task.fault?.mode !== "stuck" && now >= due) runTask(state, task, due);
  }
}

type TaskRunner = (state: ZvmState, task: TaskRecord, now: number) => void;

/** Tasks of operations other than commit and delete (failover tests), each run by the module that models it. */
const operationRunners: Partial<Record<TaskType, TaskRunner>> = {};

export function runTasksOfType(types: TaskType[], runner: TaskRunner): void {
  for (const type of types) operationRunners[type] = runner;
}

/** Runs the business side of the task: validation, then the change to the VPG. */
function runTask(state: ZvmState, task: TaskRecord, now: number): void {
  const runner = operationRunners[task.type];
  if (runner) {
    runner(state, task, now);
    return;
  }
  const vpg = state.vpgs[task.vpgId];
  const def = task.def;
  let reasons: string[];
  if (task.fault?.mode === "fail") reasons = [task.fault.reason];
  else if (task.type === "RemoveProtectionGroup") reasons = vpg ? [] : [`VPG ${task.vpgId} does not exist.`];
  else reasons = validateCommit(state, def!, task.vpgId, task.type === "CreateProtectionGroup");

  task.completed = now;
  delete task.def;
  if (reasons.length > 0) {
    task.state = TASK_STATE.Failed;
    task.completeReason = reasons.join(" ");
    if (vpg && task.type === "RemoveProtectionGroup") vpg.deleting = false;
    return;
  }
  task.state = TASK_STATE.Completed;
  task.progress = 100;
  task.completeReason = "";
  if (task.type === "RemoveProtectionGroup") {
    delete state.vpgs[task.vpgId];
  } else if (vpg) {
    vpg.def = def!;
  } else {
    const visibleAt = now + state.listingLagMs;
    state.vpgs[task.vpgId] = { id: task.vpgId, def: def!, visibleAt, syncedAt: visibleAt + state.timings.initializingMs, deleting: false };
  }
}

function renderTask(state: ZvmState, t: TaskRecord): Record<string, unknown> {
  // A create task names its VPG only once the VPG exists.
  const vpgKnown = t.type !== "CreateProtectionGroup" || t.state === TASK_STATE.Completed;
  return {
    TaskIdentifier: t.id,
    Type: t.type,
    InitiatedBy: t.initiatedBy,
    Started: state.clock.iso(t.started),
    Completed: t.completed === null ? null : state.clock.iso(t.completed),
    CompleteReason: t.completeReason,
    IsCancellable: false,
    // a task held by a fault may answer another state while it is under way (WaitingForUserInput, Paused, ...)
    Status: { State: t.state === TASK_STATE.InProgress ? t.fault?.answersState ?? t.state : t.state, Progress: t.progress },
    RelatedEntities: {
      Vpgs: vpgKnown ? [state.link(`vpgs/${t.vpgId}`, t.vpgId, "VpgApi")] : [],
      Sites: [state.link("localsite", state.localSiteId, "LocalSiteApi")],
      Hosts: [],
      FlrSessions: [],
    },
    Link: state.link(`tasks/${t.id}`, t.id, "TaskApi"),
    Generation: 1,
  };
}

function dateFilter(query: URLSearchParams, name: string): number | undefined {
  const raw = queryParam(query, name);
  if (raw === undefined || raw === "") return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) throw new HttpError(400, `The request is invalid. The value '${raw}' is not valid for ${name}.`);
  return at;
}

export function registerTaskRoutes(api: Router, { state, protect }: ZvmContext): void {
  api.on("GET", "/v1/tasks", protect((req) => {
    const q = req.query;
    const startedBefore = dateFilter(q, "startedBeforeDate");
    const startedAfter = dateFilter(q, "startedAfterDate");
    const completedBefore = dateFilter(q, "completedBeforeDate");
    const completedAfter = dateFilter(q, "completedAfterDate");
    const type = queryParam(q, "type")?.toLowerCase();
    const status = queryParam(q, "status")?.toLowerCase();
    const tasks = Object.values(state.tasks).filter((t) =>
      (startedBefore === undefined || t.started < startedBefore) &&
      (startedAfter === undefined || t.started > startedAfter) &&
      (completedBefore === undefined || (t.completed !== null && t.completed < completedBefore)) &&
      (completedAfter === undefined || (t.completed !== null && t.completed > completedAfter)) &&
      (!type || t.type.toLowerCase() === type) &&
      (!status || String(t.state) === status || STATE_NAMES[t.state].toLowerCase() === status));
    return { status: 200, body: tasks.sort((a, b) => b.started - a.started).map((t) => renderTask(state, t)) };
  }));
  api.on("GET", "/v1/tasks/types", protect(() => ({ status: 200, body: TASK_TYPES })));
  api.on("GET", "/v1/tasks/:taskId", protect((req) => {
    const task = state.tasks[req.params.taskId];
    if (!task) throw new HttpError(404, `Task ${req.params.taskId} was not found.`);
    pollTask(state, task);
    return { status: 200, body: renderTask(state, task) };
  }));
}
