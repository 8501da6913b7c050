/**
 * `pulumi-drprotect generate zerto|vcda`: reads a live ZVM or VCDA, read-only, and writes a Pulumi
 * program declaring what exists, with the inputs the provider itself reads back (the resource
 * handlers' own read functions), so that adopting them changes nothing. For Zerto a VPG's full
 * definition is only readable through an edit draft: the provider's read opens one and always
 * discards it, never commits it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageSchema } from "../provider/schema";
import { Product, vcdaConnection, zertoConnection } from "../provider/connection";
import type { VappReplicationInputs, VpgInputs, VpgNicSettings, VpgOutputs } from "../provider/inputs.generated";
import { REPLICATION_POLICY, VAPP_REPLICATION, VM_REPLICATION, VPG } from "../provider/resources.generated";
import { describeDifferences } from "../provider/ownership";
import { pick } from "../provider/state";
import { validateInputs } from "../provider/validate";
import { createVcdaClient, VcdaClient } from "../provider/vcda/client";
import { POLICY_FIELDS, VcdaPolicy, VcdaReplication, VcdaVappReplication } from "../provider/vcda/models";
import { vappAdoptionDifferences, vappDriftOf, vappReplicationState } from "../provider/vcda/vappReplication";
import { adoptionDifferences, driftOf, observedReplicationState } from "../provider/vcda/vmReplication";
import { createZertoClient, ZertoClient } from "../provider/zerto/client";
import type { VpgSettings, VpgSettingsVmNicNetwork } from "../provider/zerto/models";
import { zertoPlacementNames, zertoSiteNames, zertoVmNames } from "../provider/zerto/names";
import { crossCheck, definitionDifferences, readOutputs } from "../provider/zerto/vpg";
import { EXPECTED_PROTECTION_STATE, inputsOf, STATE_ONLY_INPUTS } from "../provider/zerto/vpgDefinition";
import { ConfigHint, Declaration, globMatcher, GeneratedProduct, ProgramModel, renderFiles } from "./generateProgram";
import { assignmentKey, ManagedObjects, readManagedObjects } from "./managedObjects";
import { npmInstallFor, packageSource } from "./packageSource";

export interface GenerateOptions {
  product: GeneratedProduct;
  out: string;
  namePattern?: string;
  site?: string;
  org?: string;
  profile?: string;
  protect: boolean;
  force: boolean;
  /** Declare objects that a stack of the current backend already manages too (by default they are skipped and listed). */
  includeManaged?: boolean;
  /** Connection settings given as flags: config key (without product) → value. */
  connection: Record<string, string>;
}

/** Non-secret connection keys as command-line flags (`--auth-mode` for zerto:authMode); credentials only from the environment. */
export function connectionFlags(): Record<string, { product: Product[]; key: string }> {
  const flags: Record<string, { product: Product[]; key: string }> = {};
  for (const [name, schema] of Object.entries(packageSchema().config as Record<string, { secret?: boolean; type?: string }>)) {
    const [product, key] = name.split(":") as [Product, string];
    if ((product !== "zerto" && product !== "vcda") || schema.secret || schema.type === "object") continue;
    const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    (flags[flag] ??= { product: [], key }).product.push(product);
  }
  return flags;
}

/** Flags override the environment the provider reads, for this process only. */
function applyConnectionFlags(product: Product, values: Record<string, string>): void {
  const config = packageSchema().config as Record<string, { env?: string }>;
  for (const [key, value] of Object.entries(values)) {
    const env = config[`${product}:${key}`]?.env;
    if (!env) throw new Error(`--${key} is not a ${product} setting`);
    process.env[env] = value;
  }
}

/** The `pulumi config set` lines for the connection as resolved (values of non-secret keys, only the key of credentials). */
function configHints(product: Product, connection: Record<string, unknown>, profile?: string): ConfigHint[] {
  const config = packageSchema().config as Record<string, { env?: string; secret?: boolean; default?: unknown }>;
  const hints: ConfigHint[] = [];
  for (const [name, schema] of Object.entries(config)) {
    if (!name.startsWith(`${product}:`)) continue;
    const key = name.slice(product.length + 1);
    const value = connection[key];
    if (value === undefined || (!schema.secret && value === schema.default)) continue;
    const configKey = profile ? `${product}:profiles.${profile}.${key}` : name;
    hints.push({ key: profile ? `--path ${configKey}` : configKey, env: profile ? undefined : schema.env, secret: schema.secret === true, value: schema.secret ? undefined : String(value) });
  }
  return hints;
}

