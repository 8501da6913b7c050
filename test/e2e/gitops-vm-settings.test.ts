import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startZvmSimulator, ZvmSimulator } from "../../simulator";
import { Project, runProcess, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { simRequest, skipRestAfterFailure, tearDown } from "./support";
import { inventoryWithSecondPeerSite, SITE_B, SITE_C, SITE_C_VC } from "./secondSite";

/**
 * `pulumi-drprotect review` and `drift` over per-VM failover settings, through the real CLI: a
 * failover IP changed in the program, a preview that failed, and a NIC's IP changed in the ZVM.
 */

const PASSWORD = "zerto-sim-password";
const PROTECTED_VC = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81";
const RECOVERY_VC = "9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d";
const DB_01 = `${PROTECTED_VC}.vm-105`;
const rid = (moref: string, vc = RECOVERY_VC) => `${vc}.${moref}`;
const NIC = "Network adapter 1";

/** VPG db-tier: web-01, and db-01 with a static re-IP of its NIC at failover; recovering to Site-B, or to Site-C (a replace). */
function dbTier(failoverIp: string, site: "B" | "C" = "B", extra: Record<string, unknown> = {}): Record<string, unknown> {
  const vc = site === "B" ? RECOVERY_VC : SITE_C_VC;
  return {
    name: "db-tier",
    recoverySiteId: site === "B" ? SITE_B : SITE_C,
    recovery: { hostClusterId: rid("domain-c1001", vc), datastoreId: rid("datastore-1031", vc), folderId: rid("group-v1003", vc) },
    networks: { failoverNetworkId: rid("network-1021", vc), failoverTestNetworkId: rid("network-1022", vc) },
    vms: [
      { vmId: `${PROTECTED_VC}.vm-101` },
      { vmId: DB_01, nics: [{ nicId: NIC, failover: { ipConfig: { mode: "static", ip: failoverIp, subnetMask: "255.255.255.0", gateway: "10.20.1.1" } } }] },
    ],
    ...extra,
  };
}

describe("e2e: review and drift of per-VM failover settings through the Pulumi CLI", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let zvm: ZvmSimulator;
  let stack: TestStack;
  let scratch: string;

  const declare = (args: Record<string, unknown>) => stack.writeResources([{ type: "zerto:Vpg", name: "db-tier", args }]);
  const zertoEnv = () => ({ ZERTO_URL: zvm.url, ZERTO_USERNAME: "admin", ZERTO_PASSWORD: PASSWORD, ZERTO_AUTH_MODE: "session" });
  /** The installed package's bin, as `npx pulumi-drprotect` runs it. */
  const drprotect = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    runProcess(path.join(stack.project.dir, "node_modules", ".bin", "pulumi-drprotect"), args, { cwd: stack.project.dir, env: { ...stack.cliEnv(), ...extraEnv } });
  /** `pulumi <args>` with its stdout in a file, for the commands to read. */
  const saved = async (file: string, args: string[]) => {
    const result = await stack.run(args);
    fs.writeFileSync(path.join(scratch, file), result.stdout);
    return { file: path.join(scratch, file), code: result.code, output: result.output };
  };

  /** The ZVM's own API with a session of its own, as the ZVM UI or a script would edit a VPG. */
  async function zvmApi(method: string, urlPath: string, body?: unknown): Promise<any> {
    const login = await fetch(`${zvm.url}/v1/session/add`, {
      method: "POST",
      headers: { Authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString("base64")}`, "Content-Type": "application/json" },
      body: JSON.stringify({ AuthenticationMethod: "1" }), // a vCenter account, as the simulator (like a ZVM) requires
    });
    const response = await simRequest(zvm.url, method, urlPath, body, { "x-zerto-session": login.headers.get("x-zerto-session") ?? "" });
    assert.ok(response.status < 300, `${method} ${urlPath} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async function setFailoverIpOutOfBand(ip: string): Promise<void> {
    const vpgId = (await stack.resources("zerto:Vpg"))[0].outputs.vpgId;
    const settingsId = await zvmApi("POST", "/v1/vpgSettings", { VpgIdentifier: vpgId });
    const settings = await zvmApi("GET", `/v1/vpgSettings/${settingsId}`);
    const nic = settings.Vms.find((v: any) => v.VmIdentifier === DB_01).Nics.find((n: any) => n.NicIdentifier === NIC);
    nic.Failover.Hypervisor.IpConfig.StaticIp = ip;
    await zvmApi("PUT", `/v1/vpgSettings/${settingsId}`, settings);
    const taskId = await zvmApi("POST", `/v1/vpgSettings/${settingsId}/commit`);
    for (let i = 0; i < 50 && (await zvmApi("GET", `/v1/tasks/${taskId}`)).Status.State !== 6; i++) await new Promise((r) => setTimeout(r, 100));
  }

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    const project = await Project.program();
    scratch = project.root;
    zvm = await startZvmSimulator({ taskPolls: 1, listingLagMs: 0, initializingMs: 50, inventoryFile: inventoryWithSecondPeerSite(scratch) });
    stack = await project.stack("vm-settings", { "zerto:url": zvm.url, "zerto:authMode": "session", "zerto:username": "admin" }, { "zerto:password": PASSWORD });
    await declare(dbTier("10.20.1.15"));
    await stack.up();
  });

  after(() => tearDown([stack], [zvm]));

  it("flags a failover-IP-only change with the VM, the NIC and old → new IP; --fail-on risk exits 2", async () => {
    await declare(dbTier("10.20.1.99"));
    const preview = await saved("ip-change.json", ["preview", "--json"]);
    assert.equal(preview.code, 0, preview.output);
    const review = await drprotect(["review", preview.file, "--fail-on", "risk"], zertoEnv());
    assert.equal(review.code, 2, review.output);
    const risks = review.stdout.split("\n").slice(1, review.stdout.split("\n").indexOf(""));
    assert.ok(risks.some((l) => /Failover IP changed.*db-01 \(.*vm-105\).*NIC Network adapter 1.*10\.20\.1\.15 → 10\.20\.1\.99/.test(l)), review.stdout);
    assert.match(review.stdout, /\| db-01 \(.*vm-105\) \| NIC Network adapter 1 \| failover\.ipConfig\.ip \| `10\.20\.1\.15` \| `10\.20\.1\.99` \|/);
    assert.doesNotMatch(review.stdout, /no DR risk/);
  });

  it("names the networks a failover moves between (the recovery site's names, looked up read-only)", async () => {
    await declare(dbTier("10.20.1.15", "B", { networks: { failoverNetworkId: rid("network-1023", RECOVERY_VC), failoverTestNetworkId: rid("network-1022", RECOVERY_VC) } }));
    const preview = await saved("network-change.json", ["preview", "--json"]);
    assert.equal(preview.code, 0, preview.output);
    const review = await drprotect(["review", preview.file, "--fail-on", "risk"], zertoEnv());
    assert.equal(review.code, 2, review.output);
    assert.match(review.stdout, /Failover network changed.*networks\.failoverNetworkId DR-Prod \(.*network-1021\) → DR-Mgmt \(.*network-1023\)/);
  });

  it("refuses a failed preview and an empty document with exit 1, quoting the preview's error", async () => {
    await declare(dbTier("10.20.1.15", "C"));
    const preview = await saved("refused.json", ["preview", "--json"]);
    assert.notEqual(preview.code, 0, preview.output);
    const review = await drprotect(["review", preview.file, "--names", "off"]);
    assert.equal(review.code, 1, review.output);
    assert.match(review.stderr, /pulumi preview failed \(1 error\)/);
    assert.match(review.stderr, /allowProtectionGapOnReplace/);
    assert.doesNotMatch(review.stdout, /no DR risk/);

    fs.writeFileSync(path.join(scratch, "empty.json"), "{}");
    const empty = await drprotect(["review", path.join(scratch, "empty.json"), "--names", "off"]);
    assert.equal(empty.code, 1, empty.output);
    assert.match(empty.stderr, /no steps/);
  });

  it("reports a NIC's failover IP changed in the ZVM, naming VM, NIC and both IPs (exit 2), with the default and the full refresh", async () => {
    await declare(dbTier("10.20.1.15"));
    await setFailoverIpOutOfBand("10.20.1.77");
    const expected = /db-01 \(.*vm-105\) NIC Network adapter 1 failover\.ipConfig\.ip 10\.20\.1\.15 → 10\.20\.1\.77/;

    // the default refresh reads the summary only: drift reads each VPG's settings itself, through a discarded draft
    const summary = await saved("drift-summary.json", ["preview", "--refresh", "--json"]);
    assert.equal(summary.code, 0, summary.output);
    const drift = await drprotect(["drift", summary.file], zertoEnv());
    assert.equal(drift.code, 2, drift.output);
    assert.match(drift.stdout, expected);
    assert.equal((await simRequest(zvm.url, "GET", "/_admin/zvm/drafts")).body.count, 0, "the draft is discarded");

    // without that read the report says what the summary refresh does not see
    const blind = await drprotect(["drift", summary.file, "--vm-settings", "off"]);
    assert.equal(blind.code, 0, blind.output);
    assert.match(blind.stdout, /ZERTO_REFRESH_MODE=full.*does not see per-VM settings/s);

    stack.project.extraEnv = { ZERTO_REFRESH_MODE: "full" };
    const full = await saved("drift-full.json", ["preview", "--refresh", "--json"]);
    stack.project.extraEnv = {};
    assert.equal(full.code, 0, full.output);
    const fullDrift = await drprotect(["drift", full.file, "--vm-settings", "off"], zertoEnv());
    assert.equal(fullDrift.code, 2, fullDrift.output);
    assert.match(fullDrift.stdout, expected);
  });
});
