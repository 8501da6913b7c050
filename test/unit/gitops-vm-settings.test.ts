import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { EngineDocument, parseEngineJson, Step } from "../../cli/changes";
import { driftReport, renderDriftMarkdown } from "../../cli/drift";
import { main } from "../../cli/main";
import { renderReviewMarkdown, reviewPreview } from "../../cli/review";

/**
 * Review and drift over per-VM settings, on documents captured from the pinned CLI by
 * test/e2e/gitops-vm-settings.test.ts (trimmed to steps, diagnostics and changeSummary): VPG db-tier
 * protects web-01 and db-01, whose NIC "Network adapter 1" re-IPs to a static 10.20.1.15 at failover.
 * The drift documents follow that IP's change to 10.20.1.77 in the ZVM: a default (summary) refresh
 * does not see it, a full one does.
 */
const fixture = (name: string): string => fs.readFileSync(path.join(__dirname, "..", "..", "..", "test", "fixtures", "gitops", name), "utf8");
const document = (name: string): EngineDocument => JSON.parse(fixture(name));

const DB_01 = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81.vm-105";
const NIC = "Network adapter 1";
const names = new Map([[DB_01, "db-01"]]);
const net = (n: number) => `9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d.network-${n}`;

type Inputs = Record<string, any>;

/** The captured failover-IP change (10.20.1.15 → 10.20.1.99), with the new inputs edited by `edit`. */
function ipChange(edit: (inputs: Inputs, oldInputs: Inputs) => void = () => undefined): EngineDocument {
  const preview = document("preview-ip-change.json");
  const vpg = preview.steps!.find((s) => s.op === "update")!;
  edit(vpg.newState!.inputs as Inputs, vpg.oldState!.inputs as Inputs);
  return preview;
}
const nicOf = (inputs: Inputs) => inputs.vms.find((v: Inputs) => v.vmId === DB_01).nics[0];

function run(args: string[], input: string) {
  const out: string[] = [];
  const err: string[] = [];
  return main(args, { readInput: async () => input, write: (t) => void out.push(t), warn: (t) => void err.push(t) })
    .then((code) => ({ code, out: out.join(""), err: err.join("") }));
}

describe("GitOps review: fails closed on a document it cannot judge", () => {
  it("refuses a failed preview (refused by the protection-gap guard), quoting its error", () => {
    assert.throws(() => parseEngineJson(fixture("preview-refused.json"), "pulumi preview"), (err: Error) => {
      assert.match(err.message, /^pulumi preview failed \(1 error\); a failed run is not reported on\. Its errors:\n> \[db-tier\] error: Vpg 'db-tier'/);
      assert.match(err.message, /\n> .*set allowProtectionGapOnReplace: true/);
      assert.doesNotMatch(err.message, /protection-gap guard: change refused/, "an info#err line is the program's output, not an error");
      return true;
    });
  });

  it("refuses an empty document and one without steps", () => {
    for (const text of ["{}", '{"steps": []}', '{"changeSummary": {"same": 1}}']) {
      assert.throws(() => parseEngineJson(text, "pulumi preview"), /pulumi preview: the document holds no steps/, text);
    }
  });

  it("exits 1 with the errors on stderr and nothing on stdout, for review and drift", async () => {
    const review = await run(["review", "-", "--fail-on", "never", "--names", "off"], fixture("preview-refused.json"));
    assert.deepEqual([review.code, review.out], [1, ""]);
    assert.match(review.err, /pulumi-drprotect review: pulumi preview failed \(1 error\)/);
    assert.equal((await run(["review", "-", "--names", "off"], "{}")).code, 1);
    const drift = await run(["drift", "-", "--names", "off"], fixture("preview-refused.json"));
    assert.deepEqual([drift.code, drift.out], [1, ""]);
    assert.match(drift.err, /pulumi preview --refresh failed \(1 error\)/);
  });
});