const READ_OPTIONS = { retry: { attempts: 3 }, requestTimeoutMs: 60_000 };

/** Every failure of the schema (and cross-property rules) for these inputs: a program that fails check is never written. */
function invalid(token: string, args: unknown, cross?: (inputs: any) => Array<{ reason: string }>): string[] {
  const { inputs, failures } = validateInputs(token, args);
  return [...failures, ...(failures.length ? [] : cross?.(inputs) ?? [])].map((f) => f.reason);
}

// ---- Zerto

/**
 * What the read reports beyond the ZVM's defaults: declaring these makes the provider's read report
 * the live journal limits and protected site, as it will once the program declares them.
 */
const DECLARE_ALL: Partial<VpgInputs> = {
  protectedSiteId: "declared",
  journal: { hardLimitMb: 0, warningThresholdMb: 0, hardLimitPercent: 0, warningThresholdPercent: 0 },
};

/** A NIC side's settings the provider reports only where declared: re-IP and MAC replacement, when the ZVM has them on. */
function reIpDeclared(side: VpgSettingsVmNicNetwork | undefined): VpgNicSettings | undefined {
  const hypervisor = side?.Hypervisor;
  const declared: VpgNicSettings = {
    ...(hypervisor?.ShouldReplaceIpConfiguration ? { ipConfig: { mode: "static" } } : {}),
    ...(hypervisor?.ShouldReplaceMacAddress ? { replaceMacAddress: true } : {}),
  };
  return Object.keys(declared).length ? declared : undefined;
}

/**
 * DECLARE_ALL, plus what failover depends on and differs from the VPG's defaults: each NIC's re-IP
 * and MAC replacement, and a journal datastore other than the recovery datastore (volumes, per-VM
 * journals and NIC networks the read reports by themselves when they differ).
 */
export function declaredForGeneration(settings: VpgSettings): Partial<VpgInputs> {
  const journalDatastore = settings.Journal?.DatastoreIdentifier;
  const ownJournalDatastore = !!journalDatastore && journalDatastore !== settings.Recovery?.DefaultDatastoreIdentifier;
  return {
    ...DECLARE_ALL,
    journal: { ...DECLARE_ALL.journal, ...(ownJournalDatastore ? { datastoreId: journalDatastore } : {}) },
    vms: (settings.Vms ?? []).map((vm) => ({
      vmId: vm.VmIdentifier,
      nics: (vm.Nics ?? []).map((nic) => ({ nicId: nic.NicIdentifier, failover: reIpDeclared(nic.Failover), failoverTest: reIpDeclared(nic.FailoverTest) }))
        .filter((nic) => nic.failover || nic.failoverTest),
    })),
  };
}

/** The VPG's edit draft, read and discarded (never committed). */
async function draftSettings(client: ZertoClient, vpgId: string): Promise<VpgSettings> {
  const draft = await client.createVpgSettings({ vpgId });
  try {
    return await client.getVpgSettings(draft);
  } finally {
    await client.deleteVpgSettings(draft);
  }
}

