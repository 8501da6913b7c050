import * as assert from "node:assert";
import { badInputs, BadInput } from "../fixtures/badInputs";
import { mutations } from "./support/admin";
import { recordFigures } from "./support/figures";
import { PulumiProject, ResourceSpec, RunResult } from "./support/pulumi";
import { Sims, stackConnection, startSims } from "./support/sims";

const TYPES: Record<string, ResourceSpec["type"]> = {
  "drprotect:zerto:Vpg": "zerto:Vpg",
  "drprotect:vcda:ReplicationPolicy": "vcda:ReplicationPolicy",
  "drprotect:vcda:OrgPolicyAssignment": "vcda:OrgPolicyAssignment",
  "drprotect:vcda:VmReplication": "vcda:VmReplication",
};

/** Stacks previewing side by side: the engine and the provider process are mostly waiting on each other. */
const LANES = 3;

/**
 * Every program of the bad-input corpus through the real engine: one installed project, the case
 * switched by a config value, each `pulumi preview` must fail naming the property and the rule,
 * and nothing may reach the simulators' mutating endpoints.
 */
describe("reliability: bad input through the engine", function () {
  this.timeout(15 * 60_000);
  let sims: Sims;
  let project: PulumiProject;
  const results = new Map<BadInput, RunResult>();

  before(async () => {
    sims = await startSims();
    project = await PulumiProject.create();
    const { config, secrets } = stackConnection(sims.zvm.url, sims.vcda.url, false);
    const lanes = Array.from({ length: LANES }, (_, i) => `lane${i}`);
    for (const lane of lanes) await project.initStack(lane, config, secrets);
    await Promise.all([sims.zvmAdmin.clearJournal(), sims.vcdaAdmin.clearJournal()]);
    const queue = [...badInputs];
    await Promise.all(lanes.map(async (lane) => {
      for (let bad = queue.shift(); bad; bad = queue.shift()) {
        const spec: ResourceSpec[] = [{ type: TYPES[bad.token], name: "bad", args: bad.inputs }];
        results.set(bad, await project.pulumi(["preview", "--stack", lane, "--config", `drtest:resources=${JSON.stringify(spec)}`]));
      }
    }));
  });

  after(async () => {
    project?.dispose();
    await sims?.close();
  });

  it("runs at least 40 invalid programs across the four resources", () => {
    assert.ok(results.size >= 40, `only ${results.size} cases ran`);
    assert.strictEqual(new Set([...results.keys()].map((b) => b.token)).size, 4);
  });

  for (const bad of badInputs) {
    it(`preview refuses ${bad.name} (${bad.token.split(":").pop()}), naming ${bad.property} and the ${bad.rule} rule`, () => {
      const result = results.get(bad)!;
      assert.notStrictEqual(result.code, 0, `preview succeeded:\n${result.output}`);
      const line = result.output.split("\n").find((l) => l.includes(bad.property) && l.includes(`[rule: ${bad.rule}]`));
      assert.ok(line, `no line names ${bad.property} and [rule: ${bad.rule}]:\n${result.output}`);
    });
  }

  it("sends no mutating request to either simulator", async () => {
    const zvm = mutations(await sims.zvmAdmin.journal());
    const vcda = mutations(await sims.vcdaAdmin.journal());
    assert.deepStrictEqual([...zvm, ...vcda].map((e) => `${e.method} ${e.path}`), []);
    const refused = [...results.values()].filter((r) => r.code !== 0).length;
    recordFigures("badInput", { programs: results.size, refusedByPreview: refused, mutatingRequests: zvm.length + vcda.length });
  });
});
