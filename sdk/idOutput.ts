import * as pulumi from "@pulumi/pulumi";
import { pendingTaskOf } from "../provider/pendingId";

/**
 * The output that repeats the resource id (`vpgId`): the id itself, so it is known during the
 * preview of an update, except while the id is a pending create's: then the object's own id, which
 * the update that settles the create records (the resource id follows on the next refresh, as only
 * a read may change it).
 */
export function idOutput(id: pulumi.Output<string>, recorded: pulumi.Output<string>): pulumi.Output<string> {
  return id.apply((value) => (pendingTaskOf(value) ? recorded : pulumi.output(value)));
}
