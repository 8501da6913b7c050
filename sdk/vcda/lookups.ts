import * as pulumi from "@pulumi/pulumi";
import { vcdaClientFor } from "../../provider/vcda/client";
import { withSharedListings } from "../../provider/sharedLookups";
import * as lookups from "../../provider/vcda/lookups";
import { ConnectionArgs, lookupOutput, LookupOutputArgs, useProgramConfig } from "../lookupSupport";
import type {
  GetByNameArgs, GetOrgArgs, GetOrgResult, GetPolicyResult, GetSiteResult, GetSlaProfileResult, GetStorageProfileArgs, GetStorageProfileResult,
  GetVappArgs, GetVappResult, GetVdcArgs, GetVdcResult, GetVmArgs, GetVmResult,
} from "./lookups.generated";

/**
 * Find VCDA objects by name instead of copying ids: each getX reads VCDA (GET only) over the same
 * connection as the resources (vcda:url… or `profile`) and returns the one object of that name, or
 * fails listing what it found (close names first). getXOutput takes Inputs and returns an Output.
 * `site` is a site's short name; the VCDA's local site when absent. Their argument and result types
 * are generated from schema.json `functions` (lookups.generated.ts): the compiler holds them to what
 * provider/vcda/lookups.ts returns.
 */

function withClient<A, R>(find: (client: lookups.VcdaLookupClient, args: A) => Promise<R>): (args: A & ConnectionArgs) => Promise<R> {
  return (args) => {
    useProgramConfig();
    const client = vcdaClientFor(args.profile);
    return find(withSharedListings(client, `${client.endpoint}|${args.profile ?? ""}`, lookups.VCDA_LOOKUP_CALLS), args);
  };
}

export const getSite: (args: GetByNameArgs) => Promise<GetSiteResult> = withClient(lookups.findVcdaSite);
export const getOrg: (args: GetOrgArgs) => Promise<GetOrgResult> = withClient(lookups.findVcdaOrg);
export const getVdc: (args: GetVdcArgs) => Promise<GetVdcResult> = withClient(lookups.findVcdaVdc);
/** A Cloud Director VM, or a vCenter VM of an on-premises site (then `onPremises` and `vcUuid` are set). */
export const getVm: (args: GetVmArgs) => Promise<GetVmResult> = withClient(lookups.findVcdaVm);
/** A Cloud Director vApp with its VMs (`id`: a VappReplication's source.vappId). */
export const getVapp: (args: GetVappArgs) => Promise<GetVappResult> = withClient(lookups.findVcdaVapp);
export const getStorageProfile: (args: GetStorageProfileArgs) => Promise<GetStorageProfileResult> = withClient(lookups.findVcdaStorageProfile);
export const getSlaProfile: (args: GetByNameArgs) => Promise<GetSlaProfileResult> = withClient(lookups.findVcdaSlaProfile);
export const getPolicy: (args: GetByNameArgs) => Promise<GetPolicyResult> = withClient(lookups.findVcdaPolicy);

export const getSiteOutput = (args: LookupOutputArgs<GetByNameArgs>): pulumi.Output<GetSiteResult> => lookupOutput(getSite, args);
export const getOrgOutput = (args: LookupOutputArgs<GetOrgArgs>): pulumi.Output<GetOrgResult> => lookupOutput(getOrg, args);
export const getVdcOutput = (args: LookupOutputArgs<GetVdcArgs>): pulumi.Output<GetVdcResult> => lookupOutput(getVdc, args);
export const getVmOutput = (args: LookupOutputArgs<GetVmArgs>): pulumi.Output<GetVmResult> => lookupOutput(getVm, args);
export const getVappOutput = (args: LookupOutputArgs<GetVappArgs>): pulumi.Output<GetVappResult> => lookupOutput(getVapp, args);
export const getStorageProfileOutput = (args: LookupOutputArgs<GetStorageProfileArgs>): pulumi.Output<GetStorageProfileResult> =>
  lookupOutput(getStorageProfile, args);
export const getSlaProfileOutput = (args: LookupOutputArgs<GetByNameArgs>): pulumi.Output<GetSlaProfileResult> => lookupOutput(getSlaProfile, args);
export const getPolicyOutput = (args: LookupOutputArgs<GetByNameArgs>): pulumi.Output<GetPolicyResult> => lookupOutput(getPolicy, args);
