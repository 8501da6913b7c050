import assert from "node:assert/strict";
import { closeNames, editDistance, LookupError, pickByName, Wanted } from "../../provider/lookup";

const datastores = [
  { id: "vc.datastore-1", name: "DR-DS-01" },
  { id: "vc.datastore-2", name: "DR-DS-02" },
  { id: "vc.datastore-3", name: "DR-Journal" },
];
const wanted: Wanted = { what: "Zerto datastore", where: "at site 'Site-B DR'" };

function failure(name: string, candidates = datastores, how: Wanted = wanted): string {
  try {
    pickByName(name, candidates, how);
  } catch (err) {
    assert.ok(err instanceof LookupError);
    return err.message;
  }
  return assert.fail(`'${name}' was found`);
}

describe("look-ups by name: one rule for every product", () => {
  it("returns the one object whose name matches exactly, with its attributes", () => {
    assert.deepEqual(pickByName("DR-DS-02", datastores, wanted), { id: "vc.datastore-2", name: "DR-DS-02" });
  });

  it("does not take a name that differs only in case: it suggests the right one", () => {
    assert.equal(failure("dr-ds-02"), "Zerto datastore 'dr-ds-02' was not found at site 'Site-B DR'. Did you mean 'DR-DS-02', 'DR-DS-01'? "
      + "Found: 'DR-DS-01', 'DR-DS-02', 'DR-Journal'");
  });

  it("answers a typo with the close names first, then everything found", () => {
    assert.match(failure("DR-Jornal"), /^Zerto datastore 'DR-Jornal' was not found at site 'Site-B DR'\. Did you mean 'DR-Journal'\? Found: 'DR-DS-01', 'DR-DS-02', 'DR-Journal'$/);
  });

  it("lists what exists without a suggestion when nothing is close", () => {
    assert.equal(failure("Gold-Tier"), "Zerto datastore 'Gold-Tier' was not found at site 'Site-B DR'. Found: 'DR-DS-01', 'DR-DS-02', 'DR-Journal'");
  });

  it("says there are none when the list is empty", () => {
    assert.equal(failure("DR-DS-01", []), "Zerto datastore 'DR-DS-01' was not found at site 'Site-B DR': there are none");
  });

  it("refuses a name that several objects share, listing their ids and how to narrow it down", () => {
    const twins = [...datastores, { id: "vc.datastore-9", name: "DR-DS-01" }];
    assert.equal(failure("DR-DS-01", twins, { ...wanted, narrowBy: "pass siteId" }),
      "Zerto datastore 'DR-DS-01' at site 'Site-B DR' is ambiguous: 2 objects have that name (vc.datastore-1, vc.datastore-9); pass siteId, or use the id directly");
  });

  it("lists at most ten names and counts the rest", () => {
    const many = Array.from({ length: 14 }, (_, i) => ({ id: `vm-${i}`, name: `host-${String(i).padStart(2, "0")}` }));
    assert.match(failure("web", many, { what: "Zerto VM" }), /Found: 'host-00', .*'host-09' and 4 more$/);
  });

  it("measures closeness in single-character edits, case-insensitively", () => {
    assert.equal(editDistance("app-01", "app01"), 1);
    assert.equal(editDistance("Gold-SSD", "gold-ssd"), 0);
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.deepEqual(closeNames("web", ["web-01", "db-01", "Web"]), ["Web", "web-01"]);
  });
});