/** The VPG's inputs as the provider reads them back (a discarded edit draft), or why it cannot be declared. */
async function vpgDeclaration(client: ZertoClient, vpgId: string, name: string): Promise<Declaration | string> {
  let outs: VpgOutputs | undefined;
  try {
    // a first draft shows which NICs re-IP; the provider's read (a second draft) then reports them as it will for the program
    outs = await readOutputs(client, vpgId, declaredForGeneration(await draftSettings(client, vpgId)));
  } catch (err) {
    return `VPG '${name}' (${vpgId}): its definition could not be read (${(err as Error).message})`;
  }
  if (!outs) return `VPG '${name}' (${vpgId}): gone while it was read`;
  const args: Record<string, any> = { ...inputsOf(outs) };
  for (const key of STATE_ONLY_INPUTS) delete args[key];
  // limits the ZVM reports that the schema would refuse (e.g. 0 for "none") stay undeclared, as the ZVM's own
  for (const failure of invalid(VPG.token, args)) {
    const key = /journal\.(\w+)/.exec(failure)?.[1];
    if (key && args.journal) delete args.journal[key];
  }
  if (args.journal && Object.keys(args.journal).length === 0) delete args.journal;
  const notes = [`VPG '${name}' (${vpgId}), ${outs.vms?.length ?? 0} VM(s), status ${outs.status ?? "unknown"}`];
  if (outs.protectionState === EXPECTED_PROTECTION_STATE) delete args.protectionState;
  else notes.push(`protectionState '${outs.protectionState}' acknowledges what the ZVM reports now; set it back to "protected" once the VPG is.`);
  args.adoptExisting = true;
  const problems = invalid(VPG.token, args, crossCheck);
  if (problems.length) return `VPG '${name}' (${vpgId}): its definition does not pass the provider's checks: ${problems.join("; ")}`;
  const differences = definitionDifferences(outs, args as VpgInputs);
  if (differences.length) return `VPG '${name}' (${vpgId}): the read-back differs from the declaration (${differences.join(", ")})`;
  return { type: "Vpg", objectName: name, args, notes };
}

/** Why an object is left out because a stack already manages it, or undefined. */
function managedElsewhere(managed: ManagedObjects, key: string, label: string): string | undefined {
  const where = managed.get(key.toLowerCase());
  return where && `${label}: already managed by ${where}; --include-managed declares it here too (two stacks would then both change and delete it)`;
}

async function zertoModel(client: ZertoClient, options: GenerateOptions, managed: ManagedObjects): Promise<Pick<ProgramModel, "declarations" | "names" | "skipped">> {
  const matches = globMatcher(options.namePattern);
  const names = await zertoSiteNames(client);
  const zorgs = new Map((await client.listZorgs()).map((z) => [String(z.ZorgIdentifier), String(z.ZorgName ?? "")]));
  for (const [id, name] of zorgs) names.set(id, name);
  for (const profile of await client.listServiceProfiles().catch(() => [])) {
    if (profile.ServiceProfileIdentifier && profile.ServiceProfileName) names.set(profile.ServiceProfileIdentifier, profile.ServiceProfileName);
  }
  const site = options.site?.toLowerCase();
  const onSite = (id: unknown) => typeof id === "string" && (id.toLowerCase() === site || names.get(id)?.toLowerCase() === site);
  const org = options.org?.toLowerCase();
  const declarations: Declaration[] = [];
  const skipped: string[] = [];
  for (const vpg of await client.listVpgs()) {
    if (!matches(vpg.VpgName)) continue;
    if (site && !onSite(vpg.ProtectedSite?.identifier) && !onSite(vpg.RecoverySite?.identifier)) continue;
    // GET /v1/vpgs names the ZORG (OrganizationName); its id is in the definition
    if (org && typeof vpg.OrganizationName === "string" && vpg.OrganizationName && vpg.OrganizationName.toLowerCase() !== org) continue;
    const elsewhere = managedElsewhere(managed, vpg.VpgIdentifier, `VPG '${vpg.VpgName}' (${vpg.VpgIdentifier})`);
    if (elsewhere) {
      skipped.push(elsewhere);
      continue;
    }
    const declaration = await vpgDeclaration(client, vpg.VpgIdentifier, vpg.VpgName);
    const zorg = typeof declaration === "object" ? declaration.args.zorgId : undefined;
    if (org && vpg.OrganizationName?.toLowerCase() !== org && !(typeof zorg === "string" && (zorg.toLowerCase() === org || zorgs.get(zorg)?.toLowerCase() === org))) continue;
    if (typeof declaration === "string") skipped.push(declaration);
    else declarations.push(declaration);
  }
  const vmIds = declarations.flatMap((d) => (d.args.vms as Array<{ vmId: string }>).map((vm) => vm.vmId));
  for (const [id, name] of await zertoVmNames(client, vmIds)) names.set(id, name);
  for (const [id, name] of await zertoPlacementNames(client, declarations.map((d) => d.args.recoverySiteId as string))) if (!names.has(id)) names.set(id, name);
  for (const d of declarations) {
    const vmNames = (d.args.vms as Array<{ vmId: string }>).map((vm) => names.get(vm.vmId) ?? vm.vmId);
    if (vmNames.length) d.notes.push(`VMs: ${vmNames.join(", ")}`);
  }
  return { declarations, names, skipped };
}

