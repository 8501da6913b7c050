import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { refusePlainCredentials, refuseReservedKeys } from "../../sdk/guards";

// the SDK's serializer and the protobuf Struct the engine receives (both as @pulumi/pulumi 3.248 uses them)
const { serializeProperty } = require("@pulumi/pulumi/runtime/rpc");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

/** Sets the stack config the way the language host hands it to a program: values plus the secret keys. */
function stackConfig(values: Record<string, string>, secretKeys: string[]): void {
  pulumi.runtime.setAllConfig(values, secretKeys);
}

describe("resource construction guards (sdk)", () => {
  after(() => stackConfig({}, []));

  it("refuses a plain zerto:password with the command that stores it encrypted, never the value", () => {
    stackConfig({ "zerto:url": "https://zvm", "zerto:password": "plain-hunter2" }, []);
    assert.throws(() => refusePlainCredentials("zerto"), (err: Error) => {
      assert.match(err.message, /pulumi config set --secret --stack \S+ zerto:password/);
      assert.ok(!err.message.includes("plain-hunter2"));
      return true;
    });
  });

  it("accepts the same password stored as a secret, and credentials from the environment", () => {
    stackConfig({ "zerto:url": "https://zvm", "zerto:password": "secret-hunter2" }, ["zerto:password"]);
    refusePlainCredentials("zerto");
    stackConfig({ "zerto:url": "https://zvm" }, []);
    refusePlainCredentials("zerto");
  });

  it("refuses plain vcda:token and vcda:password together, one command each", () => {
    stackConfig({ "vcda:token": "t0ken-value", "vcda:password": "pa55-value" }, []);
    assert.throws(() => refusePlainCredentials("vcda"), /--secret --stack \S+ vcda:password\n.*--secret --stack \S+ vcda:token/s);
  });

  it("refuses credentials inside plain profiles, naming the path to set", () => {
    stackConfig({ "zerto:profiles": JSON.stringify({ site2: { url: "https://zvm2", clientSecret: "cs-value" } }) }, []);
    assert.throws(() => refusePlainCredentials("zerto"), /pulumi config set --secret --path --stack \S+ 'zerto:profiles\.site2\.clientSecret'/);
    stackConfig({ "zerto:profiles": JSON.stringify({ site2: { url: "https://zvm2", clientSecret: "cs-value" } }) }, ["zerto:profiles"]);
    refusePlainCredentials("zerto");
  });

  it("judges only the product of the resource", () => {
    stackConfig({ "zerto:password": "plain-hunter2" }, []);
    refusePlainCredentials("vcda");
  });

  it("must judge __proto__ before serialization: afterwards its contents arrive as ordinary properties, or vanish", async () => {
    const args = JSON.parse('{"vms":[{"vmId":"a","__proto__":{"vmId":"b","extra":1}}],"c":{"__proto__":"text"}}');
    const sent = Struct.fromJavaScript(await serializeProperty("args", args, new Set(), {})).toJavaScript();
    assert.deepEqual(sent, { vms: [{ vmId: "a", extra: 1 }], c: {} });
  });

  it("refuses own __proto__, constructor and prototype keys at any depth, naming each path", () => {
    const vm = JSON.parse('{"vmId":"a","__proto__":{"vmId":"b"}}');
    const args = JSON.parse('{"name":"x","prototype":1}');
    assert.throws(() => refuseReservedKeys("Vpg", "web", { ...args, vms: [vm], networks: { constructor: 1 } }), (err: Error) => {
      assert.deepEqual(err.message.split("\n").map((l) => l.split(" ")[2]), ["prototype", "vms[0].__proto__", "networks.constructor"]);
      assert.match(err.message, /^Vpg 'web': prototype is a reserved key/);
      return true;
    });
    refuseReservedKeys("Vpg", "web", { name: "x", vms: [{ vmId: "a" }], note: pulumi.output({ constructor: 1 }) });
  });
});
