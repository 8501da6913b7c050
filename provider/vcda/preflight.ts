import { ApiError } from "../http";
import type { OrgPolicyAssignmentInputs, ReplicationPolicyInputs, VmReplicationInputs } from "../inputs.generated";
import { cachedLookup, changedSince, connectionFailure, known, preflightEnabled, preflightFailure } from "../preflight";
import type { CheckFailure } from "../types";
import type { VcdaClient, VcdaClientFor } from "./client";
import type { VcdaPolicy } from "./models";
import { OrgPolicyReading, readOrgPolicy } from "./orgPolicyReading";
import { instanceCount } from "./policyImpact";
import { warnOnce } from "../warnings";

type Look = <T>(what: string, lookup: (c: VcdaClient) => Promise<T>) => Promise<T>;
type Fail = (property: string, problem: string, rule: string) => void;

/**
 * Runs `checks` against the VCDA connection of `profile`, when `needed`: GET /policies goes first
 * (documented for every session), so a missing url, a refused login or an untrusted certificate is
 * reported once, as the connection's failure, before any property is judged.
 */
async function withVcda(resource: string, clientFor: VcdaClientFor, profile: string | undefined, needed: boolean,
  checks: (look: Look, fail: Fail, policies: VcdaPolicy[]) => Promise<void>): Promise<CheckFailure[]> {
  if (!needed || !preflightEnabled()) return [];
  let client: VcdaClient;
  try {
    client = clientFor(profile);
  } catch (err) {
    return [connectionFailure(resource, "VCDA", err)];
  }
  const look: Look = (what, lookup) => cachedLookup(`vcda|${client.endpoint}|${profile ?? ""}|${what}`, () => lookup(client));
  const failures: CheckFailure[] = [];
  try {
    const policies = await look("policies", (c) => c.listPolicies());
    await checks(look, (property, problem, rule) => failures.push(preflightFailure(resource, property, problem, rule)), policies);
    return failures;
  } catch (err) {
    return [connectionFailure(resource, "VCDA", err)];
  }
}

export function preflightReplicationPolicy(clientFor: VcdaClientFor, olds: Partial<ReplicationPolicyInputs> | undefined, news: ReplicationPolicyInputs): Promise<CheckFailure[]> {
  const changed = changedSince(olds, news);
  // a policy to adopt is expected to exist: create judges whether it matches
  const checkName = changed("displayName") && known(news.displayName) && !news.isDefault && !news.adoptExisting;
  return withVcda("ReplicationPolicy", clientFor, news.profile, changed("profile") || checkName, async (_look, fail, policies) => {
    // display names are unique and case-sensitive (docs/api-notes/vcda.md#replication-policies)
    const taken = checkName && policies.find((p) => p.displayName === news.displayName && p.displayName !== olds?.displayName);
    if (taken) fail("displayName", `is taken by replication policy ${taken.id}; display names are unique`, "name free");
  });
}

export function preflightOrgPolicyAssignment(clientFor: VcdaClientFor, olds: Partial<OrgPolicyAssignmentInputs> | undefined, news: OrgPolicyAssignmentInputs): Promise<CheckFailure[]> {
  const changed = changedSince(olds, news);
  const checkOrg = changed("org") && known(news.org);
  const checkPolicy = changed("policyId") && known(news.policyId);
  return withVcda("OrgPolicyAssignment", clientFor, news.profile, checkOrg || checkPolicy, async (look, fail, policies) => {
    const orgs = checkOrg ? await look("orgs", (c) => c.listOrgs()) : undefined;
    if (orgs && !orgs.some((o) => o.name === news.org)) {
      fail("org", `'${news.org}' names no organization of this VCDA's Cloud Director (known: ${orgs.map((o) => `'${o.name}'`).join(", ") || "none"})`, "org exists");
    }
    // a policy made earlier in this run is not in the list read at its start: ask for it by id before refusing
    if (checkPolicy && !policies.some((p) => p.id === news.policyId) && !(await look(`policy/${news.policyId}`, (c) => c.getPolicy(news.policyId)))) {
      fail("policyId", `names no replication policy (known: ${policies.map((p) => `'${p.displayName}' (${p.id})`).join(", ")})`, "policy exists");
    }
  });
}

