import type { VcdaClient } from "./client";
import type { VcdaPolicy, VcdaReplication } from "./models";

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
  const listed = await client.runListing("policies", () => client.listPolicies());
  return listed.find((policy) => policy.id === id) ?? client.getPolicy(id);
}
