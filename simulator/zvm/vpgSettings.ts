import { HttpError, Router, SimRequest, uuid } from "../common";
import { bind, bodyObject, isPlainObject } from "./binding";
import {
  defaultSections, Definition, filledVm, NIC_SHAPE, Obj, overlay, renderSettings, SECTIONS, SETTINGS_SHAPE, storeVm, VM_SHAPE,
  VOLUME_SHAPE,
} from "./settingsModel";
import type { DraftRecord, ZvmContext, ZvmState } from "./state";
import { startTask } from "./tasks";

const OK = { status: 200 };

/**
 * Lays a bound settings object onto a definition. "merge" (POST /vpgSettings) keeps what the body does
 * not mention; "replace" (PUT) takes each sent section as a whole, absent fields at their defaults. A
 * section or Vms that is absent or null is left as it is: clients GET, mutate and PUT the object back.
 */
function applySettings(state: ZvmState, def: Definition, bound: Obj, mode: "merge" | "replace"): void {
  const defaults = defaultSections(state.localSiteId);
  for (const { name, shape } of SECTIONS) {
    const sent = bound[name];
    if (sent === undefined || (sent === null && shape !== "raw")) continue;
    def.core[name] = shape === "raw" ? sent : overlay(mode === "merge" ? def.core[name] : defaults[name], sent);
  }
  if (!bound.Vms) return;
  const seen = new Set<string>();
  def.vms = (bound.Vms as Obj[]).map((vm, i) => {
    if (!isPlainObject(vm) || !vm.VmIdentifier) throw new HttpError(400, `The request is invalid. Vms[${i}].VmIdentifier is required.`);
    if (seen.has(vm.VmIdentifier)) throw new HttpError(400, `The request is invalid. VM ${vm.VmIdentifier} appears more than once in Vms.`);
    seen.add(vm.VmIdentifier);
    const previous = def.vms.find((v) => v.VmIdentifier === vm.VmIdentifier);
    // sections first: a VM joining in this request is filled from the defaults it sets
    return storeVm(previous, vm, def.core, state.inventory);
  });
}

function newDraft(state: ZvmState, vpgId: string | null, def: Definition): DraftRecord {
  const draft: DraftRecord = { id: uuid(), vpgId, def, touchedAt: state.clock.now() };
  state.drafts[draft.id] = draft;
  return draft;
}

/** The committed definition of a VPG that still exists (listed or not yet). */
function committed(state: ZvmState, vpgId: string): { id: string; def: Definition } {
  const vpg = Object.values(state.vpgs).find((v) => v.id.toLowerCase() === vpgId.toLowerCase());
  if (!vpg) throw new HttpError(404, `VPG with identifier ${vpgId} was not found.`);
  return { id: vpg.id, def: structuredClone(vpg.def) };
}

