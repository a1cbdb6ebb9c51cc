// Validates the manifests of this directory against the Kubernetes OpenAPI schemas, as packaged by
// the npm package kubernetes-models (JSON Schema, ajv): types, required fields, enumerations.
//   node deploy/kubernetes/schema-check.mjs NODE_MODULES_DIR FILE.yaml...
// NODE_MODULES_DIR holds kubernetes-models and js-yaml (.ci/run installs them in its cache).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, ...files] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(join(modules, path)).href);
const yaml = (await load("js-yaml/index.js")).default;
let failures = 0;
for (const file of files) {
  for (const doc of yaml.loadAll(readFileSync(file, "utf8"))) {
    if (!doc || doc.kind === "Kustomization") continue;
    const group = doc.apiVersion.includes("/") ? doc.apiVersion : `v1`;
    const name = `${file}: ${doc.kind}/${doc.metadata?.name}`;
    try {
      const models = await load(`kubernetes-models/${group}/index.js`);
      const Model = models[doc.kind];
      if (!Model) throw new Error(`no schema for ${doc.apiVersion} ${doc.kind}`);
      new Model(doc).validate();
      console.log(`valid ${name}`);
    } catch (e) {
      failures++;
      console.log(`INVALID ${name}: ${e.message}`);
    }
  }
}
process.exit(failures === 0 ? 0 : 1);
