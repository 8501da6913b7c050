import { randomBytes } from "node:crypto";
import { HttpError, Router, SimClock, SimRequest, SimResponse, uuid } from "../common";
import { bind, bodyObject, obj } from "./binding";

/** Whose account a user is: a Windows ZVM checks vCenter accounts only with AuthenticationMethod 1, Windows accounts only without it. */
export type AccountKind = "vcenter" | "windows";

export interface AuthSettings {
  mode: "session" | "keycloak";
  users: Array<{ username: string; password: string; kind?: AccountKind }>;
  /** Session mode: an account is accepted only by its own login method (default vCenter); false accepts any account by either. */
  strictLoginMethod: boolean;
  clients: Array<{ clientId: string; clientSecret: string }>;
  tokenTtlSeconds: number;
  sessionIdleSeconds: number;
}

/** The public Keycloak client of the ZVM appliance: password grant, no secret. */
const PUBLIC_CLIENT = "zerto-client";
const REALM = "/auth/realms/zerto";
const OIDC = `${REALM}/protocol/openid-connect`;
/** Keycloak's default SSO session idle time, which bounds refresh tokens. */
const REFRESH_TTL_SECONDS = 1800;
const DENIED = "Authorization has been denied for this request.";

interface Grant {
  user: string;
  clientId: string;
  sessionState: string;
  expiresAt: number;
}

function oauthError(status: number, error: string, description: string): HttpError {
  return new HttpError(status, description, { body: { error, error_description: description } });
}

/**
 * Both ZVM login flavours: Windows ZVM sessions (POST /v1/session/add with Basic, then x-zerto-session:
 * docs/api-notes/zerto.md#login-windows-zvm-sessions) and the appliance's Keycloak (token endpoint, then
 * Authorization: Bearer: docs/api-notes/zerto.md#login-appliance-keycloak-tokens).
 */
export class ZvmAuth {
  private sessions = new Map<string, { user: string; lastUsed: number }>();
  private accessTokens = new Map<string, Grant>();
  private refreshTokens = new Map<string, Grant>();

  constructor(private readonly settings: AuthSettings, private readonly clock: SimClock, private readonly baseUrl: () => string) {}

  register(api: Router): void {
    if (this.settings.mode === "session") {
      api.on("POST", "/v1/session/add", (req) => this.sessionAdd(req), { auth: true });
      api.on("DELETE", "/v1/session", (req) => {
        this.authenticate(req);
        this.sessions.delete(String(req.headers["x-zerto-session"]));
        return { status: 200 };
      }, { auth: true });
      return;
    }
    api.on("POST", `${OIDC}/token`, (req) => this.token(req), { auth: true });
    api.on("POST", `${OIDC}/logout`, (req) => this.logout(req), { auth: true });
    api.on("GET", `${REALM}/.well-known/openid-configuration`, () => ({
      status: 200,
      body: {
        issuer: `${this.baseUrl()}${REALM}`,
        token_endpoint: `${this.baseUrl()}${OIDC}/token`,
        end_session_endpoint: `${this.baseUrl()}${OIDC}/logout`,
        authorization_endpoint: `${this.baseUrl()}${OIDC}/auth`,
        grant_types_supported: ["authorization_code", "client_credentials", "password", "refresh_token"],
      },
    }));
  }

