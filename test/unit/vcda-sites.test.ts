import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { configure, vcdaConnection } from "../../provider/connection";
import { replicationSite } from "../../provider/vcda/sites";
import { refusePlainCredentials } from "../../sdk/guards";

describe("VCDA: the site a replication's calls run on (guide, POST /vm-replications examples)", () => {
  const table: Array<[string, string, string, string, string, string | undefined]> = [
    // direction, source type, source site, destination type, destination site, expected `site`
    ["cloud → cloud", "vm", "site1", "vcloud", "site2", "site2"],
    ["cloud → cloud, seeded", "vm", "site1", "vm", "site2", "site2"],
    ["on-premises → cloud", "vcVm", "onprem1", "vcloud", "site2", "site2"],
    ["on-premises → cloud, seeded", "vcVm", "onprem1", "vm", "site2", "site2"],
    ["cloud → on-premises", "vm", "site1", "vc", "onprem1", undefined],
    ["cloud → on-premises, seeded", "vm", "site1", "vcVm", "onprem1", undefined],
    ["remote cloud → local cloud", "vm", "site2", "vcloud", "site1", "site1"],
  ];
  for (const [direction, sourceType, sourceSite, destinationType, destinationSite, expected] of table) {
    it(`${direction} (${sourceType} → ${destinationType}): ${expected === undefined ? "no site (the local one)" : `site=${expected}, the destination`}`, () => {
      const replication = { source: { type: sourceType, site: sourceSite }, destination: { type: destinationType, site: destinationSite } };
      const site = replicationSite(replication);
      assert.equal(site, expected);
    });
  }

  it("never names an on-premises site", () => {
    for (const [, sourceType, sourceSite, destinationType, destinationSite] of table) {
      const replication = { source: { type: sourceType, site: sourceSite }, destination: { type: destinationType, site: destinationSite } };
      const site = replicationSite(replication);
      assert.notEqual(site, "onprem1");
    }
  });
});

describe("VCDA remote-site settings (vcda:remoteSites, vcda:tokenContext)", () => {
  const saved = { ...process.env };
  const stackConfig = (values: Record<string, string>) => configure({ get: (key) => values[key] });
  beforeEach(() => {
    delete process.env.VCDA_REMOTE_SITES;
    delete process.env.VCDA_URL;
  });
  after(() => {
    process.env = saved;
    configure({ get: () => undefined });
  });

  it("reads the per-site extension from stack config (JSON text) and from a profile", () => {
    const west = { type: "credentials", username: "admin@org-acme", password: "west-pw" };
    stackConfig({
      "vcda:url": "https://vcda", "vcda:remoteSites": JSON.stringify({ "cloud-west": west }), "vcda:tokenContext": "org-acme",
      "vcda:profiles": JSON.stringify({ dr: { url: "https://vcda.dr", remoteSites: { "cloud-east": { type: "multisite", org: "org-acme" } } } }),
    });
    assert.deepEqual(vcdaConnection().remoteSites, { "cloud-west": west });
    assert.equal(vcdaConnection().tokenContext, "org-acme");
    assert.deepEqual(vcdaConnection("dr").remoteSites, { "cloud-east": { type: "multisite", org: "org-acme" } });
  });

  it("refuses an unknown extension type or key, naming the setting and never the value", () => {
    stackConfig({ "vcda:url": "https://vcda", "vcda:remoteSites": JSON.stringify({ "cloud-west": { type: "kerberos", passwd: "s3cret-value" } }) });
    assert.throws(() => vcdaConnection(), (err: Error) => {
      assert.match(err.message, /vcda:remoteSites \(or VCDA_REMOTE_SITES\)/);
      assert.match(err.message, /must be one of "credentials", "accessToken", "multisite"/);
      assert.ok(!err.message.includes("s3cret-value"));
      return true;
    });
  });

  it("is a credential: kept as plain stack config it is refused at construction, never echoed", () => {
    const remoteSites = JSON.stringify({ "cloud-west": { type: "credentials", username: "admin@org-acme", password: "west-pw-value" } });
    try {
      pulumi.runtime.setAllConfig({ "vcda:remoteSites": remoteSites, "vcda:samlSigningKey": "pem-value" }, []);
      assert.throws(() => refusePlainCredentials("vcda"), (err: Error) => {
        assert.match(err.message, /--secret --stack \S+ vcda:remoteSites/);
        assert.match(err.message, /--secret --stack \S+ vcda:samlSigningKey/);
        assert.ok(!err.message.includes("west-pw-value") && !err.message.includes("pem-value"));
        return true;
      });
      pulumi.runtime.setAllConfig({ "vcda:remoteSites": remoteSites }, ["vcda:remoteSites"]);
      refusePlainCredentials("vcda");
    } finally {
      pulumi.runtime.setAllConfig({}, []);
    }
  });
});
