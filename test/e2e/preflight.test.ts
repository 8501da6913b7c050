import * as assert from "node:assert/strict";
import { replicationArgs, vcdaVmId, vpgArgs, zvmVmId } from "../../harness/fixtures";
import { mutations } from "../../harness/admin";
import { CREDENTIALS, Sims, stackConnection, startSims } from "../../harness/sims";
import { Project, ResourceSpec, RunResult, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";

const WRONG_PASSWORD = "not-the-zvm-password-7361";
const protectedVc = zvmVmId(0).split(".")[0];

interface Case {
  title: string;
  stack: string;
  spec: ResourceSpec;
  /** Every pattern must match one line of the preview's output. */
  patterns: RegExp[];
}

const vpg = (args: Record<string, unknown>): ResourceSpec => ({ type: "zerto:Vpg", name: "dr", args });

/** Each input the DR reviewers found green at preview and red at `up`. */
const CASES: Case[] = [
  {
    title: "a wrong Zerto password",
    stack: "wrongpw",
    spec: vpg(vpgArgs("pf-web", [zvmVmId(1)])),
    patterns: [/Vpg: Zerto login to http:\/\/127\.0\.0\.1:\d+ as user 'admin' with the vCenter login method .* was refused.*check zerto:username\/zerto:password.*\[rule: Zerto connection\]/],
  },
  {
    title: "a missing zerto:url",
    stack: "nourl",
    spec: vpg(vpgArgs("pf-web", [zvmVmId(1)])),
    patterns: [/Vpg: the Zerto connection is not configured: set zerto:url.*\[rule: Zerto connection\]/],
  },
  {
    title: "a VM that does not exist",
    stack: "main",
    spec: vpg(vpgArgs("pf-web", [zvmVmId(1), `${protectedVc}.vm-9999`])),
    patterns: [/Vpg: vms\[1\]\.vmId names no VM at protected site .*\[rule: VM exists\]/],
  },
  {
    title: "a recovery site that does not exist",
    stack: "main",
    spec: vpg({ ...vpgArgs("pf-web", [zvmVmId(1)]), recoverySiteId: "0badc0de-1111-4222-8333-944455566677" }),
    patterns: [/Vpg: recoverySiteId names no site paired with this ZVM \(paired: 'Site-B DR'.*\[rule: paired site\]/],
  },
  {
    title: "a VM already protected by another VPG (made out of band)",
    stack: "main",
    spec: vpg(vpgArgs("pf-web", [zvmVmId(0)])),
    patterns: [/Vpg: vms\[0\]\.vmId is already protected to recovery site 'Site-B DR' by VPG 'out-of-band'.*\[rule: VM not protected elsewhere\]/],
  },
  {
    title: "an RPO below the minimum of the destination org's policy",
    stack: "main",
    spec: { type: "vcda:VmReplication", name: "dr", args: { ...replicationArgs(vcdaVmId(0), 5), profile: undefined } },
    patterns: [/VmReplication: rpo is below the minimum RPO 15 minutes allowed by policy 'Default Policy' of organization 'org-acme'.*\[rule: org policy minRpo\]/],
  },
  {
    title: "an organization that does not exist",
    stack: "main",
    spec: { type: "vcda:OrgPolicyAssignment", name: "dr", args: { org: "org-nobody", policyId: "default" } },
    patterns: [/OrgPolicyAssignment: org 'org-nobody' names no organization .*\[rule: org exists\]/],
  },
  {
    title: "a replication its organization's policy forbids (the shipped default policy: no protections in or out)",
    stack: "main",
    spec: { type: "vcda:VmReplication", name: "dr", args: { ...replicationArgs(vcdaVmId(0), 30), profile: undefined } },
    patterns: [
      /VmReplication: source\.vmId is in organization 'org-acme', whose policy 'Default Policy' allows no outgoing protections .*\[rule: org policy allowOutgoingProtections\]/,
      /VmReplication: destination\.vdc is in organization 'org-acme', whose policy 'Default Policy' allows no incoming protections .*\[rule: org policy allowIncomingProtections\]/,
    ],
  },
];

/**
 * Live preflight through the real engine: each input that used to pass `pulumi preview` and fail at
 * `up` is refused by the preview, naming the property (or the connection) and the rule, with no
 * mutating request at either simulator; with the switch off the same previews pass without a
 * single request; a preview of an unchanged stack costs no request.
 */
describe("e2e: live preflight at preview (A preview a DR reviewer can approve)", function () {
  this.timeout(15 * 60_000);
  let sims: Sims;
  let project: Project;
  const stacks: Record<string, TestStack> = {};
  const preview = (stack: string, spec: ResourceSpec) => stacks[stack].previewOf([spec]);
  const journals = async () => [...await sims.zvmAdmin.journal(), ...await sims.vcdaAdmin.journal()];
  const clearJournals = () => Promise.all([sims.zvmAdmin.clearJournal(), sims.vcdaAdmin.clearJournal()]);

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    sims = await startSims();
    project = await Project.program();
    const { config, secrets } = stackConnection(sims.zvm.url, sims.vcda.url, false);
    stacks.main = await project.stack("main", config, secrets);
    stacks.wrongpw = await project.stack("wrongpw", config, { ...secrets, "zerto:password": WRONG_PASSWORD });
    const { "zerto:url": _url, ...withoutZertoUrl } = config;
    stacks.nourl = await project.stack("nourl", withoutZertoUrl, secrets);
    // someone protects web-01 to Site-B in the ZVM, outside this stack
    stacks.elsewhere = await project.stack("elsewhere", config, secrets);
    await stacks.elsewhere.writeResources([vpg(vpgArgs("out-of-band", [zvmVmId(0)]))]);
    await stacks.elsewhere.up();
  });

  after(async () => {
    project?.dispose();
    await sims?.close();
  });

  for (const c of CASES) {
    it(`refuses ${c.title} at preview, with no mutating request`, async () => {
      await clearJournals();
      const result = await preview(c.stack, c.spec);
      assertRefused(result, c.patterns);
      assert.ok(!result.output.includes(WRONG_PASSWORD) && !result.output.includes(CREDENTIALS.zvmPassword), "the preview printed a password");
      assert.deepEqual(mutations(await journals()).map((e) => `${e.method} ${e.path}`), []);
    });
  }

  it("passes every one of those previews without contacting the servers when DRPROTECT_PREFLIGHT=off", async () => {
    project.extraEnv = { DRPROTECT_PREFLIGHT: "off" };
    try {
      for (const c of CASES) {
        await clearJournals();
        const result = await preview(c.stack, c.spec);
        assert.equal(result.code, 0, `${c.title}: preview failed with preflight off:\n${result.output.slice(-3000)}`);
        assert.deepEqual((await journals()).map((e) => `${e.method} ${e.path}`), [], `${c.title}: requests with preflight off`);
      }
    } finally {
      project.extraEnv = {};
    }
  });

  it("turns off with the drprotect:preflight stack config too", async () => {
    await stacks.wrongpw.setConfig({ "drprotect:preflight": "off" });
    await clearJournals();
    const result = await preview("wrongpw", CASES[0].spec);
    assert.equal(result.code, 0, result.output.slice(-3000));
    assert.deepEqual(await journals(), []);
  });

  it("makes no request at all when previewing a stack whose inputs did not change", async () => {
    await clearJournals();
    const result = await stacks.elsewhere.preview({ expectNoChanges: true });

    assert.match(result.output, /unchanged/);
    assert.deepEqual((await journals()).map((e) => `${e.method} ${e.path}`), []);
  });

  it("lets a valid new VPG through after reading only", async () => {
    await clearJournals();
    const result = await preview("main", vpg(vpgArgs("pf-web", [zvmVmId(1), zvmVmId(2)])));
    assert.equal(result.code, 0, result.output.slice(-3000));
    const requests = await sims.zvmAdmin.journal();
    assert.ok(requests.length > 0, "preflight sent no request");
    assert.deepEqual(mutations(requests), []);
  });
});

function assertRefused(result: RunResult, patterns: RegExp[]): void {
  assert.notEqual(result.code, 0, `preview passed:\n${result.output.slice(-3000)}`);
  for (const pattern of patterns) {
    assert.ok(result.output.split("\n").some((line) => pattern.test(line)), `no line matches ${pattern}:\n${result.output.slice(-3000)}`);
  }
}