// ---- VCDA

const DEFAULT_POLICY_ID = "default";
const CLOUD_VM_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The policy's inputs: every setting as VCDA has it (the provider compares exactly these when adopting). */
export function policyDeclaration(policy: VcdaPolicy): Declaration | string {
  const args: Record<string, unknown> = { ...pick(policy, POLICY_FIELDS), displayName: policy.displayName };
  for (const key of Object.keys(args)) if (args[key] === null || args[key] === undefined) delete args[key];
  args.adoptExisting = true;
  const problems = invalid(REPLICATION_POLICY.token, args);
  if (problems.length) return `replication policy '${policy.displayName}' (${policy.id}): ${problems.join("; ")}`;
  const differences = describeDifferences(pick(args, [...POLICY_FIELDS, "displayName"]) as Record<string, unknown>, { ...policy });
  if (differences.length) return `replication policy '${policy.displayName}' (${policy.id}): ${differences.join(", ")}`;
  return { type: "ReplicationPolicy", objectName: policy.displayName, args, notes: [`replication policy '${policy.displayName}' (${policy.id}), used by ${policy.orgs} org(s)`] };
}

/** A replication's settings as inputs: its SLA profile, or the settings the profile would bring. */
function settingsArgs(live: VcdaReplication): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (live.settings.description) args.description = live.settings.description;
  if (live.slaProfile) args.slaProfileId = live.slaProfile.id;
  else {
    Object.assign(args, { rpo: live.settings.rpo, dataConnectionType: live.settings.dataConnectionType, quiesced: live.settings.quiesced });
    if (live.settings.retentionPolicy) args.retentionPolicy = { rules: live.settings.retentionPolicy.rules.map(({ numberOfInstances, distance }) => ({ numberOfInstances, distance })) };
  }
  if (live.isMigration) args.isMigration = true;
  return args;
}

/**
 * The replication's inputs from what GET /vm-replications/{id} returns. What VCDA does not report
 * (targetDiskType, initialSyncTime, seeds) stays undeclared: the provider keeps it as recorded and
 * compares only what GET returns. On-premises sources need the vCenter UUID, which VCDA does not report.
 */
export function replicationDeclaration(live: VcdaReplication, profile?: string): Declaration | string {
  const label = `replication of VM '${live.vmName}' (${live.id})`;
  const drift = driftOf(live);
  if (drift) return `${label}: ${drift}`;
  if (!CLOUD_VM_ID.test(live.vmId)) return `${label}: an on-premises source VM; VCDA does not report its vCenter UUID (source.vcUuid), so declare it by hand`;
  const source: Record<string, unknown> = { type: "vm", site: live.source.site, vmId: live.vmId };
  const excluded = live.settings.excludedDiskKeys ?? [];
  if (excluded.length) source.excludedDisks = [...excluded].sort((a, b) => a - b);
  const destination: Record<string, unknown> = live.destination.vdcId
    ? { type: "vcloud", site: live.destination.site, vdc: live.destination.vdcId, ...(live.storageProfile ? { storageProfile: live.storageProfile } : {}) }
    : { type: "vc", site: live.destination.site };
  const args: Record<string, unknown> = { source, destination, ...settingsArgs(live) };
  const notes = [`${label}, ${live.source.site}${live.source.org ? ` (${live.source.org})` : ""} → ${live.destination.site}${live.destination.org ? ` (${live.destination.org})` : ""}`];
  const state = observedReplicationState(live);
  if (state !== "replicating") {
    args.replicationState = state;
    notes.push(`replicationState '${state}' acknowledges what VCDA reports now; set it back to "replicating" once it is.`);
  }
  if (profile) args.profile = profile;
  args.adoptExisting = true;
  notes.push("targetDiskType is not reported by VCDA: THIN (the default) is recorded; it is only used when a replication is created.");
  const problems = invalid(VM_REPLICATION.token, args);
  if (problems.length) return `${label}: ${problems.join("; ")}`;
  const { identity, settings } = adoptionDifferences(live, args as any);
  if (identity.length + settings.length) return `${label}: the read-back differs from the declaration (${[...identity, ...settings].join(", ")})`;
  return { type: "VmReplication", objectName: live.vmName || live.vmId, args, notes };
}

