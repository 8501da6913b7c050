import assert from "node:assert/strict";
import { createZertoClient } from "../../provider/zerto/client";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";
import { startSlowUnauthorizedProxy } from "../fixtures/slowUnauthorizedProxy";

describe("Zerto sessions: a session known to be refused is never sent again (real HTTP)", function () {
  this.timeout(30_000);
  let sim: ZvmSimulator;
  let proxy: Awaited<ReturnType<typeof startSlowUnauthorizedProxy>>;

  before(async () => {
    sim = await startZvmSimulator({ authMode: "session" });
    proxy = await startSlowUnauthorizedProxy(sim.url, "x-zerto-session");
  });
  after(async () => {
    await proxy?.close();
    await sim?.close();
  });

  it("makes requests started after a 401 on the old session wait for one shared re-login, and none reuses the old session", async () => {
    const client = createZertoClient({ url: proxy.url, authMode: "session", username: "admin", password: "zerto-sim-password", insecure: false },
      { retry: { attempts: 1 } });
    await client.listVpgs();
    await fetch(`${sim.url}/_admin/zvm/expire-sessions`, { method: "POST" });
    sim.journal.clear();

    // the first request meets the 401; the others start while its body is still on the way
    const first = client.listVpgs();
    const later = Array.from({ length: 8 }, (_, i) => new Promise((resolve) => setTimeout(resolve, 150 + i * 20)).then(() => client.listVpgs()));
    const results = await Promise.allSettled([first, ...later]);

    assert.deepEqual(proxy.reused, [], "requests were sent with the session the ZVM had already refused");
    assert.deepEqual(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)), []);
    assert.equal(sim.journal.list().filter((e) => e.method === "POST" && e.path === "/v1/session/add").length, 1, "one re-login, shared");
  });
});
