import { VcdaConnection } from "../connection";
import { authenticatedHttp, HttpClient, HttpResponse, ProductHttpOptions, RequestSpec, SessionCache, VersionedMediaType } from "../http";
import { ExtensionRefusedError, VcdaLogin, VcdaSession } from "./auth";
import type { VcdaInventoryVm, VcdaSite, VcdaSlaProfile } from "./models";
import { describeVcdaError } from "./models";

/**
 * The API version in Accept: the 4.1 guide's h4-v4.1; a server that refuses it (406/415) is asked
 * once more in the version it names, else h4-v4.7 (terraform-provider-vcda's), and that version is
 * kept for its endpoint (docs/api-notes/first-contact.md#accept-version).
 */
const API_VERSION = { preferred: "4.1", newest: "4.7", named: /h4-v(\d+(?:\.\d+)*)/ };
const mediaTypeOf = (version: string) => `application/vnd.vmware.h4-v${version}+json;charset=UTF-8`;
/** The API version each endpoint accepted, for every client of the process. */
const apiVersions = new Map<string, string>();

/** One login per endpoint and identity per provider process, and one extension per remote site per session. */
const sessions = new SessionCache<VcdaSession>();

export const path = (...segments: string[]) => "/" + segments.map(encodeURIComponent).join("/");

const PAGE_SIZE = 100;
/** Statuses that say an endpoint is not served at all. */
const NOT_SERVED = [404, 405, 501];
/** Statuses by which /inventory/vms?site= says it does not serve on-premises sites (a 400 too: the site is not one of its cloud sites). */
const NOT_SERVED_ON_PREMISES = [400, ...NOT_SERVED];

/**
 * A VCDA connection: its session (extended to remote sites as requests need) and the read-only
 * sites and inventory; VcdaClient adds policies, replications and tasks.
 */
export class VcdaInventoryClient {
  protected readonly http: HttpClient;
  protected readonly login: VcdaLogin;

  constructor(readonly connection: VcdaConnection, options: ProductHttpOptions) {
    this.login = new VcdaLogin(connection, sessions);
    const mediaType = new VersionedMediaType(new URL(connection.url).origin, API_VERSION.preferred, API_VERSION.newest, mediaTypeOf, API_VERSION.named, apiVersions);
    this.http = authenticatedHttp(connection, { product: "VCDA", describeError: describeVcdaError, mediaType }, this.login, sessions, options);
  }

  /** Whether listings are shared by the run's reads (provider/http/listings.ts), as for resources. */
  get sharesRunListings(): boolean {
    return this.http.options.listings !== undefined;
  }

  /** A listing shared by the run's reads, per identity and profile; read anew without run listings. */
  runListing<T>(name: string, fetch: () => Promise<T>): Promise<T> {
    const { urlSetting, authType, username } = this.connection;
    return this.http.listing(`${name} as ${urlSetting}:${authType}:${username ?? ""}`, fetch);
  }

  protected async body<T>(spec: RequestSpec): Promise<T> {
    return (await this.request<T>(spec)).body;
  }

  /** A request whose `site` is a remote cloud site goes out once the session is extended to that site. */
  protected async request<T>(spec: RequestSpec): Promise<HttpResponse<T>> {
    const site = spec.query?.site;
    if (typeof site === "string") await this.authenticateAt(site);
    return this.http.request<T>(spec);
  }

  /**
   * An inventory read at `site`: a remote cloud site's is read only once the session is extended to
   * it (the guide requires it for operations on remote sites, and a server may refuse reads too:
   * docs/api-notes/first-contact.md#remote-cloud-sites-at-preview). An
   * on-premises site is never extended to, and neither is a site when GET /sites is not served.
   */
  protected async inventoryRequest<T>(spec: RequestSpec): Promise<HttpResponse<T>> {
    const site = spec.query?.site;
    if (typeof site === "string" && (await this.isCloudSite(site))) await this.authenticateAt(site);
    return this.http.request<T>(spec);
  }

  private cloudSites?: Promise<Set<string> | undefined>;

  private async isCloudSite(site: string): Promise<boolean> {
    this.cloudSites ??= this.listSites().then((sites) => sites && new Set(sites.map((s) => s.site)));
    return (await this.cloudSites)?.has(site) ?? false;
  }

  private onPremisesSites?: Promise<Set<string> | undefined>;

  /** Listed at GET /vc-sites and not at GET /sites. */
  private async isOnPremisesSite(site: string): Promise<boolean> {
    if (await this.isCloudSite(site)) return false;
    this.onPremisesSites ??= this.listOnPremisesSites().then((sites) => sites && new Set(sites.map((s) => s.site)));
    return (await this.onPremisesSites)?.has(site) ?? false;
  }

  /**
   * The session of this connection (the one its next request uses), authenticated at `site`. When
   * the extension finds the session's token refused (it expired meanwhile), every request waiting on
   * it shares one new login, which extends itself to the site; the refused token is not sent again.
   * An extension that carried credentials of its own is not repeated: its 401 may be theirs, and
   * an account must not count two failed logins for one extension.
   */
  private async authenticateAt(site: string): Promise<void> {
    const current = () => sessions.get(this.login.sessionKey, () => this.login.login(this.http));
    try {
      await this.login.extendTo(await current(), site, this.http);
    } catch (err) {
      if (!(err instanceof ExtensionRefusedError && err.sessionOnly)) throw err;
      await this.login.extendTo(await current(), site, this.http);
    }
  }

