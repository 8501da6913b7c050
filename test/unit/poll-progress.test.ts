import * as assert from "node:assert/strict";
import { pollUntil } from "../../provider/http/poll";

describe("progress of long waits", () => {
  it("says now and then what it is still waiting for, how long so far and when it gives up", async () => {
    const lines: string[] = [];
    const doneAt = Date.now() + 260;
    const result = await pollUntil(async () => (Date.now() >= doneAt ? "done" : undefined), {
      initialDelayMs: 10, maxDelayMs: 10, timeoutMs: 60_000, what: "creating VPG 'web' (ZVM task 7)", progressEveryMs: 100, report: (l) => lines.push(l),
    });
    assert.equal(result, "done");
    assert.ok(lines.length >= 2 && lines.length <= 3, JSON.stringify(lines));
    assert.match(lines[0], /^pulumi-drprotect: still waiting for creating VPG 'web' \(ZVM task 7\): 0s so far, giving up after 1m00s$/);
  });

  it("stays quiet for a wait shorter than the interval", async () => {
    const lines: string[] = [];
    let polls = 0;
    await pollUntil(async () => (++polls === 3 ? true : undefined), { initialDelayMs: 5, timeoutMs: 5_000, what: "a task", report: (l) => lines.push(l) });
    assert.deepEqual(lines, []);
  });
});
