import assert from "node:assert/strict";
import { ZertoConnection } from "../../provider/connection";
import { createZertoClient } from "../../provider/zerto/client";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";

const VCENTER_ACCOUNT = { username: "admin", password: "zerto-sim-password" };
const WINDOWS_ACCOUNT = { username: "ZVM\\administrator", password: "zerto-sim-windows-password" };

describe("Zerto login method: a Windows ZVM checks vCenter and Windows accounts apart (real HTTP)", function () {
  this.timeout(30_000);
  let sim: ZvmSimulator;

  before(async () => {
    sim = await startZvmSimulator({ authMode: "session" });
  });
  after(async () => {
    await sim?.close();
  });

  const client = (account: { username: string; password: string }, extra: Partial<ZertoConnection> = {}) =>
    createZertoClient({ url: sim.url, authMode: "session", insecure: false, ...account, ...extra }, { retry: { attempts: 1 } });

  it("logs a vCenter account in by default ({\"AuthenticationMethod\": \"1\"}), as most estates do", async () => {
    assert.ok(Array.isArray(await client(VCENTER_ACCOUNT).listVpgs()));
  });

  it("logs a Windows account in with loginMethod windows (no body)", async () => {
    assert.ok(Array.isArray(await client(WINDOWS_ACCOUNT, { loginMethod: "windows" }).listVpgs()));
  });

  it("says which method a refused login tried and which key switches it, never the password", async () => {
    await assert.rejects(client(WINDOWS_ACCOUNT).listVpgs(), (err: Error) => {
      assert.match(err.message, /as user 'ZVM\\administrator' with the vCenter login method \(AuthenticationMethod 1\) was refused/);
      assert.match(err.message, /set zerto:loginMethod to windows \(or ZERTO_LOGIN_METHOD=windows/);
      assert.ok(!err.message.includes(WINDOWS_ACCOUNT.password));
      return true;
    });
    await assert.rejects(client(VCENTER_ACCOUNT, { loginMethod: "windows" }).listVpgs(), (err: Error) => {
      assert.match(err.message, /with the Windows login method \(no AuthenticationMethod\) was refused/);
      assert.match(err.message, /if this is a vCenter account set zerto:loginMethod to vcenter/);
      assert.ok(!err.message.includes(VCENTER_ACCOUNT.password));
      return true;
    });
  });

  it("keeps auto detection: the login method rides along the session probe, and a Keycloak appliance is still found by its 404", async () => {
    const keycloak = await startZvmSimulator({ authMode: "keycloak" });
    try {
      const probing = createZertoClient({ url: keycloak.url, authMode: "auto", insecure: false, ...VCENTER_ACCOUNT }, { retry: { attempts: 1 } });
      assert.ok(Array.isArray(await probing.listVpgs()));
      assert.ok(Array.isArray(await createZertoClient({ url: sim.url, authMode: "auto", insecure: false, ...VCENTER_ACCOUNT }).listVpgs()));
    } finally {
      await keycloak.close();
    }
  });
});
