import { randomUUID } from "node:crypto";
import { Router, SimClock } from "../common";
import { apiError, applyFilters, badRequest, equalsFilter, fail, Filters, listFilter, paginate, timeFilter } from "./api";
import { authenticatedSite } from "./auth";
import type { SessionManager, Session } from "./auth";
import type { ApiError, Task, TaskOutcome, TaskRecord, VcdaStore } from "./state";

export interface TaskSpec {
  type: string;
  resourceType: string;
  resourceId?: string | null;
  resourceName?: string | null;
  resultType?: string | null;
  site: string;
  sourceOrg?: string | null;
  destinationOrg?: string | null;
}

/** What a workflow would do; `apply` runs only if no injected task fault turns the task into a failure. */
export type Workflow = { error: ApiError } | { apply: () => TaskOutcome };

const POLL_COLUMNS = ["id", "user", "workflowInfo.type", "workflowInfo.resourceType", "workflowInfo.resourceId",
  "workflowInfo.resourceName", "progress", "state", "lastUpdated", "startTime", "endTime", "resultType", "result", "error",
  "warnings", "site"];

/**
 * Long-running operations. A workflow's side effect is applied when the task is accepted (so a client
 * whose 202 response was lost still finds the result), while the task itself reports QUEUED on its first
 * read (unless queueing is off), then RUNNING until it has been read `taskPolls` times, then SUCCEEDED or
 * FAILED. A "slow" task fault instead runs the task for a set time and applies its effect only when it
 * ends: a task ends SUCCEEDED or FAILED and gives `workflowInfo.resourceId` while it runs ("Identifier of
 * the resource associated with the task"), but the API does not say when the resource becomes readable
 * (docs/api-notes/vcda.md#tasks); an appliance under load can show it late.
 */
export class TaskEngine {
  /** queued: every task is QUEUED until its first read, then RUNNING (off: RUNNING from the start). */
  constructor(private readonly store: VcdaStore, private readonly clock: SimClock, private readonly taskPolls: number, private readonly queued = true) {}

  start(session: Session, spec: TaskSpec, workflow: Workflow): Task {
    const now = this.clock.now();
    const task: Task = {
      id: randomUUID(),
      user: session.user,
      workflowInfo: { type: spec.type, resourceType: spec.resourceType, resourceId: spec.resourceId ?? null, resourceName: spec.resourceName ?? null },
      progress: 0,
      state: this.queued ? "QUEUED" : "RUNNING",
      lastUpdated: now,
      startTime: now,
      endTime: -1,
      resultType: spec.resultType ?? null,
      result: null,
      error: null,
      warnings: [],
      site: spec.site,
    };
    const record: TaskRecord = {
      task, reads: 0, outcome: this.outcome(spec.type, workflow),
      sourceOrg: spec.sourceOrg ?? null, destinationOrg: spec.destinationOrg ?? null,
    };
    this.store.data.tasks[task.id] = record;
    this.store.changed();
    if (record.outcome.kind === "slow") {
      const { until } = record.outcome;
      this.slowWorkflows.set(task.id, workflow);
      // it ends on its own time, polled or not (a real appliance does not wait for its clients)
      setTimeout(() => this.endSlow(record), Math.max(0, until - now)).unref();
    } else if (this.taskPolls <= 0) this.finish(record);
    return structuredClone(task);
  }

  /** Workflows of slow tasks, run when the task ends (kept out of the persisted state: functions). */
  private readonly slowWorkflows = new Map<string, Workflow>();

  private endSlow(record: TaskRecord): void {
    const workflow = this.slowWorkflows.get(record.task.id);
    if (!workflow || !inProgress(record.task)) return;
    this.slowWorkflows.delete(record.task.id);
    record.outcome = "error" in workflow ? { kind: "fail", error: workflow.error } : workflow.apply();
    this.finish(record);
    this.store.changed();
    this.store.saveIfChanged();
  }

  routes(router: Router, sessions: SessionManager): void {
    router
      .on("GET", "/tasks/:id", sessions.authed((req, session) => {
        authenticatedSite(req, this.store, session);
        const record = this.store.data.tasks[req.params.id];
        if (!record || !visible(record, session)) fail(404, "TaskNotFound", `Task with id '${req.params.id}' was not found.`, [req.params.id]);
        return { status: 200, body: this.read(record) };
      }))
      .on("POST", "/tasks/poll", sessions.authed((req, session) => {
        authenticatedSite(req, this.store, session);
        if (!Array.isArray(req.body) || !req.body.every((id: unknown) => typeof id === "string")) {
          badRequest("InvalidTaskIds", "The request body must be a JSON array of task ids.");
        }
        const records = (req.body as string[]).map((id) => this.store.data.tasks[id]).filter((r) => r && visible(r, session));
        const values = records.map((r) => columns(this.read(r)));
        return { status: 200, body: { propertyNames: POLL_COLUMNS, values } };
      }))
      .on("GET", "/tasks", sessions.authed((req, session) => {
        authenticatedSite(req, this.store, session);
        for (const adminOnly of ["user", "destinationOrg"]) {
          if (req.query.has(adminOnly) && !session.isAdmin) fail(403, "Forbidden", `Permission denied: only administrators can filter tasks by '${adminOnly}'.`);
        }
        const mine = Object.values(this.store.data.tasks).filter((r) => visible(r, session));
        const filtered = applyFilters(mine, req.query, TASK_FILTERS);
        const page = paginate(filtered, req.query, TASK_SORT, "startTime-");
        return { status: 200, body: { ...page, items: page.items.map((r) => this.read(r)) } };
      }));
  }

