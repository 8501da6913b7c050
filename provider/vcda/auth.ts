import { createHash } from "node:crypto";
import type { VcdaConnection } from "../connection";
import type { HttpClient, LoginScheme } from "../http";

/**
 * VCDA's login: POST /sessions with the body of the connection's authType; the session is the
 * token VCDA answers in X-VCAV-Auth, sent back in the same header. It has no renewal: a refused
 * session is replaced by a login.
 */
export class VcdaLogin implements LoginScheme<string> {
  readonly sessionKey: string;
  readonly credentials: Array<string | undefined>;
  private readonly request: { body: Record<string, string>; who: string };

  /** Checks that the connection has what its login type needs, without any request. */
  constructor(private readonly connection: VcdaConnection) {
    const c = connection;
    this.request = loginRequest(c);
    this.credentials = [c.password, c.token];
    this.sessionKey = `${new URL(c.url).origin}|${c.authType}|${c.username ?? ""}|${fingerprint(c.password ?? c.token ?? "")}`;
  }

  headers(token: string): Record<string, string> {
    return { "X-VCAV-Auth": token };
  }

  tokens(token: string): string[] {
    return [token];
  }

  async login(http: HttpClient): Promise<string> {
    const c = this.connection;
    let token: string | undefined;
    try {
      const response = await http.request({ method: "POST", path: "/sessions", json: this.request.body, authenticated: false, idempotent: true });
      token = response.header("x-vcav-auth");
    } catch (err) {
      throw new Error(`VCDA login as ${this.request.who} (${c.authType}) failed: ${(err as Error).message}`);
    }
    if (!token) throw new Error(`VCDA POST /sessions answered without an X-VCAV-Auth header: is ${c.url} the VCDA API endpoint?`);
    return token;
  }
}

function loginRequest(c: VcdaConnection): { body: Record<string, string>; who: string } {
  const need = (what: string) =>
    new Error(`the VCDA connection uses authType ${c.authType}, which needs ${what}; set it in stack config (pulumi config set --secret ...) or the environment`);
  switch (c.authType) {
    case "localUser":
      if (!c.password) throw need("vcda:password (VCDA_PASSWORD)");
      return { body: { type: "localUser", localUser: c.username ?? "root", localPassword: c.password }, who: c.username ?? "root" };
    case "ssoCredentials":
      if (!c.username || !c.password) throw need("vcda:username and vcda:password (VCDA_USERNAME, VCDA_PASSWORD)");
      return { body: { type: "ssoCredentials", username: c.username, password: c.password }, who: c.username };
    case "vcdCredentials":
      if (!c.username || !c.password) throw need("vcda:username and vcda:password (VCDA_USERNAME, VCDA_PASSWORD)");
      return { body: { type: "vcdCredentials", vcdUser: c.username, vcdPassword: c.password }, who: c.username };
    case "vcdAccessToken":
      if (!c.token) throw need("vcda:token (VCDA_TOKEN)");
      return { body: { type: "vcdAccessToken", vcdAccessToken: c.token }, who: "a VCD access token" };
  }
}

function fingerprint(secret: string): string {
  return createHash("sha256").update(secret).digest("hex").slice(0, 16);
}
