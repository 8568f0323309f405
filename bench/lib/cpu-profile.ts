// A .cpuprofile (node --cpu-prof, or the inspector's Profiler) and the lookups every summary of
// one needs: nodes by id, each node's parent, and the time sampled in each node itself.

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  /** µs since the previous sample */
  timeDeltas: number[];
}

export interface IndexedProfile {
  byId: Map<number, CpuProfileNode>;
  parent: Map<number, number>;
  /** µs sampled with each node at the top of the stack */
  self: Map<number, number>;
}

export function indexProfile(p: CpuProfile): IndexedProfile {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  return { byId, parent, self };
}
