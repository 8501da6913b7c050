import type { VpgInputs } from "../inputs.generated";
import { cachedAnswer, cachedLookup, changedSince, connectionFailure, known, preflightEnabled, preflightFailure } from "../preflight";
import type { CheckFailure } from "../types";
import type { ZertoClient } from "./client";
import type { ZertoLocalSite, ZertoVpg } from "./models";
import { identityOf, IntentStore } from "./intents";
import { vcdPreflight, vcdReferencesChanged } from "./vcd";

/** Input properties that name a vCenter object at the recovery site: the look-up and the id field it is listed under. */
const RECOVERY_OBJECTS: Record<string, { kind: string; idField: string; what: string }> = {
  hostId: { kind: "hosts", idField: "HostIdentifier", what: "host" },
  hostClusterId: { kind: "hostclusters", idField: "ClusterIdentifier", what: "host cluster" },
  datastoreId: { kind: "datastores", idField: "DatastoreIdentifier", what: "datastore" },
  datastoreClusterId: { kind: "datastoreclusters", idField: "DatastoreClusterIdentifier", what: "datastore cluster" },
  folderId: { kind: "folders", idField: "FolderIdentifier", what: "folder" },
  resourcePoolId: { kind: "resourcepools", idField: "ResourcePoolIdentifier", what: "resource pool" },
  failoverNetworkId: { kind: "networks", idField: "NetworkIdentifier", what: "network" },
  failoverTestNetworkId: { kind: "networks", idField: "NetworkIdentifier", what: "network" },
};

/** PeerSiteApi PairingStatus 0 = Paired. */
const PAIRED = 0;

/**
 * VPG names this process has seen as a resource's own (old inputs). The engine checks a replacement
 * again with no old inputs; its VPG, still there until the replacement deletes it, stays ours.
 */
const ownNames = new Set<string>();

/** VPG names this process started creating since a preflight listing was read (the listing cannot show them). */
const createdSinceListing = new WeakMap<Promise<unknown>, Set<string>>();

const same = (a: unknown, b: unknown) => typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();

/**
 * Read-only checks of a VPG's inputs against the ZVM, for the properties that are new or changed:
 * the connection works, the sites exist and are paired, the VMs exist and are free to protect to
 * the recovery site, the recovery objects exist there, the name is free or ours.
 */
export async function preflightVpg(clientFor: (profile?: string) => ZertoClient, olds: Partial<VpgInputs> | undefined, news: VpgInputs,
  intents?: IntentStore): Promise<CheckFailure[]> {
  if (known(olds?.name)) ownNames.add(olds.name.toLowerCase());
  if (!preflightEnabled()) return [];
  const changed = changedSince(olds, news);
  const sitesChanged = changed("protectedSiteId") || changed("recoverySiteId");
  const oldVmIds = new Set((olds?.vms ?? []).map((vm) => vm?.vmId));
  const vmsToCheck = (Array.isArray(news.vms) ? news.vms : [])
    .map((vm, i) => ({ vmId: vm?.vmId, property: `vms[${i}].vmId` }))
    .filter((vm) => known(vm.vmId) && (sitesChanged || !oldVmIds.has(vm.vmId)));
  const objectsToCheck = recoveryObjects(news).filter((o) => sitesChanged || changed(o.path));
  const checkName = changed("name") && known(news.name);
  const checkProfile = changed("serviceProfileId") && known(news.serviceProfileId);
  const checkZorg = changed("zorgId") && known(news.zorgId);
  const checkVcd = vcdReferencesChanged(news, changed, sitesChanged);
  if (!sitesChanged && !vmsToCheck.length && !objectsToCheck.length && !checkName && !checkProfile && !checkZorg && !checkVcd) return [];

  let client: ZertoClient;
  try {
    client = clientFor(news.profile);
  } catch (err) {
    return [connectionFailure("Vpg", "Zerto", err)];
  }
  const look = <T>(what: string, lookup: (c: ZertoClient) => Promise<T>) => cachedLookup(lookupKey(client, news.profile, what), () => lookup(client));
  try {
    // the first request logs in: a wrong password, url or certificate shows here
    const local = await look("localsite", (c) => c.localSite());
    const interruptedCreate = () => intents?.read(client.connection.url, identityOf(news)) !== undefined;
    return await checkVpg({ news, local, look, vmsToCheck, objectsToCheck, checkName, checkProfile, checkZorg, checkVcd, sitesChanged, changed, interruptedCreate });
  } catch (err) {
    return [connectionFailure("Vpg", "Zerto", err)];
  }
}

