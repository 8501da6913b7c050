import { randomBytes } from "node:crypto";
import { Router, SimClock, SimRequest, SimResponse } from "../common";
import { badRequest, fail, targetSite } from "./api";
import type { VcdaStore } from "./state";

export interface Credential {
  username: string;
  password: string;
}

export interface AuthConfig {
  localUser: Credential;
  ssoUsers: Credential[];
  vcdUsers: Credential[];
  /** `site`: the Cloud Director that issued the token, when it is not the local one (then the login needs its `context`). */
  vcdAccessTokens: Array<{ token: string; user: string; site?: string }>;
  sessionIdleSeconds: number;
  /** Record (and refuse) a token sent again after the server answered 401 to it: see SessionManager.authenticate. */
  strictAuth?: boolean;
  /**
   * The user field of a `credentials` POST /sessions/extend: vcdUsername as the 4.1 guide says
   * (default), or vcdUser as vCAV.Community Connect-vCAVService.ps1 sends; the other is refused 400
   * (docs/api-notes/first-contact.md#post-sessionsextend-credentials-field).
   */
  extendUserField?: "vcdUsername" | "vcdUser";
}

/** A request that came with a token the server had already refused (no token kept: only where and when). */
export interface AuthViolation {
  method: string;
  path: string;
  /** Milliseconds between the first 401 for the token and this request. */
  afterMs: number;
}

/**
 * Time a request may still arrive with a token after the server's 401 for it: requests the client
 * sent before it read that 401. On loopback this is well under a millisecond; the margin keeps a
 * loaded test machine (2 busy cores showed 130 ms) from flagging honest ones.
 */
const STRICT_GRACE_MS = 500;

export interface Session {
  token: string;
  user: string;
  isAdmin: boolean;
  roles: string[];
  authenticatedSites: Array<{ site: string; org: string }>;
  /** The session was opened with Cloud Director credentials or a JWT, which a `multisite` extension reuses. */
  holdsVcdJwt: boolean;
  lastUsed: number;
}

/** Orgs a session acts for: providers act for everyone, tenants for the orgs they authenticated to. */
export function sessionOrgs(session: Session): Set<string> {
  return new Set(session.authenticatedSites.map((s) => s.org));
}

export type AuthedHandler = (req: SimRequest, session: Session) => SimResponse;

const ADMIN_ROLES = ["ADMINISTRATORS", "EVERYONE"];
const TENANT_ROLES = ["EVERYONE"];
const PROVIDER_ORG = "System";

/** Sessions live in memory only: a restarted appliance forgets its tokens, like the real one. */
export class SessionManager {
  private sessions = new Map<string, Session>();
  /** strictAuth: when each refused token was first answered 401 (real time: this is about the network, not the simulated clock). */
  private readonly refused = new Map<string, number>();
  /** ssoToken nonces already used: the client generates one "for each login request" (docs/api-notes/vcda.md#sessions-logging-in), so a repeated one is a replay. */
  private readonly usedNonces = new Set<string>();
  readonly violations: AuthViolation[] = [];

  constructor(private readonly config: AuthConfig, private readonly store: VcdaStore, private readonly clock: SimClock) {}

  expireAll(): void {
    this.sessions.clear();
  }

  /** Wraps a handler so that it runs only with a live `X-VCAV-Auth` session (and, with `adminOnly`, an admin one). */
  readonly authed = (handler: AuthedHandler, adminOnly = false) => (req: SimRequest): SimResponse => {
    const session = this.authenticate(req);
    if (adminOnly && !session.isAdmin) fail(403, "Forbidden", "Permission denied.");
    return handler(req, session);
  };

  routes(router: Router): void {
    router
      .on("POST", "/sessions", (req) => this.login(req), { auth: true })
      .on("GET", "/sessions", this.authed((_req, session) => this.render(session)))
      .on("DELETE", "/sessions", this.authed((_req, session) => {
        this.sessions.delete(session.token);
        return { status: 204 };
      }))
      .on("POST", "/sessions/extend", this.authed((req, session) => this.extend(req, session)), { auth: true })
      .on("DELETE", "/sessions/:site", this.authed((req, session) => this.dropSite(req.params.site, session)));
  }

  /**
   * Every call answers 401 NotAuthenticated without a valid X-VCAV-Auth (docs/api-notes/vcda.md#errors),
   * and a token, once refused, never becomes valid again: a client that sends it after reading the
   * 401 wastes a call, and a strict appliance (or WAF) may lock the account. With strictAuth such a
   * request is recorded and refused with code ExpiredAuthReused.
   */
  private authenticate(req: SimRequest): Session {
    const token = req.headers["x-vcav-auth"];
    const session = typeof token === "string" ? this.sessions.get(token) : undefined;
    if (!session) this.refuse(req, token, "Authentication required: send a valid X-VCAV-Auth token from POST /sessions.");
    const now = this.clock.now();
    if (now - session.lastUsed > this.config.sessionIdleSeconds * 1000) {
      this.sessions.delete(session.token);
      this.refuse(req, session.token, "The session has expired after being idle; log in again with POST /sessions.");
    }
    session.lastUsed = now;
    return session;
  }

