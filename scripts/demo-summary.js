#!/usr/bin/env node
// Prints what the demo built, as the appliances themselves report it (not just Pulumi's outputs):
//   node scripts/demo-summary.js zvm  <zvm url>  <quickstart outputs.json>
//   node scripts/demo-summary.js vcda <provider outputs.json> <tenant outputs.json>
"use strict";
/* global fetch, Buffer */
const fs = require("fs");

const readJson = (file) => JSON.parse(fs.readFileSync(file, "utf8"));

async function zvmSummary(url, outputsFile) {
  const outputs = readJson(outputsFile);
  // The simulator's default session-mode account, a vCenter one (see `pulumi-drprotect-sim --help`).
  const login = await fetch(`${url}/v1/session/add`, {
    method: "POST",
    headers: { Authorization: `Basic ${Buffer.from("admin:zerto-sim-password").toString("base64")}`, "Content-Type": "application/json" },
    body: JSON.stringify({ AuthenticationMethod: "1" }),
  });
  if (!login.ok) throw new Error(`ZVM login failed: HTTP ${login.status}`);
  const session = login.headers.get("x-zerto-session");
  const response = await fetch(`${url}/v1/vpgs/${outputs.vpgId}`, { headers: { "x-zerto-session": session } });
  if (!response.ok) throw new Error(`GET /v1/vpgs/${outputs.vpgId}: HTTP ${response.status}`);
  const vpg = await response.json();
  // a 7.x ZVM answers no StatusDescription or RecoverySiteName: the Status number and TargetSite instead
  console.log(`VPG '${vpg.VpgName}' vpgId=${vpg.VpgIdentifier} status=${vpg.StatusDescription ?? vpg.Status}, `
    + `${vpg.VmsCount} VMs protected to ${vpg.RecoverySiteName ?? vpg.TargetSite} (RPO target ${vpg.ConfiguredRpoSeconds} s, actual ${vpg.ActualRPO} s)`);
}

function vcdaSummary(providerFile, tenantFile) {
  const provider = readJson(providerFile);
  const tenant = readJson(tenantFile);
  console.log(`Policy '${provider.policyName}' policyId=${provider.policyId} (minRpo ${provider.minRpo} min) assigned to ${provider.assignedOrgs.join(", ")}`);
  tenant.replicationIds.forEach((id, i) => {
    console.log(`Replication ${id} of ${tenant.vmNames[i]}: health ${tenant.health[i]}`);
  });
}

async function main([product, ...args]) {
  if (product === "zvm" && args.length === 2) return zvmSummary(...args);
  if (product === "vcda" && args.length === 2) return vcdaSummary(...args);
  throw new Error("usage: demo-summary.js zvm <url> <outputs.json> | vcda <provider outputs.json> <tenant outputs.json>");
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`demo-summary: ${err.message}`);
  process.exit(1);
});
