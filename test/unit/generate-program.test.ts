import assert from "node:assert/strict";
import * as ts from "typescript";
import type { VcdaPolicy, VcdaReplication, VcdaVappReplication } from "../../provider/vcda/models";
import type { VpgInputs, VpgOutputs } from "../../provider/inputs.generated";
import { definitionDifferences } from "../../provider/zerto/vpg";
import { policyDeclaration, replicationDeclaration, vappReplicationDeclaration } from "../../cli/generate";
import { commentText, Declaration, globMatcher, ProgramModel, renderFiles, renderIndex, resourceSlug, variableName } from "../../cli/generateProgram";

const VDC = "637a3f27-b491-4bb9-8d88-06a0e0ae74fd";
const VM = "fb3b5c4c-a03c-4a4f-819e-93a54184b142";

function model(declarations: Declaration[], changes: Partial<ProgramModel> = {}): ProgramModel {
  return {
    product: "zerto",
    source: "https://zvm.example.com",
    command: "pulumi-drprotect generate zerto",
    declarations,
    names: new Map([["site-b", "Site-B DR"], ["vm-1", "web-01"]]),
    config: [
      { key: "zerto:url", env: "ZERTO_URL", secret: false, value: "https://zvm.example.com" },
      { key: "zerto:password", env: "ZERTO_PASSWORD", secret: true },
    ],
    skipped: [],
    protect: true,
    packageSpec: "^0.1.0",
    pulumiVersion: "3.248.0",
    projectName: "drprotect-zerto-existing",
    ...changes,
  };
}

function vpg(name: string, args: Record<string, unknown> = {}): Declaration {
  return { type: "Vpg", objectName: name, args: { name, recoverySiteId: "site-b", vms: [{ vmId: "vm-1" }], adoptExisting: true, ...args }, notes: [`VPG '${name}'`] };
}

