import type { VpgBootGroup, VpgInputs, VpgOutputs, VpgVm, VpgVmNic, VpgVmVolume } from "../inputs.generated";
import { VPG } from "../resources.generated";
import { differingKeys, prune } from "../state";

// What a VPG's definition is (the inputs the ZVM holds, beside those kept in state only and the
// outputs only the ZVM sets), and the canonical form two definitions are compared in.

export const DEFAULT_BOOT_GROUP = "Default";
export const ZERO_GUID = "00000000-0000-0000-0000-000000000000";

/** Inputs kept in state only: the ZVM has no such setting. */
export const STATE_ONLY_INPUTS = ["keepRecoveryVolumesOnDelete", "adoptExisting", "profile", "allowProtectionGapOnReplace", "failDriftOnUnhealthy", "waitForSla"] as const;
/** The input that states the VPG's expected state: observed, never set by Pulumi. */
export const STATE_INPUT = "protectionState";
export const EXPECTED_PROTECTION_STATE = "protected";

/**
 * The state a program expects, as compared: a failover test runs beside replication and is not a
 * state of the VPG, so "testingFailover" (which programs once set to acknowledge a test) means protected.
 */
export function expectedProtectionState(declared: string | undefined): string {
  return declared === undefined || declared === "testingFailover" ? EXPECTED_PROTECTION_STATE : declared;
}
/** Outputs the ZVM reports that are not inputs. */
const OUTPUT_ONLY = VPG.computedOutputs;

/** Values the schema leaves open because a service profile supplies them; these apply when there is none. */
const BASIC_DEFAULTS = { rpoSeconds: 300, journalHistoryHours: 24, testIntervalMinutes: 262080 } as const;

/** Input order the engine shows diffs in: VMs as a set, sorted by vmId (as the ZVM's definition is read back). */
export function canonicalInputs(inputs: VpgInputs): VpgInputs {
  // the schema sets no default for what a service profile may supply
  const withDefaults = inputs.serviceProfileId === undefined ? { ...BASIC_DEFAULTS, ...inputs } : inputs;
  if (!Array.isArray(inputs.vms) || !inputs.vms.every((vm) => vm && typeof vm.vmId === "string")) return withDefaults;
  return { ...withDefaults, vms: inputs.vms.map(sortVmElements).sort(byVmId) };
}

/** A VM's NICs and volumes as sets, in the order the read-back reports them. */
function sortVmElements(vm: VpgVm): VpgVm {
  const by = <T>(key: keyof T) => (a: T, b: T) => String(a?.[key]).localeCompare(String(b?.[key]));
  return {
    ...vm,
    ...(Array.isArray(vm.nics) ? { nics: [...vm.nics].sort(by<VpgVmNic>("nicId")) } : {}),
    ...(Array.isArray(vm.volumes) ? { volumes: [...vm.volumes].sort(by<VpgVmVolume>("volumeId")) } : {}),
  };
}

/** What `read` reports as the resource's inputs: its outputs without the fields only the ZVM sets. */
export function inputsOf(outputs: VpgOutputs): VpgInputs {
  const inputs: Record<string, unknown> = { ...outputs };
  for (const key of OUTPUT_ONLY) delete inputs[key];
  return inputs as unknown as VpgInputs;
}

/**
 * The canonical form two definitions are compared in: VMs as a set (sorted by vmId), the built-in
 * boot group implied, empty sections dropped. Values unknown during preview stay as they are, so
 * they never compare equal.
 */
export function normalize(value: Partial<VpgInputs>): Record<string, unknown> {
  const out: Record<string, any> = structuredClone(value ?? {});
  for (const key of OUTPUT_ONLY) delete out[key];
  if (Array.isArray(out.vms)) {
    out.vms = out.vms.map((vm: VpgVm) => (vm && vm.bootGroup === DEFAULT_BOOT_GROUP ? { ...vm, bootGroup: undefined } : vm))
      .map((vm: VpgVm) => (vm && typeof vm === "object" ? sortVmElements(vm) : vm)).sort(byVmId);
  }
  if (Array.isArray(out.bootGroups)) {
    const groups: VpgBootGroup[] = out.bootGroups.map((g: VpgBootGroup) => (g && typeof g === "object" ? { bootDelaySeconds: 0, ...g } : g));
    // the built-in group first with no delay is what the ZVM does when it is not declared
    if (groups[0]?.name === DEFAULT_BOOT_GROUP && groups[0]?.bootDelaySeconds === 0) groups.shift();
    out.bootGroups = groups;
  }
  return prune(out);
}

/** Top-level input keys whose values differ between two definitions. */
export function changedKeys(olds: Partial<VpgInputs>, news: Partial<VpgInputs>, ignore: readonly string[] = []): string[] {
  const a = normalize({ ...olds, protectedSiteId: olds.protectedSiteId ?? (olds as Partial<VpgOutputs>).resolvedProtectedSiteId });
  const b = normalize(news);
  // the ZVM resolves an absent protected site to its own: that is no change
  if (b.protectedSiteId === undefined) delete a.protectedSiteId;
  // state recorded before protectionState existed was the expected one
  for (const side of [a, b]) side[STATE_INPUT] = expectedProtectionState(side[STATE_INPUT] as string | undefined);
  return differingKeys(a, b, ignore);
}

export function byVmId(a: { vmId?: unknown }, b: { vmId?: unknown }): number {
  return String(a?.vmId).localeCompare(String(b?.vmId));
}
