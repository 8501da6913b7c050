import assert from "node:assert/strict";
import { compareVersions, VersionedMediaType } from "../../provider/http";

const render = (version: string) => `application/vnd.vmware.h4-v${version}+json;charset=UTF-8`;
const NAMED = /h4-v(\d+(?:\.\d+)*)/;
const mediaType = (versions: Map<string, string>, endpoint = "https://vcda.example:443") => new VersionedMediaType(endpoint, "4.1", "4.7", render, NAMED, versions);

describe("VCDA Accept version: the guide's first, another once when a server refuses it", () => {
  it("asks in the guide's h4-v4.1 until a server refuses it", () => {
    assert.equal(mediaType(new Map()).accept(), "application/vnd.vmware.h4-v4.1+json;charset=UTF-8");
  });

  it("switches to the newest version the refusal names that is newer than the refused one", () => {
    const type = mediaType(new Map());
    assert.equal(type.renegotiate("4.1", "NotAcceptable: API version h4-v4.1 is not supported; supported: h4-v4.3, h4-v4.5, h4-v3"), "4.5");
    assert.equal(type.accept(), render("4.5"));
  });

  it("switches to the newest known version (h4-v4.7) when the refusal names none, and gives up past it", () => {
    const type = mediaType(new Map());
    assert.equal(type.renegotiate("4.1", "<html>406 Not Acceptable</html>"), "4.7");
    assert.equal(type.renegotiate("4.7", "406 Not Acceptable, h4-v4.1"), undefined);
    assert.equal(type.version, "4.7");
  });

  it("remembers the version per endpoint, for every client of the process", () => {
    const versions = new Map<string, string>();
    mediaType(versions).renegotiate("4.1", "accepts h4-v4.5 and later");
    assert.equal(mediaType(versions).version, "4.5");
    assert.equal(mediaType(versions, "https://other.example:443").version, "4.1");
  });

  it("compares versions by number", () => {
    assert.ok(compareVersions("4.10", "4.7") > 0);
    assert.ok(compareVersions("4.1", "4.1.0") === 0);
    assert.ok(compareVersions("3.5", "4") < 0);
  });
});