/** Also a vApp replication's (`resource` VappReplication): its source type 'vapp' skips the VM look-up, its 'vcloud' destination is checked alike. */
export function preflightVmReplication(clientFor: VcdaClientFor, olds: Partial<VmReplicationInputs> | undefined, news: VmReplicationInputs,
  resource = "VmReplication"): Promise<CheckFailure[]> {
  const changed = changedSince(olds, news);
  const { source, destination } = news;
  // the allow* flags of a policy gate only new replications (docs/api-notes/vcda.md#replication-policies)
  const creating = olds?.source === undefined;
  const cloudSource = source?.type === "vm";
  const onPremisesSource = source?.type === "vcVm";
  // a vApp's organization is its VMs'
  const sourceVappId = (source as { vappId?: string } | undefined)?.vappId;
  const vappSource = (source?.type as string) === "vapp";
  const cloudDestination = destination?.type === "vcloud" || destination?.type === "vm";
  const check = {
    sourceSite: changed("source.site") && known(source?.site),
    destinationSite: changed("destination.site") && known(destination?.site),
    vm: (cloudSource || (onPremisesSource && known(source?.vcUuid))) && (changed("source.site") || changed("source.vmId") || changed("source.vcUuid"))
      && known(source?.site) && known(source?.vmId),
    // the source organization must allow outgoing traffic; an SLA profile does not change that
    outgoing: creating && (cloudSource || vappSource) && known(source?.site) && known(sourceVappId ?? source?.vmId),
    vdc: cloudDestination && (changed("destination.site") || changed("destination.vdc")) && known(destination?.site) && known(destination?.vdc),
    storageProfile: cloudDestination && (changed("destination.site") || changed("destination.vdc") || changed("destination.storageProfile"))
      && known(destination?.site) && known(destination?.vdc) && known(destination?.storageProfile) && destination.storageProfile !== "*",
    // an SLA profile brings its own RPO and retention, which the inputs do not show
    policy: cloudDestination && known(destination?.site) && known(destination?.vdc)
      && (creating || (news.slaProfileId === undefined && (changed("destination.site") || changed("destination.vdc") || changed("rpo") || changed("retentionPolicy")))),
  };
  const needed = changed("profile") || Object.values(check).some(Boolean);
  return withVcda(resource, clientFor, news.profile, needed, async (look, fail, policies) => {
    let sitesOk = true;
    if (check.sourceSite || check.destinationSite) {
      // GET /sites lists cloud sites; the on-premises sites paired to them are at GET /vc-sites
      const cloudSites = await look("sites", (c) => c.listSites());
      const sites = cloudSites ? [...cloudSites, ...(await look("vc-sites", (c) => c.listOnPremisesSites())) ?? []] : [];
      const listed = sites.map((s) => `'${s.site}'`).join(", ");
      for (const [property, site, wanted] of [["source.site", source.site, check.sourceSite], ["destination.site", destination.site, check.destinationSite]] as const) {
        if (wanted && sites.length > 0 && !sites.some((s) => s.site === site)) {
          fail(property, `names no site known to this VCDA (known: ${listed || "none"})`, "site exists");
          sitesOk = false;
        }
      }
    }
    if (!sitesOk) return;
    const vms = check.vm || check.outgoing ? await look(`vms@${source.site}`, (c) => c.listVms(source.site)) : undefined;
    // a vCenter moref (vm-42) is unique only within its vCenter
    const sourceVm = vms?.find((vm) => (vappSource ? vm.vappId === sourceVappId
      : vm.id === source.vmId && (!onPremisesSource || vm.vcUuid === undefined || vm.vcUuid === source.vcUuid)));
    if (vms && check.vm && !sourceVm) {
      const where = onPremisesSource ? `in vCenter '${source.vcUuid}' at site '${source.site}'` : `at site '${source.site}'`;
      fail("source.vmId", `names no VM ${where} that this connection may replicate`, "VM exists");
    }
    if (check.outgoing && sourceVm?.org) {
      const flag = news.isMigration ? "allowOutgoingMigrations" : "allowOutgoingProtections";
      await checkPolicyAllows(look, sourceVm.org, flag, (of) =>
        fail(vappSource ? "source.vappId" : "source.vmId", `is in organization '${sourceVm.org}', whose ${of} allows no outgoing ${news.isMigration ? "migrations" : "protections"} (${flag} is false)`, `org policy ${flag}`));
    }
    if (!check.vdc && !check.storageProfile && !check.policy) return;
    const vdcs = await look(`vdcs@${destination.site}`, (c) => c.listVdcs(destination.site));
    if (!vdcs) return;
    const vdc = vdcs.find((v) => v.id === destination.vdc);
    if (!vdc) {
      fail("destination.vdc", `names no vDC at site '${destination.site}' that this connection may use`, "vDC exists");
      return;
    }
    if (check.storageProfile) {
      const profiles = await look(`storage-profiles@${destination.site}/${vdc.id}`, (c) => c.listStorageProfiles(vdc.id, destination.site));
      if (profiles && !profiles.some((p) => p.id === destination.storageProfile)) {
        fail("destination.storageProfile", `names no storage profile of vDC '${vdc.name}' (available: ${profiles.map((p) => `'${p.name}' (${p.id})`).join(", ") || "none"})`,
          "storage profile exists");
      }
    }
    if (check.policy && vdc.org) await checkPolicyFit(look, fail, news, vdc.org, creating, policies, resource);
  });
}

/** The organization's policy, or why this session cannot know it. */
type PolicyFinding = { policy: VcdaPolicy } | { unknownBecause: string };

