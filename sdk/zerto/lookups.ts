import * as pulumi from "@pulumi/pulumi";
import { zertoClientFor } from "../../provider/zerto/client";
import { withSharedListings } from "../../provider/sharedLookups";
import * as lookups from "../../provider/zerto/lookups";
import { ConnectionArgs, lookupOutput, LookupOutputArgs, useProgramConfig } from "../lookupSupport";
import type {
  GetByNameArgs, GetInOrgVdcArgs, GetOrgVdcArgs, GetOrgVdcNetworkResult, GetOrgVdcResult, GetOrgVdcStoragePolicyResult, GetServiceProfileResult,
  GetSiteObjectArgs, GetSiteObjectResult, GetSiteResult, GetVmArgs, GetVmResult, GetVpgResult,
} from "./lookups.generated";

/**
 * Find Zerto objects by name instead of copying GUIDs: each getX reads the ZVM (GET only) over the
 * same connection as the resources (zerto:url… or `profile`) and returns the one object of that
 * name, or fails listing what it found (close names first). getXOutput takes Inputs and returns an Output.
 * Their argument and result types are generated from schema.json `functions` (lookups.generated.ts):
 * the compiler holds them to what provider/zerto/lookups.ts returns.
 */

function withClient<A, R>(find: (client: lookups.ZertoLookupClient, args: A) => Promise<R>): (args: A & ConnectionArgs) => Promise<R> {
  return (args) => {
    useProgramConfig();
    const client = zertoClientFor(args.profile);
    return find(withSharedListings(client, `${client.connection.url}|${args.profile ?? ""}`, lookups.ZERTO_LOOKUP_CALLS), args);
  };
}

const siteObject = (kind: lookups.ZertoSiteObjectKind) =>
  withClient((client, args: GetSiteObjectArgs) => lookups.findZertoSiteObject(client, kind, args));

/** The ZVM's own site or a paired site. */
export const getSite: (args: GetByNameArgs) => Promise<GetSiteResult> = withClient(lookups.findZertoSite);
/** A VM of a site (the ZVM's own by default), protected or not. */
export const getVm: (args: GetVmArgs) => Promise<GetVmResult> = withClient(lookups.findZertoVm);
export const getHost: (args: GetSiteObjectArgs) => Promise<GetSiteObjectResult> = siteObject("host");
export const getHostCluster: (args: GetSiteObjectArgs) => Promise<GetSiteObjectResult> = siteObject("hostCluster");
export const getDatastore: (args: GetSiteObjectArgs) => Promise<GetSiteObjectResult> = siteObject("datastore");
export const getDatastoreCluster: (args: GetSiteObjectArgs) => Promise<GetSiteObjectResult> = siteObject("datastoreCluster");
export const getNetwork: (args: GetSiteObjectArgs) => Promise<GetSiteObjectResult> = siteObject("network");
export const getFolder: (args: GetSiteObjectArgs) => Promise<GetSiteObjectResult> = siteObject("folder");
export const getResourcePool: (args: GetSiteObjectArgs) => Promise<GetSiteObjectResult> = siteObject("resourcePool");
/** An org vDC of a Cloud Director site. */
export const getOrgVdc: (args: GetOrgVdcArgs) => Promise<GetOrgVdcResult> = withClient(lookups.findZertoOrgVdc);
export const getOrgVdcNetwork: (args: GetInOrgVdcArgs) => Promise<GetOrgVdcNetworkResult> = withClient(lookups.findZertoOrgVdcNetwork);
/** A storage policy of an org vDC, with `isEnabled` (a VM cannot recover onto a disabled one). */
export const getOrgVdcStoragePolicy: (args: GetInOrgVdcArgs) => Promise<GetOrgVdcStoragePolicyResult> = withClient(lookups.findZertoOrgVdcStoragePolicy);
export const getServiceProfile: (args: GetByNameArgs) => Promise<GetServiceProfileResult> = withClient(lookups.findZertoServiceProfile);
export const getVpg: (args: GetByNameArgs) => Promise<GetVpgResult> = withClient(lookups.findZertoVpg);

export const getSiteOutput = (args: LookupOutputArgs<GetByNameArgs>): pulumi.Output<GetSiteResult> => lookupOutput(getSite, args);
export const getVmOutput = (args: LookupOutputArgs<GetVmArgs>): pulumi.Output<GetVmResult> => lookupOutput(getVm, args);
export const getHostOutput = (args: LookupOutputArgs<GetSiteObjectArgs>): pulumi.Output<GetSiteObjectResult> => lookupOutput(getHost, args);
export const getHostClusterOutput = (args: LookupOutputArgs<GetSiteObjectArgs>): pulumi.Output<GetSiteObjectResult> => lookupOutput(getHostCluster, args);
export const getDatastoreOutput = (args: LookupOutputArgs<GetSiteObjectArgs>): pulumi.Output<GetSiteObjectResult> => lookupOutput(getDatastore, args);
export const getDatastoreClusterOutput = (args: LookupOutputArgs<GetSiteObjectArgs>): pulumi.Output<GetSiteObjectResult> =>
  lookupOutput(getDatastoreCluster, args);
export const getNetworkOutput = (args: LookupOutputArgs<GetSiteObjectArgs>): pulumi.Output<GetSiteObjectResult> => lookupOutput(getNetwork, args);
export const getFolderOutput = (args: LookupOutputArgs<GetSiteObjectArgs>): pulumi.Output<GetSiteObjectResult> => lookupOutput(getFolder, args);
export const getResourcePoolOutput = (args: LookupOutputArgs<GetSiteObjectArgs>): pulumi.Output<GetSiteObjectResult> => lookupOutput(getResourcePool, args);
export const getOrgVdcOutput = (args: LookupOutputArgs<GetOrgVdcArgs>): pulumi.Output<GetOrgVdcResult> => lookupOutput(getOrgVdc, args);
export const getOrgVdcNetworkOutput = (args: LookupOutputArgs<GetInOrgVdcArgs>): pulumi.Output<GetOrgVdcNetworkResult> => lookupOutput(getOrgVdcNetwork, args);
export const getOrgVdcStoragePolicyOutput = (args: LookupOutputArgs<GetInOrgVdcArgs>): pulumi.Output<GetOrgVdcStoragePolicyResult> =>
  lookupOutput(getOrgVdcStoragePolicy, args);
export const getServiceProfileOutput = (args: LookupOutputArgs<GetByNameArgs>): pulumi.Output<GetServiceProfileResult> => lookupOutput(getServiceProfile, args);
export const getVpgOutput = (args: LookupOutputArgs<GetByNameArgs>): pulumi.Output<GetVpgResult> => lookupOutput(getVpg, args);