/**
 * A vApp replication's inputs: one set of settings for every VM of the vApp (one PATCH sets them
 * all). VMs whose settings were made to differ outside Pulumi cannot be declared as one resource.
 */
export function vappReplicationDeclaration(live: VcdaVappReplication, profile?: string): Declaration | string {
  const label = `replication of vApp '${live.source.vappName}' (${live.id})`;
  const drift = vappDriftOf(live);
  if (drift) return `${label}: ${drift}`;
  const [first, ...others] = live.vmReplications;
  if (!first) return `${label}: VCDA lists no VM replication in it`;
  const settings = settingsArgs(first);
  const differing = others.find((vm) => describeDifferences(settingsArgs(vm), settings).length > 0);
  if (differing) {
    return `${label}: its VMs' settings differ (VM '${first.vmName}' → VM '${differing.vmName}': ${describeDifferences(settingsArgs(differing), settings).join(", ")}), `
      + "and a VappReplication declares one set for all; make them equal in VCDA, or declare it by hand";
  }
  const args: Record<string, unknown> = {
    source: { type: "vapp", site: live.source.site, vappId: live.source.vappId },
    destination: { type: "vcloud", site: live.destination.site, vdc: live.destination.vdcId, ...(live.storageProfile ? { storageProfile: live.storageProfile } : {}) },
    ...settings,
  };
  const vmNames = live.vmReplications.map((vm) => vm.vmName).join(", ");
  const notes = [`${label}, ${live.source.site}${live.source.org ? ` (${live.source.org})` : ""} → ${live.destination.site}${live.destination.org ? ` (${live.destination.org})` : ""}; VMs: ${vmNames}`];
  // the schema validates args below; the read-back needs them typed
  const inputs = args as unknown as VappReplicationInputs;
  const state = vappReplicationState(live, inputs).replicationState;
  if (state !== "replicating") {
    args.replicationState = state;
    notes.push(`replicationState '${state}' acknowledges what VCDA reports now; set it back to "replicating" once it is.`);
  }
  if (profile) args.profile = profile;
  args.adoptExisting = true;
  const problems = invalid(VAPP_REPLICATION.token, args);
  if (problems.length) return `${label}: ${problems.join("; ")}`;
  const { identity, settings: differences } = vappAdoptionDifferences(live, inputs);
  if (identity.length + differences.length) return `${label}: the read-back differs from the declaration (${[...identity, ...differences].join(", ")})`;
  return { type: "VappReplication", objectName: live.source.vappName || live.source.vappId, args, notes };
}

