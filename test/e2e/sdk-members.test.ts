import * as assert from "node:assert/strict";
import { startVcdaSimulator, VcdaSimulator } from "../../simulator";
import { Project, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { tearDown } from "./support";

/** A policy that sets two inputs and exports members of every kind. */
const PROGRAM = `"use strict";
const dr = require("pulumi-drprotect");
const policy = new dr.vcda.ReplicationPolicy("silver", { displayName: "silver", minRpo: 60 });
module.exports = {
  policyId: policy.policyId,
  setInput: policy.minRpo,
  defaultedInput: policy.maxInstances,
  unsetInput: policy.maxIncoming.apply((v) => (v === undefined ? "undefined" : v)),
  computed: policy.orgs,
};
`;

describe("e2e: SDK resource members through the Pulumi CLI", function () {
  this.timeout(300_000);
  let vcda: VcdaSimulator;
  let stack: TestStack;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    vcda = await startVcdaSimulator({ taskPolls: 1 });
    stack = await (await Project.program(PROGRAM)).stack("members");
    await stack.setConfig({ "vcda:url": vcda.url, "vcda:authType": "vcdCredentials", "vcda:username": "root@System" }, { "vcda:password": "vcda-sim-vcd-password" });
  });

  after(() => tearDown([stack], [vcda]));

  it("resolves the provider's outputs and the inputs the program sets; an input it does not set resolves to undefined", async () => {
    await stack.up();
    const [policy] = await stack.resources("vcda:ReplicationPolicy");
    const outputs = await stack.outputs();
    assert.equal(outputs.policyId, policy.id);
    assert.equal(outputs.setInput, 60);
    assert.equal(outputs.computed, 0);
    // an input the program does not set resolves to undefined, whether or not check fills in a default
    assert.equal(outputs.defaultedInput, undefined);
    assert.equal(outputs.unsetInput, "undefined");
    await stack.assertNoChanges();
  });
});
