import assert from "node:assert/strict";
import { createVcdaClient } from "../../provider/vcda/client";
import { createReplicationPolicyHandler } from "../../provider/vcda/replicationPolicy";
import { startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";
import { startSlowUnauthorizedProxy } from "../fixtures/slowUnauthorizedProxy";

const PROVIDER_PASSWORD = "vcda-sim-vcd-password";

describe("VCDA sessions: a token known to be refused is never sent again (strict simulator, real HTTP)", function () {
  this.timeout(30_000);
  let sim: VcdaSimulator;
  let proxy: Awaited<ReturnType<typeof startSlowUnauthorizedProxy>>;

  before(async () => {
    sim = await startVcdaSimulator({ strictAuth: true, taskPolls: 0 });
    proxy = await startSlowUnauthorizedProxy(sim.url);
  });
  after(async () => {
    await proxy?.close();
    await sim?.close();
  });

  it("makes requests started after a 401 on the old token wait for one shared re-login, and none reuses the old token", async () => {
    const client = createVcdaClient({ url: proxy.url, authType: "vcdCredentials", username: "root@System", password: PROVIDER_PASSWORD, insecure: false },
      { retry: { attempts: 1 } });
    await client.listPolicies();
    await fetch(`${sim.url}/_admin/vcda/expire-sessions`, { method: "POST" });
    sim.journal.clear();

    // the first request meets the 401; the others start while its body is still on the way
    const first = client.listPolicies();
    const later = Array.from({ length: 8 }, (_, i) => new Promise((resolve) => setTimeout(resolve, 150 + i * 20)).then(() => client.listPolicies()));
    const results = await Promise.allSettled([first, ...later]);

    const violations = await (await fetch(`${sim.url}/_admin/vcda/auth-violations`)).json();
    assert.deepEqual(violations, [], "requests were sent with the token the server had already refused");
    assert.deepEqual(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)), []);
    assert.equal(sim.journal.list().filter((e) => e.method === "POST" && e.path === "/sessions").length, 1, "one re-login, shared");
  });
});

describe("VCDA ReplicationPolicy: a policy that existed before the create is never taken unasked (real HTTP)", function () {
  this.timeout(30_000);
  let sim: VcdaSimulator;
  const clientFor = () => createVcdaClient({ url: sim.url, authType: "vcdCredentials", username: "root@System", password: PROVIDER_PASSWORD, insecure: false });
  const handler = createReplicationPolicyHandler(clientFor);
  const inputs = async (extra: Record<string, unknown>) => (await handler.check({}, { displayName: "Gold", minRpo: 30, maxInstances: 24, ...extra } as any)).inputs!;

  before(async () => {
    sim = await startVcdaSimulator({ taskPolls: 0 });
    await fetch(`${sim.url}/_admin/vcda/policies/0a11c0de-0000-4000-8000-00000000601d`, {
      method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ displayName: "Gold", minRpo: 15, maxInstances: 24 }),
    });
  });
  after(async () => { await sim?.close(); });

  it("refuses the create, naming the policy found, without adoptExisting", async () => {
    await assert.rejects(handler.create(await inputs({})), /replication policy 'Gold' exists \(0a11c0de-0000-4000-8000-00000000601d\)[\s\S]*existed before our request/);
  });

  it("refuses adoption of a differing policy with each difference, and converges it with \"overwrite\"", async () => {
    await assert.rejects(handler.create(await inputs({ adoptExisting: true })), /minRpo 15 → 30[\s\S]*nothing was changed/);
    const adopted = await handler.create(await inputs({ adoptExisting: "overwrite" }));
    assert.equal(adopted.id, "0a11c0de-0000-4000-8000-00000000601d");
    assert.equal(adopted.outs.minRpo, 30);
  });
});
