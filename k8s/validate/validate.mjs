// Validates Kubernetes manifests (YAML on stdin, e.g. `kubectl kustomize k8s/base`) against the
// Kubernetes JSON schemas that kubernetes-models ships: required fields, types, enums and formats.
// Exits 1 with every problem listed.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

const documents = yaml.loadAll(readFileSync(0, "utf8")).filter(Boolean);
const problems = [];

for (const doc of documents) {
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : ["", doc.apiVersion];
  const modulePath = `kubernetes-models/${group ? group + "/" : ""}${version}`;
  const name = `${doc.kind}/${doc.metadata?.name}`;
  let Model;
  try {
    Model = (await import(modulePath))[doc.kind];
    if (!Model) throw new Error("unknown kind");
  } catch {
    problems.push(`${name}: no schema for ${doc.apiVersion} ${doc.kind}`);
    continue;
  }
  try {
    new Model(doc).validate();
  } catch (e) {
    problems.push(`${name}: ${e.message}`);
  }
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`${documents.length} manifests valid: ${documents.map((d) => d.kind).join(", ")}`);
