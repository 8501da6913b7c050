/**
 * A ZVM date: ISO 8601 (10.x OpenAPI), or the WCF form `/Date(928142400000+0300)/` of the VPGs API
 * document's examples, which older ZVMs send (docs/api-notes/zerto.md#failover-tests-and-checkpoints).
 */
export function zvmDate(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const wcf = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
  const date = wcf ? new Date(Number(wcf[1])) : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
