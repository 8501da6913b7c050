/**
 * The id a create is recorded under while its appliance task still runs: the ZVM names the VPG only
 * when the task ends. Read, update and delete resolve it through the task; the SDK reads it to
 * show the object's own id (the `idOutput`) as soon as an update has recorded it.
 */
const PENDING_PREFIX = "pending-create-task:";

export function pendingTaskOf(id: string): string | undefined {
  return id.startsWith(PENDING_PREFIX) ? id.slice(PENDING_PREFIX.length) : undefined;
}

export function pendingIdOf(taskId: string): string {
  return `${PENDING_PREFIX}${taskId}`;
}
