// Synthesizes exported Gen 2 backends offline, several in one process: for each project folder
// given, `amplify/backend.ts` is imported with its own CDK_OUTDIR, as `ampx` would run it, and
// the CDK App writes its CloudFormation templates there when the process ends. No AWS account,
// no network. `defineAuth` allows one auth per process, so its count is reset between folders.
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const context = {
  "amplify-backend-namespace": "gen2check",
  "amplify-backend-name": "sandbox",
  "amplify-backend-type": "sandbox",
  secretLastUpdated: 0,
};

for (const folder of process.argv.slice(2)) {
  const root = resolve(folder);
  process.env.CDK_OUTDIR = join(root, "cdk.out");
  process.env.CDK_CONTEXT_JSON = JSON.stringify(context);
  await import(pathToFileURL(join(root, "amplify", "backend.ts")).href);
  const resource = await import(pathToFileURL(join(root, "amplify", "auth", "resource.ts")).href);
  resource.auth.constructor.factoryCount = 0;
}