  /** One client read of a task: counts towards `taskPolls` and finishes the task on the last one. */
  private read(record: TaskRecord): Task {
    if (record.outcome.kind === "slow" && this.clock.now() >= record.outcome.until) this.endSlow(record);
    if (record.task.state === "QUEUED") {
      // the first read sees it queued; it starts running afterwards
      const seen = structuredClone(record.task);
      record.task.state = "RUNNING";
      record.task.lastUpdated = this.clock.now();
      this.store.changed();
      return seen;
    }
    if (record.task.state === "RUNNING" && record.outcome.kind !== "stuck" && record.outcome.kind !== "slow") {
      record.reads++;
      if (record.reads >= this.taskPolls) this.finish(record);
      else {
        record.task.progress = Math.floor((100 * record.reads) / this.taskPolls);
        record.task.lastUpdated = this.clock.now();
      }
      this.store.changed();
    }
    return structuredClone(record.task);
  }

  private finish(record: TaskRecord): void {
    const { task, outcome } = record;
    const now = this.clock.now();
    task.lastUpdated = now;
    task.endTime = now;
    task.progress = 100;
    if (outcome.kind === "fail") {
      task.state = "FAILED";
      task.error = outcome.error;
    } else if (outcome.kind === "succeed") {
      task.state = "SUCCEEDED";
      // The up-to-date replication, or what it was when the task ran if it has since been removed.
      const current = outcome.replicationId ? this.store.data.replications[outcome.replicationId]?.replication : undefined;
      task.result = structuredClone(current ?? outcome.snapshot ?? null);
    }
  }

  /** Consumes one injected task fault, if any, before the workflow gets a chance to change state. */
  private outcome(type: string, workflow: Workflow): TaskOutcome {
    const index = this.store.taskFaults.findIndex((f) => f.type === undefined || f.type === type);
    const fault = this.store.taskFaults[index];
    if (fault) {
      if (--fault.remaining <= 0) this.store.taskFaults.splice(index, 1);
      if (fault.mode === "stuck") return { kind: "stuck" };
      if (fault.mode === "slow") return { kind: "slow", until: this.clock.now() + (fault.durationMs ?? 0) };
      return { kind: "fail", error: apiError(fault.code ?? "GeneralServerFailure", fault.msg ?? "Injected task failure.") };
    }
    return "error" in workflow ? { kind: "fail", error: workflow.error } : workflow.apply();
  }
}

function inProgress(task: Task): boolean {
  return task.state === "QUEUED" || task.state === "RUNNING";
}

function visible(record: TaskRecord, session: Session): boolean {
  return session.isAdmin || record.task.user === session.user;
}

function columns(task: Task): unknown[] {
  return POLL_COLUMNS.map((name) => name.split(".").reduce<any>((value, key) => value?.[key], task));
}

const TASK_FILTERS: Filters<TaskRecord> = {
  ids: listFilter((r) => r.task.id),
  sourceOrg: equalsFilter((r) => r.sourceOrg),
  destinationOrg: equalsFilter((r) => r.destinationOrg),
  user: equalsFilter((r) => r.task.user),
  state: equalsFilter((r) => r.task.state),
  startTimeBefore: timeFilter((r) => r.task.startTime, "before"),
  startTimeAfter: timeFilter((r) => r.task.startTime, "after"),
  endTimeBefore: timeFilter((r) => r.task.endTime, "before"),
  endTimeAfter: timeFilter((r) => r.task.endTime, "after"),
  type: equalsFilter((r) => r.task.workflowInfo.type),
  resourceId: equalsFilter((r) => r.task.workflowInfo.resourceId),
  resourceName: equalsFilter((r) => r.task.workflowInfo.resourceName),
  resourceType: equalsFilter((r) => r.task.workflowInfo.resourceType),
};

const TASK_SORT: Record<string, (r: TaskRecord) => string | number> = {
  startTime: (r) => r.task.startTime,
  endTime: (r) => r.task.endTime,
  state: (r) => r.task.state,
  user: (r) => r.task.user,
};
