import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { createVcdaClient } from "../../provider/vcda/client";
import { replicationSpec } from "../../provider/vcda/vmReplication";
import { vappReplicationSpec } from "../../provider/vcda/vappReplication";
import { createZertoClient } from "../../provider/zerto/client";
import { toSettings } from "../../provider/zerto/vpgSettings";
import { policyArgs, replicationArgs, vcdaVmId, vpgArgs, zvmVmId } from "../../harness/fixtures";
import { allowReplication, CREDENTIALS, connectionEnv, Sims, stackConnection, startSims } from "../../harness/sims";
import { Project, repoRoot, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { skipRestAfterFailure, tearDown } from "./support";

/**
 * `pulumi-drprotect generate` against simulators holding objects made outside Pulumi (through the
 * products' own APIs, as another tool or the UI would): the generated program's first `pulumi up`
 * adopts everything without changing any object on the server, the preview after it is clean, and
 * a stray destroy deletes nothing (every generated resource is protected).
 */

const execFileAsync = promisify(execFile);
/** acme-web (two VMs, acme-web-01 and acme-web-02) of org-acme at cloud-east, in the bundled VCDA inventory. */
const ACME_WEB_VAPP = "50a8d806-8078-4ab6-a545-4ca2b2bf878e";

/** A VPG made through the ZVM's REST API: create draft, PUT, commit (no Pulumi). */
async function vpgOutsidePulumi(sims: Sims, name: string, vms: string[], settings: (args: any) => void = () => undefined): Promise<void> {
  const zvm = createZertoClient({ url: sims.zvm.url, authMode: "session", username: CREDENTIALS.zvmUser, password: CREDENTIALS.zvmPassword, insecure: false });
  const args = vpgArgs(name, vms) as any;
  settings(args);
  const draft = await zvm.createVpgSettings({ name });
  await zvm.putVpgSettings(draft, toSettings(args, await zvm.getVpgSettings(draft)));
  const task = await zvm.commitVpgSettings(draft, { kind: "create", name, identity: { name, vms, recoverySiteId: args.recoverySiteId } as any });
  await zvm.waitForTask(task, `creating VPG '${name}' outside Pulumi`);
}

/** The CLI as a user runs it (its own process), with the connection in the environment only. */
async function generateCli(args: string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [path.join(repoRoot, "dist", "cli", "main.js"), "generate", ...args],
    { env: { ...process.env, ...env }, timeout: 120_000 });
  return stdout;
}

/** A project whose program is the generated directory. */
async function generatedStack(dir: string, config: Record<string, string>, secrets: Record<string, string>): Promise<TestStack> {
  const project = await Project.program();
  fs.rmSync(path.join(project.dir, "index.js"));
  for (const file of ["index.ts", "Pulumi.yaml", "package.json", "tsconfig.json"]) fs.copyFileSync(path.join(dir, file), path.join(project.dir, file));
  return project.stack("adopted", config, secrets);
}

/** What matters of each VPG on the ZVM: its committed definition. */
async function zvmObjects(sims: Sims): Promise<unknown> {
  const vpgs = await sims.zvmAdmin.call<Array<{ VpgIdentifier: string; Definition: unknown }>>("GET", "/_admin/zvm/vpgs");
  return vpgs.map((v) => ({ id: v.VpgIdentifier, definition: v.Definition })).sort((a, b) => a.id.localeCompare(b.id));
}

/** What matters of VCDA's objects: policies, which org has which, and each replication's identity and settings. */
async function vcdaObjects(sims: Sims): Promise<unknown> {
  const state = await sims.vcdaAdmin.call("GET", "/_admin/vcda/state");
  return {
    policies: state.policies,
    orgPolicies: state.orgPolicies,
    replications: Object.values(state.replications as Record<string, any>).map(({ replication: r }) => ({
      id: r.id, vmId: r.vmId, source: r.source, destination: r.destination, storageProfile: r.storageProfile, settings: r.settings, slaProfile: r.slaProfile,
    })),
  };
}

