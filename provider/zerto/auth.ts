import type { ZertoConnection } from "../connection";
import type { HttpClient, LoginScheme } from "../http";
import { loginConnectionError } from "../http";

export interface ZertoSession {
  mode: "session" | "keycloak";
  headers: Record<string, string>;
  refreshToken?: string;
  /** Epoch ms after which the access token should be refreshed. */
  refreshAfter?: number;
  refreshExpiresAt?: number;
}

const TOKEN_PATH = "/auth/realms/zerto/protocol/openid-connect/token";
const DEFAULT_PUBLIC_CLIENT = "zerto-client";

/**
 * The body of POST /v1/session/add per login method: every public client sends the string "1" with
 * vCenter credentials (ZertoApiWrapper Connect-ZertoServer.ps1, matraxis Get-ZertoAuthToken.ps1);
 * no body is method 0, the Windows account of the ZVM host (docs/api-notes/first-contact.md).
 */
const LOGIN_BODIES: Record<"vcenter" | "windows", object | undefined> = { vcenter: { AuthenticationMethod: "1" }, windows: undefined };
const LOGIN_METHOD_NAMES = { vcenter: "vCenter login method (AuthenticationMethod 1)", windows: "Windows login method (no AuthenticationMethod)" };
const ACCOUNT_KINDS = { vcenter: "a vCenter account", windows: "a Windows account of the ZVM host" };

function loginMethodOf(connection: ZertoConnection): "vcenter" | "windows" {
  return connection.loginMethod ?? "vcenter";
}

/** The auth flavour each endpoint answered with, so a re-login after expiry does not probe again. */
const detectedModes = new Map<string, "session" | "keycloak">();

/** The ZVM's explanation from an error body: `{"Message": …}` (API) or `{"error_description": …}` (Keycloak). */
export function describeZertoError(_status: number, body: unknown): string | undefined {
  if (!body || typeof body !== "object") return typeof body === "string" && body.trim() ? body.slice(0, 300) : undefined;
  const b = body as Record<string, unknown>;
  const message = b.Message ?? b.message;
  if (typeof message === "string") {
    // zvml strips this wrapper too: "<context> Exception occurred in API: <detail>;"
    const detail = /Exception occurred in API:\s*(.*?);?\s*$/s.exec(message);
    return (detail ? detail[1] : message).trim();
  }
  const keycloak = b.error_description ?? b.error;
  return typeof keycloak === "string" ? keycloak : undefined;
}

/**
 * The two ZVM login flavours: a Windows ZVM's session (Basic auth on /v1/session/add, token in
 * x-zerto-session), and an appliance's Keycloak tokens (client_credentials or the password grant,
 * renewed with the refresh token). authMode auto probes the session route once per endpoint.
 */
export class ZertoLogin implements LoginScheme<ZertoSession> {
  readonly sessionKey: string;
  readonly credentials: string[];

  constructor(private readonly connection: ZertoConnection, private readonly tokenRefreshMarginMs = 30_000) {
    const c = connection;
    this.sessionKey = [c.url.replace(/\/+$/, ""), c.authMode, loginMethodOf(c), c.username ?? "", c.clientId ?? ""].join("|");
    this.credentials = [c.password, c.clientSecret].filter((s): s is string => !!s);
    if (c.username && c.password) this.credentials.push(Buffer.from(`${c.username}:${c.password}`).toString("base64"));
  }

  headers(session: ZertoSession): Record<string, string> {
    return session.headers;
  }

  tokens(session: ZertoSession): string[] {
    return [...Object.values(session.headers), ...(session.refreshToken ? [session.refreshToken] : [])];
  }

  expiring(session: ZertoSession): boolean {
    return session.refreshAfter !== undefined && Date.now() >= session.refreshAfter;
  }

  /** A Keycloak session renews with its refresh token (or logs in again); a ZVM session simply logs in again. */
  renewal(stale: ZertoSession, http: HttpClient): (() => Promise<ZertoSession>) | undefined {
    return stale.mode === "keycloak" ? () => this.renew(stale, http) : undefined;
  }

  async login(http: HttpClient): Promise<ZertoSession> {
    try {
      return await this.loginOnce(http);
    } catch (err) {
      throw loginConnectionError(err, "ZVM", this.connection.url, this.connection.urlSetting ?? "zerto:url");
    }
  }

  private async loginOnce(http: HttpClient): Promise<ZertoSession> {
    const c = this.connection;
    let mode = c.authMode === "auto" ? detectedModes.get(this.sessionKey) : c.authMode;
    if (!mode && !(c.username && c.password) && c.clientId && c.clientSecret) mode = "keycloak";
    if (mode !== "keycloak") {
      const session = await this.sessionLogin(http, mode === undefined);
      if (session) {
        detectedModes.set(this.sessionKey, "session");
        return session;
      }
    }
    detectedModes.set(this.sessionKey, "keycloak");
    return this.keycloakLogin(http);
  }

