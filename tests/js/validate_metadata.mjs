// Validate Office.js custom-function metadata offline against Microsoft's `extensionFunction` schema
// (npm @microsoft/app-manifest, the unified app manifest's JSON schema), with ajv. The schema is
// draft-04 and its name patterns use \p{L}, so ajv runs with unicodeRegExp.
//
//   node validate_metadata.mjs META.json [SCHEMA_VERSION]
//
// META.json is what xlwings' custom_functions_meta() returns ({"functions": [...]}). Prints JSON:
// {"schema": ..., "functions": N, "errors": [{"function": id, "errors": [...]}, ...]}; exit 0 when
// every function validates, 1 otherwise.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const [metaPath, version = "v1.30"] = process.argv.slice(2);
const root = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
const schemaPath = path.join(root, "build", "json-schemas", "teams", version, "MicrosoftTeams.schema.json");
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
if (!schema.definitions?.extensionFunction) {
  console.error(`${schemaPath} has no extensionFunction definition`);
  process.exit(2);
}
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
addFormats(ajv);
ajv.addSchema(schema, "manifest");
const validate = ajv.compile({ $ref: "manifest#/definitions/extensionFunction" });
const meta = JSON.parse(readFileSync(metaPath, "utf8"));
const errors = [];
for (const fn of meta.functions) {
  if (!validate(fn)) {
    errors.push({ function: fn.id ?? fn.name, errors: validate.errors.map((e) => `${e.instancePath} ${e.message}`) });
  }
}
console.log(JSON.stringify({ schema: `${version} extensionFunction`, functions: meta.functions.length, errors }));
process.exit(errors.length ? 1 : 0);
