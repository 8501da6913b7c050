import * as assert from "node:assert/strict";
import { waitForTask } from "../../provider/http";
import { taskInProgress } from "../../provider/vcda/client";
import type { VcdaTask } from "../../provider/vcda/models";
import { describeTaskState } from "../../provider/zerto/tasks";

const vcdaTask = (state: string) => ({ id: "t", state, site: "cloud-east" }) as unknown as VcdaTask;

describe("task states: one wait rule per product", () => {
  it("VCDA: only SUCCEEDED and FAILED end a task; QUEUED and states the guide does not name keep it going", () => {
    for (const state of ["QUEUED", "RUNNING", "PAUSED", "CANCELING", ""]) assert.equal(taskInProgress(vcdaTask(state)), true, state);
    for (const state of ["SUCCEEDED", "FAILED"]) assert.equal(taskInProgress(vcdaTask(state)), false, state);
  });

  it("Zerto: a state is named with its TaskStatusEnumApi name when it has one, and its progress", () => {
    assert.equal(describeTaskState({ Status: { State: 2, Progress: 40 } }), "in state 2 (WaitingForUserInput), 40% done");
    assert.equal(describeTaskState({ Status: { State: 12 } }), "in state 12");
    assert.equal(describeTaskState({}), "no state");
  });

  it("a timeout names the last state seen, not the product's word for running", async () => {
    let reads = 0;
    const states = ["QUEUED", "QUEUED", "WAITING_FOR_REPLICATOR"];
    await assert.rejects(waitForTask<string>({
      product: "VCDA", taskId: "t-1", operation: "start on web",
      read: async () => states[Math.min(reads++, states.length - 1)],
      outcome: () => "running",
      runningState: "RUNNING", stateOf: (state) => state,
      timeoutMs: 60, timeoutSettings: "VCDA_TASK_TIMEOUT_SECONDS or vcda:taskTimeoutSeconds",
      whereToLook: "VCDA", poll: { pollInitialDelayMs: 5, pollMaxDelayMs: 5 },
    }), /VCDA task t-1 \(start on web\) was still WAITING_FOR_REPLICATOR after 0s/);
  });
});
