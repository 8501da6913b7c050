import { strict as assert } from "node:assert";
import { openDefaultPolicy } from "../../harness/sims";
import type { VmReplicationInputs } from "../../provider/inputs.generated";
import { clearPreflightCache } from "../../provider/preflight";
import { createVcdaClient } from "../../provider/vcda/client";
import { createVmReplicationHandler } from "../../provider/vcda/vmReplication";
import { loadInventory, startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";

const inventory = loadInventory();
const acmeEast = inventory.vdcs.find((v) => v.org === "org-acme" && v.site === "cloud-east")!;
const acmeWest = inventory.vdcs.find((v) => v.org === "org-acme" && v.site === "cloud-west")!;
const web = inventory.vms.find((v) => v.name === "acme-web-01")!;
const ACME = { username: "admin@org-acme", password: "vcda-sim-tenant-password" };
const GLOBEX = { username: "admin@org-globex", password: "vcda-sim-tenant-password" };
const PROVIDER = { username: "root@System", password: "vcda-sim-vcd-password" };

async function session(url: string, who: { username: string; password: string }): Promise<(path: string) => Promise<{ status: number; body: any }>> {
  const login = await fetch(`${url}/sessions`, { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ type: "vcdCredentials", vcdUser: who.username, vcdPassword: who.password }) });
  assert.equal(login.status, 200, await login.clone().text());
  const token = login.headers.get("x-vcav-auth")!;
  return async (path) => {
    const response = await fetch(`${url}${path}`, { headers: { "X-VCAV-Auth": token } });
    return { status: response.status, body: await response.json() };
  };
}

const reasons = (result: { failures?: Array<{ reason: string }> }) => (result.failures ?? []).map((f) => f.reason);

describe("VCDA on-premises sites and remote cloud sites at preview (real HTTP, strict simulator)", function () {
  this.timeout(30_000);
  let sim: VcdaSimulator;
  before(async () => {
    sim = await startVcdaSimulator();
    await openDefaultPolicy(sim.url);
  });
  after(async () => { await sim?.close(); });
  beforeEach(() => {
    clearPreflightCache();
    sim.journal.clear();
  });

  describe("the simulator", () => {
    it("lists cloud sites at GET /sites and the on-premises sites paired to them apart, at GET /vc-sites, each tenant its own", async () => {
      const acme = await session(sim.url, ACME);
      assert.deepEqual((await acme("/sites")).body.map((s: any) => s.site), ["cloud-east", "cloud-west"]);
      assert.deepEqual((await acme("/vc-sites")).body, [{ site: "onprem-dc1", description: "On-premises site paired with org-acme", owner: "org-acme" }]);
      assert.deepEqual((await (await session(sim.url, GLOBEX))("/vc-sites")).body, []);
    });

    it("refuses a remote cloud site's inventory to a session not extended to it, unless strictRemoteReads is off", async () => {
      const read = await session(sim.url, PROVIDER);
      const remote = await read("/inventory/vdcs?site=cloud-west");
      assert.equal(remote.status, 403);
      assert.match(remote.body.msg, /not authenticated to site 'cloud-west'; extend it with POST \/sessions\/extend/);
      assert.equal((await read("/inventory/vdcs?site=cloud-east")).status, 200);
      const lenient = await startVcdaSimulator({ strictRemoteReads: false });
      try {
        assert.equal((await (await session(lenient.url, PROVIDER))("/inventory/vdcs?site=cloud-west")).status, 200);
      } finally {
        await lenient.close();
      }
    });
  });

  describe("preflight", () => {
    const handlerAs = (who: { username: string; password: string }) =>
      createVmReplicationHandler(() => createVcdaClient({ url: sim.url, authType: "vcdCredentials", ...who, insecure: false }, { retry: { attempts: 1 } }));

    it("accepts an on-premises → cloud replication whose source site is listed at GET /vc-sites, not GET /sites", async () => {
      const onPrem: VmReplicationInputs = {
        source: { type: "vcVm", site: "onprem-dc1", vcUuid: inventory.vcVms[0].vcUuid, vmId: inventory.vcVms[0].moref },
        destination: { type: "vcloud", site: "cloud-east", vdc: acmeEast.id, storageProfile: "*" },
        rpo: 30,
      };
      assert.deepEqual(reasons(await handlerAs(ACME).check({}, onPrem)), []);
      assert.ok(sim.journal.list().some((e) => e.path === "/vc-sites"), "the on-premises sites were read");
      const unknown = { ...onPrem, source: { ...onPrem.source, site: "onprem-nowhere" } };
      assert.deepEqual(reasons(await handlerAs(ACME).check({}, unknown)),
        ["VmReplication: source.site names no site known to this VCDA (known: 'cloud-east', 'cloud-west', 'onprem-dc1') [rule: site exists]"]);
    });

    it("extends the session to a remote cloud site before reading its inventory", async () => {
      const toRemote: VmReplicationInputs = {
        source: { type: "vm", site: "cloud-east", vmId: web.id },
        destination: { type: "vcloud", site: "cloud-west", vdc: acmeWest.id, storageProfile: acmeWest.storageProfiles[0].id },
        rpo: 30,
      };
      assert.deepEqual(reasons(await handlerAs(PROVIDER).check({}, toRemote)), []);
      const requests = sim.journal.list().map((e) => `${e.method} ${e.path}${e.query ? `?${e.query}` : ""} ${e.status}`);
      const extended = requests.findIndex((r) => r.startsWith("POST /sessions/extend"));
      const remoteRead = requests.findIndex((r) => r.includes("site=cloud-west"));
      assert.ok(extended >= 0 && extended < remoteRead, requests.join("\n"));
      assert.ok(!requests.some((r) => r.endsWith(" 403")), requests.join("\n"));
    });
  });
});
