import { strict as assert } from "node:assert";
import { createVcdaClient } from "../../provider/vcda/client";
import { loadInventory, startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";

const TENANT_PASSWORD = "vcda-sim-tenant-password";

/** A tenant client reaching remote site cloud-west with the credentials extension. */
const clientOf = (sim: VcdaSimulator, password = TENANT_PASSWORD) => createVcdaClient({
  url: sim.url, authType: "vcdCredentials", username: "admin@org-acme", password: TENANT_PASSWORD, insecure: false,
  remoteSites: { "cloud-west": { type: "credentials", username: "admin@org-acme", password } },
}, { retry: { attempts: 1 } });

const inventory = loadInventory();
const web = inventory.vms.find((v) => v.name === "acme-web-01")!;
const acmeWest = inventory.vdcs.find((v) => v.org === "org-acme" && v.site === "cloud-west")!;
const PERMISSIVE = {
  displayName: "Gold", minRpo: 15, maxInstances: 24, maxPinnedInstances: 0, maxIncoming: -1,
  allowIncomingProtections: true, allowOutgoingProtections: true, allowIncomingMigrations: true, allowOutgoingMigrations: true,
  onpremDataCap: 0, allowCustomSlaSettings: true, allowNotificationConfiguration: true,
};

/** A provider client and a cloud-east → cloud-west replication of acme-web-01, started with the site docs/api-notes/first-contact.md#site-of-a-replication-patch names. */
async function replicated(sim: VcdaSimulator) {
  const client = createVcdaClient({ url: sim.url, authType: "vcdCredentials", username: "root@System", password: "vcda-sim-vcd-password", insecure: false },
    { retry: { attempts: 1 }, pollInitialDelayMs: 10 });
  const policy = await client.createPolicy(PERMISSIVE as any);
  await client.assignPolicy(policy.id, "org-acme");
  const replication = await client.createReplication({
    source: { type: "vm", site: "cloud-east", vmId: web.id },
    destination: { type: "vcloud", site: "cloud-west", vdc: acmeWest.id, storageProfile: "*" },
    description: "before", rpo: 15,
  }, "cloud-west");
  sim.journal.clear();
  return { client, replication };
}

const extensions = (sim: VcdaSimulator) => sim.journal.list().filter((e) => e.path === "/sessions/extend").map((e) => e.status);

describe("VCDA forms the guide and public clients disagree on, against the simulator in each form (real HTTP)", function () {
  this.timeout(30_000);

  describe("POST /sessions/extend credentials: vcdUsername (4.1 guide) or vcdUser (vCAV.Community)", () => {
    for (const field of ["vcdUsername", "vcdUser"] as const) {
      it(`extends to a remote site whose server wants ${field}${field === "vcdUser" ? ", after the guide's form is refused" : ", in one request"}`, async () => {
        const sim = await startVcdaSimulator({ extendUserField: field });
        try {
          const vdcs = await clientOf(sim).listVdcs("cloud-west");
          assert.ok(vdcs && vdcs.length > 0);
          assert.deepEqual(extensions(sim), field === "vcdUsername" ? [200] : [400, 200]);
        } finally {
          await sim.close();
        }
      });
    }

    it("sends refused credentials (401) once, never in the other form, and reports them without the password", async () => {
      const sim = await startVcdaSimulator();
      try {
        const wrong = "not-the-tenant-password";
        await assert.rejects(clientOf(sim, wrong).listVdcs("cloud-west"), (err: Error) => {
          assert.match(err.message, /could not extend the session to remote site 'cloud-west' \(POST \/sessions\/extend, type credentials\)/);
          assert.ok(!err.message.includes(wrong));
          return true;
        });
        assert.deepEqual(extensions(sim), [401]);
      } finally {
        await sim.close();
      }
    });
  });

  describe("site of a replication PATCH: the destination site (guide) or the source site (vCAV.Community)", () => {
    for (const patchSite of ["destination", "source"] as const) {
      it(`reconfigures and sets excluded disks on a server that wants the ${patchSite} site${patchSite === "source" ? ", after the guide's form is refused (404)" : ", in one request"}`, async () => {
        const sim = await startVcdaSimulator({ patchSite, taskPolls: 1 });
        try {
          const { client, replication } = await replicated(sim);
          const changed = await client.reconfigureReplication(replication.id, "cloud-west", { description: "after" });
          assert.equal(changed.settings.description, "after");
          await client.setExcludedDisks(replication.id, "cloud-west", []);
          const sent = sim.journal.list().filter((e) => e.method === "PATCH").map((e) => e.status);
          assert.deepEqual(sent, patchSite === "destination" ? [202, 202] : [404, 202, 404, 202]);
        } finally {
          await sim.close();
        }
      });
    }

    it("does not send the PATCH again when the other form is refused too, and names both answers", async () => {
      const sim = await startVcdaSimulator({ taskPolls: 1 });
      try {
        const { client, replication } = await replicated(sim);
        await assert.rejects(client.setExcludedDisks(replication.id, "cloud-west", [999999]), (err: Error) => {
          assert.match(err.message, /PATCH \/vm-replications\/[^ ]+\/disks failed with HTTP 400[\s\S]*sent again with the source site 'cloud-east' \(as vCAV.Community does\)[\s\S]*HTTP 400/);
          return true;
        });
        assert.deepEqual(sim.journal.list().filter((e) => e.method === "PATCH").map((e) => e.status), [400, 400]);
      } finally {
        await sim.close();
      }
    });

    it("never sends it again when its answer was lost (the change may have been applied)", async () => {
      const sim = await startVcdaSimulator({ patchSite: "source", taskPolls: 1 });
      try {
        const { client, replication } = await replicated(sim);
        sim.faults.add({ kind: "drop", method: "PATCH", path: "^/vm-replications/", times: 1 });
        await assert.rejects(client.reconfigureReplication(replication.id, "cloud-west", { description: "after" }));
        assert.equal(sim.journal.list().filter((e) => e.method === "PATCH").length, 1);
      } finally {
        await sim.close();
      }
    });
  });

  describe("Accept version: h4-v4.1 (guide) or a newer one a server requires", () => {
    const provider = (sim: VcdaSimulator) => createVcdaClient(
      { url: sim.url, authType: "vcdCredentials", username: "root@System", password: "vcda-sim-vcd-password", insecure: false }, { retry: { attempts: 1 } });
    const refusals = (sim: VcdaSimulator) => sim.journal.list().filter((e) => e.status === 406).map((e) => `${e.method} ${e.path}`);

    it("asks in h4-v4.1 and is answered at once by a server that serves it", async () => {
      const sim = await startVcdaSimulator({ minApiVersion: "4.1" });
      try {
        assert.ok(Array.isArray(await provider(sim).listPolicies()));
        assert.deepEqual(refusals(sim), []);
      } finally {
        await sim.close();
      }
    });

    it("sends a refused request once more in the version the server names, and keeps that version for the endpoint", async () => {
      const sim = await startVcdaSimulator({ minApiVersion: "4.5" });
      try {
        assert.ok(Array.isArray(await provider(sim).listPolicies()));
        assert.ok(Array.isArray(await provider(sim).listPolicies()), "a second client of the same endpoint");
        assert.deepEqual(refusals(sim), ["POST /sessions"], "only the first request is refused");
        assert.deepEqual(sim.journal.list().map((e) => `${e.method} ${e.path} ${e.status}`), ["POST /sessions 406", "POST /sessions 200", "GET /policies 200", "GET /policies 200"]);
      } finally {
        await sim.close();
      }
    });
  });
});
