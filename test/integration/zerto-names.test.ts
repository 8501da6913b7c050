import assert from "node:assert/strict";
import { createZertoClient } from "../../provider/zerto/client";
import { zertoSiteNames, zertoVmNames } from "../../provider/zerto/names";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";

const vm = (n: number) => `5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81.vm-${n}`;

describe("Zerto name look-ups for reports (real HTTP, read-only)", function () {
  this.timeout(30_000);
  let sim: ZvmSimulator;
  const client = () => createZertoClient({ url: sim.url, authMode: "session", username: "admin", password: "zerto-sim-password", insecure: false });

  before(async () => {
    sim = await startZvmSimulator({ authMode: "session" });
  });
  after(() => sim?.close());

  it("names VMs of the protected site and leaves ids the ZVM does not know out, with GET requests only", async () => {
    sim.journal.clear();
    const names = await zertoVmNames(client(), [vm(101), vm(103), vm(999)]);
    assert.deepEqual([...names], [[vm(101), "web-01"], [vm(103), "app-01"]]);
    assert.deepEqual(sim.journal.list().filter((e) => e.method !== "GET" && !/session/.test(e.path)), []);
  });

  it("names the local site and its paired sites", async () => {
    const names = await zertoSiteNames(client());
    assert.equal(names.get("c2d8e4f6-1a3b-4c5d-9e7f-8a0b1c2d3e4f"), "Site-B DR");
    assert.equal(names.get("0f3c9a52-7b1e-4d8a-9c6f-2e5d8b1a4c70"), "Site-A Prod");
  });
});
