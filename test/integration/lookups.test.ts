import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LookupError } from "../../provider/lookup";
import { createVcdaClient } from "../../provider/vcda/client";
import * as vcda from "../../provider/vcda/lookups";
import { configure, zertoConnection } from "../../provider/connection";
import { createZertoClient } from "../../provider/zerto/client";
import * as zerto from "../../provider/zerto/lookups";
import { IntentStore } from "../../provider/zerto/intents";
import { createVpgHandler } from "../../provider/zerto/vpg";
import { ACME_GOLD, ACME_RETIRED, ACME_TEST_NET, ACME_VDC, GLOBEX_VDC, VCD_SITE } from "../fixtures/vcd";
import { startVcdaSimulator, startZvmSimulator, VcdaSimulator, ZvmSimulator } from "../../simulator";
import { loadInventory } from "../../simulator/vcda";

const SITE_A = "0f3c9a52-7b1e-4d8a-9c6f-2e5d8b1a4c70";
const SITE_B = "c2d8e4f6-1a3b-4c5d-9e7f-8a0b1c2d3e4f";
const PROTECTED_VC = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81";
const RECOVERY_VC = "9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d";
const ACME_EAST_VDC = "5e0f6f59-880d-4473-8e87-961acebfcef5";

/** Only reads: every request a look-up made was a GET (logins aside). */
function assertOnlyReads(journal: Array<{ method: string; path: string }>): void {
  assert.deepEqual(journal.filter((e) => e.method !== "GET" && !/session/i.test(e.path)), []);
}

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: Error) => {
    assert.ok(err instanceof LookupError, `expected a LookupError, got ${err}`);
    assert.match(err.message, pattern);
    return true;
  });
}

