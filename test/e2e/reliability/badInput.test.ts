import * as assert from "node:assert";
import { badInputs, BadInput, validPolicy, validReplication, validVpg } from "../../fixtures/badInputs";
import { vpgArgs, zvmVmId } from "../../../harness/fixtures";
import { mutations } from "../../../harness/admin";
import { recordFigures } from "../../../harness/figures";
import { Project, ResourceSpec, RunResult, TestStack } from "../../../harness/engine";
import { CREDENTIALS, Sims, stackConnection, startSims } from "../../../harness/sims";

const TYPES: Record<string, ResourceSpec["type"]> = {
  "drprotect:zerto:Vpg": "zerto:Vpg",
  "drprotect:vcda:ReplicationPolicy": "vcda:ReplicationPolicy",
  "drprotect:vcda:OrgPolicyAssignment": "vcda:OrgPolicyAssignment",
  "drprotect:vcda:VmReplication": "vcda:VmReplication",
  "drprotect:vcda:VappReplication": "vcda:VappReplication",
};

/** Stacks previewing side by side: the engine and the provider process are mostly waiting on each other. */
const LANES = 3;

interface PlainCredential {
  name: string;
  stack: string;
  /** The stack's config: plain values, secrets, and the credential set with --plaintext. */
  config: (zvmUrl: string, vcdaUrl: string) => { config: Record<string, string>; secrets: Record<string, string>; plaintext: Record<string, string> };
  resource: ResourceSpec;
  /** The plain value, which must never be shown. */
  value: string;
  /** The command the refusal must give. */
  command: string;
}

/** A credential kept as plain stack config, for each kind of credential key. */
const plainCredentials: PlainCredential[] = [
  {
    name: "zerto:password", stack: "plainzvm", value: CREDENTIALS.zvmPassword,
    config: (zvm) => ({ config: { "zerto:url": zvm, "zerto:authMode": "session", "zerto:username": CREDENTIALS.zvmUser }, secrets: {},
      plaintext: { "zerto:password": CREDENTIALS.zvmPassword } }),
    resource: { type: "zerto:Vpg", name: "vpg", args: validVpg },
    command: "pulumi config set --secret --stack plainzvm zerto:password",
  },
  {
    name: "zerto:clientSecret", stack: "plainkeycloak", value: CREDENTIALS.zvmClientSecret,
    config: (zvm) => ({ config: { "zerto:url": zvm, "zerto:authMode": "keycloak", "zerto:clientId": CREDENTIALS.zvmClientId }, secrets: {},
      plaintext: { "zerto:clientSecret": CREDENTIALS.zvmClientSecret } }),
    resource: { type: "zerto:Vpg", name: "vpg", args: validVpg },
    command: "pulumi config set --secret --stack plainkeycloak zerto:clientSecret",
  },
  {
    name: "vcda:password", stack: "plainvcda", value: CREDENTIALS.vcdaAdminPassword,
    config: (_z, vcda) => ({ config: { "vcda:url": vcda, "vcda:authType": "vcdCredentials", "vcda:username": CREDENTIALS.vcdaAdmin }, secrets: {},
      plaintext: { "vcda:password": CREDENTIALS.vcdaAdminPassword } }),
    resource: { type: "vcda:ReplicationPolicy", name: "policy", args: validPolicy },
    command: "pulumi config set --secret --stack plainvcda vcda:password",
  },
  {
    name: "vcda:token", stack: "plaintoken", value: "vcd-access-token-plain-0123456789",
    config: (_z, vcda) => ({ config: { "vcda:url": vcda, "vcda:authType": "vcdAccessToken" }, secrets: {},
      plaintext: { "vcda:token": "vcd-access-token-plain-0123456789" } }),
    resource: { type: "vcda:OrgPolicyAssignment", name: "assignment", args: { org: "org-acme", policyId: "default" } },
    command: "pulumi config set --secret --stack plaintoken vcda:token",
  },
  {
    name: "a password inside vcda:profiles", stack: "plainprofile", value: CREDENTIALS.vcdaTenantPassword,
    config: (zvm, vcda) => {
      const { config, secrets } = stackConnection(zvm, vcda, false);
      return { config: { ...config, "vcda:profiles.tenant.url": vcda, "vcda:profiles.tenant.username": CREDENTIALS.vcdaTenant }, secrets,
        plaintext: { "vcda:profiles.tenant.password": CREDENTIALS.vcdaTenantPassword } };
    },
    resource: { type: "vcda:VmReplication", name: "replication", args: { ...validReplication, profile: "tenant" } },
    command: "pulumi config set --secret --path --stack plainprofile 'vcda:profiles.tenant.password'",
  },
];

/**
 * Every program of the bad-input corpus through the real engine: one installed project, the case
 * switched by a config value, each `pulumi preview` must fail naming the property and the rule,
 * and nothing may reach the simulators' mutating endpoints.
 */
