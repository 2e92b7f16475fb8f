// Compiles every tool schema of a tools/list response (a file, argv[2]) with ajv 2020-12 in
// strict mode: an unknown format, keyword or type is an error. Exit 1 on any failure.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
const tools = JSON.parse(readFileSync(process.argv[2], "utf8")).result.tools;
let bad = 0;
for (const tool of tools) {
  for (const which of ["inputSchema", "outputSchema"]) {
    const schema = tool[which];
    if (!schema) continue;
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    try { ajv.compile(schema); console.log(`ok ${tool.name} ${which}`); }
    catch (e) { bad++; console.log(`FAIL ${tool.name} ${which}: ${e.message}`); }
  }
}
process.exit(bad ? 1 : 0);
