import assert from "node:assert/strict";
import { TaskError } from "../../provider/http";
import { createVcdaClient } from "../../provider/vcda/client";
import { describeVcdaError } from "../../provider/vcda/models";

// Port 9 (discard) on loopback: nothing is ever sent, these tests stop before any request.
const URL = "http://127.0.0.1:9";

describe("VCDA client: before any request", () => {
  const cases: Array<[string, object, RegExp]> = [
    ["vcdCredentials", { username: "root@System" }, /authType vcdCredentials, which needs vcda:username and vcda:password/],
    ["ssoCredentials", { password: "x-secret" }, /authType ssoCredentials, which needs vcda:username and vcda:password/],
    ["localUser", {}, /authType localUser, which needs vcda:password/],
    ["vcdAccessToken", { username: "someone" }, /authType vcdAccessToken, which needs vcda:token \(VCDA_TOKEN\)/],
  ];
  for (const [authType, credentials, message] of cases) {
    it(`refuses a ${authType} connection without its credentials, naming the settings`, () => {
      assert.throws(() => createVcdaClient({ url: URL, authType: authType as any, insecure: false, ...credentials }), message);
    });
  }

  it("accepts a complete connection without contacting VCDA", () => {
    createVcdaClient({ url: URL, authType: "localUser", password: "vcda-sim-root-password", insecure: false });
  });
});

describe("VCDA client: error texts", () => {
  it("renders VCDA's error body as 'code: msg'", () => {
    assert.equal(describeVcdaError(400, { code: "PolicyInUse", msg: "Policy 'Gold' cannot be deleted.", args: [] }), "PolicyInUse: Policy 'Gold' cannot be deleted.");
    assert.equal(describeVcdaError(502, "<html>bad gateway</html>"), undefined);
  });

  it("gives a failed task's reason as VCDA's message and code, naming the task and its operation", async () => {
    // a task that comes back FAILED is settled from that answer: nothing is sent
    const client = createVcdaClient({ url: URL, authType: "localUser", password: "vcda-sim-root-password", insecure: false });
    const failed = client.waitForTask({
      id: "t", state: "FAILED", site: "cloud-east", result: null,
      workflowInfo: { type: "start", resourceType: "vmReplication", resourceId: null, resourceName: "acme-web-01" },
      error: { code: "PolicyViolation", msg: "RPO 5 minutes is below the minimum 15 minutes allowed." },
    });
    await assert.rejects(failed, (error: unknown) => {
      assert.ok(error instanceof TaskError);
      assert.equal(error.kind, "failed");
      assert.equal(error.product, "VCDA");
      assert.equal(error.taskId, "t");
      assert.equal(error.reason, "RPO 5 minutes is below the minimum 15 minutes allowed. (PolicyViolation)");
      assert.equal(error.code, "PolicyViolation");
      assert.equal(error.message, "VCDA task t (start on acme-web-01) failed: RPO 5 minutes is below the minimum 15 minutes allowed. (PolicyViolation)");
      return true;
    });
  });
});
