/**
 * The DR policy pack: `pulumi preview --policy-pack node_modules/pulumi-drprotect/policy-pack`
 * (configure it with `--policy-pack-config policy-config.json`; docs/gitops.md lists the keys).
 */
import { EnforcementLevel, PolicyPack, ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import * as rules from "./rules";

type Check = (args: ResourceValidationArgs) => string | undefined;

/** A resource policy over the given types that reports what the rule returns. */
function validate(types: string[], check: Check) {
  return (args: ResourceValidationArgs, report: ReportViolation) => {
    if (!types.includes(args.type)) return;
    const message = check(args);
    if (message) report(message);
  };
}

const mandatory: EnforcementLevel = "mandatory";
const patterns = { type: "array", items: { type: "string" } } as const;

new PolicyPack("drprotect-dr", {
  policies: [
    {
      name: "dr-max-rpo",
      description: "A VPG's or VM replication's RPO is at most the configured maximum (per stack or resource name pattern).",
      enforcementLevel: mandatory,
      configSchema: {
        properties: {
          maxRpoSeconds: { type: "integer", default: 900 },
          stacks: { type: "object", additionalProperties: { type: "integer" } },
          names: { type: "object", additionalProperties: { type: "integer" } },
        },
      },
      validateResource: validate([rules.VPG, rules.VM_REPLICATION], (a) =>
        rules.maxRpoViolation(a.type, a.name, a.urn, a.props, a.getConfig<rules.MaxRpoConfig>())),
    },
    {
      name: "dr-min-journal-history",
      description: "A VPG's journal keeps at least the configured hours of history.",
      enforcementLevel: mandatory,
      configSchema: { properties: { minHours: { type: "integer", default: 24 } } },
      validateResource: validate([rules.VPG], (a) => rules.journalHistoryViolation(a.name, a.props, a.getConfig<{ minHours: number }>().minHours)),
    },
    {
      name: "dr-test-interval-set",
      description: "A VPG has a failover-test interval (testIntervalMinutes is not 0).",
      enforcementLevel: mandatory,
      validateResource: validate([rules.VPG], (a) => rules.testIntervalViolation(a.name, a.props)),
    },
    {
      name: "dr-tested-within",
      description: "A VPG's last failover test (the ZVM's LastTest) is at most maxDays old. Advisory by default; raise its enforcementLevel in the policy config once drills run on schedule.",
      enforcementLevel: "advisory",
      configSchema: { properties: { maxDays: { type: "integer", minimum: 1, default: 92 } } },
      // a resource policy sees a preview's inputs; the stack policy sees the outputs the state holds (lastTest)
      validateStack: (args, report) => {
        const { maxDays } = args.getConfig<{ maxDays: number }>();
        for (const r of args.resources.filter((x) => x.type === rules.VPG)) {
          const message = rules.testedWithinViolation(r.name, r.props, maxDays, new Date());
          if (message) report(message, r.urn);
        }
      },
    },
    {
      name: "dr-replication-encrypted",
      description: "VM replications matching requiredFor (name or VM patterns; all by default) send their traffic encrypted.",
      enforcementLevel: mandatory,
      configSchema: { properties: { requiredFor: { ...patterns, default: [".*"] } } },
      validateResource: validate([rules.VM_REPLICATION], (a) => rules.encryptionViolation(a.name, a.props, a.getConfig<{ requiredFor: string[] }>().requiredFor)),
    },
    {
      name: "dr-replication-quiesced",
      description: "VM replications matching requiredFor (name or VM patterns; none by default) quiesce the guest.",
      enforcementLevel: mandatory,
      configSchema: { properties: { requiredFor: { ...patterns, default: [] } } },
      validateResource: validate([rules.VM_REPLICATION], (a) => rules.quiesceViolation(a.name, a.props, a.getConfig<{ requiredFor: string[] }>().requiredFor)),
    },
    {
      name: "dr-retention-minimum",
      description: "A VM replication's retention policy keeps at least minInstances point-in-time instances.",
      enforcementLevel: mandatory,
      configSchema: { properties: { minInstances: { type: "integer", default: 1 } } },
      validateResource: validate([rules.VM_REPLICATION], (a) => rules.retentionViolation(a.name, a.props, a.getConfig<{ minInstances: number }>().minInstances)),
    },
    {
      name: "dr-no-protection-gap",
      description: "allowProtectionGapOnReplace (a replacement deletes the protection before the new one exists) only in the stacks of allowedStacks.",
      enforcementLevel: mandatory,
      configSchema: { properties: { allowedStacks: { ...patterns, default: [] } } },
      validateResource: validate([rules.VPG, rules.VM_REPLICATION], (a) =>
        rules.protectionGapViolation(a.name, a.urn, a.props, a.getConfig<{ allowedStacks: string[] }>().allowedStacks)),
    },
    {
      name: "dr-vms-protected",
      description: "Every VM of the list (VM ids, or VM names for VCDA replications) is protected by a VPG or VM replication of the stack.",
      enforcementLevel: mandatory,
      configSchema: { properties: { vms: { ...patterns, default: [] } } },
      validateStack: (args, report) => {
        const missing = rules.unprotectedVms(args.resources, args.getConfig<{ vms: string[] }>().vms);
        if (missing.length) report(`not protected by any VPG or VM replication of this stack: ${missing.join(", ")}`);
      },
    },
    {
      name: "dr-replications-compliant",
      description: "No replication is out of compliance with its organization's VCDA replication policy (a ReplicationPolicy's compliance output); organizations matching ignoreOrgs are left out.",
      enforcementLevel: mandatory,
      configSchema: { properties: { ignoreOrgs: { ...patterns, default: [] } } },
      validateStack: (args, report) => {
        for (const message of rules.nonCompliantReplications(args.resources, args.getConfig<{ ignoreOrgs: string[] }>().ignoreOrgs)) report(message);
      },
    },
  ],
});