  /** Windows ZVM: Basic auth on /v1/session/add, token in x-zerto-session. Undefined when probing finds no such route. */
  private async sessionLogin(http: HttpClient, probing: boolean): Promise<ZertoSession | undefined> {
    const c = this.connection;
    if (!c.username || !c.password) {
      throw new Error("Zerto session login needs a username and password: set zerto:username and zerto:password (as a secret), or ZERTO_USERNAME/ZERTO_PASSWORD");
    }
    const response = await http.request({
      method: "POST",
      path: "/v1/session/add",
      authenticated: false,
      idempotent: true, // a login has no side effect worth protecting
      headers: { Authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}` },
      json: LOGIN_BODIES[loginMethodOf(c)],
      accept: probing ? [401, 404] : [401],
    });
    if (response.status === 404) return undefined;
    if (response.status === 401) throw this.sessionLoginRejected(response.body);
    const token = response.header("x-zerto-session");
    if (!token) throw new Error("Zerto login: the ZVM answered /v1/session/add without an x-zerto-session header");
    return { mode: "session", headers: { "x-zerto-session": token } };
  }

  /** ZVM appliance: Keycloak client_credentials when a client secret is set, else the password grant. */
  private async keycloakLogin(http: HttpClient): Promise<ZertoSession> {
    const c = this.connection;
    if (c.clientId && c.clientSecret) {
      return this.token(http, { grant_type: "client_credentials", client_id: c.clientId, client_secret: c.clientSecret });
    }
    if (!c.username || !c.password) {
      throw new Error("Zerto Keycloak login needs zerto:clientId and zerto:clientSecret, or zerto:username and zerto:password");
    }
    return this.token(http, { grant_type: "password", client_id: c.clientId ?? DEFAULT_PUBLIC_CLIENT, username: c.username, password: c.password });
  }

  /** A new access token from the refresh token while it is valid, else a full login. */
  private async renew(stale: ZertoSession, http: HttpClient): Promise<ZertoSession> {
    if (!stale.refreshToken || (stale.refreshExpiresAt !== undefined && Date.now() >= stale.refreshExpiresAt)) return this.login(http);
    const c = this.connection;
    const form: Record<string, string> = { grant_type: "refresh_token", refresh_token: stale.refreshToken, client_id: c.clientId ?? DEFAULT_PUBLIC_CLIENT };
    if (c.clientSecret) form.client_secret = c.clientSecret;
    return this.token(http, form, true).catch(() => this.login(http));
  }

  private async token(http: HttpClient, form: Record<string, string>, quiet = false): Promise<ZertoSession> {
    const response = await http.request({ method: "POST", path: TOKEN_PATH, form, authenticated: false, idempotent: true, accept: [400, 401] });
    if (response.status !== 200) {
      if (quiet) throw new Error("refresh refused");
      throw this.loginRejected(response.body);
    }
    const body = response.body as { access_token?: string; refresh_token?: string; expires_in?: number; refresh_expires_in?: number };
    if (!body?.access_token) throw new Error("Zerto login: the Keycloak token response has no access_token");
    const now = Date.now();
    const margin = this.tokenRefreshMarginMs;
    return {
      mode: "keycloak",
      headers: { Authorization: `Bearer ${body.access_token}` },
      refreshToken: body.refresh_token,
      refreshAfter: body.expires_in ? now + Math.max(body.expires_in * 1000 - margin, body.expires_in * 500) : undefined,
      refreshExpiresAt: body.refresh_expires_in ? now + body.refresh_expires_in * 1000 : undefined,
    };
  }

  /** A refused session login names the method tried and the key that switches it, since the wrong kind of account is the likely cause. */
  private sessionLoginRejected(body: unknown): Error {
    const c = this.connection;
    const method = loginMethodOf(c);
    const other = method === "vcenter" ? "windows" : "vcenter";
    const detail = describeZertoError(401, body);
    return new Error(`Zerto login to ${c.url} as user '${c.username}' with the ${LOGIN_METHOD_NAMES[method]} was refused${detail ? `: ${detail}` : ""}; `
      + `check zerto:username/zerto:password, or if this is ${ACCOUNT_KINDS[other]} set zerto:loginMethod to ${other} (or ZERTO_LOGIN_METHOD=${other}; a profile's loginMethod)`);
  }

  private loginRejected(body: unknown): Error {
    const c = this.connection;
    const who = c.clientId && c.clientSecret ? `client '${c.clientId}'` : `user '${c.username}'`;
    const detail = describeZertoError(401, body);
    return new Error(`Zerto login to ${c.url} as ${who} was refused${detail ? `: ${detail}` : ""}; check zerto:username/zerto:password (or clientId/clientSecret)`);
  }
}
