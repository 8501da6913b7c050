import { strict as assert } from "node:assert";
import { openDefaultPolicy } from "../../harness/sims";
import type { VmReplicationInputs } from "../../provider/inputs.generated";
import { clearPreflightCache } from "../../provider/preflight";
import { createVcdaClient } from "../../provider/vcda/client";
import { findVcdaVm } from "../../provider/vcda/lookups";
import { createVmReplicationHandler } from "../../provider/vcda/vmReplication";
import { loadInventory, startVcdaSimulator, VcdaSimulator, VcdaSimulatorOptions } from "../../simulator/vcda";

const inventory = loadInventory();
const acmeEast = inventory.vdcs.find((v) => v.org === "org-acme" && v.site === "cloud-east")!;
const erp = inventory.vcVms.find((v) => v.name === "onprem-erp-01")!;
const ACME = { username: "admin@org-acme", password: "vcda-sim-tenant-password" };

const reasons = (result: { failures?: Array<{ reason: string }> }) => (result.failures ?? []).map((f) => f.reason);

for (const onPremInventory of ["inventory", "vc-sites"] as const) {
  describe(`VCDA on-premises inventory served at ${onPremInventory === "inventory" ? "/inventory/vms?site=" : "/vc-sites/{site}/{vcId}/vms only"} (real HTTP)`, function () {
    this.timeout(30_000);
    let sim: VcdaSimulator;
    const options: VcdaSimulatorOptions = { onPremInventory };
    before(async () => {
      sim = await startVcdaSimulator(options);
      await openDefaultPolicy(sim.url);
    });
    after(async () => { await sim?.close(); });
    beforeEach(() => {
      clearPreflightCache();
      sim.journal.clear();
    });
    const client = () => createVcdaClient({ url: sim.url, authType: "vcdCredentials", ...ACME, insecure: false }, { retry: { attempts: 1 } });
    const vmReads = () => sim.journal.list().filter((e) => e.method === "GET" && /^\/(inventory\/vms|vc-sites\/)/.test(e.path)).map((e) => `${e.path} ${e.status}`);

    it("finds an on-premises VM by name, as its moref and vCenter", async () => {
      const found = await findVcdaVm(client(), { name: erp.name, site: erp.site });
      assert.equal(found.id, erp.moref);
      assert.equal(found.vcUuid, erp.vcUuid);
      assert.equal(found.powerState, erp.powerState);
      assert.equal(found.onPremises, true);
      const expected = onPremInventory === "inventory"
        ? ["/inventory/vms 200"]
        : ["/inventory/vms 404", `/vc-sites/${erp.site}/vcenters 200`, `/vc-sites/${erp.site}/${erp.vcUuid}/vms 200`];
      assert.deepEqual(vmReads(), expected);
    });

    it("accepts an on-premises → cloud replication", async () => {
      const onPrem: VmReplicationInputs = {
        source: { type: "vcVm", site: erp.site, vcUuid: erp.vcUuid, vmId: erp.moref },
        destination: { type: "vcloud", site: "cloud-east", vdc: acmeEast.id, storageProfile: "*" },
        rpo: 30,
      };
      assert.deepEqual(reasons(await createVmReplicationHandler(client).check({}, onPrem)), []);
      assert.ok(!sim.journal.list().some((e) => e.status >= 400 && e.path !== "/inventory/vms"), "no read but the one not served was refused");
    });
  });
}
