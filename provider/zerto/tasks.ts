import type { ZertoTask } from "./models";

// Reading ZVM tasks: a task's id, the newest first, the VPGs a task names.

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