  private refuse(req: SimRequest, token: unknown, message: string): never {
    if (this.config.strictAuth && typeof token === "string") {
      const refusedAt = this.refused.get(token);
      const afterMs = refusedAt === undefined ? 0 : Date.now() - refusedAt;
      if (refusedAt === undefined) this.refused.set(token, Date.now());
      else if (afterMs > STRICT_GRACE_MS) {
        this.violations.push({ method: req.method, path: req.path, afterMs });
        fail(401, "ExpiredAuthReused", `This X-VCAV-Auth token was refused ${afterMs} ms ago and was sent again; log in with POST /sessions.`);
      }
    }
    return fail(401, "NotAuthenticated", message);
  }

  private login(req: SimRequest): SimResponse {
    const body = req.body ?? {};
    const user = this.verify(body);
    if (!user) fail(401, "NotAuthenticated", `Authentication failed for login type '${String(body.type)}': invalid credentials.`);
    const session = this.open(user.name, user.admin, user.org, body.type === "vcdCredentials" || body.type === "vcdAccessToken");
    return { ...this.render(session), headers: { "X-VCAV-Auth": session.token } };
  }

  /** Checks the credentials of one `POST /sessions` variant; returns the authenticated user or undefined. */
  private verify(body: any): { name: string; admin: boolean; org?: string } | undefined {
    const { localUser, ssoUsers, vcdUsers, vcdAccessTokens } = this.config;
    const matches = (list: Credential[], username: unknown, password: unknown) =>
      list.some((c) => c.username === username && c.password === password);
    switch (body.type) {
      case "localUser":
        return matches([localUser], body.localUser, body.localPassword) ? { name: localUser.username, admin: true } : undefined;
      case "ssoCredentials":
        return matches(ssoUsers, body.username, body.password) ? { name: body.username, admin: true } : undefined;
      case "ssoToken":
        return this.verifySamlToken(body);
      case "vcdCredentials":
        return matches(vcdUsers, body.vcdUser, body.vcdPassword) ? vcdUser(body.vcdUser) : undefined;
      case "vcdAccessToken": {
        const known = vcdAccessTokens.find((t) => t.token === body.vcdAccessToken);
        return known ? this.tokenUser(known, body.context) : undefined;
      }
      default:
        return badRequest("InvalidLoginType",
          `Unknown login type '${String(body.type)}'; expected one of localUser, ssoCredentials, ssoToken, vcdCredentials, vcdAccessToken.`);
    }
  }

  /**
   * Any well-formed token is trusted (there is no STS to verify against); the subject's NameID names
   * the user. Assumptions where the API is silent (docs/api-notes/vcda.md#sessions-logging-in):
   * a nonce ("A sequence of random characters that the client generates for each login request")
   * seen before is a replay and refused; `signature` ("Only needed for Holder-of-Key SAML tokens")
   * is not checked, for want of the token's key.
   */
  private verifySamlToken(body: any): { name: string; admin: boolean } | undefined {
    const wellFormed = typeof body.samlToken === "string" && body.samlToken.trim() !== ""
      && typeof body.timestamp === "number" && typeof body.nonce === "string" && body.nonce !== ""
      && (body.signature === undefined || typeof body.signature === "string");
    if (!wellFormed || this.usedNonces.has(body.nonce)) return undefined;
    this.usedNonces.add(body.nonce);
    const nameId = /<(?:\w+:)?NameID[^>]*>([^<]+)</.exec(body.samlToken)?.[1];
    return { name: nameId ?? this.config.ssoUsers[0]?.username ?? "administrator@vsphere.local", admin: true };
  }

  /**
   * A VCD token issued by another site's Cloud Director. The API says only
   * (docs/api-notes/vcda.md#sessions-logging-in) that `context` "is used to setup the authorization context
   * header used for Multisite" when the token comes from "a VMware Cloud Director instance different than
   * the local one"; assumed here: without it such a token is refused, and it must name the token user's org
   * (orgs of one name are associated across sites).
   */
  private tokenUser(known: { user: string; site?: string }, context: unknown): { name: string; admin: boolean; org: string } | undefined {
    const user = vcdUser(known.user);
    if (known.site === undefined || known.site === this.store.inventory.localSite) return user;
    return context === user.org ? user : undefined;
  }