/** Syntax errors of the TypeScript text (no type check: the SDK is not there). */
function syntaxErrors(source: string): string[] {
  const result = ts.transpileModule(source, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
  return (result.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

function liveReplication(changes: Partial<VcdaReplication> = {}): VcdaReplication {
  return {
    id: "C4-0001", owner: "admin@org-acme", vmId: VM, vmName: "acme-web-01",
    source: { site: "cloud-east", org: "org-acme" },
    destination: { site: "cloud-west", org: "org-acme", vdcId: VDC },
    storageProfile: "*",
    settings: {
      description: "", rpo: 120, dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true,
      retentionPolicy: { rules: [{ numberOfInstances: 4, distance: 120 }] }, initialSyncTime: 0, excludedDiskKeys: [2001, 2000],
    },
    destinationState: { recoveryInfo: { recoveryState: "NOT_STARTED" } },
    dataConnectionState: "OK", overallHealth: "GREEN", isReversed: false, isMigration: false, slaProfile: null,
    ...changes,
  };
}

describe("generate: the program writer", () => {
  it("names resources and variables after the objects, unique per type", () => {
    assert.equal(resourceSlug("Payroll DB (prod)"), "payroll-db-prod");
    assert.equal(resourceSlug("Überwachung"), "uberwachung");
    assert.equal(resourceSlug("***"), "unnamed");
    assert.equal(variableName("Vpg", "payroll-db"), "vpgPayrollDb");
    assert.equal(variableName("VmReplication", "2nd app"), "replication2ndApp");
    const index = renderIndex(model([vpg("web"), vpg("WEB"), vpg("class")]));
    assert.match(index, /export const vpgWeb = new dr\.zerto\.Vpg\("web",/);
    assert.match(index, /export const vpgWeb2 = new dr\.zerto\.Vpg\("web-2",/);
    assert.match(index, /export const vpgClass = new dr\.zerto\.Vpg\("class",/);
  });

  it("escapes names in strings and comments, so any name gives a valid program", () => {
    const nasty = "a \"quoted\" */ name\nwith\u2028breaks and \\ backslash ${x}";
    const index = renderIndex(model([vpg(nasty)], { skipped: [`VPG '${nasty}': unreadable`], command: `generate --name-pattern '*/'` }));
    assert.deepEqual(syntaxErrors(index), []);
    assert.ok(index.includes(`name: ${JSON.stringify(nasty)},`));
    assert.equal(commentText("x */ y\nz"), "x * / y z");
    // the header is one block comment: nothing in it closes it early
    assert.equal(index.split("*/")[0].includes("import"), false);
  });

  it("puts names beside the ids it knows, and references the policy a declaration depends on", () => {
    const index = renderIndex(model([vpg("web")]));
    assert.match(index, /recoverySiteId: "site-b", \/\/ Site-B DR\n/);
    assert.match(index, /vmId: "vm-1", \/\/ web-01\n/);
    const vcda = renderIndex(model([
      { type: "ReplicationPolicy", objectName: "gold", args: { displayName: "gold", adoptExisting: true }, notes: [] },
      { type: "OrgPolicyAssignment", objectName: "org-acme", args: { org: "org-acme", policyId: "p-1" }, notes: [],
        references: { policyId: { type: "ReplicationPolicy", objectName: "gold", output: "policyId" } } },
    ], { product: "vcda" }));
    assert.match(vcda, /policyId: policyGold\.policyId,\n/);
    assert.deepEqual(syntaxErrors(vcda), []);
  });

  it("protects every resource unless told not to, and says what destroy does either way", () => {
    assert.match(renderIndex(model([vpg("web")])), /const options: pulumi.CustomResourceOptions = \{ protect: true \};[\s\S]*\}, options\);/);
    const unprotected = renderIndex(model([vpg("web")], { protect: false }));
    assert.match(unprotected, /protect: false/);
    assert.match(unprotected, /DELETES the object on the server/);
  });

  it("writes no credential: secrets only as the key to set with --secret", () => {
    const files = renderFiles(model([vpg("web")]));
    assert.deepEqual(Object.keys(files).sort(), ["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
    assert.match(files["index.ts"], /pulumi config set --secret zerto:password {3}# prompts; never written in plain text \(or ZERTO_PASSWORD\)/);
    assert.match(files["index.ts"], /pulumi config set zerto:url https:\/\/zvm\.example\.com {3}# or ZERTO_URL/);
    assert.deepEqual(JSON.parse(files["package.json"]).dependencies, { "@pulumi/pulumi": "^3.248.0", "pulumi-drprotect": "^0.1.0" });
  });

  it("filters names by glob, case-insensitively, with regex characters taken literally", () => {
    const match = globMatcher("web-*.prod?");
    assert.equal(match("WEB-01.prod1"), true);
    assert.equal(match("web-01xprod1"), false);
    assert.equal(match("db-01.prod1"), false);
    assert.equal(globMatcher(undefined)("anything"), true);
  });
});

describe("generate: VCDA declarations equal what the provider reads back", () => {
  it("declares a replication with what GET returns, sorted excluded disks, and adoptExisting", () => {
    const declaration = replicationDeclaration(liveReplication()) as Declaration;
    assert.deepEqual(declaration.args, {
      source: { type: "vm", site: "cloud-east", vmId: VM, excludedDisks: [2000, 2001] },
      destination: { type: "vcloud", site: "cloud-west", vdc: VDC, storageProfile: "*" },
      rpo: 120, dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true,
      retentionPolicy: { rules: [{ numberOfInstances: 4, distance: 120 }] },
      adoptExisting: true,
    });
    assert.equal(declaration.objectName, "acme-web-01");
  });

  it("declares an SLA profile instead of custom settings, and acknowledges a paused replication", () => {
    const declaration = replicationDeclaration(liveReplication({ slaProfile: { id: "0c1d2e3f-0000-4000-8000-000000000001", displayName: "Gold" }, isPaused: true } as any), "tenant") as Declaration;
    assert.equal(declaration.args.slaProfileId, "0c1d2e3f-0000-4000-8000-000000000001");
    assert.equal(declaration.args.rpo, undefined);
    assert.equal(declaration.args.replicationState, "paused");
    assert.equal(declaration.args.profile, "tenant");
  });

  it("leaves out, with the reason, a replication failed over outside Pulumi or from an on-premises VM", () => {
    assert.match(replicationDeclaration(liveReplication({ isReversed: true })) as string, /was reversed/);
    assert.match(replicationDeclaration(liveReplication({ vmId: "vm-42" })) as string, /on-premises source VM.*vcUuid/);
  });

  const VAPP = "b90c87ae-ac35-4490-9944-00e0d4de6ed3";
  const liveVapp = (vms: VcdaReplication[]): VcdaVappReplication => ({
    id: "C4VAPP-0001", owner: "admin@org-acme",
    source: { site: "cloud-east", org: "org-acme", vappId: VAPP, vappName: "acme-app" },
    destination: { site: "cloud-west", org: "org-acme", vdcId: VDC }, storageProfile: "*", isMigration: false,
    vmReplications: vms.map((vm) => ({ ...vm, vappReplicationId: "C4VAPP-0001", settings: { ...vm.settings, excludedDiskKeys: [] } })),
  });

  it("declares a vApp replication with the settings all its VMs share, naming its VMs", () => {
    const declaration = vappReplicationDeclaration(liveVapp([liveReplication(), liveReplication({ id: "C4-0002", vmName: "acme-web-02" })])) as Declaration;
    assert.equal(declaration.type, "VappReplication");
    assert.equal(declaration.objectName, "acme-app");
    assert.deepEqual(declaration.args, {
      source: { type: "vapp", site: "cloud-east", vappId: VAPP },
      destination: { type: "vcloud", site: "cloud-west", vdc: VDC, storageProfile: "*" },
      rpo: 120, dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true,
      retentionPolicy: { rules: [{ numberOfInstances: 4, distance: 120 }] },
      adoptExisting: true,
    });
    assert.match(declaration.notes[0], /VMs: acme-web-01, acme-web-02/);
  });

  it("leaves out a vApp replication whose VMs were given different settings, naming the VM and the setting", () => {
    const differing = liveReplication({ id: "C4-0002", vmName: "acme-web-02" });
    differing.settings = { ...differing.settings, rpo: 240 };
    assert.match(vappReplicationDeclaration(liveVapp([liveReplication(), differing])) as string,
      /replication of vApp 'acme-app' \(C4VAPP-0001\): its VMs' settings differ \(VM 'acme-web-01' → VM 'acme-web-02': rpo 120 → 240\)/);
  });

  it("declares a policy with every setting VCDA has", () => {
    const policy: VcdaPolicy = {
      id: "p-1", displayName: "gold", orgs: 2, minRpo: 15, maxInstances: 24, maxPinnedInstances: 0, maxIncoming: 0,
      allowIncomingProtections: true, allowOutgoingProtections: true, allowIncomingMigrations: true, allowOutgoingMigrations: true,
    } as VcdaPolicy;
    const declaration = policyDeclaration(policy) as Declaration;
    const { id: _id, orgs: _orgs, ...settings } = policy;
    assert.deepEqual(declaration.args, { ...settings, adoptExisting: true });
  });
});

describe("generate: adoption of what it declares", () => {
  it("a VPG matching its declaration is adopted whatever the engine adds to the inputs (__provider)", () => {
    const inputs = { name: "web", recoverySiteId: "c2d8e4f6-1a3b-4c5d-9e7f-8a0b1c2d3e4f", recovery: {}, networks: {}, vms: [{ vmId: "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81.vm-101" }] };
    const live = { ...inputs, vpgId: "v-1", protectionState: "protected", status: "MeetingSLA" } as unknown as VpgOutputs;
    assert.deepEqual(definitionDifferences(live, { ...inputs, adoptExisting: true, __provider: "exports.handler = __f0;" } as unknown as VpgInputs), []);
    assert.deepEqual(definitionDifferences(live, { ...inputs, rpoSeconds: 600 } as unknown as VpgInputs), ["rpoSeconds (unset) → 600"]);
  });
});