export function registerVpgSettingsRoutes(api: Router, { state, protect }: ZvmContext): void {
  const { inventory } = state;
  const render = (d: DraftRecord) => renderSettings(d.def, { VpgIdentifier: d.vpgId, VpgSettingsIdentifier: d.id });
  const vmOf = (req: SimRequest) => {
    const draft = state.draft(req.params.id);
    const entry = draft.def.vms.find((v) => v.VmIdentifier === req.params.vmId);
    if (!entry) throw new HttpError(404, `VM ${req.params.vmId} is not part of VpgSettings ${draft.id}.`);
    return { draft, entry, vm: entry.settings };
  };
  /** Folds a partial VM (one volume, one NIC) into a VM of the draft. */
  const updateVm = (req: SimRequest, sent: Obj) => {
    const { draft, entry } = vmOf(req);
    const index = draft.def.vms.indexOf(entry);
    draft.def.vms[index] = storeVm(entry, sent, draft.def.core, inventory);
    return OK;
  };

  api.on("POST", "/v1/vpgSettings", protect((req) => {
    const bound = bind(bodyObject(req.body), SETTINGS_SHAPE);
    const base = bound.VpgIdentifier
      ? committed(state, bound.VpgIdentifier)
      : { id: null, def: { core: defaultSections(state.localSiteId), vms: [] } };
    applySettings(state, base.def, bound, "merge");
    return { status: 200, body: newDraft(state, base.id, base.def).id };
  }));
  api.on("POST", "/v1/vpgSettings/copyVpgSettings", protect((req) => {
    const vpgId = bind(bodyObject(req.body), SETTINGS_SHAPE).VpgIdentifier;
    if (!vpgId) throw new HttpError(400, "The request is invalid. VpgIdentifier is required.");
    // A copy is a new VPG: same settings, no VMs (a VM cannot replicate twice to one site).
    const { def } = committed(state, vpgId);
    return { status: 200, body: newDraft(state, null, { core: def.core, vms: [] }).id };
  }));
  api.on("GET", "/v1/vpgSettings", protect(() => {
    state.purgeDrafts();
    return { status: 200, body: Object.values(state.drafts).map(render) };
  }));
  api.on("GET", "/v1/vpgSettings/:id", protect((req) => ({ status: 200, body: render(state.draft(req.params.id)) })));
  api.on("PUT", "/v1/vpgSettings/:id", protect((req) => {
    const draft = state.draft(req.params.id);
    if (!isPlainObject(req.body)) throw new HttpError(400, "The request is invalid. A VpgSettings object is required.");
    applySettings(state, draft.def, bind(req.body, SETTINGS_SHAPE), "replace");
    return OK;
  }));
  api.on("DELETE", "/v1/vpgSettings/:id", protect((req) => {
    delete state.drafts[state.draft(req.params.id).id];
    return OK;
  }));
  api.on("POST", "/v1/vpgSettings/:id/commit", protect((req, user) => {
    const draft = state.draft(req.params.id);
    delete state.drafts[draft.id];
    const type = draft.vpgId ? "UpdateProtectionGroup" : "CreateProtectionGroup";
    const task = startTask(state, type, user, draft.vpgId ?? uuid(), draft.def);
    return { status: 200, body: task.id };
  }));

  for (const { name, segment, shape } of SECTIONS) {
    if (!segment) continue;
    const path = `/v1/vpgSettings/:id/${segment}`;
    const put = protect((req) => {
      const draft = state.draft(req.params.id);
      const sent = bind(shape === "raw" ? req.body : bodyObject(req.body), shape, name);
      // the VPG-level value only: VMs keep their stored copies (see storeVm)
      draft.def.core[name] = shape === "raw" ? sent ?? null : overlay(defaultSections(state.localSiteId)[name], sent);
      return OK;
    });
    api.on("GET", path, protect((req) => ({ status: 200, body: structuredClone(state.draft(req.params.id).def.core[name]) })));
    api.on("PUT", path, put);
    if (shape === "raw") api.on("POST", path, put);
    api.on("DELETE", path, protect((req) => {
      state.draft(req.params.id).def.core[name] = defaultSections(state.localSiteId)[name];
      return OK;
    }));
  }
  api.on("GET", "/v1/vpgSettings/:id/priority", protect((req) => ({ status: 200, body: state.draft(req.params.id).def.core.Basic.Priority })));

  api.on("GET", "/v1/vpgSettings/:id/vms", protect((req) => {
    const draft = state.draft(req.params.id);
    return { status: 200, body: draft.def.vms.map((vm) => structuredClone(vm.settings)) };
  }));
  api.on("POST", "/v1/vpgSettings/:id/vms", protect((req) => {
    const draft = state.draft(req.params.id);
    const sent = bind(bodyObject(req.body), VM_SHAPE);
    if (!sent.VmIdentifier) throw new HttpError(400, "The request is invalid. VmIdentifier is required.");
    const site = inventory.site(draft.def.core.Basic.ProtectedSiteIdentifier);
    if (!site || !inventory.vm(site, sent.VmIdentifier)) {
      throw new HttpError(400, `Exception occurred in API: VM ${sent.VmIdentifier} was not found in the protected site inventory;`);
    }
    if (draft.def.vms.some((v) => v.VmIdentifier === sent.VmIdentifier)) {
      throw new HttpError(400, `Exception occurred in API: VM ${sent.VmIdentifier} is already part of the VPG settings;`);
    }
    draft.def.vms.push(storeVm(undefined, sent, draft.def.core, inventory));
    return OK;
  }));
  api.on("GET", "/v1/vpgSettings/:id/vms/:vmId", protect((req) => ({ status: 200, body: vmOf(req).vm })));
  api.on("PUT", "/v1/vpgSettings/:id/vms/:vmId", protect((req) => updateVm(req, bind(bodyObject(req.body), VM_SHAPE))));
  api.on("DELETE", "/v1/vpgSettings/:id/vms/:vmId", protect((req) => {
    const { draft, entry } = vmOf(req);
    draft.def.vms = draft.def.vms.filter((v) => v !== entry);
    return OK;
  }));

  // Volumes and NICs of a VM: the same fold, restricted to one element.
  const element = (list: "Volumes" | "Nics", idKey: string, label: string) => (req: SimRequest) => {
    const { vm } = vmOf(req);
    const found = (vm[list] as Obj[]).find((e) => e[idKey] === req.params.elementId);
    if (!found) throw new HttpError(404, `${label} ${req.params.elementId} was not found on VM ${vm.VmIdentifier}.`);
    return found;
  };
  const volume = element("Volumes", "VolumeIdentifier", "Volume");
  const nic = element("Nics", "NicIdentifier", "NIC");
  api.on("GET", "/v1/vpgSettings/:id/vms/:vmId/volumes", protect((req) => ({ status: 200, body: vmOf(req).vm.Volumes })));
  api.on("GET", "/v1/vpgSettings/:id/vms/:vmId/volumes/:elementId", protect((req) => ({ status: 200, body: volume(req) })));
  api.on("PUT", "/v1/vpgSettings/:id/vms/:vmId/volumes/:elementId", protect((req) => {
    volume(req);
    const sent = { ...bind(bodyObject(req.body), VOLUME_SHAPE), VolumeIdentifier: req.params.elementId };
    return updateVm(req, { Volumes: [sent] });
  }));
  api.on("GET", "/v1/vpgSettings/:id/vms/:vmId/nics", protect((req) => ({ status: 200, body: vmOf(req).vm.Nics })));
  api.on("GET", "/v1/vpgSettings/:id/vms/:vmId/nics/:elementId", protect((req) => ({ status: 200, body: nic(req) })));
  api.on("PUT", "/v1/vpgSettings/:id/vms/:vmId/nics/:elementId", protect((req) => {
    nic(req);
    const sent = { ...bind(bodyObject(req.body), NIC_SHAPE), NicIdentifier: req.params.elementId };
    return updateVm(req, { Nics: [sent] });
  }));
  api.on("DELETE", "/v1/vpgSettings/:id/vms/:vmId/nics/:elementId", protect((req) => {
    nic(req);
    const { entry, draft } = vmOf(req);
    // The NIC stays; its settings return to the VPG defaults of now (Import-ZertoVmNicSetting relies on
    // DELETE-then-PUT). Assumption: the API documents the DELETE, not which values follow
    // (docs/api-notes/zerto.md#vpg-settings-per-vm-values).
    const fresh = filledVm(entry.VmIdentifier, draft.def.core, inventory).Nics.find((n: Obj) => n.NicIdentifier === req.params.elementId);
    entry.settings.Nics = entry.settings.Nics.map((n: Obj) => (n.NicIdentifier === req.params.elementId ? fresh : n));
    return OK;
  }));
}