async function vcdaModel(client: VcdaClient, options: GenerateOptions, managed: ManagedObjects): Promise<Pick<ProgramModel, "declarations" | "names" | "skipped">> {
  const matches = globMatcher(options.namePattern);
  const site = options.site?.toLowerCase();
  const org = options.org?.toLowerCase();
  const names = new Map<string, string>();
  const declarations: Declaration[] = [];
  const skipped: string[] = [];
  const withProfile = (args: Record<string, unknown>) => (options.profile ? { ...args, profile: options.profile } : args);

  const policies = await client.listPolicies();
  for (const policy of policies) names.set(policy.id, policy.displayName);
  for (const policy of policies) {
    if (policy.id === DEFAULT_POLICY_ID) {
      if (matches(policy.displayName)) skipped.push(`the built-in 'default' replication policy: it always exists; declare it with isDefault: true to manage its settings (they are restored on delete)`);
      continue;
    }
    const orgs = policy.orgs > 0 ? (await client.policyStatus(policy.id)).map((s) => s.org) : [];
    const assigned = orgs.filter((o) => !org || o.toLowerCase() === org);
    // the status names only orgs that replications go into; VCDA counts the others without naming them (docs/api-notes/vcda.md#assigning-a-policy-to-an-organization)
    const unnamed = policy.orgs - orgs.length;
    if (unnamed > 0 && matches(policy.displayName)) {
      skipped.push(`${unnamed} organization(s) assigned to replication policy '${policy.displayName}' that no replication goes into: VCDA counts them but does not name them; declare their OrgPolicyAssignment by hand`);
    }
    if (org && assigned.length === 0) continue;
    const declared = matches(policy.displayName);
    const elsewhere = declared ? managedElsewhere(managed, policy.id, `replication policy '${policy.displayName}' (${policy.id})`) : undefined;
    const declaration = declared ? elsewhere ?? policyDeclaration(policy) : undefined;
    if (typeof declaration === "string") skipped.push(declaration);
    else if (declaration) declarations.push({ ...declaration, args: withProfile(declaration.args) });
    for (const assignedOrg of assigned) {
      if (!declared && !matches(assignedOrg)) continue;
      const assignedElsewhere = managedElsewhere(managed, assignmentKey(assignedOrg), `the policy assignment of org '${assignedOrg}'`);
      if (assignedElsewhere) {
        skipped.push(assignedElsewhere);
        continue;
      }
      // no adoptExisting: an assignment states which policy the org has; its create assigns that same policy again
      declarations.push({
        type: "OrgPolicyAssignment", objectName: assignedOrg, args: withProfile({ org: assignedOrg, policyId: policy.id }),
        notes: [`org '${assignedOrg}' has replication policy '${policy.displayName}'; the first up assigns it the same policy again (no change)`],
        references: typeof declaration === "object" ? { policyId: { type: "ReplicationPolicy", objectName: policy.displayName, output: "policyId" } } : undefined,
      });
    }
  }

  // every VM replication belongs to a vApp replication (docs/api-notes/vcda.md#vapp-replications): one
  // shared by several VMs is a vApp's, and its VMs are declared with it, never one by one
  const replications = await client.listReplications();
  const vmsPerVappReplication = new Map<string, number>();
  for (const live of replications) if (live.vappReplicationId) vmsPerVappReplication.set(live.vappReplicationId, (vmsPerVappReplication.get(live.vappReplicationId) ?? 0) + 1);
  const vappReplicationIds = new Set([...vmsPerVappReplication].filter(([, vms]) => vms > 1).map(([id]) => id));
  for (const live of replications) {
    if (live.vappReplicationId && vappReplicationIds.has(live.vappReplicationId)) continue;
    if (!matches(live.vmName ?? "") && !matches(live.vmId)) continue;
    if (site && live.source.site.toLowerCase() !== site && live.destination.site.toLowerCase() !== site) continue;
    if (org && live.source.org?.toLowerCase() !== org && live.destination.org?.toLowerCase() !== org) continue;
    if (live.vmName) names.set(live.vmId, live.vmName);
    const declaration = managedElsewhere(managed, live.id, `replication of VM '${live.vmName}' (${live.id})`) ?? replicationDeclaration(live, options.profile);
    if (typeof declaration === "string") skipped.push(declaration);
    else declarations.push(declaration);
  }
  for (const id of vappReplicationIds) {
    const live = await client.getVappReplication(id, undefined);
    if (!live || (!matches(live.source.vappName ?? "") && !matches(live.source.vappId))) continue;
    if (site && live.source.site.toLowerCase() !== site && live.destination.site.toLowerCase() !== site) continue;
    if (org && live.source.org?.toLowerCase() !== org && live.destination.org?.toLowerCase() !== org) continue;
    for (const vm of live.vmReplications) names.set(vm.vmId, vm.vmName);
    names.set(live.source.vappId, live.source.vappName);
    const declaration = managedElsewhere(managed, live.id, `replication of vApp '${live.source.vappName}' (${live.id})`) ?? vappReplicationDeclaration(live, options.profile);
    if (typeof declaration === "string") skipped.push(declaration);
    else declarations.push(declaration);
  }
  await vcdaVdcNames(client, declarations, names);
  return { declarations, names, skipped };
}

