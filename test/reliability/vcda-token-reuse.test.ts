import assert from "node:assert/strict";
import { createVcdaClient } from "../../provider/vcda/client";
import { startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";

const PROVIDER = { authType: "vcdCredentials" as const, username: "root@System", password: "vcda-sim-vcd-password", insecure: false };

/**
 * The leftover of issue 24: a VCDA request sent with a token after the server answered 401 for it.
 * Concurrent reads, local and at the remote cloud site, meet an expired session: every one must wait
 * for the one re-login and use its token; the strict simulator records any request that carries the
 * refused token after its 401 (GET /_admin/vcda/auth-violations).
 */
describe("VCDA sessions: concurrent reads during a re-login never send the refused token again (strict simulator, real HTTP)", function () {
  this.timeout(60_000);
  let sim: VcdaSimulator;

  beforeEach(async () => {
    sim = await startVcdaSimulator({ strictAuth: true, taskPolls: 0 });
  });
  afterEach(async () => { await sim?.close(); });

  const violations = async () => (await fetch(`${sim.url}/_admin/vcda/auth-violations`)).json();
  const expire = () => fetch(`${sim.url}/_admin/vcda/expire-sessions`, { method: "POST" });
  const logins = () => sim.journal.list().filter((e) => e.method === "POST" && e.path === "/sessions").length;

  it("reads only at the remote site, whose extension meets the expired token first", async () => {
    const client = createVcdaClient({ url: sim.url, ...PROVIDER }, { retry: { attempts: 1 } });
    await client.listPolicies();
    await expire();
    sim.journal.clear();
    const read = (i: number) => client.getReplication(`c0ffee00-0000-4000-8000-00000000000${i % 10}`, sim.remoteSite);
    const first = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => read(i)));
    await new Promise((resolve) => setTimeout(resolve, 750));
    const second = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => read(i)));

    assert.deepEqual(await violations(), [], "requests were sent with the token the server had already refused");
    assert.deepEqual([...first, ...second].filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)), []);
    assert.equal(logins(), 1, "one re-login, shared by every read");
  });

  for (const warmRemote of [false, true]) {
    it(`reads at the local and the remote site after the session expired (session ${warmRemote ? "already" : "not yet"} extended to the remote site)`, async () => {
      const client = createVcdaClient({ url: sim.url, ...PROVIDER }, { retry: { attempts: 1 } });
      await client.listPolicies();
      if (warmRemote) await client.listVdcs(sim.remoteSite);
      await expire();
      sim.journal.clear();

      const reads = () => [
        ...Array.from({ length: 6 }, () => client.listPolicies()),
        ...Array.from({ length: 6 }, () => client.listVdcs(sim.remoteSite)),
        ...Array.from({ length: 4 }, (_, i) => client.getReplication(`c0ffee00-0000-4000-8000-00000000000${i}`, sim.remoteSite)),
      ];
      const first = await Promise.allSettled(reads());
      // a second wave well after the first 401 (past the simulator's grace for requests already on the wire)
      await new Promise((resolve) => setTimeout(resolve, 750));
      const second = await Promise.allSettled(reads());

      assert.deepEqual(await violations(), [], "requests were sent with the token the server had already refused");
      const failures = [...first, ...second].filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
      assert.deepEqual(failures, []);
      assert.equal(logins(), 1, "one re-login, shared by every read");
    });
  }

  it("a credentials extension that meets the expired token is not repeated, yet its token is never sent again and the next read logs in anew", async () => {
    const tenant = { url: sim.url, authType: "vcdCredentials" as const, username: "admin@org-acme", password: "vcda-sim-tenant-password", insecure: false,
      remoteSites: { "cloud-west": { type: "credentials" as const, username: "admin@org-acme", password: "vcda-sim-tenant-password" } } };
    const client = createVcdaClient(tenant, { retry: { attempts: 1 } });
    await client.listPolicies().catch(() => undefined);
    await expire();
    sim.journal.clear();
    const read = (i: number) => client.getReplication(`c0ffee00-0000-4000-8000-00000000000${i}`, sim.remoteSite);
    const first = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => read(i)));
    await new Promise((resolve) => setTimeout(resolve, 750));
    const second = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => read(i)));

    assert.deepEqual(await violations(), [], "requests were sent with the token the server had already refused");
    // its 401 may be the site credentials': they are not sent twice for one extension
    for (const result of first) assert.match(String((result as PromiseRejectedResult).reason), /could not extend the session to remote site 'cloud-west' \(POST \/sessions\/extend, type credentials\)/);
    assert.deepEqual(second.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)), []);
    assert.deepEqual(sim.journal.list().filter((e) => e.path === "/sessions/extend").map((e) => e.status), [401, 200]);
  });
});