describe("Zerto look-ups by name against the ZVM simulator (real HTTP, read-only)", function () {
  this.timeout(30_000);
  let sim: ZvmSimulator;
  const client = () => createZertoClient({ url: sim.url, authMode: "session", username: "admin", password: "zerto-sim-password", insecure: false });

  before(async () => {
    sim = await startZvmSimulator({ authMode: "session" });
  });
  after(() => sim?.close());
  beforeEach(() => sim.journal.clear());
  afterEach(() => assertOnlyReads(sim.journal.list()));

  it("finds the local site and a paired site by name", async () => {
    assert.deepEqual(await zerto.findZertoSite(client(), { name: "Site-A Prod" }), (await zerto.listZertoSites(client())).find((s) => s.isLocal));
    const peer = await zerto.findZertoSite(client(), { name: "Site-B DR" });
    assert.equal(peer.id, SITE_B);
    assert.equal(peer.isLocal, false);
  });

  it("finds an unprotected VM of the local site, with its site and no VPG", async () => {
    assert.deepEqual(await zerto.findZertoVm(client(), { name: "app-01" }), { id: `${PROTECTED_VC}.vm-103`, name: "app-01", siteId: SITE_A, vpgNames: [] });
    assert.equal((await zerto.findZertoVm(client(), { name: "web-02", siteId: SITE_A })).id, `${PROTECTED_VC}.vm-102`);
  });

  for (const [kind, name, id] of [
    ["host", "esx-b1.example.lab", undefined],
    ["hostCluster", "DR-Cluster", `${RECOVERY_VC}.domain-c1001`],
    ["datastore", "DR-DS-01", `${RECOVERY_VC}.datastore-1031`],
    ["network", "DR-Test-Bubble", `${RECOVERY_VC}.network-1022`],
    ["folder", "Recovered VMs", `${RECOVERY_VC}.group-v1070`],
    ["resourcePool", undefined, undefined],
    ["datastoreCluster", undefined, undefined],
  ] as Array<[zerto.ZertoSiteObjectKind, string | undefined, string | undefined]>) {
    it(`finds a ${kind} of the recovery site by name`, async () => {
      const listed = await client().listSiteObjects(SITE_B, zerto.SITE_OBJECT_KINDS[kind].path);
      const spec = zerto.SITE_OBJECT_KINDS[kind];
      const wanted = name ?? (listed?.[0]?.[spec.name] as string | undefined);
      if (wanted === undefined) {
        await rejects(zerto.findZertoSiteObject(client(), kind, { name: "anything", siteId: SITE_B }), /not found at site 'Site-B DR'.*there are none/);
        return;
      }
      const found = await zerto.findZertoSiteObject(client(), kind, { name: wanted, siteId: SITE_B });
      assert.equal(found.name, wanted);
      assert.equal(found.siteId, SITE_B);
      if (id) assert.equal(found.id, id);
      else assert.equal(found.id, listed!.find((row) => row[spec.name] === wanted)![spec.id]);
    });
  }

  it("finds a service profile by name", async () => {
    const gold = await zerto.findZertoServiceProfile(client(), { name: "Gold" });
    assert.equal(gold.id, "b7a1c3e5-2d4f-4a6b-8c0e-1f3a5b7c9d01");
    assert.match(gold.description ?? "", /RPO 5 minutes/);
  });

  it("answers a typo with the close names, listing what exists", async () => {
    await rejects(zerto.findZertoVm(client(), { name: "app01" }), /Zerto VM 'app01' was not found at site 'Site-A Prod' \(0f3c.*\)\. Did you mean 'app-01'.*Found: /);
    await rejects(zerto.findZertoSiteObject(client(), "network", { name: "DR-prod", siteId: SITE_B }), /Did you mean 'DR-Prod'\?.*'DR-Mgmt'/);
    await rejects(zerto.findZertoSite(client(), { name: "Site-C" }), /Zerto site 'Site-C' was not found.*Found: 'Site-A Prod', 'Site-B DR'/);
    await rejects(zerto.findZertoVpg(client(), { name: "web-tier" }), /Zerto VPG 'web-tier' was not found: there are none/);
  });

  it("finds a Cloud Director site's org vDC, and its networks and storage policies", async () => {
    assert.deepEqual(await zerto.findZertoOrgVdc(client(), { name: "globex-dr-vdc", siteId: VCD_SITE }), { id: GLOBEX_VDC, name: "globex-dr-vdc", siteId: VCD_SITE });
    const inAcme = { siteId: VCD_SITE, orgVdcId: ACME_VDC };
    assert.deepEqual(await zerto.findZertoOrgVdcNetwork(client(), { name: "acme-test-bubble", ...inAcme }), { id: ACME_TEST_NET, name: "acme-test-bubble", ...inAcme });
    assert.deepEqual(await zerto.findZertoOrgVdcStoragePolicy(client(), { name: "Gold", ...inAcme }), { id: ACME_GOLD, name: "Gold", ...inAcme, isEnabled: true });
    assert.deepEqual(await zerto.findZertoOrgVdcStoragePolicy(client(), { name: "Retired", ...inAcme }), { id: ACME_RETIRED, name: "Retired", ...inAcme, isEnabled: false });
  });

  it("answers a typo in a Cloud Director name with the close names, naming the org vDC and site", async () => {
    await rejects(zerto.findZertoOrgVdc(client(), { name: "acme-dr-vcd", siteId: VCD_SITE }),
      /Zerto org vDC 'acme-dr-vcd' was not found at site 'Site-D Cloud' \(4e6a.*\)\. Did you mean 'acme-dr-vdc'\?.*Found: 'acme-dr-vdc', 'globex-dr-vdc'/);
    const inAcme = { siteId: VCD_SITE, orgVdcId: ACME_VDC };
    await rejects(zerto.findZertoOrgVdcNetwork(client(), { name: "acme-Prod", ...inAcme }),
      /Zerto org vDC network 'acme-Prod' was not found in org vDC 'acme-dr-vdc' \(urn:vcloud:vdc:6f1a.*\) at site 'Site-D Cloud'.*Did you mean 'acme-prod'/);
    await rejects(zerto.findZertoOrgVdcStoragePolicy(client(), { name: "Silvr", ...inAcme }), /Zerto storage policy 'Silvr' was not found in org vDC 'acme-dr-vdc'.*Did you mean 'Silver'\?/);
    await rejects(zerto.findZertoOrgVdc(client(), { name: "acme-dr-vdc", siteId: SITE_B }), /Zerto org vDC 'acme-dr-vdc' was not found at site 'Site-B DR' .*there are none/);
  });

  it("names the site's org vDCs when the org vDC id is unknown", async () => {
    await rejects(zerto.findZertoOrgVdcNetwork(client(), { name: "acme-prod", siteId: VCD_SITE, orgVdcId: "urn:vcloud:vdc:no-such" }),
      /Zerto org vDC urn:vcloud:vdc:no-such is not known at site 'Site-D Cloud' .*\(org vDCs: 'acme-dr-vdc' \(urn:vcloud:vdc:6f1a.*'globex-dr-vdc'.*getOrgVdc/);
    await rejects(zerto.findZertoOrgVdcStoragePolicy(client(), { name: "Gold", siteId: "no-such-site", orgVdcId: ACME_VDC }), /site no-such-site is not known to the ZVM/);
  });

  it("keeps the password out of the error when the login fails", async () => {
    const secret = "not-the-password-3f9a";
    const wrong = createZertoClient({ url: sim.url, authMode: "session", username: "lookup-intruder", password: secret, insecure: false }, { retry: { attempts: 1 } });
    await assert.rejects(zerto.findZertoSite(wrong, { name: "Site-B DR" }), (err: Error) => {
      assert.doesNotMatch(`${err.message}\n${err.stack}`, new RegExp(secret));
      return true;
    });
  });

  it("names the known sites when the site id is unknown", async () => {
    await rejects(zerto.findZertoSiteObject(client(), "datastore", { name: "DR-DS-01", siteId: "no-such-site" }),
      /site no-such-site is not known to the ZVM \(sites: 'Site-A Prod' \(0f3c.*'Site-B DR' \(c2d8/);
  });

  it("finds a VPG, and its VMs (no longer offered for protection) with the VPG's name", async () => {
    configure({ get: (key) => ({ "zerto:url": sim.url, "zerto:authMode": "session", "zerto:username": "admin", "zerto:password": "zerto-sim-password" })[key] });
    const intents = new IntentStore(fs.mkdtempSync(path.join(os.tmpdir(), "lookups-intents-")));
    const handler = createVpgHandler((profile) => createZertoClient(zertoConnection(profile), { pollInitialDelayMs: 20, pollMaxDelayMs: 100 }), intents);
    const at = (kind: zerto.ZertoSiteObjectKind, name: string) => zerto.findZertoSiteObject(client(), kind, { name, siteId: SITE_B }).then((o) => o.id);
    const { inputs } = await handler.check({}, {
      name: "lookup-web",
      recoverySiteId: (await zerto.findZertoSite(client(), { name: "Site-B DR" })).id,
      recovery: { hostClusterId: await at("hostCluster", "DR-Cluster"), datastoreId: await at("datastore", "DR-DS-01"), folderId: await at("folder", "Recovered VMs") },
      networks: { failoverNetworkId: await at("network", "DR-Prod"), failoverTestNetworkId: await at("network", "DR-Test-Bubble") },
      vms: [{ vmId: (await zerto.findZertoVm(client(), { name: "web-01" })).id }],
    } as never);
    const { id, outs } = await handler.create(inputs!);
    try {
      sim.journal.clear();
      const vpg = await zerto.findZertoVpg(client(), { name: "lookup-web" });
      assert.deepEqual({ id: vpg.id, protectedSiteId: vpg.protectedSiteId, recoverySiteId: vpg.recoverySiteId }, { id, protectedSiteId: SITE_A, recoverySiteId: SITE_B });
      assert.deepEqual(await zerto.findZertoVm(client(), { name: "web-01" }), { id: `${PROTECTED_VC}.vm-101`, name: "web-01", siteId: SITE_A, vpgNames: ["lookup-web"] });
      await rejects(zerto.findZertoVpg(client(), { name: "lookup-webb" }), /Zerto VPG 'lookup-webb' was not found\. Did you mean 'lookup-web'\?/);
      assertOnlyReads(sim.journal.list());
    } finally {
      await handler.delete(id, outs);
      sim.journal.clear();
      configure({ get: () => undefined });
      fs.rmSync(intents.dir, { recursive: true, force: true });
    }
  });

  describe("with two VMs of the same name and a VPG", () => {
    let twins: ZvmSimulator;
    const twinsClient = () => createZertoClient({ url: twins.url, authMode: "session", username: "admin", password: "zerto-sim-password", insecure: false });
    before(async () => {
      const inventory = JSON.parse(fs.readFileSync(path.join(__dirname, "../../../simulator/zvm/inventory.json"), "utf8"));
      inventory.localSite.Vms.find((v: { VmIdentifier: string }) => v.VmIdentifier.endsWith(".vm-104")).VmName = "app-01";
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lookups-")), "inventory.json");
      fs.writeFileSync(file, JSON.stringify(inventory));
      twins = await startZvmSimulator({ authMode: "session", inventoryFile: file });
    });
    after(() => twins?.close());

    it("refuses an ambiguous name, listing both ids", async () => {
      await rejects(zerto.findZertoVm(twinsClient(), { name: "app-01" }),
        new RegExp(`Zerto VM 'app-01' at site 'Site-A Prod' .* is ambiguous: 2 objects have that name \\(${PROTECTED_VC}\\.vm-103, ${PROTECTED_VC}\\.vm-104\\)`));
    });
  });
});

describe("VCDA look-ups by name against the VCDA simulator (real HTTP, read-only)", function () {
  this.timeout(30_000);
  let sim: VcdaSimulator;
  const provider = () => createVcdaClient({ url: sim.url, authType: "vcdCredentials", username: "root@System", password: "vcda-sim-vcd-password", insecure: false });
  const tenant = () => createVcdaClient({ url: sim.url, authType: "vcdCredentials", username: "admin@org-acme", password: "vcda-sim-tenant-password", insecure: false });

  before(async () => {
    sim = await startVcdaSimulator();
  });
  after(() => sim?.close());
  beforeEach(() => sim.journal.clear());
  afterEach(() => assertOnlyReads(sim.journal.list()));

  it("finds sites, organizations and vDCs by name", async () => {
    assert.deepEqual(await vcda.findVcdaSite(provider(), { name: "cloud-west" }), { id: "cloud-west", name: "cloud-west", isLocal: false, description: "Remote paired cloud site" });
    assert.equal((await vcda.findVcdaSite(tenant(), { name: "onprem-dc1" })).id, "onprem-dc1");
    assert.equal((await vcda.findVcdaOrg(provider(), { name: "org-globex" })).id, "org-globex");
    assert.deepEqual(await vcda.findVcdaVdc(tenant(), { org: "org-acme", name: "acme-east-vdc" }), { id: ACME_EAST_VDC, name: "acme-east-vdc", org: "org-acme", site: undefined });
    assert.equal((await vcda.findVcdaVdc(tenant(), { org: "org-acme", name: "acme-west-vdc", site: "cloud-west" })).id, "637a3f27-b491-4bb9-8d88-06a0e0ae74fd");
  });

  it("finds a cloud VM (optionally within a vDC) and an on-premises VM with its vCenter", async () => {
    const web = await vcda.findVcdaVm(tenant(), { name: "acme-web-01", vdc: ACME_EAST_VDC });
    assert.equal(web.id, "fb3b5c4c-a03c-4a4f-819e-93a54184b142");
    assert.equal(web.onPremises, false);
    assert.equal(web.vdcId, ACME_EAST_VDC);
    const erp = await vcda.findVcdaVm(tenant(), { name: "onprem-erp-01", site: "onprem-dc1" });
    assert.deepEqual({ id: erp.id, onPremises: erp.onPremises, vcUuid: erp.vcUuid }, { id: "vm-41", onPremises: true, vcUuid: "8d5489f5-f920-4cee-9d41-733ff31a2664" });
  });

  it("finds a vApp by name with its VMs, and says which vApps exist on a typo", async () => {
    const web = await vcda.findVcdaVapp(tenant(), { name: "acme-web" });
    const members = loadInventory().vms.filter((vm) => vm.vappName === "acme-web");
    assert.deepEqual(web, { id: members[0].vappId, name: "acme-web", org: "org-acme", vdcId: ACME_EAST_VDC, site: undefined,
      vmIds: members.map((vm) => vm.id), vmNames: members.map((vm) => vm.name) });
    await rejects(vcda.findVcdaVapp(tenant(), { name: "acme-wbe" }), /VCDA vApp 'acme-wbe' was not found at site '\(local\)'\. Did you mean .*'acme-web'\?/);
  });

  it("finds storage profiles, SLA profiles and policies by name", async () => {
    assert.deepEqual(await vcda.findVcdaStorageProfile(tenant(), { vdc: ACME_EAST_VDC, name: "Silver-HDD" }), { id: "621242d5-fba3-4783-83c2-8b88f1ddbc3a", name: "Silver-HDD", vdcId: ACME_EAST_VDC });
    const bronze = await vcda.findVcdaSlaProfile(tenant(), { name: "Bronze" });
    assert.equal(bronze.id, "e24c4584-8b00-4475-9a36-99e568d85680");
    assert.equal(bronze.rpo, 240);
    const fallback = await vcda.findVcdaPolicy(provider(), { name: "Default Policy" });
    assert.equal(fallback.id, "default");
  });

  it("answers a typo with the close names and an unknown name with what exists", async () => {
    await rejects(vcda.findVcdaVm(tenant(), { name: "acme-web-1" }), /VCDA VM 'acme-web-1' was not found at site '\(local\)'\. Did you mean 'acme-web-01'/);
    await rejects(vcda.findVcdaStorageProfile(tenant(), { vdc: ACME_EAST_VDC, name: "gold-ssd" }), /Did you mean 'Gold-SSD'\?/);
    await rejects(vcda.findVcdaSlaProfile(tenant(), { name: "Platinum" }), /VCDA SLA profile 'Platinum' was not found\. Found: 'Bronze', 'Gold'/);
    await rejects(vcda.findVcdaVdc(tenant(), { org: "org-acme", name: "globex-east-vdc" }), /not found of organization 'org-acme'.*Found: 'acme-east-vdc'$/);
  });

  it("shows a tenant only its own organizations' objects", async () => {
    await rejects(vcda.findVcdaOrg(tenant(), { name: "org-globex" }), /VCDA organization 'org-globex' was not found.*Found: 'org-acme'$/);
  });
});