describe("GitOps review: per-VM settings and their risks", () => {
  it("shows a failover-IP-only change NIC by NIC and flags it, naming VM, NIC and old → new", () => {
    const review = reviewPreview(ipChange(), names);
    assert.deepEqual(review.resources[0].changes, []);
    assert.deepEqual(review.resources[0].vmSettings, [
      { path: "failover.ipConfig.ip", old: "10.20.1.15", new: "10.20.1.99", vmId: DB_01, vmName: "db-01", part: { noun: "NIC", id: NIC } },
    ]);
    assert.deepEqual(review.risks.map((r) => r.message), [
      `VPG \`db-tier\` (zerto:Vpg db-tier): db-01 (${DB_01}) NIC ${NIC} failover.ipConfig.ip 10.20.1.15 → 10.20.1.99`,
    ]);
    const markdown = renderReviewMarkdown(review);
    assert.match(markdown, /^### ⚠️ DR change review: 1 risk\n- \*\*Failover IP changed\*\*: VPG `db-tier`/);
    assert.ok(markdown.includes([
      "#### `~` update VPG `db-tier` (zerto:Vpg db-tier)",
      "| VM | NIC / volume | property | old | new |",
      "|---|---|---|---|---|",
      `| db-01 (${DB_01}) | NIC ${NIC} | failover.ipConfig.ip | \`10.20.1.15\` | \`10.20.1.99\` |`,
    ].join("\n")), markdown);
  });

  it("--fail-on risk exits 2 on it; the VM id stands where no name is known", async () => {
    const result = await run(["review", "-", "--fail-on", "risk", "--names", "off"], JSON.stringify(ipChange()));
    assert.equal(result.code, 2);
    assert.match(result.out, new RegExp(`\\| ${DB_01.replace(/\./g, "\\.")} \\| NIC ${NIC} \\| failover\\.ipConfig\\.ip`));
  });

  it("flags a NIC losing its static re-IP: to keep, to DHCP, or the NIC no longer declared", () => {
    const toKeep = reviewPreview(ipChange((inputs) => void (nicOf(inputs).failover.ipConfig = { mode: "keep" })), names);
    assert.deepEqual(toKeep.risks.map((r) => r.kind), ["re-ip-lost"]);
    assert.equal(toKeep.risks[0].message, `VPG \`db-tier\` (zerto:Vpg db-tier): db-01 (${DB_01}) NIC ${NIC} loses its static failover re-IP 10.20.1.15: `
      + "the guest keeps its protected-site address (failover.ipConfig.mode static → keep)");
    const toDhcp = reviewPreview(ipChange((inputs) => void (nicOf(inputs).failover.ipConfig = { mode: "dhcp" })), names);
    assert.match(toDhcp.risks[0].message, /loses its static failover re-IP 10\.20\.1\.15: it asks DHCP for one/);
    const removed = reviewPreview(ipChange((inputs) => delete inputs.vms.find((v: Inputs) => v.vmId === DB_01).nics), names);
    assert.deepEqual(removed.risks.map((r) => r.kind), ["re-ip-lost"]);
    assert.match(removed.risks[0].message, /NIC Network adapter 1 loses its static failover re-IP 10\.20\.1\.15: no longer declared/);
    // each leaf of the NIC that left shows old → (none)
    assert.ok(removed.resources[0].vmSettings.some((p) => p.path === "failover.ipConfig.gateway" && p.old === "10.20.1.1" && p.new === undefined));
  });

  it("flags a changed failover network, the VPG's or a NIC's", () => {
    const vpgWide = reviewPreview(ipChange((inputs, olds) => {
      nicOf(inputs).failover.ipConfig.ip = "10.20.1.15";
      inputs.networks = { ...olds.networks, failoverNetworkId: net(1023) };
    }));
    assert.deepEqual(vpgWide.risks.map((r) => r.message), [
      `VPG \`db-tier\` (zerto:Vpg db-tier): every NIC without its own failover network moves: networks.failoverNetworkId ${net(1021)} → ${net(1023)}`,
    ]);
    const nic = reviewPreview(ipChange((inputs) => {
      nicOf(inputs).failover.ipConfig.ip = "10.20.1.15";
      nicOf(inputs).failover.networkId = net(1023);
    }), names);
    assert.deepEqual(nic.risks.map((r) => [r.kind, r.message]), [
      ["failover-network-changed", `VPG \`db-tier\` (zerto:Vpg db-tier): db-01 (${DB_01}) NIC ${NIC} failover.networkId (none) → ${net(1023)}`],
    ]);
  });

  it("flags failover tests moved onto the failover network, VPG-wide or for one NIC, once", () => {
    const vpgWide = reviewPreview(ipChange((inputs, olds) => void (inputs.networks = { ...olds.networks, failoverTestNetworkId: net(1021) })));
    assert.deepEqual(vpgWide.risks.map((r) => r.kind), ["test-on-failover-network", "failover-ip-changed"]);
    assert.match(vpgWide.risks[0].message, /failover tests of every NIC without its own networks run on the failover \(production\) network .*network-1021$/);
    const nic = reviewPreview(ipChange((inputs) => void (nicOf(inputs).failoverTest = { networkId: net(1021) })), names);
    assert.equal(nic.risks.find((r) => r.kind === "test-on-failover-network")?.message,
      `VPG \`db-tier\` (zerto:Vpg db-tier): failover tests of db-01 (${DB_01}) NIC ${NIC} run on the failover (production) network ${net(1021)}`);
    // already so before the change: no news
    const already = ipChange((inputs, olds) => {
      for (const side of [inputs, olds]) side.networks = { ...side.networks, failoverTestNetworkId: net(1021) };
    });
    assert.deepEqual(reviewPreview(already).risks.map((r) => r.kind), ["failover-ip-changed"]);
  });

  it("shows volumes and the VM's journal beside its NICs; a tightened setting is no risk", () => {
    const review = reviewPreview(ipChange((inputs) => {
      const db = inputs.vms.find((v: Inputs) => v.vmId === DB_01);
      nicOf(inputs).failover.ipConfig.ip = "10.20.1.15";
      db.volumes = [{ volumeId: "scsi:0:0", datastoreId: "9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d.datastore-1034" }];
      db.journal = { hardLimitMb: 16384 };
    }), names);
    assert.deepEqual(review.risks, []);
    const markdown = renderReviewMarkdown(review);
    assert.match(markdown, /\| db-01 \(.*vm-105\) \| \(VM\) \| journal\.hardLimitMb \| `\(none\)` \| `16384` \|/);
    assert.match(markdown, /\| db-01 \(.*vm-105\) \| volume scsi:0:0 \| datastoreId \| `\(none\)` \| `.*datastore-1034` \|/);
  });
});

describe("GitOps drift: per-VM settings", () => {
  /** The captured summary refresh, and db-01's failover IP as a full read finds it after an out-of-band change. */
  const summary = () => document("preview-drift-summary.json");
  const vpgStep = (steps: Step[]) => steps.find((s) => s.op === "refresh" && s.urn.endsWith("zerto:Vpg::db-tier"))!;
  function withFailoverIp(outputs: Record<string, unknown>, ip: string): Record<string, unknown> {
    const changed = structuredClone(outputs) as Inputs;
    nicOf(changed).failover.ipConfig.ip = ip;
    return changed;
  }

  it("reports a NIC's failover IP the command read in full, naming VM, NIC and both IPs", () => {
    const refresh = summary();
    const step = vpgStep(refresh.steps!);
    const read = { outputs: new Map([[step.urn, withFailoverIp(step.oldState!.outputs!, "10.20.1.77")]]), failures: new Map() };
    const report = driftReport(refresh, names, read);
    assert.deepEqual(report.counts, { resources: 1, stateChanges: 0, settingChanges: 1, deleted: 0 });
    assert.deepEqual(report.notCompared, []);
    const markdown = renderDriftMarkdown(report);
    assert.match(markdown, /^### ⚠️ DR drift report: 1 resource\(s\) changed out of band\n0 state change\(s\), 1 setting change\(s\), 0 deleted\./);
    assert.ok(markdown.includes(`#### VPG \`db-tier\` (zerto:Vpg db-tier)\n- VM setting db-01 (${DB_01}) NIC ${NIC} failover.ipConfig.ip 10.20.1.15 → 10.20.1.77\n`), markdown);
    assert.doesNotMatch(markdown, /Not compared/);
  });

  it("reports it from a full refresh (ZERTO_REFRESH_MODE=full), whose refreshed state is the next step's old state", async () => {
    const report = driftReport(document("preview-drift-full.json"), names);
    assert.deepEqual(report.counts, { resources: 1, stateChanges: 0, settingChanges: 1, deleted: 0 });
    assert.match(renderDriftMarkdown(report), /- VM setting db-01 \(.*vm-105\) NIC Network adapter 1 failover\.ipConfig\.ip 10\.20\.1\.15 → 10\.20\.1\.77/);
    assert.equal((await run(["drift", "-", "--names", "off", "--vm-settings", "off"], fixture("preview-drift-full.json"))).code, 2);
  });

  it("without a full read, says which settings the summary refresh does not see and how to see them", async () => {
    const report = driftReport(summary(), names);
    assert.deepEqual(report.notCompared.map((n) => [n.name, n.applianceName]), [["db-tier", "db-tier"]]);
    const markdown = renderDriftMarkdown(report);
    assert.match(markdown, /^### ✅ DR drift report: no drift found\n/);
    assert.doesNotMatch(markdown, /The appliances match/);
    assert.match(markdown, /It does not see per-VM settings \(each NIC's failover and test network, re-IP mode, IP, mask, gateway, DNS, MAC replacement; volumes; journals\)/);
    assert.match(markdown, /- VPG `db-tier` \(zerto:Vpg db-tier\): not read by this command/);
    assert.match(markdown, /Unless the refresh ran in full mode \(ZERTO_REFRESH_MODE=full or zerto:refreshMode full\), it read of a VPG only name, /);
    assert.match(markdown, /ZERTO_URL.*edit draft that it deletes, never commits\. Or run the refresh in full mode\./);
    const failed = driftReport(summary(), names, { outputs: new Map(), failures: new Map([[vpgStep(summary().steps!).urn, "its settings could not be read (ZVM answered 503)"]]) });
    assert.equal(failed.notCompared[0].reason, "its settings could not be read (ZVM answered 503)");
    assert.equal((await run(["drift", "-", "--names", "off", "--vm-settings", "off"], fixture("preview-drift-summary.json"))).code, 0);
  });

  it("never exits 2 with an empty report: a VM list that changed in no way it can name is listed raw", () => {
    const refresh = summary();
    const step = vpgStep(refresh.steps!);
    const odd = structuredClone(step.oldState!.outputs!) as Inputs;
    odd.vms = [...odd.vms, { bootGroup: "Default" }];
    const report = driftReport(refresh, names, { outputs: new Map([[step.urn, odd]]), failures: new Map() });
    assert.equal(report.counts.settingChanges, 1);
    assert.match(renderDriftMarkdown(report), /- setting vms \[.*\] → \[.*\{"bootGroup":"Default"\}\]/);
  });
});
