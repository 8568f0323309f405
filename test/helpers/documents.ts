// Checks shared by the tests of /openapi.json and /asyncapi.json.

/** Every `$ref` in a document points at something in it. */
export function unresolvedRefs(doc: unknown): string[] {
  const bad: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') {
        let at: unknown = doc;
        for (const part of x.replace(/^#\//, '').split('/')) at = (at as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
        if (at === undefined) bad.push(x);
      } else walk(x);
    }
  };
  walk(doc);
  return bad;
}