describe("reliability: bad input through the engine", function () {
  this.timeout(15 * 60_000);
  let sims: Sims;
  let project: Project;
  const results = new Map<BadInput, RunResult>();
  const plainResults = new Map<PlainCredential, RunResult>();
  let requestsBeforeEnvStack = -1;
  let envResult: RunResult;

  before(async () => {
    sims = await startSims();
    project = await Project.program();
    const { config, secrets } = stackConnection(sims.zvm.url, sims.vcda.url, false);
    const lanes: TestStack[] = [];
    for (let i = 0; i < LANES; i++) lanes.push(await project.stack(`lane${i}`, config, secrets));
    await Promise.all([sims.zvmAdmin.clearJournal(), sims.vcdaAdmin.clearJournal()]);
    const queue = [...badInputs];
    await Promise.all(lanes.map(async (lane) => {
      for (let bad = queue.shift(); bad; bad = queue.shift()) {
        const spec: ResourceSpec[] = [{ type: TYPES[bad.token], name: "bad", args: bad.inputs }];
        results.set(bad, await lane.previewOf(spec));
      }
    }));
    await Promise.all(plainCredentials.map(async (plain) => {
      const { config, secrets, plaintext } = plain.config(sims.zvm.url, sims.vcda.url);
      // the CLI asks for --secret when a value looks like one; --plaintext (how the harness sets plain config) is how a user insists
      const stack = await project.stack(plain.stack, { ...config, ...plaintext }, secrets);
      plainResults.set(plain, await stack.previewOf([plain.resource]));
    }));
    requestsBeforeEnvStack = (await sims.zvmAdmin.journal()).length + (await sims.vcdaAdmin.journal()).length;
    // the same connection with the password in the environment instead: allowed, and preflight logs in with it
    // (so the VPG names objects the simulator has)
    const envStack = await project.stack("envcreds", { "zerto:url": sims.zvm.url, "zerto:authMode": "session", "zerto:username": CREDENTIALS.zvmUser });
    project.extraEnv = { ZERTO_PASSWORD: CREDENTIALS.zvmPassword };
    const envVpg: ResourceSpec = { type: "zerto:Vpg", name: "vpg", args: vpgArgs("web-tier", [zvmVmId(0), zvmVmId(1)]) };
    envResult = await envStack.previewOf([envVpg]);

    project.extraEnv = {};
  });

  after(async () => {
    project?.dispose();
    await sims?.close();
  });

  it("runs at least 40 invalid programs across the five resources", () => {
    assert.ok(results.size >= 40, `only ${results.size} cases ran`);
    assert.strictEqual(new Set([...results.keys()].map((b) => b.token)).size, 5);
  });

  for (const bad of badInputs) {
    it(`preview refuses ${bad.name} (${bad.token.split(":").pop()}), naming ${bad.property} and the ${bad.rule} rule`, () => {
      const result = results.get(bad)!;
      assert.notStrictEqual(result.code, 0, `preview succeeded:\n${result.output}`);
      const line = result.output.split("\n").find((l) => l.includes(bad.property) && l.includes(`[rule: ${bad.rule}]`));
      assert.ok(line, `no line names ${bad.property} and [rule: ${bad.rule}]:\n${result.output}`);
    });
  }

  for (const plain of plainCredentials) {
    it(`preview refuses ${plain.name} kept as plain stack config, giving the command that stores it encrypted`, () => {
      const result = plainResults.get(plain)!;
      assert.notStrictEqual(result.code, 0, `preview succeeded:\n${result.output}`);
      assert.ok(result.output.includes(plain.command), `no '${plain.command}' in:\n${result.output}`);
      assert.ok(!result.output.includes(plain.value), "the refusal shows the credential");
    });
  }

  it("sends no request at all to either simulator for a refused program", () => {
    assert.strictEqual(requestsBeforeEnvStack, 0);
  });

  it("previews a stack whose password comes from the environment", () => {
    assert.strictEqual(envResult.code, 0, envResult.output);
  });

  it("sends no mutating request to either simulator", async () => {
    const zvm = mutations(await sims.zvmAdmin.journal());
    const vcda = mutations(await sims.vcdaAdmin.journal());
    assert.deepStrictEqual([...zvm, ...vcda].map((e) => `${e.method} ${e.path}`), []);
    const refused = [...results.values()].filter((r) => r.code !== 0).length;
    const plainRefused = [...plainResults.values()].filter((r) => r.code !== 0).length;
    recordFigures("badInput", { programs: results.size, refusedByPreview: refused, mutatingRequests: zvm.length + vcda.length,
      requestsForRefusedPrograms: requestsBeforeEnvStack, plainCredentialStacks: plainResults.size, plainCredentialsRefused: plainRefused });
  });
});
