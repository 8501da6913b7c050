/**
 * A drill's checks against the test VMs: a TCP connect, an HTTP answer, or a command, each within its
 * time limit. `{ip}` in a URL or command stands for the test VM's address on the test network.
 */
import { spawn } from "node:child_process";
import * as net from "node:net";
import type { CheckSpec } from "./plan";

export interface CheckResult {
  name: string;
  kind: CheckSpec["kind"];
  vm?: string;
  /** What was checked: host:port, the URL, the command line. */
  target: string;
  passed: boolean;
  durationMs: number;
  detail: string;
}

/** Retried until it passes or its time runs out: a service on a test VM may start a little after the VM. */
const RETRY_MS = 500;

export async function runCheck(check: CheckSpec, ip: string | undefined, signal: AbortSignal): Promise<CheckResult> {
  const started = Date.now();
  const deadline = started + check.timeoutSeconds * 1000;
  const needsIp = check.kind === "tcp" ? !check.host : (check.kind === "http" ? check.url : check.command).includes("{ip}");
  const fill = (text: string) => text.replace(/\{ip\}/g, ip ?? "");
  const target = check.kind === "tcp" ? `${check.host ?? ip}:${check.port}` : fill(check.kind === "http" ? check.url : check.command);
  const result = (passed: boolean, detail: string): CheckResult => ({
    name: check.name, kind: check.kind, ...(check.vm ? { vm: check.vm } : {}), target, passed, durationMs: Date.now() - started, detail,
  });
  if (needsIp && !ip) {
    return result(false, `no test-network address known for ${check.vm ? `VM '${check.vm}'` : "the test VM"}: declare a static re-IP for failover tests on its NIC, or an address in the drill file`);
  }
  let last = "not tried";
  while (!signal.aborted) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    try {
      const detail = check.kind === "tcp" ? await tcpConnect(check.host ?? ip!, check.port, remaining)
        : check.kind === "http" ? await httpGet(target, check.expectStatus, remaining)
          : await command(target, ip, remaining, signal);
      return result(true, detail);
    } catch (err) {
      last = (err as Error).message;
    }
    // a command that ran and failed is its verdict; a connection may simply be too early
    if (check.kind === "command") break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MS, Math.max(0, deadline - Date.now()))));
  }
  return result(false, signal.aborted ? `interrupted (${last})` : `${last} (within ${check.timeoutSeconds} s)`);
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    socket.once("connect", () => {
      socket.destroy();
      resolve(`connected to ${host}:${port}`);
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error(`no connection to ${host}:${port}`));
    });
    socket.once("error", (err) => reject(new Error(`${host}:${port}: ${err.message}`)));
  });
}

async function httpGet(url: string, expectStatus: number, timeoutMs: number): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
  await response.arrayBuffer();
  if (response.status !== expectStatus) throw new Error(`${url} answered ${response.status}, expected ${expectStatus}`);
  return `${url} answered ${response.status}`;
}

function command(line: string, ip: string | undefined, timeoutMs: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(line, { shell: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, DRILL_VM_IP: ip ?? "" }, signal, timeout: timeoutMs });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (err) => reject(new Error(`\`${line}\`: ${err.message}`)));
    child.on("close", (code, sig) => {
      const tail = output.trim().split("\n").slice(-3).join(" | ").slice(0, 300);
      if (code === 0) resolve(`exited 0${tail ? `: ${tail}` : ""}`);
      else reject(new Error(`\`${line}\` ${sig ? `was stopped (${sig}, time limit)` : `exited ${code}`}${tail ? `: ${tail}` : ""}`));
    });
  });
}
