import { pollUntil, PollTimeoutError } from "./poll";

export type TaskErrorKind = "failed" | "cancelled" | "timedOut";

/**
 * A product task that did not succeed, for both products: it failed, was cancelled, or was still
 * running when the provider stopped waiting (then it may still finish, and what it makes may exist).
 */
export class TaskError extends Error {
  readonly product: string;
  readonly kind: TaskErrorKind;
  readonly taskId: string;
  /** What the task was doing, e.g. "creating VPG 'web'". */
  readonly operation: string;
  /** The server's explanation of a failure or cancellation; for a timeout, the whole message. */
  readonly reason: string;
  /** The server's error code, when it gives one. */
  readonly code?: string;
  /** The task's last known state, as the product reports it. */
  readonly task: unknown;

  constructor(details: { product: string; kind: TaskErrorKind; taskId: string; operation: string; reason?: string; code?: string; task: unknown },
    message: string) {
    super(message);
    this.name = "TaskError";
    this.product = details.product;
    this.kind = details.kind;
    this.taskId = details.taskId;
    this.operation = details.operation;
    this.reason = details.reason ?? message;
    this.code = details.code;
    this.task = details.task;
  }
}

/** Whether an error says a task ended without success (failed or cancelled), as opposed to one not waited out. */
export function taskRefused(err: unknown): err is TaskError {
  return err instanceof TaskError && err.kind !== "timedOut";
}

/** Why an operation failed: a task's own reason, else the error's message. */
export function reasonOf(err: unknown): string {
  return err instanceof TaskError ? err.reason : (err as Error)?.message ?? String(err);
}

/** What a task's state says: still running, done, or ended otherwise with the server's explanation. */
export type TaskOutcome = "running" | "succeeded" | { kind: "failed" | "cancelled"; reason: string; code?: string };

/** How long to wait for a task and how often to look (both products' clients take these). */
export interface TaskWaitOptions {
  /** How long a task may run (default: the connection's taskTimeoutSeconds). */
  taskTimeoutMs?: number;
  /** First and longest wait between polls of a task or listing. */
  pollInitialDelayMs?: number;
  pollMaxDelayMs?: number;
}

export interface TaskWatch<T> {
  product: string;
  taskId: string;
  operation: string;
  /** The task as last seen, when the request that started it returned it; else it is read first. */
  current?: T;
  read(): Promise<T>;
  outcome(task: T): TaskOutcome;
  /** The product's word for a running task, as a timeout reports it when no state was read. */
  runningState: string;
  /** The state a task is in, in the product's words, so that a timeout names the last one seen. */
  stateOf?(task: T): string;
  timeoutMs: number;
  /** The settings that give a task longer, named in a timeout's message. */
  timeoutSettings: string;
  /** Where the task can be seen after the provider stopped waiting. */
  whereToLook: string;
  poll: Pick<TaskWaitOptions, "pollInitialDelayMs" | "pollMaxDelayMs">;
}

/**
 * Polls a task (adaptively) until it ends. Success returns its last state; a failure, a
 * cancellation or the timeout throw TaskError, each naming the task and the operation.
 */
export async function waitForTask<T>(watch: TaskWatch<T>): Promise<T> {
  const about = { product: watch.product, taskId: watch.taskId, operation: watch.operation };
  const subject = `${watch.product} task ${watch.taskId} (${watch.operation})`;
  let current = watch.current;
  const settle = (task: T): T | undefined => {
    const outcome = watch.outcome(task);
    if (outcome === "running") return undefined;
    if (outcome === "succeeded") return task;
    const how = outcome.kind === "failed" ? "failed" : "was cancelled";
    throw new TaskError({ ...about, ...outcome, task }, `${subject} ${how}: ${outcome.reason}`);
  };
  const done = current === undefined ? undefined : settle(current);
  if (done !== undefined) return done;
  try {
    return await pollUntil(async () => settle((current = await watch.read())), {
      initialDelayMs: watch.poll.pollInitialDelayMs ?? 500,
      maxDelayMs: watch.poll.pollMaxDelayMs ?? 10_000,
      factor: 1.5,
      timeoutMs: watch.timeoutMs,
      what: `${watch.operation} (${watch.product} task ${watch.taskId})`,
    });
  } catch (err) {
    if (!(err instanceof PollTimeoutError)) throw err;
    throw new TaskError({ ...about, kind: "timedOut", task: current },
      `${subject} was still ${current !== undefined && watch.stateOf ? watch.stateOf(current) : watch.runningState} after ${Math.round(watch.timeoutMs / 1000)}s (raise ${watch.timeoutSettings} for long operations); `
      + `it may still finish: check it in ${watch.whereToLook} and run again`);
  }
}
