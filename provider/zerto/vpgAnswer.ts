import type { ZertoVpg, ZertoVpgAnswer } from "./models";

/**
 * A VpgApi answer read alike from every ZVM generation: 7.x has no ProtectedSiteName or
 * RecoverySiteName but SourceSite and TargetSite, and no StatusDescription (the Status number is
 * read instead); 10.x may name the VPG only by Link.identifier (docs/api-notes/first-contact.md).
 */
export function vpgOfAnyVersion(raw: ZertoVpgAnswer): ZertoVpg {
  return {
    ...raw,
    VpgIdentifier: raw.VpgIdentifier ?? raw.Link?.identifier ?? "",
    ProtectedSiteName: raw.ProtectedSiteName || raw.SourceSite || undefined,
    RecoverySiteName: raw.RecoverySiteName || raw.TargetSite || undefined,
  };
}
