import * as assert from "node:assert/strict";
import { TaskError, taskRefused, TaskWatch, waitForTask } from "../../provider/http";

/** A task seen through a list of states, one per read; the last one repeats. */
function watchOf(states: string[], overrides: Partial<TaskWatch<string>> = {}): TaskWatch<string> {
  let reads = 0;
  return {
    product: "Zerto", taskId: "t-1", operation: "creating VPG 'web'",
    read: async () => states[Math.min(reads++, states.length - 1)],
    outcome: (state) => (state === "running" ? "running" : state === "done" ? "succeeded"
      : { kind: state === "stopped" ? "cancelled" : "failed", reason: `the ZVM says ${state}`, code: "E1" }),
    runningState: "in progress", timeoutMs: 60_000, timeoutSettings: "ZERTO_TASK_TIMEOUT_SECONDS or zerto:taskTimeoutSeconds",
    whereToLook: "the ZVM's task list", poll: { pollInitialDelayMs: 5, pollMaxDelayMs: 5 },
    ...overrides,
  };
}

describe("one task error for both products", () => {
  it("returns the task's last state once it succeeds", async () => {
    assert.equal(await waitForTask(watchOf(["running", "running", "done"])), "done");
  });

  it("settles a task that came back already ended without reading it again", async () => {
    const watch = watchOf([], { current: "failed", read: async () => assert.fail("read") });
    await assert.rejects(waitForTask(watch), { name: "TaskError", kind: "failed", taskId: "t-1", code: "E1" });
  });

  it("names the product, the task and the operation of a failed task, with the server's reason", async () => {
    await assert.rejects(waitForTask(watchOf(["running", "failed"])), (err: unknown) => {
      assert.ok(err instanceof TaskError && taskRefused(err));
      assert.equal(err.message, "Zerto task t-1 (creating VPG 'web') failed: the ZVM says failed");
      assert.equal(err.reason, "the ZVM says failed");
      return true;
    });
  });

  it("tells a cancelled task from a failed one", async () => {
    await assert.rejects(waitForTask(watchOf(["stopped"])), { kind: "cancelled", message: "Zerto task t-1 (creating VPG 'web') was cancelled: the ZVM says stopped" });
  });

  it("ends a wait past the timeout with a TaskError that may still finish, naming the settings that give it longer", async () => {
    await assert.rejects(waitForTask(watchOf(["running"], { timeoutMs: 50 })), (err: unknown) => {
      assert.ok(err instanceof TaskError);
      assert.equal(err.kind, "timedOut");
      assert.equal(taskRefused(err), false);
      assert.equal(err.task, "running");
      assert.match(err.message, /^Zerto task t-1 \(creating VPG 'web'\) was still in progress after 0s \(raise ZERTO_TASK_TIMEOUT_SECONDS or zerto:taskTimeoutSeconds for long operations\); it may still finish/);
      return true;
    });
  });
});
