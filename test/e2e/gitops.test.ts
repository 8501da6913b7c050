import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startZvmSimulator, ZvmSimulator } from "../../simulator";
import { Project, repoRoot, runProcess, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { simRequest, skipRestAfterFailure, tearDown } from "./support";
import { inventoryWithSecondPeerSite, MOVE_TO_SITE_C } from "./secondSite";

const PASSWORD = "zerto-sim-password";
const vm = (n: number) => `5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81.vm-${n}`;
const QUICKSTART = { rpoSeconds: 300, vms: ["web-01", "web-02", "app-01"] };

describe("e2e: GitOps review kit through the Pulumi CLI (examples/quickstart, examples/gitops)", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let zvm: ZvmSimulator;
  let project: TestStack;
  let scratch: string;
  /** The CLI's environment (backend, home, PATH): the example's steps run in it too. */
  let env: NodeJS.ProcessEnv;

  /** The installed package's bin, as `npx pulumi-drprotect` runs it. */
  const drprotect = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    runProcess(path.join(project.project.dir, "node_modules", ".bin", "pulumi-drprotect"), args, { cwd: project.project.dir, env: { ...env, ...extraEnv } });
  const zertoEnv = () => ({ ZERTO_URL: zvm.url, ZERTO_USERNAME: "admin", ZERTO_PASSWORD: PASSWORD, ZERTO_AUTH_MODE: "session" });
  const saved = async (file: string, ...args: string[]) => {
    const result = await project.run(args);
    fs.writeFileSync(path.join(scratch, file), result.stdout);
    return path.join(scratch, file);
  };
  const policyConfig = (config: object) => {
    const file = path.join(scratch, "policy-config.json");
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  };
  const shippedPack = () => path.join(project.project.dir, "node_modules", "pulumi-drprotect", "policy-pack");
  /** The pack as `pulumi preview --policy-pack` takes it with this CLI (see policyPackRoute). */
  let policyPack = shippedPack;

  /**
   * The pinned CLI may come with a language host built from sdk 3.68 (install-pulumi.sh does that when
   * the module proxy serves no newer one); it answers RunPlugin with "not supported", so the shipped
   * pack (runtime nodejs) cannot start. The engine's route for runtimes without a language host runs
   * `pulumi-analyzer-policy-<runtime>` from PATH instead: a copy of PulumiPolicy.yaml naming runtime
   * drprotect-node, beside a package.json pointing at the same compiled pack, plus that name linked to
   * the pulumi-analyzer-policy script install-pulumi.sh installs, take it. The rules run unchanged.
   */
  async function policyPackRoute(): Promise<void> {
    const probe = await project.run(["preview", "--policy-pack", shippedPack()]);
    if (!/not supported/.test(probe.output)) return;
    const dir = path.join(project.project.dir, ".drprotect-policy-pack");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), fs.readFileSync(path.join(shippedPack(), "PulumiPolicy.yaml"), "utf8").replace(/^runtime: nodejs$/m, "runtime: drprotect-node"));
    const shipped = JSON.parse(fs.readFileSync(path.join(shippedPack(), "package.json"), "utf8"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...shipped, main: "../node_modules/pulumi-drprotect/dist/policy-pack/index.js" }));
    const bin = path.join(scratch, "policy-bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.symlinkSync(path.join(path.dirname(project.project.workspace.pulumiCommand.command), "pulumi-analyzer-policy"), path.join(bin, "pulumi-analyzer-policy-drprotect-node"));
    project.project.extraEnv.PATH = `${bin}${path.delimiter}${process.env.PATH}`;
    env = project.cliEnv();
    policyPack = () => dir;
  }

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    project = await (await Project.example("quickstart")).stack("e2e");
    scratch = project.project.root;
    // the example's script and our command run in the CLI's own environment
    env = project.cliEnv();
    zvm = await startZvmSimulator({ taskPolls: 1, listingLagMs: 0, inventoryFile: inventoryWithSecondPeerSite(project.project.root) });
    await project.setConfig({ "zerto:url": zvm.url, "zerto:username": "admin", "zerto:authMode": "session" }, { "zerto:password": PASSWORD });
    await project.up();
  });

  after(async function () {
    this.timeout(120_000);
    await tearDown([project], [zvm]);
  });

  it("flags a loosened RPO, a removed VM and a changed site in the first lines of the review, with VPG and VM names", async () => {
    await project.setConfig({ rpoSeconds: 900, vms: ["web-01", "web-02"], ...MOVE_TO_SITE_C, allowProtectionGapOnReplace: true });
    const preview = await saved("preview.json", "preview", "--json");
    const review = await drprotect(["review", preview, "--fail-on", "risk"], zertoEnv());
    if (process.env.DRPROTECT_GITOPS_SHOW) process.stderr.write(review.stdout);
    assert.equal(review.code, 2, review.output);
    const lines = review.stdout.split("\n");
    assert.match(lines[0], /DR change review: \d+ risks/);
    const risks = lines.slice(1, lines.indexOf(""));
    assert.ok(risks.some((l) => /RPO loosened.*web-tier.*rpoSeconds 300 → 900/.test(l)), review.stdout);
    assert.ok(risks.some((l) => /VM unprotected.*app-01 \(.*vm-103\).*web-tier/.test(l)), review.stdout);
    assert.ok(risks.some((l) => /Site changed.*web-tier.*recoverySiteId Site-B DR \(c2d8.*\) → Site-C DR \(7d1e/.test(l)), review.stdout);
    assert.ok(risks.some((l) => /Protection replaced.*web-tier/.test(l)), review.stdout);

    const data = JSON.parse((await drprotect(["review", preview, "--format", "json", "--names", "off"])).stdout);
    assert.deepEqual(data.resources.map((r: any) => [r.name, r.op, r.vmsRemoved]), [["web-tier", "replace", [vm(103)]]]);
  });

  it("the policy pack blocks the preview that breaks a rule", async () => {
    await policyPackRoute();
    const config = policyConfig({ "dr-max-rpo": { maxRpoSeconds: 600 }, "dr-no-protection-gap": { allowedStacks: [] } });
    const preview = await project.run(["preview", "--policy-pack", policyPack(), "--policy-pack-config", config]);
    assert.notEqual(preview.code, 0, preview.output);
    assert.match(preview.output, /dr-max-rpo/);
    assert.match(preview.output, /RPO 900 s is above the maximum of 600 s/);
    assert.match(preview.output, /dr-no-protection-gap/);
  });

  it("the policy pack passes a compliant preview", async () => {
    await project.setConfig({ ...QUICKSTART, allowProtectionGapOnReplace: false, recoverySite: "Site-B DR" });
    const config = policyConfig({ "dr-max-rpo": { maxRpoSeconds: 600 }, "dr-vms-protected": { vms: [vm(101), vm(103)] } });
    const preview = await project.run(["preview", "--policy-pack", policyPack(), "--policy-pack-config", config]);
    assert.equal(preview.code, 0, preview.output);
    assert.doesNotMatch(preview.output, /mandatory/);
    // advisory by default: a VPG never tested is said, not failed; made mandatory, it fails the preview
    assert.match(preview.output, /dr-tested-within[\s\S]*VPG 'web-tier' has never been failover-tested/);
    const strict = policyConfig({ "dr-max-rpo": { maxRpoSeconds: 600 }, "dr-tested-within": { enforcementLevel: "mandatory", maxDays: 92 } });
    const refused = await project.run(["preview", "--policy-pack", policyPack(), "--policy-pack-config", strict]);
    assert.notEqual(refused.code, 0, refused.output);
    assert.match(refused.output, /mandatory[\s\S]*never been failover-tested/);
  });

  it("reports an out-of-band RPO change and a pause as drift, with a non-zero exit", async () => {
    const vpgId = (await project.outputs()).vpgId;
    assert.equal((await simRequest(zvm.url, "PATCH", `/_admin/zvm/vpgs/${vpgId}`, { RpoInSeconds: 1200 })).status, 200);
    assert.equal((await simRequest(zvm.url, "PUT", `/_admin/zvm/vpgs/${vpgId}/operation`, { operation: "pause" })).status, 200);
    const refreshed = await saved("preview-refresh.json", "preview", "--refresh", "--json");
    const drift = await drprotect(["drift", refreshed], zertoEnv());
    if (process.env.DRPROTECT_GITOPS_SHOW) process.stderr.write(drift.stdout);
    assert.equal(drift.code, 2, drift.output);
    assert.match(drift.stdout, /DR drift report: 1 resource\(s\) changed out of band/);
    assert.match(drift.stdout, /setting rpoSeconds 300 → 1200/);
    assert.match(drift.stdout, /\*\*state\*\* protectionState protected → paused/);
    const json = JSON.parse((await drprotect(["drift", refreshed, "--format", "json"])).stdout);
    assert.deepEqual(json.counts, { resources: 1, stateChanges: 1, settingChanges: 1, deleted: 0 });

    // the refresh JSON of the pinned CLI tells that, not what: still a non-zero exit
    const refreshOnly = await saved("refresh.json", "refresh", "--preview-only", "--json");
    assert.equal((await drprotect(["drift", refreshOnly])).code, 2);

    assert.equal((await simRequest(zvm.url, "PUT", `/_admin/zvm/vpgs/${vpgId}/operation`, { operation: null })).status, 200);
    await project.up({ refresh: true });
    assert.equal((await drprotect(["drift", await saved("clean.json", "preview", "--refresh", "--json")])).code, 0);
  });

  it("runs the gitops example's steps end to end: review, policy, apply, drift", async () => {
    await project.setConfig({ rpoSeconds: 600 });
    const out = path.join(scratch, "gitops-out");
    const steps = await runProcess("bash", [path.join(repoRoot, "examples", "gitops", "steps.sh"), "all"], {
      cwd: project.project.dir,
      env: { ...env, STACK: project.name, OUT_DIR: out, POLICY_PACK: policyPack(), POLICY_CONFIG: policyConfig({ "dr-max-rpo": { maxRpoSeconds: 600 } }), ...zertoEnv() },
      timeoutMs: 280_000,
    });
    assert.equal(steps.code, 0, steps.output);
    assert.match(fs.readFileSync(path.join(out, "review.md"), "utf8"), /\| rpoSeconds \| `300` \| `600` \|/);
    assert.match(fs.readFileSync(path.join(out, "drift.md"), "utf8"), /no drift/);
    assert.equal((await project.outputs()).rpoSeconds, 600);
  });
});
