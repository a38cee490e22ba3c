// Prints the operations of an OpenAPI or Swagger description as Swagger Parser reads it
// ($refs dereferenced, relative files followed), one JSON object per line:
// {"method", "path", "operationId", "params": ["in:name", ...], "body": bool}.
// Used by tests/integration/import_openapi.rs as the peer of apiward's import.
import SwaggerParser from "@apidevtools/swagger-parser";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const api = await SwaggerParser.dereference(process.argv[2], {
  // Local files only: the test gives it no network. Circular schemas stay circular objects,
  // which this script never walks into.
  resolve: { external: true, http: false },
});
for (const [path, item] of Object.entries(api.paths || {})) {
  for (const method of METHODS) {
    const op = item[method];
    if (!op) continue;
    const params = new Map();
    for (const p of [...(item.parameters || []), ...(op.parameters || [])]) {
      params.set(`${p.in}:${p.name}`, p);
    }
    const body = Boolean(op.requestBody) || [...params.values()].some((p) => p.in === "body" || p.in === "formData");
    console.log(JSON.stringify({
      method: method.toUpperCase(),
      path,
      operationId: op.operationId ?? null,
      params: [...params.keys()].filter((k) => !k.startsWith("body:") && !k.startsWith("formData:")).sort(),
      body,
    }));
  }
}
