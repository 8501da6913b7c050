import * as assert from "node:assert/strict";
import { loadInventory, startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";
import { Project, ResourceSpec, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { simRequest, skipRestAfterFailure, tearDown } from "./support";

const inventory = loadInventory();
const vmNamed = (name: string) => inventory.vms.find((v) => v.name === name)!;
const vdcOf = (org: string, site: string) => inventory.vdcs.find((v) => v.org === org && v.site === site)!;
const onPrem = inventory.sites.find((s) => s.type === "vcenter")!;
const TENANT_PASSWORD = "vcda-sim-tenant-password";
const PROVIDER_PASSWORD = "vcda-sim-vcd-password";
const SAML = "<saml2:Assertion><saml2:Subject><saml2:NameID>administrator@vsphere.local</saml2:NameID></saml2:Subject></saml2:Assertion>";

const onPremToCloud: ResourceSpec = {
  type: "vcda:VmReplication", name: "erp",
  args: {
    source: { type: "vcVm", site: onPrem.name, vcUuid: onPrem.vcUuid, vmId: "vm-41" },
    destination: { type: "vcloud", site: "cloud-east", vdc: vdcOf("org-acme", "cloud-east").id, storageProfile: "*" },
    description: "on-premises to cloud", rpo: 30,
  },
};
const cloudToRemote = (name: string, vm: string): ResourceSpec => ({
  type: "vcda:VmReplication", name,
  args: {
    source: { type: "vm", site: "cloud-east", vmId: vmNamed(vm).id },
    destination: { type: "vcloud", site: "cloud-west", vdc: vdcOf("org-acme", "cloud-west").id, storageProfile: "*" },
    description: "cloud to remote cloud", rpo: 30,
  },
});

/**
 * Replications whose `site` is a remote cloud site, through the real engine: the provider extends
 * its session to that site (POST /sessions/extend) once per run, sends `site` as the documented
 * requests do (the destination cloud site, never an on-premises one:
 * docs/api-notes/vcda.md#the-site-a-request-runs-on), and the simulator refuses anything else, so each run
 * below would fail with the old choice (`site` = the source site).
 */
describe("e2e: VCDA remote sites and sessions through the Pulumi CLI", function () {
  this.timeout(10 * 60_000);
  skipRestAfterFailure();

  let vcda: VcdaSimulator;
  let project: Project;
  let tenant: TestStack;
  let sso: TestStack;

  const replications = async (): Promise<Array<{ vmId: string; source: { site: string }; destination: { site: string } }>> =>
    Object.values<any>((await simRequest(vcda.url, "GET", "/_admin/vcda/state")).body.replications).map((r) => r.replication);
  /** Runs a step and counts the logins and extensions the provider made during it. */
  const counted = async (step: () => Promise<unknown>) => {
    const since = vcda.journal.lastSeq();
    await step();
    const entries = vcda.journal.list(since);
    const count = (path: string) => entries.filter((e) => e.method === "POST" && e.path === path).length;
    return { logins: count("/sessions"), extensions: count("/sessions/extend"), entries };
  };

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    vcda = await startVcdaSimulator({ taskPolls: 1 });
    // the shipped default policy refuses protections; let every org replicate
    const permissive = { allowIncomingProtections: true, allowOutgoingProtections: true, maxIncoming: -1, minRpo: 5 };
    assert.equal((await simRequest(vcda.url, "PUT", "/_admin/vcda/policies/default", permissive)).status, 200);
    project = await Project.program();
    tenant = await project.stack("tenant", { "vcda:url": vcda.url, "vcda:authType": "vcdCredentials", "vcda:username": "admin@org-acme" },
      { "vcda:password": TENANT_PASSWORD });
    await tenant.writeResources([onPremToCloud, cloudToRemote("web", "acme-web-01")]);
    // an SSO SAML token session holds no Cloud Director token: the remote site's credentials come from vcda:remoteSites
    const remoteSites = JSON.stringify({ "cloud-west": { type: "credentials", username: "root@System", password: PROVIDER_PASSWORD } });
    sso = await project.stack("sso", { "vcda:url": vcda.url, "vcda:authType": "ssoToken" }, { "vcda:token": SAML, "vcda:remoteSites": remoteSites });
    await sso.writeResources([cloudToRemote("web2", "acme-web-02")]);
  });

  after(async () => {
    for (const stack of [tenant, sso]) await stack?.destroy({ mayFail: true });
    await tearDown([], [vcda]);
    project?.dispose();
  });

  it("creates an on-premises → cloud and a cloud → remote-cloud replication, extending the session to the remote site once", async () => {
    const { logins, extensions, entries } = await counted(() => tenant.up());
    const starts = entries.filter((e) => e.method === "POST" && e.path === "/vm-replications").map((e) => e.query).sort();
    assert.deepEqual(starts, ["?site=cloud-east", "?site=cloud-west"], "each start runs on its destination cloud site");
    // preflight's read-only inventory look-up of the source VM may ask for the on-premises site's VMs (docs/api-notes/first-contact.md#sites-get-sites-and-get-vc-sites)
    assert.ok(entries.every((e) => e.path.startsWith("/inventory/") || !e.query.includes(onPrem.name)), "no call names the on-premises site as the site to run on");
    assert.equal(extensions, logins, `one extension to cloud-west per session (logins ${logins}, extensions ${extensions})`);
    assert.ok(logins >= 1);
    const live = await replications();
    assert.deepEqual(live.map((r) => `${r.source.site}→${r.destination.site}`).sort(), [`cloud-east→cloud-west`, `${onPrem.name}→cloud-east`]);
  });

  it("finds nothing to change in a preview or a refresh", () => tenant.assertNoChanges());

  it("refreshes, then destroys both replications", async () => {
    await tenant.refresh();
    await tenant.destroy();
    assert.deepEqual(await replications(), []);
  });

  it("works through an SSO SAML token session, with the remote site's credentials from vcda:remoteSites", async () => {
    const { logins, extensions } = await counted(() => sso.up());
    assert.equal(extensions, logins, `one extension to cloud-west per session (logins ${logins}, extensions ${extensions})`);
    const [live] = await replications();
    assert.equal(live.vmId, vmNamed("acme-web-02").id);
    await sso.assertNoChanges();
    await sso.refresh();
    await sso.destroy();
    assert.deepEqual(await replications(), []);
  });

  it("never shows a credential in what the CLI printed or stored", () => {
    const printed = project.transcript.join("\n");
    const stored = project.backendText("sso") + project.backendText("tenant");
    for (const secret of [TENANT_PASSWORD, PROVIDER_PASSWORD, SAML]) {
      assert.ok(!printed.includes(secret), "a credential was printed");
      assert.ok(!stored.includes(secret), "a credential is in the state");
    }
  });
});