async function policyFinding(look: Look, org: string): Promise<PolicyFinding> {
  let reading: OrgPolicyReading;
  try {
    reading = await look(`policy-of@${org}`, (c) => readOrgPolicy(c, org, ""));
  } catch (err) {
    // an org's policy is only readable with an administrator session (GET /policies/{id}/status)
    if (err instanceof ApiError && (err.status === 403 || err.status === 401)) {
      return { unknownBecause: "this session may not read which policy the organization has (GET /policies/{id}/status needs a provider administrator; a tenant session gets "
        + `${err.status})` };
    }
    throw err;
  }
  // an org with no replications may be an unnamed member of some policy: judge only a proven policy
  return reading.proven ? { policy: reading.policy } : { unknownBecause: "VCDA's answers do not prove which policy the organization has (it is the destination of "
    + "no replication, and some policy counts an organization its compliance status does not name)" };
}

/** The organization's policy, or undefined when this session cannot read it or VCDA's answers do not prove it. */
async function provenPolicyOf(look: Look, org: string): Promise<VcdaPolicy | undefined> {
  const finding = await policyFinding(look, org);
  return "policy" in finding ? finding.policy : undefined;
}

type DirectionFlag = "allowIncomingProtections" | "allowIncomingMigrations" | "allowOutgoingProtections" | "allowOutgoingMigrations";

async function checkPolicyAllows(look: Look, org: string, flag: DirectionFlag, refuse: (of: string) => void): Promise<void> {
  const policy = await provenPolicyOf(look, org);
  if (policy && !policy[flag]) refuse(`policy '${policy.displayName}'`);
}

/**
 * The destination organization's policy admits the replication: its direction when new (allowIncoming*),
 * its RPO and retention (minRpo, maxInstances) when they are the inputs' own (docs/api-notes/vcda.md#replication-policies).
 */
async function checkPolicyFit(look: Look, fail: Fail, news: VmReplicationInputs, org: string, creating: boolean, policies: VcdaPolicy[], resource: string): Promise<void> {
  const finding = await policyFinding(look, org);
  // an SLA profile brings its own RPO and retention, which the inputs do not show
  const ownSla = news.slaProfileId === undefined;
  const rpo = typeof news.rpo === "number" ? news.rpo : undefined;
  const instances = instanceCount(news.retentionPolicy);
  if (!("policy" in finding)) {
    if (ownSla) checkAgainstEveryPolicy(fail, policies, org, rpo, instances, finding.unknownBecause, resource);
    return;
  }
  const { policy } = finding;
  const of = `policy '${policy.displayName}' of organization '${org}' (the destination vDC's)`;
  const flag = news.isMigration ? "allowIncomingMigrations" : "allowIncomingProtections";
  if (creating && !policy[flag]) {
    fail("destination.vdc", `is in organization '${org}', whose policy '${policy.displayName}' allows no incoming ${news.isMigration ? "migrations" : "protections"} (${flag} is false)`,
      `org policy ${flag}`);
  }
  if (!ownSla) return;
  if (rpo !== undefined && rpo < policy.minRpo) fail("rpo", `is below the minimum RPO ${policy.minRpo} minutes allowed by ${of}`, "org policy minRpo");
  if (instances > policy.maxInstances) fail("retentionPolicy", `keeps ${instances} instances, more than the ${policy.maxInstances} allowed by ${of}`, "org policy maxInstances");
}

/**
 * When the organization's policy cannot be known, what every listed policy (GET /policies, documented
 * for every session: docs/api-notes/vcda.md#compliance-status-of-a-policy) agrees on still decides: an RPO below every policy's minRpo breaks the organization's
 * too, one at or above every minRpo breaks none. In between the preview cannot tell, and says so once.
 */
function checkAgainstEveryPolicy(fail: Fail, policies: VcdaPolicy[], org: string, rpo: number | undefined, instances: number, why: string, resource: string): void {
  if (policies.length === 0) return;
  const minRpos = policies.map((p) => p.minRpo);
  const maxInstances = policies.map((p) => p.maxInstances);
  let undecided = false;
  if (rpo !== undefined && rpo < Math.min(...minRpos)) {
    fail("rpo", `is below the minimum RPO of every replication policy VCDA lists (the lowest is ${Math.min(...minRpos)} minutes), so also below that of organization '${org}'`, "org policy minRpo");
  } else {
    undecided ||= rpo !== undefined && rpo < Math.max(...minRpos);
  }
  if (instances > Math.max(...maxInstances)) {
    fail("retentionPolicy", `keeps ${instances} instances, more than any replication policy VCDA lists allows (at most ${Math.max(...maxInstances)}), so more than that of organization '${org}'`,
      "org policy maxInstances");
  } else {
    undecided ||= instances > Math.min(...maxInstances);
  }
  // once per organization: the reason is the organization's, not the replication's
  if (undecided) {
    warnOnce(`${resource}: the RPO and retention of replications into organization '${org}' were not checked against its replication policy (minRpo, maxInstances): ${why}. `
      + "The policies VCDA lists disagree about them; VCDA checks them when the replication is configured, and `pulumi up` fails with PolicyViolation if the organization's policy does not allow them.");
  }
}
