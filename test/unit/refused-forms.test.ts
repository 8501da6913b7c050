import assert from "node:assert/strict";
import { ApiError, refusedWith } from "../../provider/http";

describe("another form of a request is sent only after an answer that proves the first was refused", () => {
  const FORM_REFUSED = [400, 404];
  const answered = (status: number, outcomeUnknown = false) => new ApiError(`PATCH failed with HTTP ${status}`, "http", "PATCH", "/vm-replications/r", status, undefined, outcomeUnknown);

  it("is true for a 400 or 404 answer", () => {
    assert.equal(refusedWith(answered(400), FORM_REFUSED), true);
    assert.equal(refusedWith(answered(404), FORM_REFUSED), true);
  });

  it("is false for other statuses, a gateway's answer or no answer: the request may have been applied", () => {
    assert.equal(refusedWith(answered(401), FORM_REFUSED), false);
    assert.equal(refusedWith(answered(500), FORM_REFUSED), false);
    assert.equal(refusedWith(answered(404, true), FORM_REFUSED), false);
    assert.equal(refusedWith(new ApiError("no answer within the timeout", "timeout", "PATCH", "/vm-replications/r", undefined, undefined, true), FORM_REFUSED), false);
    assert.equal(refusedWith(new Error("HTTP 400"), FORM_REFUSED), false);
  });
});
