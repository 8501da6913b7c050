import type { ZertoClient } from "./client";
import type { ZertoProtectedVm, ZertoVpg } from "./models";

/**
 * What a refresh reads of one VPG, from the run's listings: GET /v1/vpgs and GET /v1/vms once per
 * run for every VPG of the ZVM (both answer whole lists: docs/api-notes/zerto.md#whole-listings),
 * instead of two requests per VPG. A VPG the listing does not show is asked for by id: one made
 * since the listing was read is then seen, and one gone is confirmed gone. A client without run
 * listings (made by a test or a tool) reads the one VPG: GET /v1/vpgs/{id}, GET /v1/vms?vpgName.
 */
export async function vpgOfRun(client: ZertoClient, vpgId: string): Promise<{ vpg: ZertoVpg; protectedVms: ZertoProtectedVm[] } | undefined> {
  if (!client.http.options.listings) return vpgById(client, vpgId);
  const who = identityOf(client);
  // both listings at once: over a WAN, one round trip instead of two
  const [vpgs, rows] = await Promise.all([
    client.http.listing(`vpgs as ${who}`, () => client.listVpgs()),
    client.http.listing(`vms as ${who}`, () => client.listProtectedVms()),
  ]);
  const listed = vpgs.find((vpg) => vpg.VpgIdentifier === vpgId);
  if (!listed) return vpgById(client, vpgId);
  return { vpg: listed, protectedVms: rows.filter((vm) => vm.VpgIdentifier === vpgId) };
}

/** The VPG and its protected-VM rows, read for it alone (GET /v1/vpgs/{id}, GET /v1/vms?vpgName=). */
export async function vpgById(client: ZertoClient, vpgId: string): Promise<{ vpg: ZertoVpg; protectedVms: ZertoProtectedVm[] } | undefined> {
  const vpg = await client.getVpg(vpgId);
  return vpg ? { vpg, protectedVms: await client.protectedVmsOf(vpg) } : undefined;
}

/** Listings depend on who asks: one identity's (or profile's) are never another's. */
function identityOf(client: ZertoClient): string {
  const { urlSetting, authMode, username, clientId } = client.connection;
  return `${urlSetting}:${authMode}:${username ?? ""}:${clientId ?? ""}`;
}