function lookupKey(client: ZertoClient, profile: string | undefined, what: string): string {
  return `zerto|${client.connection.url}|${profile ?? ""}|${what}`;
}

/**
 * Whether this run's preflight saw no VPG named `name` in the ZVM's whole listing (read during this
 * run for the name check), and this process has not created one of that name since: create then
 * asks no more. A name the listing held, even as this stack's own (the VPG a replacement deletes
 * first), is asked for again. For a VPG of the name made elsewhere since, see
 * docs/api-notes/zerto.md#name-check.
 */
export async function nameSeenFree(client: ZertoClient, profile: string | undefined, name: string): Promise<boolean> {
  const listing = cachedAnswer<ZertoVpg[]>(lookupKey(client, profile, "vpgs"));
  if (!listing || createdSinceListing.get(listing)?.has(name.toLowerCase())) return false;
  const vpgs = await listing.catch(() => undefined);
  return vpgs !== undefined && !vpgs.some((v) => same(v.VpgName, name));
}

/** A create of a VPG named `name` is under way in this process. */
export function noteCreating(client: ZertoClient, profile: string | undefined, name: string): void {
  const listing = cachedAnswer<ZertoVpg[]>(lookupKey(client, profile, "vpgs"));
  if (!listing) return;
  const names = createdSinceListing.get(listing) ?? new Set<string>();
  createdSinceListing.set(listing, names.add(name.toLowerCase()));
}

type Look = <T>(what: string, lookup: (c: ZertoClient) => Promise<T>) => Promise<T>;

interface VpgPlan {
  news: VpgInputs;
  local: ZertoLocalSite;
  look: Look;
  vmsToCheck: Array<{ vmId: string; property: string }>;
  objectsToCheck: Array<{ path: string; id: string; field: string }>;
  checkName: boolean;
  checkProfile: boolean;
  checkZorg: boolean;
  /** Whether the Cloud Director references (org vDC, its networks and storage policies) need a look. */
  checkVcd: boolean;
  sitesChanged: boolean;
  changed: (path: string) => boolean;
  /** Whether this machine holds the record of an interrupted create of exactly this definition. */
  interruptedCreate: () => boolean;
}

