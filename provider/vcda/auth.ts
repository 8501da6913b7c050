import { createHash, createSign, randomBytes } from "node:crypto";
import type { RemoteSiteAuth, VcdaConnection } from "../connection";
import { ApiError, HttpClient, LoginScheme, loginConnectionError, SessionCache } from "../http";

/** A VCDA session: the X-VCAV-Auth token and the sites it is authenticated to (login, then POST /sessions/extend). */
export interface VcdaSession {
  token: string;
  /** The org the login authenticated as (authenticatedSites[0].org), for a multisite extension. */
  org?: string;
  /** Sites the session may act on, as VCDA answered them in authenticatedSites. */
  readonly sites: Set<string>;
  /** One extension per remote site per session: under way or done. */
  readonly extensions: Map<string, Promise<void>>;
  /** POST /sessions/extend answered 401 with this token: it is never sent again. */
  refused?: boolean;
}

/**
 * POST /sessions/extend answered 401. The API does not say whether the session's token or the
 * extension's own credentials were refused; `sessionOnly` when the extension carried no credentials
 * of its own (multisite), so only the token can have been refused.
 */
export class ExtensionRefusedError extends Error {
  constructor(message: string, readonly sessionOnly: boolean) {
    super(message);
    this.name = "ExtensionRefusedError";
  }
}

interface SessionBody {
  authenticatedSites?: Array<{ site: string; org: string }>;
}

/** Login types whose session holds a VMware Cloud Director JWT, which a `multisite` extension reuses. */
const HOLDS_VCD_JWT = ["vcdCredentials", "vcdAccessToken"];

/**
 * Remote sites each session key has needed so far in this process: a session opened again (after
 * a 401 or an idle timeout) is extended to them before it is used, so a retried request finds it
 * authenticated where the refused one was.
 */
const sitesNeeded = new Map<string, Set<string>>();

/**
 * VCDA's login: POST /sessions with the body of the connection's authType; the session is the
 * token VCDA answers in X-VCAV-Auth, sent back in the same header. It has no renewal: a refused
 * session is replaced by a login. Remote cloud sites are added to it with POST /sessions/extend
 * ("To manage replications on remote cloud sites, you must first extend your session to the remote
 * site": docs/api-notes/vcda.md#sessions-remote-cloud-sites).
 */
export class VcdaLogin implements LoginScheme<VcdaSession> {
  readonly sessionKey: string;
  readonly credentials: Array<string | undefined>;
  private readonly request: { body: () => Record<string, unknown>; who: string };

  /**
   * Checks that the connection has what its login type needs, without any request. `cache` holds
   * the sessions of this key: a session whose extension is refused (401) is dropped from it at once.
   */
  constructor(private readonly connection: VcdaConnection, private readonly cache?: SessionCache<VcdaSession>) {
    const c = connection;
    this.request = loginRequest(c);
    const remote = Object.values(c.remoteSites ?? {});
    this.credentials = [c.password, c.token, c.samlSigningKey, ...remote.flatMap((r) => [r.password, r.token])];
    this.sessionKey = [new URL(c.url).origin, c.authType, c.username ?? "", c.tokenContext ?? "",
      fingerprint(c.password ?? c.token ?? ""), fingerprint(JSON.stringify(c.remoteSites ?? {}))].join("|");
  }

  headers(session: VcdaSession): Record<string, string> {
    return { "X-VCAV-Auth": session.token };
  }

  tokens(session: VcdaSession): string[] {
    return [session.token];
  }

  async login(http: HttpClient): Promise<VcdaSession> {
    const c = this.connection;
    let session: VcdaSession | undefined;
    try {
      const response = await http.request<SessionBody>({ method: "POST", path: "/sessions", json: this.request.body(), authenticated: false, idempotent: true });
      const token = response.header("x-vcav-auth");
      if (token) session = { token, sites: new Set(), extensions: new Map() };
      if (session) record(session, response.body);
    } catch (err) {
      const actionable = loginConnectionError(err, "VCDA", c.url, c.urlSetting ?? "vcda:url");
      if (actionable !== err) throw actionable;
      throw new Error(`VCDA login as ${this.request.who} (${c.authType}) failed: ${(err as Error).message}`);
    }
    if (!session) throw new Error(`VCDA POST /sessions answered without an X-VCAV-Auth header: is ${c.url} the VCDA API endpoint?`);
    http.addSecrets([session.token]);
    for (const site of sitesNeeded.get(this.sessionKey) ?? []) await this.extendTo(session, site, http);
    return session;
  }

