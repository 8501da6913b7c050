import * as assert from "node:assert/strict";
import { configure } from "../../provider/connection";
import { handlerFor } from "../../provider/index";
import { generateTestCertificates } from "../../simulator/common";
import { startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";

/**
 * Both simulators over HTTPS with a certificate made for the test: the provider refuses it by
 * default, trusts it given the CA, and skips verification only with the explicit insecure switch.
 */
describe("reliability: TLS to the ZVM and VCDA", () => {
  const certs = generateTestCertificates();
  let zvm: ZvmSimulator;
  let vcda: VcdaSimulator;

  const stackConfig = (values: Record<string, string>) => configure({ get: (key) => values[key] });

  before(async () => {
    zvm = await startZvmSimulator({ tls: { key: certs.key, cert: certs.cert } });
    vcda = await startVcdaSimulator({ tls: { key: certs.key, cert: certs.cert } });
  });

  after(async () => {
    configure({ get: () => undefined });
    await zvm?.close();
    await vcda?.close();
  });

  const zerto = (extra: Record<string, string>) => ({
    "zerto:url": zvm.url, "zerto:username": "admin", "zerto:password": "zerto-sim-password", "zerto:authMode": "session", ...extra,
  });
  const vcdaConfig = (extra: Record<string, string>) => ({
    "vcda:url": vcda.url, "vcda:authType": "vcdCredentials", "vcda:username": "root@System", "vcda:password": "vcda-sim-vcd-password", ...extra,
  });
  // a read of an id that does not exist is enough to prove the connection: it answers "gone"
  const readVpg = () => handlerFor("drprotect:zerto:Vpg").read("00000000-0000-0000-0000-00000000abcd", { name: "tls-probe" } as any);
  const readPolicy = () => handlerFor("drprotect:vcda:ReplicationPolicy").read("00000000-0000-0000-0000-00000000abcd", { displayName: "tls-probe" } as any);

  it("refuses the ZVM's untrusted certificate by default, saying how to trust it, before sending credentials", async () => {
    stackConfig(zerto({}));
    await assert.rejects(readVpg(), (err: Error) => /not trusted/.test(err.message) && /caCertificate/.test(err.message)
      && !err.message.includes("zerto-sim-password"));
    assert.equal(zvm.journal.list().length, 0, "nothing reached the ZVM");
  });

  it("trusts the ZVM given the CA certificate", async () => {
    stackConfig(zerto({ "zerto:caCertificate": certs.ca }));
    assert.deepEqual(await readVpg(), {});
  });

  it("reaches the ZVM with an untrusted certificate only with zerto:insecure", async () => {
    stackConfig(zerto({ "zerto:insecure": "true" }));
    assert.deepEqual(await readVpg(), {});
  });

  it("refuses VCDA's untrusted certificate by default, saying how to trust it", async () => {
    stackConfig(vcdaConfig({}));
    await assert.rejects(readPolicy(), (err: Error) => /not trusted/.test(err.message) && /caCertificate/.test(err.message)
      && !err.message.includes("vcda-sim-vcd-password"));
    assert.equal(vcda.journal.list().length, 0, "nothing reached VCDA");
  });

  it("trusts VCDA given the CA certificate as a file path", async () => {
    stackConfig(vcdaConfig({ "vcda:caCertificate": `${certs.dir}/ca.pem` }));
    assert.deepEqual(await readPolicy(), {});
  });

  it("reaches VCDA with an untrusted certificate only with vcda:insecure", async () => {
    stackConfig(vcdaConfig({ "vcda:insecure": "true" }));
    assert.deepEqual(await readPolicy(), {});
  });
});