  private open(user: string, admin: boolean, userOrg: string | undefined, holdsVcdJwt: boolean): Session {
    const org = admin ? PROVIDER_ORG : userOrg ?? user.slice(user.lastIndexOf("@") + 1);
    const session: Session = {
      token: randomBytes(20).toString("base64"),
      user,
      isAdmin: admin,
      roles: admin ? ADMIN_ROLES : TENANT_ROLES,
      authenticatedSites: [{ site: this.store.inventory.localSite, org }],
      holdsVcdJwt,
      lastUsed: this.clock.now(),
    };
    this.sessions.set(session.token, session);
    return session;
  }

  private extend(req: SimRequest, session: Session): SimResponse {
    const body = req.body ?? {};
    const site = this.store.site(body.site);
    if (!site || site.type !== "vcloud") fail(404, "SiteNotFound", `Cloud site '${String(body.site)}' was not found.`, [String(body.site)]);
    let org: string;
    switch (body.type) {
      case "credentials": {
        const field = this.config.extendUserField ?? "vcdUsername";
        const user = body[field];
        if (typeof user !== "string") badRequest("InvalidRequest", `The credentials extension needs '${field}'.`);
        if (!this.config.vcdUsers.some((c) => c.username === user && c.password === body.vcdPassword)) {
          fail(401, "NotAuthenticated", `Authentication to site '${site.name}' failed: invalid VMware Cloud Director credentials.`);
        }
        org = vcdUser(user).org;
        break;
      }
      case "accessToken": {
        const known = this.config.vcdAccessTokens.find((t) => t.token === body.accessToken);
        if (!known) fail(401, "NotAuthenticated", `Authentication to site '${site.name}' failed: invalid access token.`);
        org = vcdUser(known.user).org;
        break;
      }
      case "multisite":
        // "extends the Cloud Service session using its internally stored Json Web Token": only a session opened
        // with VCD credentials or a VCD JWT holds one (assumption); the org must be associated with the session's,
        // taken here as the same name (the provider org System exists at every site)
        if (!session.holdsVcdJwt) fail(401, "NotAuthenticated", `The session holds no VMware Cloud Director token to extend to site '${site.name}' with; use type credentials or accessToken.`);
        if (typeof body.org !== "string" || (body.org !== PROVIDER_ORG && !this.store.org(body.org))) badRequest("OrgNotFound", `Organization '${String(body.org)}' was not found.`);
        if (!session.authenticatedSites.some((s) => s.org === body.org)) {
          fail(401, "NotAuthenticated", `Organization '${body.org}' at site '${site.name}' is not associated with the session's organization.`);
        }
        org = body.org;
        break;
      default:
        return badRequest("InvalidExtendType", `Unknown extend type '${String(body.type)}'; expected credentials, accessToken or multisite.`);
    }
    session.authenticatedSites = session.authenticatedSites.filter((s) => s.site !== site.name).concat({ site: site.name, org });
    return this.render(session);
  }

  private dropSite(site: string, session: Session): SimResponse {
    if (site === this.store.inventory.localSite) badRequest("CannotDropLocalSite", `The local site '${site}' cannot be removed from the session; use DELETE /sessions.`);
    if (!session.authenticatedSites.some((s) => s.site === site)) fail(404, "SiteNotFound", `The session is not authenticated to site '${site}'.`, [site]);
    session.authenticatedSites = session.authenticatedSites.filter((s) => s.site !== site);
    return this.render(session);
  }

  private render(session: Session): SimResponse {
    return { status: 200, body: { user: session.user, roles: session.roles, authenticatedSites: session.authenticatedSites } };
  }
}

/**
 * The site a request acts on (`site`, else the local one), refused unless the session is authenticated
 * there: "To manage replications on remote cloud sites, you must first extend your session to the remote
 * site" (docs/api-notes/vcda.md#sessions-remote-cloud-sites), and the session's authenticatedSites are
 * "VMware Cloud Director sites that the current session is authenticated with. The site specified in the
 * request should be present." It shows no error for a site missing from them; assumed: 403 in the API's
 * error shape (its example is 403 Forbidden), not 401, since the token itself is valid.
 */
export function authenticatedSite(req: SimRequest, store: VcdaStore, session: Session): string {
  return requireSiteAuthenticated(targetSite(req, store), store, session);
}

export function requireSiteAuthenticated(site: string, store: VcdaStore, session: Session): string {
  if (site !== store.inventory.localSite && !session.authenticatedSites.some((s) => s.site === site)) {
    fail(403, "Forbidden", `Permission denied: the session is not authenticated to site '${site}'; extend it with POST /sessions/extend.`, [site]);
  }
  return site;
}

/** VCD users are `user@org`; the provider org `System` makes the session an admin one. */
function vcdUser(user: string): { name: string; admin: boolean; org: string } {
  const org = user.slice(user.lastIndexOf("@") + 1);
  return { name: user, admin: org === PROVIDER_ORG, org };
}
