import * as assert from "node:assert/strict";
import { driftReport } from "../../cli/drift";
import { Project, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import type { DrillTarget } from "../../provider/failoverTest";
import { createVcdaClient } from "../../provider/vcda/client";
import { createVcdaFailoverTestDriver } from "../../provider/vcda/failoverTest";
import { startVcdaSimulator, VcdaSimulator } from "../../simulator";
import { assertDrift, simRequest, skipRestAfterFailure, tearDown } from "./support";

const PASSWORD = "vcda-sim-vcd-password";
const ACME_DB_01 = "98f0f0d8-72de-4fd1-bcae-da1975edf6ae";
const ACME_WEST_VDC = "637a3f27-b491-4bb9-8d88-06a0e0ae74fd";

const PROGRAM = `"use strict";
const dr = require("pulumi-drprotect");
const db = new dr.vcda.VmReplication("acme-db-01", {
  source: { type: "vm", site: "cloud-east", vmId: "${ACME_DB_01}" },
  destination: { type: "vcloud", site: "cloud-west", vdc: "${ACME_WEST_VDC}" },
  rpo: 60,
});
module.exports = { replicationId: db.replicationId };
`;

/** Day-2 calm (docs/api-notes/vcda.md#failover-tests): a failover test started outside Pulumi is no change and no drift; a failover still is. */
describe("e2e: VCDA failover test while the stack is previewed and refreshed", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let vcda: VcdaSimulator;
  let project: TestStack;
  let target: DrillTarget;
  const driver = () => createVcdaFailoverTestDriver(createVcdaClient({ url: vcda.url, authType: "vcdCredentials", username: "root@System", password: PASSWORD, insecure: false }));

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    vcda = await startVcdaSimulator({ taskPolls: 1 });
    const policy = { allowIncomingProtections: true, allowOutgoingProtections: true, maxIncoming: -1, minRpo: 5 };
    assert.equal((await simRequest(vcda.url, "PUT", "/_admin/vcda/policies/default", policy)).status, 200);
    project = await (await Project.program(PROGRAM)).stack("e2e");
    await project.setConfig({ "vcda:url": vcda.url, "vcda:authType": "vcdCredentials", "vcda:username": "root@System" }, { "vcda:password": PASSWORD });
  });

  after(() => tearDown([project], [vcda]));

  it("replicates the VM and starts a failover test of it from its latest instance", async () => {
    await project.up();
    const [resource] = await project.resources("vcda:VmReplication");
    target = { type: "drprotect:vcda:VmReplication", urn: resource.urn, name: "acme-db-01", id: resource.id, state: resource.outputs };
    const tests = driver();
    assert.equal((await tests.health(target)).ready, true);
    await tests.startTest(target, await tests.pointInTime(target, "e2e"));
    assert.equal(await tests.testRunning(target), true);
  });

  it("previews and refreshes with no change while the test runs, and the drift report finds none", async () => {
    await project.assertNoChanges();
    const refresh = await project.run(["preview", "--refresh", "--json"]);
    assert.equal(refresh.code, 0, refresh.output);
    const report = driftReport(JSON.parse(refresh.stdout));
    assert.deepEqual([report.drifted, report.undetailed], [[], 0]);
    await project.refresh();
    assert.equal(await driver().testRunning(target), true, "refresh leaves the test alone");
  });

  it("cleans the test up, after which there is still nothing to change", async () => {
    assert.equal((await driver().stopTest(target, { succeeded: true, summary: "e2e" })).succeeded, true);
    assert.equal(await driver().testRunning(target), false);
    await project.assertNoChanges();
  });

  it("still reports a real failover as drift", async () => {
    assert.equal((await simRequest(vcda.url, "POST", `/_admin/vcda/replications/${target.id}/failover`)).status, 200);
    const refresh = await assertDrift(project, ["refresh", "--preview-only", "--diff"]);
    assert.match(refresh.output, /failedOver/);
  });
});