  /** The caller of an API route (user name or service account), or a 401. */
  authenticate(req: SimRequest): string {
    const now = this.clock.now();
    if (this.settings.mode === "session") {
      const token = req.headers["x-zerto-session"];
      const session = typeof token === "string" ? this.sessions.get(token) : undefined;
      if (!session || now - session.lastUsed > this.settings.sessionIdleSeconds * 1000) {
        if (session) this.sessions.delete(token as string);
        throw new HttpError(401, DENIED);
      }
      session.lastUsed = now;
      return session.user;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""));
    const grant = match ? this.accessTokens.get(match[1]) : undefined;
    if (!grant || grant.expiresAt <= now) {
      if (grant) this.accessTokens.delete(match![1]);
      throw new HttpError(401, DENIED, { headers: { "WWW-Authenticate": 'Bearer realm="zerto"' } });
    }
    return grant.user;
  }

  /** Invalidates every session and token at once (admin fault knob). */
  expireAll(): number {
    const count = this.sessions.size + this.accessTokens.size;
    this.sessions.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    return count;
  }

  private sessionAdd(req: SimRequest): SimResponse {
    const kind = loginAccountKind(bodyObject(req.body));
    const credentials = basicCredentials(req);
    const user = credentials && this.settings.users.find((u) => u.username === credentials.name && u.password === credentials.secret
      && (!this.settings.strictLoginMethod || (u.kind ?? "vcenter") === kind));
    if (!user) throw new HttpError(401, DENIED);
    const token = uuid();
    this.sessions.set(token, { user: user.username, lastUsed: this.clock.now() });
    return { status: 200, headers: { "x-zerto-session": token } };
  }

  private token(req: SimRequest): SimResponse {
    const form = this.form(req);
    const grantType = form.grant_type;
    if (!grantType) throw oauthError(400, "invalid_request", "Missing form parameter: grant_type");
    const client = this.client(req, form);
    if (grantType === "client_credentials") {
      if (client.isPublic) throw oauthError(401, "unauthorized_client", "Public client not allowed to retrieve service account");
      return this.issue(`service-account-${client.clientId}`, client.clientId, uuid(), false);
    }
    if (grantType === "password") {
      const user = this.settings.users.find((u) => u.username === form.username && u.password === form.password);
      if (!user) throw oauthError(401, "invalid_grant", "Invalid user credentials");
      return this.issue(user.username, client.clientId, uuid(), true);
    }
    if (grantType === "refresh_token") {
      const grant = form.refresh_token ? this.refreshTokens.get(form.refresh_token) : undefined;
      if (!grant || grant.expiresAt <= this.clock.now()) throw oauthError(400, "invalid_grant", "Token is not active");
      if (grant.clientId !== client.clientId) throw oauthError(400, "invalid_grant", "Invalid refresh token. Token client and authorized client don't match");
      return this.issue(grant.user, grant.clientId, grant.sessionState, true);
    }
    throw oauthError(400, "unsupported_grant_type", "Unsupported grant_type");
  }

  private logout(req: SimRequest): SimResponse {
    const form = this.form(req);
    const client = this.client(req, form);
    if (!form.refresh_token) throw oauthError(400, "invalid_request", "Missing form parameter: refresh_token");
    const grant = this.refreshTokens.get(form.refresh_token);
    if (!grant || grant.clientId !== client.clientId) throw oauthError(400, "invalid_grant", "Invalid refresh token");
    for (const map of [this.accessTokens, this.refreshTokens]) {
      for (const [token, g] of map) if (g.sessionState === grant.sessionState) map.delete(token);
    }
    return { status: 204 };
  }

  /** Keycloak reads only form bodies. */
  private form(req: SimRequest): Record<string, string> {
    if (!String(req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")) {
      throw oauthError(400, "invalid_request", "Missing form parameter: grant_type");
    }
    return (req.body ?? {}) as Record<string, string>;
  }

  /** The client, authenticated by form fields or HTTP Basic; the public client needs no secret. */
  private client(req: SimRequest, form: Record<string, string>): { clientId: string; isPublic: boolean } {
    const basic = basicCredentials(req);
    const clientId = form.client_id ?? basic?.name;
    const secret = form.client_secret ?? basic?.secret;
    if (!clientId) throw oauthError(400, "invalid_request", "Missing parameter: client_id");
    if (clientId === PUBLIC_CLIENT) return { clientId, isPublic: true };
    const client = this.settings.clients.find((c) => c.clientId === clientId);
    if (!client || client.clientSecret !== secret) throw oauthError(401, "invalid_client", "Invalid client or Invalid client credentials");
    return { clientId, isPublic: false };
  }

  /** A token response; client_credentials gets no refresh token, as in current Keycloak. */
  private issue(user: string, clientId: string, sessionState: string, withRefresh: boolean): SimResponse {
    const now = this.clock.now();
    const ttl = this.settings.tokenTtlSeconds;
    const scope = "profile email";
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const jwt = (claims: object) =>
      `${encode({ alg: "RS256", typ: "JWT", kid: "zvm-simulator" })}.${encode(claims)}.${randomBytes(32).toString("base64url")}`;
    const common = { iat: Math.floor(now / 1000), jti: uuid(), iss: `${this.baseUrl()}${REALM}`, azp: clientId, session_state: sessionState, scope };
    const accessToken = jwt({ ...common, exp: Math.floor(now / 1000) + ttl, typ: "Bearer", aud: "account", preferred_username: user });
    this.accessTokens.set(accessToken, { user, clientId, sessionState, expiresAt: now + ttl * 1000 });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      expires_in: ttl,
      refresh_expires_in: withRefresh ? REFRESH_TTL_SECONDS : 0,
      token_type: "Bearer",
      "not-before-policy": 0,
      session_state: sessionState,
      scope,
    };
    if (withRefresh) {
      const refreshToken = jwt({ ...common, exp: Math.floor(now / 1000) + REFRESH_TTL_SECONDS, typ: "Refresh" });
      this.refreshTokens.set(refreshToken, { user, clientId, sessionState, expiresAt: now + REFRESH_TTL_SECONDS * 1000 });
      body.refresh_token = refreshToken;
    }
    return { status: 200, body };
  }
}

/** AuthenticationMethod of a session login (an int, sent as "1" by the public clients): 0 or none is Windows, 1 vCenter. */
function loginAccountKind(body: Record<string, any>): AccountKind {
  const method = bind(body, obj({ AuthenticationMethod: "int" })).AuthenticationMethod ?? 0;
  if (method === 0) return "windows";
  if (method === 1) return "vcenter";
  throw new HttpError(400, `The request is invalid. AuthenticationMethod ${method} is not supported.`);
}

function basicCredentials(req: SimRequest): { name: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""));
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { name: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