  /** Makes `session` authenticated at `site`: nothing when it already is, else one POST /sessions/extend shared by every caller. */
  extendTo(session: VcdaSession, site: string, http: HttpClient): Promise<void> {
    if (session.sites.has(site)) return Promise.resolve();
    if (session.refused) return Promise.reject(new ExtensionRefusedError(`VCDA refused this session (401) while extending it to '${site}'`, true));
    let needed = sitesNeeded.get(this.sessionKey);
    if (!needed) sitesNeeded.set(this.sessionKey, needed = new Set());
    needed.add(site);
    let extension = session.extensions.get(site);
    if (!extension) {
      extension = this.extend(session, site, http);
      session.extensions.set(site, extension);
      extension.catch(() => session.extensions.delete(site));
    }
    return extension;
  }

  private async extend(session: VcdaSession, site: string, http: HttpClient): Promise<void> {
    const body = extendRequest(this.connection, session, site);
    // sent with this session's token (not the client's current one): it is this session that is extended
    const send = (json: Record<string, unknown>, accept: number[] = []) => http.request<SessionBody>({
      method: "POST", path: "/sessions/extend", json, headers: this.headers(session), authenticated: false, idempotent: true, accept,
    });
    let form = "";
    try {
      let response = await send(body, body.type === "credentials" ? [400] : []);
      if (response.status === 400) {
        // the 4.1 guide names the user vcdUsername, vCAV.Community sends vcdUser (docs/api-notes/first-contact.md#post-sessionsextend-credentials-field):
        // a form the server refuses (400) is tried once
        // in the other; refused credentials (401) are not sent again, so that no account counts two failed logins
        const { vcdUsername, ...rest } = body;
        form = ", tried with vcdUsername and then vcdUser";
        response = await send({ ...rest, vcdUser: vcdUsername });
      }
      record(session, response.body);
    } catch (err) {
      const message = `VCDA could not extend the session to remote site '${site}' (POST /sessions/extend, type ${String(body.type)}${form}): ${(err as Error).message}`;
      if (!(err instanceof ApiError && err.status === 401)) throw new Error(message);
      // the token may be the refused part: from this moment no request is handed it, and none sends it again
      session.refused = true;
      this.cache?.invalidate(this.sessionKey, session);
      throw new ExtensionRefusedError(message, body.type === "multisite");
    }
    if (!session.sites.has(site)) {
      throw new Error(`VCDA extended the session but its authenticatedSites do not list '${site}' (POST /sessions/extend, type ${String(body.type)})`);
    }
  }
}

/** The sites (and the login's org) a session body reports. */
function record(session: VcdaSession, body: SessionBody | undefined): void {
  const sites = Array.isArray(body?.authenticatedSites) ? body.authenticatedSites : [];
  for (const { site } of sites) session.sites.add(site);
  session.org ??= sites[0]?.org;
}

/**
 * The body of POST /sessions/extend for `site`: the site's entry in `remoteSites` when there is
 * one (types credentials, accessToken or multisite, the API's three variants), else `multisite`
 * with the login's own org, which needs a session that holds a VCD JWT (multisite "extends the Cloud
 * Service session using its internally stored Json Web Token") and orgs associated across the sites
 * (docs/api-notes/vcda.md#sessions-remote-cloud-sites).
 */
