// vcda/client.ts still imports sameValue from here; it belongs to provider/state.ts and this file
// goes once that import points there (client.ts is being reworked on another branch).
export { sameValue } from "../state";