/** Names of the destination vDCs and storage profiles declared (best effort: the inventory lists may not be served). */
async function vcdaVdcNames(client: VcdaClient, declarations: Declaration[], names: Map<string, string>): Promise<void> {
  const destinations = declarations.filter((d) => d.type === "VmReplication" || d.type === "VappReplication").map((d) => d.args.destination as { site: string; vdc?: string });
  for (const site of new Set(destinations.map((d) => d.site))) {
    for (const vdc of (await client.listVdcs(site).catch(() => undefined)) ?? []) names.set(vdc.id, vdc.org ? `${vdc.name} (${vdc.org})` : vdc.name);
  }
  const vdcs = new Map(destinations.filter((d) => d.vdc).map((d) => [d.vdc!, d.site]));
  for (const [vdc, site] of vdcs) {
    for (const profile of (await client.listStorageProfiles(vdc, site).catch(() => undefined)) ?? []) names.set(profile.id, profile.name);
  }
}

// ---- the command


function pulumiVersion(): string {
  return JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")).version;
}

/** Reads the live system and writes the program; returns the files written and the model. */
export async function generate(options: GenerateOptions, argv: string[]): Promise<{ files: string[]; model: ProgramModel }> {
  applyConnectionFlags(options.product, options.connection);
  const target = path.resolve(options.out);
  if (!options.force && fs.existsSync(path.join(target, "index.ts"))) throw new Error(`${target} already holds index.ts; choose another --out or add --force to overwrite it`);
  const managed = options.includeManaged ? new Map() : await readManagedObjects();
  let connection: Record<string, unknown>;
  let read: Pick<ProgramModel, "declarations" | "names" | "skipped">;
  if (options.product === "zerto") {
    const resolved = zertoConnection(options.profile);
    connection = { ...resolved };
    read = await zertoModel(createZertoClient(resolved, READ_OPTIONS), options, managed);
    if (options.profile) for (const d of read.declarations) d.args = { ...d.args, profile: options.profile };
  } else {
    const resolved = vcdaConnection(options.profile);
    connection = { ...resolved };
    read = await vcdaModel(createVcdaClient(resolved, READ_OPTIONS), options, managed);
  }
  const model: ProgramModel = {
    product: options.product,
    source: String(connection.url),
    command: ["pulumi-drprotect", "generate", ...argv].join(" "),
    ...read,
    config: configHints(options.product, connection, options.profile),
    protect: options.protect,
    // where the running copy came from (this file runs from dist/cli): the package is not on the registry
    packageSpec: packageSource(fs.realpathSync(path.join(__dirname, "..", ".."))),
    pulumiVersion: pulumiVersion(),
    projectName: `drprotect-${options.product}-existing`,
  };
  const files = renderFiles(model);
  fs.mkdirSync(target, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(target, name), text);
  return { files: Object.keys(files).map((f) => path.join(target, f)), model };
}

/** What to tell the user after writing: counts, what was left out, and the next steps. */
export function summary(model: ProgramModel, out: string): string {
  const counts = new Map<string, number>();
  for (const d of model.declarations) counts.set(d.type, (counts.get(d.type) ?? 0) + 1);
  const lines = [`Wrote ${path.join(out, "index.ts")} (+ Pulumi.yaml, package.json, tsconfig.json): `
    + ([...counts].map(([type, n]) => `${n} ${type}`).join(", ") || "nothing matched")];
  if (model.skipped.length) lines.push("Not declared (see the header of index.ts):", ...model.skipped.map((s) => `  - ${s}`));
  lines.push("Next:", `  cd ${out} && ${npmInstallFor(model.packageSpec)} && pulumi stack init`, ...model.config.map((h) => `  pulumi config set ${h.secret ? "--secret " : ""}${h.key}${h.secret ? "" : ` ${h.value}`}`),
    "  pulumi preview   # creates only: each resource adopts its object", "  pulumi up        # changes nothing on the server", "  pulumi preview --expect-no-changes");
  return lines.join("\n") + "\n";
}
