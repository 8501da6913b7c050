import { TASK_STATE, ZertoTask } from "./models";

// Reading ZVM tasks: a task's id and state, the newest first, the VPGs a task names.

/** A task id from a bare JSON string answer or a task object (10.x keeps it in Link.identifier). */
export function taskIdOf(value: unknown): string {
  if (typeof value === "string" && value) return value;
  const task = value as ZertoTask | undefined;
  const id = task?.TaskIdentifier ?? task?.Link?.identifier;
  if (!id) throw new Error(`Zerto: expected a task identifier, got ${JSON.stringify(value)?.slice(0, 100)}`);
  return id;
}

export function newestFirst(tasks: ZertoTask[]): ZertoTask[] {
  return [...tasks].sort((a, b) => Date.parse(b.Started ?? "") - Date.parse(a.Started ?? ""));
}

export function relatesTo(task: ZertoTask, vpgId: string): boolean {
  return (task.RelatedEntities?.Vpgs ?? []).some((v) => v.identifier === vpgId);
}

/** TaskStatusEnumApi names (docs/api-notes/zerto.md#tasks), for messages. */
const TASK_STATE_NAMES: Record<number, string> = {
  0: "FirstUnusedValue", 1: "InProgress", 2: "WaitingForUserInput", 3: "Paused", 4: "Failed", 5: "Stopped", 6: "Completed", 7: "Cancelling",
};

/** Whether a task can change no more: Completed, Failed or Stopped; any other state (even one no document names) may yet move. */
export function taskEnded(task: ZertoTask): boolean {
  const state = task.Status?.State;
  return state === TASK_STATE.Completed || state === TASK_STATE.Failed || state === TASK_STATE.Stopped;
}

/** A task's state for a timeout message: "in state 3 (Paused), 40% done". */
export function describeTaskState(task: ZertoTask): string {
  const state = task.Status?.State;
  const name = state === undefined ? "no state" : `in state ${state}${TASK_STATE_NAMES[state] ? ` (${TASK_STATE_NAMES[state]})` : ""}`;
  return task.Status?.Progress === undefined ? name : `${name}, ${task.Status.Progress}% done`;
}