  // ---- read-only look-ups (preflight). /sites and /inventory/* are not in the 4.1 API, only in later
  // sources (docs/api-notes/vcda.md#sites-inventory-and-sla-profiles), so a server that does not serve them
  // answers undefined and preflight skips that check instead of failing the preview.

  /** The base URL this client talks to (preflight caches answers per endpoint). */
  get endpoint(): string {
    return this.http.options.baseUrl;
  }

  /**
   * The on-premises sites paired to the cloud (GET /vc-sites, as vCAV.Community Get-vCAVCustomerSites
   * reads them; docs/api-notes/first-contact.md#sites-get-sites-and-get-vc-sites): GET /sites lists only cloud
   * sites. Undefined when the server does not serve it.
   */
  async listOnPremisesSites(): Promise<Array<{ site: string; description?: string; owner?: string | null }> | undefined> {
    const response = await this.http.request<Array<{ site: string; description?: string; owner?: string | null }>>({ method: "GET", path: "/vc-sites", accept: NOT_SERVED });
    if (NOT_SERVED.includes(response.status)) return undefined;
    return Array.isArray(response.body) ? response.body : [];
  }

  async listSites(): Promise<VcdaSite[] | undefined> {
    const response = await this.http.request<VcdaSite[]>({ method: "GET", path: "/sites", accept: NOT_SERVED });
    if (NOT_SERVED.includes(response.status)) return undefined;
    return Array.isArray(response.body) ? response.body : [];
  }

  async listOrgs(site?: string): Promise<Array<{ name: string }> | undefined> {
    return this.allPages({ method: "GET", path: "/inventory/orgs", query: { site } });
  }

  async listVdcs(site?: string): Promise<Array<{ id: string; name: string; org?: string }> | undefined> {
    return this.allPages({ method: "GET", path: "/inventory/vdcs", query: { site } });
  }

  /** The vDC's storage profiles; undefined when they cannot be listed (no such vDC, or the endpoint is not served). */
  async listStorageProfiles(vdcId: string, site?: string): Promise<Array<{ id: string; name: string }> | undefined> {
    const response = await this.inventoryRequest<Array<{ id: string; name: string }>>({ method: "GET", path: path("inventory", "vdcs", vdcId, "storage-profiles"), query: { site }, accept: NOT_SERVED });
    return NOT_SERVED.includes(response.status) ? undefined : response.body;
  }

  /**
   * A site's VMs: Cloud Director VMs of a cloud site, vCenter VMs (id = moref, with vcUuid) of an
   * on-premises one. A server that does not serve an on-premises site at /inventory/vms is asked as
   * vCAV.Community Get-vCAVWorkloads asks: each vCenter's VMs under /vc-sites/{site}
   * (docs/api-notes/first-contact.md#sites-get-sites-and-get-vc-sites).
   */
  async listVms(site?: string): Promise<VcdaInventoryVm[] | undefined> {
    const spec: RequestSpec = { method: "GET", path: "/inventory/vms", query: { site } };
    if (site === undefined || !(await this.isOnPremisesSite(site))) return this.allPages(spec);
    return (await this.allPages<VcdaInventoryVm>(spec, NOT_SERVED_ON_PREMISES)) ?? this.listVcSiteVms(site);
  }

  /** The VMs of every vCenter of an on-premises site; undefined when /vc-sites/{site}/vcenters is not served. */
  private async listVcSiteVms(site: string): Promise<VcdaInventoryVm[] | undefined> {
    type VcSiteVcenter = { vcId: string };
    const vcenters = await this.http.request<VcSiteVcenter[] | { items?: VcSiteVcenter[] }>({ method: "GET", path: path("vc-sites", site, "vcenters"), accept: NOT_SERVED });
    if (NOT_SERVED.includes(vcenters.status)) return undefined;
    // a bare array, or a page as every other inventory list (docs/api-notes/first-contact.md#sites-get-sites-and-get-vc-sites)
    const listedVcenters = Array.isArray(vcenters.body) ? vcenters.body : (vcenters.body?.items ?? []);
    const vms: VcdaInventoryVm[] = [];
    for (const { vcId } of listedVcenters) {
      const listed = await this.allPages<{ id: string; name: string; powerState?: string }>({ method: "GET", path: path("vc-sites", site, vcId, "vms") });
      for (const vm of listed ?? []) vms.push({ id: vm.id, name: vm.name, vcUuid: vcId, ...(vm.powerState !== undefined && { powerState: vm.powerState }) });
    }
    return vms;
  }

  async listSlaProfiles(): Promise<VcdaSlaProfile[] | undefined> {
    return this.allPages({ method: "GET", path: "/sla-profiles" });
  }

  /** Every item of a paged list ({items, total}), 100 at a time; undefined when the server answers one of `notServed`. */
  protected async allPages<T>(spec: RequestSpec, notServed = NOT_SERVED): Promise<T[] | undefined> {
    const items: T[] = [];
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const response = await this.inventoryRequest<{ items: T[]; total: number }>({ ...spec, query: { ...spec.query, offset, limit: PAGE_SIZE }, accept: notServed });
      if (notServed.includes(response.status)) return undefined;
      const page = response.body;
      items.push(...(page?.items ?? []));
      if (!page?.items?.length || items.length >= page.total) return items;
    }
  }
}
