import * as assert from "node:assert";
import type { JournalEntry } from "../../../simulator/common";
import { policyArgs, replicationArgs, vcdaInventoryFile, vcdaVmId, vpgArgs, zvmInventoryFile, zvmVmId } from "../../../harness/fixtures";
import { recordFigures } from "../../../harness/figures";
import { Project, ResourceSpec, TestStack } from "../../../harness/engine";
import { allowReplication, Sims, stackConnection, startSims } from "../../../harness/sims";

const VPGS = 50;
const REPLICATIONS = 50;
const POLICIES = 10;
/** Reads of one task before the provider gives up polling it: adaptive polling must stay far below this. */
const MAX_POLLS_PER_TASK = 20;

const isZvmLogin = (e: JournalEntry) => e.method === "POST" && /^\/v1\/session\/add$/i.test(e.path);
const isVcdaLogin = (e: JournalEntry) => e.method === "POST" && e.path === "/sessions";

/** Reads of each task, by task id (ZVM GET /v1/tasks/{id}; VCDA GET /tasks/{id}). */
function pollsPerTask(entries: JournalEntry[], pattern: RegExp): number[] {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const id = e.method === "GET" ? pattern.exec(e.path)?.[1] : undefined;
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts.values()];
}

/**
 * One `pulumi up` of 110 resources at the engine's default parallelism, then a destroy. All the
 * dynamic resource types share the `pulumi-nodejs` provider, so the engine runs them in ONE provider
 * process (the state holds a single default provider): one login per endpoint and identity.
 */
describe("reliability: 50 VPGs, 50 VM replications and 10 policies in one pulumi up", function () {
  this.timeout(10 * 60_000);
  const STACK = "bulk";
  let sims: Sims;
  let project: TestStack;
  const figures: Record<string, unknown> = {};

  const specs: ResourceSpec[] = [
    ...Array.from({ length: VPGS }, (_, i): ResourceSpec => ({ type: "zerto:Vpg", name: `vpg-${i}`, args: vpgArgs(`bulk-vpg-${i}`, [zvmVmId(i)]) })),
    ...Array.from({ length: REPLICATIONS }, (_, i): ResourceSpec => ({ type: "vcda:VmReplication", name: `rep-${i}`, args: replicationArgs(vcdaVmId(i)) })),
    ...Array.from({ length: POLICIES }, (_, i): ResourceSpec => ({ type: "vcda:ReplicationPolicy", name: `policy-${i}`, args: policyArgs(`bulk-policy-${i}`) })),
  ];

  async function census() {
    const vpgs = (await sims.zvmAdmin.call<Array<{ VpgName: string }>>("GET", "/_admin/zvm/vpgs")).filter((v) => v.VpgName.startsWith("bulk-vpg-"));
    const state = await sims.vcdaAdmin.call<any>("GET", "/_admin/vcda/state");
    const replications = Object.values<any>(state.replications);
    const policies = state.policies.filter((p: any) => String(p.displayName).startsWith("bulk-policy-"));
    const drafts = (await sims.zvmAdmin.call<{ count: number }>("GET", "/_admin/zvm/drafts")).count;
    return { vpgs: vpgs.length, distinctVpgNames: new Set(vpgs.map((v) => v.VpgName)).size, replications: replications.length,
      replicatedVms: new Set(replications.map((r) => r.replication.vmId)).size, policies: policies.length, drafts };
  }

  /** Runs a command with fresh journals; returns the journals it produced. */
  async function journaled(command: () => Promise<unknown>) {
    await Promise.all([sims.zvmAdmin.clearJournal(), sims.vcdaAdmin.clearJournal()]);
    const started = Date.now();
    await command();
    const ms = Date.now() - started;
    return { ms, zvm: await sims.zvmAdmin.journal(), vcda: await sims.vcdaAdmin.journal() };
  }

  before(async () => {
    // the bundled inventories hold too few VMs for 50 + 50 protections
    sims = await startSims({ inventoryFile: zvmInventoryFile(VPGS) }, { inventoryFile: vcdaInventoryFile(REPLICATIONS) });
    await allowReplication(sims);
    const { config, secrets } = stackConnection(sims.zvm.url, sims.vcda.url);
    project = await (await Project.program()).stack(STACK, config, secrets);
    await project.writeResources(specs);
  });

  after(async () => {
    recordFigures("concurrency", figures);
    project?.project.dispose();
    await sims?.close();
  });

  it("creates every resource, logging in once per endpoint and identity, with bounded task polling", async () => {
    const run = await journaled(() => project.up());
    const resources = (await project.stack.exportStack()).deployment.resources ?? [];
    const providers = resources.filter((r: any) => String(r.type).startsWith("pulumi:providers:"));
    const managed = resources.filter((r: any) => String(r.type).startsWith("pulumi-nodejs:dynamic"));
    const found = await census();
    const zvmPolls = pollsPerTask(run.zvm, /^\/v1\/tasks\/([^/]+)$/i);
    const vcdaPolls = pollsPerTask(run.vcda, /^\/tasks\/([^/]+)$/);
    Object.assign(figures, {
      resources: specs.length, upMs: run.ms, providerProcesses: providers.length,
      zvmLogins: run.zvm.filter(isZvmLogin).length, vcdaLogins: run.vcda.filter(isVcdaLogin).length,
      zvmTasks: zvmPolls.length, zvmMaxPollsPerTask: Math.max(0, ...zvmPolls),
      vcdaTasks: vcdaPolls.length, vcdaMaxPollsPerTask: Math.max(0, ...vcdaPolls),
      requests: run.zvm.length + run.vcda.length,
    });

    assert.strictEqual(managed.length, specs.length, "every resource is in state");
    assert.deepStrictEqual(found, { vpgs: VPGS, distinctVpgNames: VPGS, replications: REPLICATIONS, replicatedVms: REPLICATIONS, policies: POLICIES, drafts: 0 });
    // all four resource types run in the one default pulumi-nodejs provider, i.e. one provider process
    assert.deepStrictEqual(providers.map((p: any) => p.type), ["pulumi:providers:pulumi-nodejs"]);
    assert.strictEqual(figures.zvmLogins, 1, "one ZVM login (admin) for the whole run");
    assert.strictEqual(figures.vcdaLogins, 2, "one VCDA login per identity: root@System for policies, admin@org-acme for replications");
    assert.strictEqual(zvmPolls.length, VPGS, "one task per VPG create");
    assert.ok((figures.zvmMaxPollsPerTask as number) <= MAX_POLLS_PER_TASK, `a ZVM task was read ${figures.zvmMaxPollsPerTask} times`);
    assert.ok((figures.vcdaMaxPollsPerTask as number) <= MAX_POLLS_PER_TASK, `a VCDA task was read ${figures.vcdaMaxPollsPerTask} times`);
  });

  it("finds nothing to change afterwards", async () => {
    await project.preview({ expectNoChanges: true });
  });

  it("destroys everything, again with one login per identity, and leaves nothing behind", async () => {
    const run = await journaled(() => project.destroy());

    const found = await census();
    Object.assign(figures, { destroyMs: run.ms, destroyZvmLogins: run.zvm.filter(isZvmLogin).length, destroyVcdaLogins: run.vcda.filter(isVcdaLogin).length, leftAfterDestroy: found });
    assert.deepStrictEqual(found, { vpgs: 0, distinctVpgNames: 0, replications: 0, replicatedVms: 0, policies: 0, drafts: 0 });
    assert.strictEqual(figures.destroyZvmLogins, 1);
    assert.strictEqual(figures.destroyVcdaLogins, 2);
  });
});
