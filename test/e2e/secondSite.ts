import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../../harness/engine";

/** Site-B, the bundled inventory's paired recovery site, and its vCenter. */
export const SITE_B = "c2d8e4f6-1a3b-4c5d-9e7f-8a0b1c2d3e4f";
const SITE_B_VC = "9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d";
/** Site-C, a second paired recovery site added by `inventoryWithSecondPeerSite`, and its vCenter. */
export const SITE_C = "7d1e3f5a-2b4c-4d6e-8f0a-1b2c3d4e5f60";
export const SITE_C_VC = "4c6e8a0b-2d4f-4a6c-8e0a-2b4d6f8a0c1e";

/** The bundled ZVM inventory plus a second paired site (a copy of Site-B), so that moving a VPG to another site can be tried. */
export function inventoryWithSecondPeerSite(dir: string): string {
  const inventory = JSON.parse(fs.readFileSync(path.join(repoRoot, "simulator", "zvm", "inventory.json"), "utf8"));
  const siteB = inventory.peerSites[0];
  const siteC = JSON.parse(JSON.stringify(siteB).split(siteB.SiteIdentifier).join(SITE_C).split(SITE_B_VC).join(SITE_C_VC));
  siteC.SiteName = "Site-C DR";
  siteC.Location = "Utrecht";
  inventory.peerSites.push(siteC);
  const file = path.join(dir, "zvm-inventory.json");
  fs.writeFileSync(file, JSON.stringify(inventory));
  return file;
}

/** The quickstart example's config that moves its VPG to Site-C: its recovery objects have the same names as Site-B's. */
export const MOVE_TO_SITE_C = { recoverySite: "Site-C DR" };
