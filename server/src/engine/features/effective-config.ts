// "What PHP will really see": the effective configuration of a file as plain JSON, shared by the
// CLI's --print-config and the editor's Show Effective Configuration command.

import { cfgVars, type ParsedDocument } from '../document';
import { cfgToJson, type Assignment } from '../model';

export function effectiveConfig(doc: ParsedDocument): Record<string, unknown> {
  const model = doc.model;
  if (model.dialect === 'php-ini') {
    return cfgVars(doc);
  }
  const last = (list: Assignment[]) => list[list.length - 1];
  const directives = (map: Map<string, Assignment[]>) => {
    const out: Record<string, string> = {};
    for (const list of map.values()) {
      const a = last(list);
      out[a.name] = a.value;
    }
    return out;
  };
  const pools: Record<string, unknown> = {};
  for (const pool of model.pools) {
    const php: Record<string, { value: string; via: string; lockedForScripts: boolean }> = {};
    for (const p of pool.php) php[p.directive] = { value: p.value, via: p.via, lockedForScripts: p.admin };
    const env: Record<string, string> = {};
    for (const [k, a] of pool.env) env[k] = a.value;
    pools[pool.name] = {
      directives: directives(pool.directives),
      php,
      env,
      'access.suppress_path': pool.suppressPaths.map((a) => a.value),
    };
  }
  return {
    global: directives(model.global),
    include: model.includes.map((a) => a.value),
    pools,
  };
}

export { cfgToJson };
