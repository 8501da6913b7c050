import { strict as assert } from "node:assert";
import { createVcdaClient } from "../../provider/vcda/client";
import { startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";

const TENANT_PASSWORD = "vcda-sim-tenant-password";

/** A tenant client reaching remote site cloud-west with the credentials extension. */
const clientOf = (sim: VcdaSimulator, password = TENANT_PASSWORD) => createVcdaClient({
  url: sim.url, authType: "vcdCredentials", username: "admin@org-acme", password: TENANT_PASSWORD, insecure: false,
  remoteSites: { "cloud-west": { type: "credentials", username: "admin@org-acme", password } },
}, { retry: { attempts: 1 } });

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
});
