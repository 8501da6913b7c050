import type { VcdaClient } from "./client";
import type { PolicyOrgStatus, VcdaPolicy, VcdaReplication } from "./models";

/**
 * What a refresh reads of one VM replication or policy, from the run's listings: GET
 * /vm-replications (per site, paged 100 at a time) and GET /policies once per run, instead of one
 * request per resource (docs/api-notes/vcda.md#listings-for-a-refresh). An object the listing does
 * not show is asked for by id: one made since the listing was read is then seen, one the paging
 * skipped is found, one gone is confirmed gone. A client without run listings (a test's, a tool's)
 * reads the one object.
 */
export async function replicationOfRun(client: VcdaClient, id: string, site: string | undefined): Promise<VcdaReplication | undefined> {
  if (!client.sharesRunListings) return client.getReplication(id, site);
  const listed = await client.runListing(`vm-replications at ${site ?? "(local site)"}`, () => client.listReplications(site));
  return listed.find((replication) => replication.id === id) ?? client.getReplication(id, site);
}

export async function policyOfRun(client: VcdaClient, id: string): Promise<VcdaPolicy | undefined> {
  if (!client.sharesRunListings) return client.getPolicy(id);
  const listed = await policiesOfRun(client);
  return listed.find((policy) => policy.id === id) ?? client.getPolicy(id);
}

/** GET /policies: once per run for every policy and assignment read of it. */
export function policiesOfRun(client: VcdaClient): Promise<VcdaPolicy[]> {
  return client.sharesRunListings ? client.runListing("policies", () => client.listPolicies()) : client.listPolicies();
}

/** GET /policies/{id}/status: once per run, however many assignments and compliance reads ask for it. */
export function policyStatusOfRun(client: VcdaClient, id: string): Promise<PolicyOrgStatus[]> {
  return client.sharesRunListings ? client.runListing(`status of policy ${id}`, () => client.policyStatus(id)) : client.policyStatus(id);
}