async function mutations(url: string): Promise<string[]> {
  const journal = await (await fetch(`${url}/_admin/journal`)).json() as Array<{ method: string; path: string; mutating: boolean }>;
  return journal.filter((e) => e.mutating).map((e) => `${e.method} ${e.path}`);
}

/** An edit draft opened to read a VPG's definition, and its deletion: the only writes adopting may make. */
const DRAFT_READ = /^(POST \/v1\/vpgSettings|DELETE \/v1\/vpgSettings\/[^/]+)$/;

const clearJournal = (url: string) => fetch(`${url}/_admin/journal`, { method: "DELETE" });

describe("e2e: generate a program from an existing DR estate and adopt it", function () {
  this.timeout(10 * 60_000);
  skipRestAfterFailure();
  let sims: Sims;
  let out: string;
  let zertoStack: TestStack | undefined;
  let vcdaStack: TestStack | undefined;
  let zvmBefore: unknown;
  let vcdaBefore: unknown;
  let goldId: string;
  /** A stack of its own backend that manages a VPG: generate, given that backend, must leave the VPG out. */
  let otherStack: TestStack | undefined;
  /** The provider's connection, and the backend holding otherStack (with the pinned Pulumi CLI on PATH). */
  let generateEnv: Record<string, string>;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    sims = await startSims();
    out = fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-generate-"));
    // set in the ZVM UI too: web-02 comes up at failover with a static IP, and the journals have datastores of their own
    await vpgOutsidePulumi(sims, "Payroll DB", [zvmVmId(0), zvmVmId(1)], (args) => {
      const recoveryVc = args.recovery.datastoreId.split(".")[0];
      args.journal = { datastoreId: `${recoveryVc}.datastore-1032` };
      args.vms[1] = { vmId: zvmVmId(1), journal: { datastoreId: `${recoveryVc}.datastore-1034` },
        nics: [{ nicId: "Network adapter 1", failover: { ipConfig: { mode: "static", ip: "10.20.1.15", subnetMask: "255.255.255.0", gateway: "10.20.1.1" } } }] };
    });
    await vpgOutsidePulumi(sims, "web \"tier\"", [zvmVmId(2)]);
    // set in the ZVM UI: a test interval no Zerto document lists (9 months), which the program must be able to declare back
    const payroll = (await sims.zvmAdmin.call<Array<{ VpgIdentifier: string; VpgName: string }>>("GET", "/_admin/zvm/vpgs")).find((v) => v.VpgName === "Payroll DB")!;
    await sims.zvmAdmin.call("PATCH", `/_admin/zvm/vpgs/${payroll.VpgIdentifier}`, { TestIntervalInMinutes: 393120 });
    await allowReplication(sims);
    const admin = createVcdaClient({ url: sims.vcda.url, authType: "vcdCredentials", username: CREDENTIALS.vcdaAdmin, password: CREDENTIALS.vcdaAdminPassword, insecure: false });
    goldId = (await admin.createPolicy(policyArgs("gold") as any)).id;
    await admin.assignPolicy(goldId, "org-globex");
    const tenant = createVcdaClient({ url: sims.vcda.url, authType: "vcdCredentials", username: CREDENTIALS.vcdaTenant, password: CREDENTIALS.vcdaTenantPassword, insecure: false });
    await tenant.createReplication(replicationSpec(replicationArgs(vcdaVmId(2), 120) as any), "cloud-east");
    // a vApp replication: its VM replications are declared with it, never one by one
    const { source: _vm, ...vappSettings } = replicationArgs(vcdaVmId(0), 120) as any;
    await tenant.createVappReplication(vappReplicationSpec({ ...vappSettings, source: { type: "vapp", site: "cloud-east", vappId: ACME_WEB_VAPP } }), "cloud-east");
    const { config, secrets } = stackConnection(sims.zvm.url, sims.vcda.url, false);
    otherStack = await (await Project.program()).stack("other", config, secrets);
    await otherStack.writeResources([{ type: "zerto:Vpg", name: "elsewhere", args: vpgArgs("Managed Elsewhere", [zvmVmId(3)]) }]);
    await otherStack.up();
    generateEnv = { ...otherStack.cliEnv() as Record<string, string>, ...connectionEnv(sims) };
  });

  after(async () => {
    await tearDown([zertoStack, vcdaStack, otherStack], [sims]);
    fs.rmSync(out, { recursive: true, force: true });
  });

  it("writes a Zerto program naming what the ids are, with no credential in any file", async () => {
    await clearJournal(sims.zvm.url);
    const stdout = await generateCli(["zerto", "--out", path.join(out, "zerto")], generateEnv);
    assert.match(stdout, /2 Vpg/);
    // the VPG another stack of the backend manages is left out, and listed with the stack
    assert.match(stdout, /VPG 'Managed Elsewhere' \([^)]+\): already managed by stack 'organization\/[^/]+\/other' \(zerto:Vpg 'elsewhere'\); --include-managed declares it/);
    const index = fs.readFileSync(path.join(out, "zerto", "index.ts"), "utf8");
    assert.match(index, /Not declared:\n \* {3}- VPG 'Managed Elsewhere'/);
    assert.ok(!index.includes('name: "Managed Elsewhere"'), "the managed VPG was declared");
    // what failover depends on: web-02's re-IP, and the journals' datastores
    assert.match(index, /nicId: "Network adapter 1",\n\s+failover: \{\n\s+ipConfig: \{\n\s+mode: "static",\n\s+ip: "10\.20\.1\.15",\n\s+subnetMask: "255\.255\.255\.0",\n\s+gateway: "10\.20\.1\.1",/);
    assert.match(index, /journal: \{\n\s+datastoreId: "[^"]+\.datastore-1032", \/\/ DR-DS-02/);
    assert.match(index, /journal: \{\n\s+datastoreId: "[^"]+\.datastore-1034", \/\/ DR-Journal/);
    assert.match(index, /new dr\.zerto\.Vpg\("payroll-db", \{\n {2}name: "Payroll DB",/);
    assert.match(index, /name: "web \\"tier\\"",/);
    assert.match(index, /testIntervalMinutes: 393120,/);
    assert.match(index, /vmId: "[^"]+\.vm-101", \/\/ web-01/);
    assert.match(index, /recoverySiteId: "[^"]+", \/\/ Site-B DR/);
    assert.match(index, /pulumi config set --secret zerto:password/);
    for (const file of fs.readdirSync(path.join(out, "zerto"))) {
      const text = fs.readFileSync(path.join(out, "zerto", file), "utf8");
      for (const secret of Object.values(CREDENTIALS).filter((v) => /password|secret/.test(v))) assert.ok(!text.includes(secret), `${file} holds a credential`);
    }
    // reading each VPG's definition opened an edit draft and discarded it: nothing committed, none left
    assert.deepEqual((await mutations(sims.zvm.url)).filter((m) => !DRAFT_READ.test(m)), []);
    assert.equal((await sims.zvmAdmin.call("GET", "/_admin/zvm/drafts")).count, 0);
  });

  it("the Zerto program's first up adopts both VPGs and changes nothing on the ZVM", async () => {
    zvmBefore = await zvmObjects(sims);
    await clearJournal(sims.zvm.url);
    const { config, secrets } = stackConnection(sims.zvm.url, sims.vcda.url, false);
    const stack = zertoStack = await generatedStack(path.join(out, "zerto"), config, secrets);
    await stack.up();
    assert.equal((await stack.resources("zerto:Vpg")).length, 2);
    assert.deepEqual(await zvmObjects(sims), zvmBefore);
    // the only writes: edit drafts opened to read a definition, each deleted (never a PUT or a commit)
    const writes = await mutations(sims.zvm.url);
    assert.deepEqual(writes.filter((m) => !DRAFT_READ.test(m)), []);
    assert.equal(writes.filter((m) => m.startsWith("POST")).length, writes.filter((m) => m.startsWith("DELETE")).length);
    await stack.assertNoChanges();
    // the full read (per-VM NICs, volumes, journals) finds the declaration as the ZVM has it
    stack.project.extraEnv = { ZERTO_REFRESH_MODE: "full" };
    try {
      await stack.assertNoChanges();
    } finally {
      stack.project.extraEnv = {};
    }
  });

  it("--include-managed declares the VPG another stack manages, on purpose", async () => {
    const stdout = await generateCli(["zerto", "--out", path.join(out, "zerto-all"), "--include-managed"], generateEnv);
    assert.match(stdout, /3 Vpg/);
    assert.match(fs.readFileSync(path.join(out, "zerto-all", "index.ts"), "utf8"), /name: "Managed Elsewhere",/);
  });

  it("a destroy of the generated Zerto stack is refused (protect) and deletes nothing", async () => {
    const stack = zertoStack!;
    await clearJournal(sims.zvm.url);
    const destroy = await stack.destroy({ mayFail: true });
    assert.notEqual(destroy.code, 0, "destroy of protected resources succeeded");
    assert.match(destroy.output, /protect/);
    assert.deepEqual(await mutations(sims.zvm.url), []);
    assert.deepEqual(await zvmObjects(sims), zvmBefore);
  });

  it("writes a VCDA program: policies, the orgs assigned to them, and replications", async () => {
    await clearJournal(sims.vcda.url);
    const stdout = await generateCli(["vcda", "--out", path.join(out, "vcda")], generateEnv);
    // org-globex (on gold) has no replication going into it: VCDA counts it but names it nowhere, so it is only reported
    assert.match(stdout, /2 ReplicationPolicy, 1 OrgPolicyAssignment, 1 VmReplication, 1 VappReplication/);
    assert.match(stdout, /1 organization\(s\) assigned to replication policy 'gold' that no replication goes into/);
    const index = fs.readFileSync(path.join(out, "vcda", "index.ts"), "utf8");
    assert.match(index, /new dr\.vcda\.ReplicationPolicy\("gold", \{/);
    assert.match(index, /policyId: policy\w+\.policyId,/);
    assert.match(index, /vmId: "[^"]+", \/\/ acme-db-01/);
    assert.match(index, /new dr\.vcda\.VappReplication\("acme-web", \{\n\s+source: \{\n\s+type: "vapp",\n\s+site: "cloud-east",\n\s+vappId: "[^"]+", \/\/ acme-web/);
    assert.match(index, /VMs: acme-web-01, acme-web-02/);
    assert.match(index, /Not declared:\n \* {3}- the built-in 'default' replication policy/);
    assert.ok(!index.includes(CREDENTIALS.vcdaAdminPassword) && !index.includes(CREDENTIALS.vcdaTenantPassword));
    assert.deepEqual(await mutations(sims.vcda.url), [], "the generator wrote to VCDA");
  });

  it("the VCDA program's first up adopts everything and writes nothing", async () => {
    vcdaBefore = await vcdaObjects(sims);
    await clearJournal(sims.vcda.url);
    const { config, secrets } = stackConnection(sims.zvm.url, sims.vcda.url, false);
    const stack = vcdaStack = await generatedStack(path.join(out, "vcda"), config, secrets);
    await stack.up();
    assert.deepEqual(await vcdaObjects(sims), vcdaBefore);
    assert.deepEqual(await mutations(sims.vcda.url), [], "adopting wrote to VCDA");
    await stack.assertNoChanges();
  });

  it("a destroy of the generated VCDA stack is refused (protect) and changes nothing", async () => {
    const stack = vcdaStack!;
    await clearJournal(sims.vcda.url);
    const destroy = await stack.destroy({ mayFail: true });
    assert.notEqual(destroy.code, 0, "destroy of protected resources succeeded");
    assert.match(destroy.output, /protect/);
    assert.deepEqual(await mutations(sims.vcda.url), []);
    assert.deepEqual(await vcdaObjects(sims), vcdaBefore);
  });
});
