// Synthesizes exported Gen 2 backends offline, several in one process: for each project folder
// given, `amplify/backend.ts` is imported with its own CDK_OUTDIR, as `ampx` would run it, and
// the CDK App writes its CloudFormation templates there when the process ends. No AWS account,
// no network. `defineAuth` and `referenceAuth` allow one auth per process between them, so the
// count they share (on defineAuth's factory class) is reset between folders.
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const context = {
  "amplify-backend-namespace": "gen2check",
  "amplify-backend-name": "sandbox",
  "amplify-backend-type": "sandbox",
  secretLastUpdated: 0,
};

// The factory class as the projects load it: resolved from the working folder (their root),
// so that it is the same module instance whether or not symbolic links are preserved.
const auth = createRequire(join(process.cwd(), "package.json")).resolve(
  "@aws-amplify/backend-auth",
);
const factory = pathToFileURL(join(dirname(auth), "factory.js")).href;
const { AmplifyAuthFactory } = await import(factory);

for (const folder of process.argv.slice(2)) {
  const root = resolve(folder);
  process.env.CDK_OUTDIR = join(root, "cdk.out");
  process.env.CDK_CONTEXT_JSON = JSON.stringify(context);
  await import(pathToFileURL(join(root, "amplify", "backend.ts")).href);
  AmplifyAuthFactory.factoryCount = 0;
}