function extendRequest(c: VcdaConnection, session: VcdaSession, site: string): Record<string, unknown> {
  const entry: RemoteSiteAuth | undefined = c.remoteSites && Object.hasOwn(c.remoteSites, site) ? c.remoteSites[site] : undefined;
  const key = `vcda:remoteSites.${site}`;
  // an entry without a type says which one by what it holds
  const type = entry?.type ?? (entry?.password ? "credentials" : entry?.token ? "accessToken" : "multisite");
  const need = (what: string) => new Error(`remote site '${site}' is reached with a ${type} extension, which needs ${what}; `
    + `set it with pulumi config set --secret --path '${key}.<key>' <value> (or VCDA_REMOTE_SITES)`);
  switch (type) {
    case "credentials":
      if (!entry?.username || !entry.password) throw need(`${key}.username and ${key}.password`);
      return { type: "credentials", site, vcdUsername: entry.username, vcdPassword: entry.password };
    case "accessToken":
      if (!entry?.token) throw need(`${key}.token`);
      return { type: "accessToken", site, accessToken: entry.token, ...(entry.context ? { context: entry.context } : {}) };
    case "multisite": {
      const org = entry?.org ?? session.org;
      if (!entry?.org && !HOLDS_VCD_JWT.includes(c.authType)) {
        throw new Error(`the operation runs on remote cloud site '${site}', and a ${c.authType} session holds no VMware Cloud Director token to extend `
          + `itself with: set credentials for that site (pulumi config set --secret --path '${key}.username' ... and '${key}.password', or '${key}.token')`);
      }
      if (!org) throw need(`${key}.org`);
      return { type: "multisite", site, org };
    }
  }
}

function loginRequest(c: VcdaConnection): { body: () => Record<string, unknown>; who: string } {
  const need = (what: string) =>
    new Error(`the VCDA connection uses authType ${c.authType}, which needs ${what}; set it in stack config (pulumi config set --secret ...) or the environment`);
  switch (c.authType) {
    case "localUser":
      if (!c.password) throw need("vcda:password (VCDA_PASSWORD)");
      return { body: () => ({ type: "localUser", localUser: c.username ?? "root", localPassword: c.password }), who: c.username ?? "root" };
    case "ssoCredentials":
      if (!c.username || !c.password) throw need("vcda:username and vcda:password (VCDA_USERNAME, VCDA_PASSWORD)");
      return { body: () => ({ type: "ssoCredentials", username: c.username, password: c.password }), who: c.username };
    case "ssoToken":
      if (!c.token) throw need("vcda:token (VCDA_TOKEN), the SAML token");
      return { body: () => ssoTokenLogin(c.token!, c.samlSigningKey), who: "an SSO SAML token" };
    case "vcdCredentials":
      if (!c.username || !c.password) throw need("vcda:username and vcda:password (VCDA_USERNAME, VCDA_PASSWORD)");
      return { body: () => ({ type: "vcdCredentials", vcdUser: c.username, vcdPassword: c.password }), who: c.username };
    case "vcdAccessToken":
      if (!c.token) throw need("vcda:token (VCDA_TOKEN)");
      return {
        body: () => ({ type: "vcdAccessToken", vcdAccessToken: c.token, ...(c.tokenContext ? { context: c.tokenContext } : {}) }),
        who: "a VCD access token",
      };
  }
}

/**
 * The ssoToken login (docs/api-notes/vcda.md#sessions-logging-in): the SAML token, the client's time in
 * epoch ms, a nonce new for each login and, for a Holder-of-Key token (a signing key is configured), a
 * Base64 SHA256withRSA signature of samlToken + timestamp + nonce.
 */
function ssoTokenLogin(samlToken: string, signingKey: string | undefined): Record<string, unknown> {
  const timestamp = Date.now();
  const nonce = randomBytes(16).toString("hex");
  const body: Record<string, unknown> = { type: "ssoToken", samlToken, timestamp, nonce };
  if (signingKey) body.signature = createSign("sha256").update(`${samlToken}${timestamp}${nonce}`).sign(signingKey, "base64");
  return body;
}

function fingerprint(secret: string): string {
  return createHash("sha256").update(secret).digest("hex").slice(0, 16);
}