async function checkVpg(plan: VpgPlan): Promise<CheckFailure[]> {
  const { news, local, look } = plan;
  const failures: CheckFailure[] = [];
  const fail = (property: string, problem: string, rule: string) => failures.push(preflightFailure("Vpg", property, problem, rule));
  const peers = await look("peersites", (c) => c.listPeerSites());
  const siteName = (id: string) => (same(id, local.SiteIdentifier) ? local.SiteName : peers.find((p) => same(p.SiteIdentifier, id))?.PeerSiteName);
  const knownSites = [`'${local.SiteName}' (${local.SiteIdentifier}, local)`, ...peers.map((p) => `'${p.PeerSiteName}' (${p.SiteIdentifier})`)].join(", ");

  const protectedSiteId = news.protectedSiteId === undefined ? local.SiteIdentifier as string : news.protectedSiteId;
  let protectedSiteOk = known(protectedSiteId);
  if (protectedSiteOk && plan.changed("protectedSiteId") && !siteName(protectedSiteId)) {
    fail("protectedSiteId", `names no site this ZVM knows (known: ${knownSites})`, "site exists");
    protectedSiteOk = false;
  }

  let recoverySiteOk = known(news.recoverySiteId);
  if (recoverySiteOk && plan.changed("recoverySiteId")) {
    const peer = peers.find((p) => same(p.SiteIdentifier, news.recoverySiteId));
    const toSelf = same(news.recoverySiteId, local.SiteIdentifier) && local.IsReplicationToSelfEnabled === true;
    if (!peer && !toSelf) {
      fail("recoverySiteId", `names no site paired with this ZVM (paired: ${peers.map((p) => `'${p.PeerSiteName}' (${p.SiteIdentifier})`).join(", ") || "none"})`, "paired site");
      recoverySiteOk = false;
    } else if (peer && peer.PairingStatus !== PAIRED) {
      fail("recoverySiteId", `names site '${peer.PeerSiteName}', which is not paired (PairingStatus ${peer.PairingStatus})`, "paired site");
      recoverySiteOk = false;
    }
  }

  if (plan.checkName) {
    // the whole listing, read once per run and shared by every new VPG (docs/api-notes/zerto.md#whole-listings)
    const taken = (await look("vpgs", (c) => c.listVpgs()))
      .find((v) => same(v.VpgName, news.name) && !ownNames.has(v.VpgName.toLowerCase()));
    // a VPG this machine's interrupted create of this very definition committed: create proves it through its task
    if (taken && !news.adoptExisting && !plan.interruptedCreate()) {
      fail("name", `is taken by VPG '${taken.VpgName}' (${taken.VpgIdentifier}) on the ZVM; choose another name, or set adoptExisting to manage that VPG`, "name free");
    }
  }

  if (protectedSiteOk && plan.vmsToCheck.length) {
    const unprotected = await look(`sites/${protectedSiteId.toLowerCase()}/vms`, (c) => c.listSiteObjects(protectedSiteId, "vms"));
    const protectedRows = await look("vms", (c) => c.listProtectedVms());
    const ours = (vpgName: unknown) => same(vpgName, news.name) || (typeof vpgName === "string" && ownNames.has(vpgName.toLowerCase()));
    for (const { vmId, property } of plan.vmsToCheck) {
      const exists = (unprotected ?? []).some((vm) => same(vm.VmIdentifier, vmId))
        || protectedRows.some((row) => same(row.VmIdentifier, vmId) && same(row.ProtectedSite?.identifier, protectedSiteId));
      if (!exists) {
        fail(property, `names no VM at protected site '${siteName(protectedSiteId) ?? protectedSiteId}'`, "VM exists");
        continue;
      }
      const other = recoverySiteOk && protectedRows.find((row) => same(row.VmIdentifier, vmId) && same(row.RecoverySite?.identifier, news.recoverySiteId) && !ours(row.VpgName));
      if (other) {
        fail(property, `is already protected to recovery site '${siteName(news.recoverySiteId) ?? news.recoverySiteId}' by VPG '${other.VpgName}' (${other.VpgIdentifier}); `
          + "a VM replicates to a site through one VPG", "VM not protected elsewhere");
      }
    }
  }

  if (recoverySiteOk) {
    for (const { path, id, field } of plan.objectsToCheck) {
      const { kind, idField, what } = RECOVERY_OBJECTS[field];
      const listed = await look(`sites/${news.recoverySiteId.toLowerCase()}/${kind}`, (c) => c.listSiteObjects(news.recoverySiteId, kind));
      if (!(listed ?? []).some((o) => same(o[idField], id))) {
        fail(path, `names no ${what} at recovery site '${siteName(news.recoverySiteId) ?? news.recoverySiteId}'`, "exists at recovery site");
      }
    }
  }

  if (recoverySiteOk && plan.checkVcd) {
    const siteId = news.recoverySiteId.toLowerCase();
    failures.push(...await vcdPreflight(news, (kind) => look(`sites/${siteId}/${kind}`, (c) => c.listSiteObjects(news.recoverySiteId, kind)), siteName(news.recoverySiteId) ?? news.recoverySiteId));
  }

  if (plan.checkProfile && !(await look("serviceprofiles", (c) => c.listServiceProfiles())).some((p) => same(p.ServiceProfileIdentifier, news.serviceProfileId))) {
    fail("serviceProfileId", "names no service profile on the ZVM", "exists on the ZVM");
  }
  if (plan.checkZorg && !(await look("zorgs", (c) => c.listZorgs())).some((z) => same(z.ZorgIdentifier, news.zorgId))) {
    fail("zorgId", "names no ZORG on the ZVM", "exists on the ZVM");
  }
  return failures;
}

/** Every known recovery-site id in the inputs, with its property path and the RECOVERY_OBJECTS key that says where to look. */
function recoveryObjects(news: VpgInputs): Array<{ path: string; id: string; field: string }> {
  const found: Array<{ path: string; id: string; field: string }> = [];
  const collect = (prefix: string, object: unknown) => {
    if (!object || typeof object !== "object") return;
    for (const [field, id] of Object.entries(object)) {
      if (RECOVERY_OBJECTS[field] && known(id)) found.push({ path: `${prefix}.${field}`, id, field });
    }
  };
  collect("recovery", news.recovery);
  collect("networks", news.networks);
  if (known(news.journal?.datastoreId)) found.push({ path: "journal.datastoreId", id: news.journal.datastoreId, field: "datastoreId" });
  (Array.isArray(news.vms) ? news.vms : []).forEach((vm, i) => collect(`vms[${i}].recovery`, vm?.recovery));
  return found;
}
