// Scans synthesized CloudFormation templates with cdk-nag's AwsSolutions rules, all of them in
// one process and one synthesis. cdk-nag's documented way for existing templates: each file is
// read with CfnInclude into a Stack of its own, the rule pack is registered on the App, and the
// App is synthesized. cdk-nag 3 is a policy-validation plugin (`Validations.of(app)`; version 2
// was an Aspect writing annotations): its violations land in the cloud assembly's
// validation-report.json, and synthesis fails with ValidationFailed when any is an error.
//
// Usage: tsx nag.ts TEMPLATE.json ...  Prints one JSON object on stdout:
//   {"<template path>": [{"rule": "AwsSolutions-COG2", "level": "warning",
//                         "resource": "<logical id>"}, ...], ...}
// (with "threw": cdk-nag's message where a rule failed to read a value, not on a finding)
// and the scan's own time on stderr's last line as `nag-ms <total> <templates>`.
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { App, DefaultStackSynthesizer, Stack, Validations } from "aws-cdk-lib";
import { CfnInclude } from "aws-cdk-lib/cloudformation-include";
import { AwsSolutionsChecks } from "cdk-nag";

type Finding = {
  rule: string;
  level: string;
  resource: string;
  threw?: string;
};
type Violation = {
  ruleName: string;
  description: string;
  severity: string;
  violatingConstructs: { constructPath: string }[];
};
type Report = {
  pluginReports: { pluginName: string; violations: Violation[] }[];
};

const started = Date.now();
const templates = process.argv.slice(2).map((file) => resolve(file));
const inputs = mkdtempSync(join(tmpdir(), "nag-in-"));
const outdir = mkdtempSync(join(tmpdir(), "nag-out-"));
let report: Report;
try {
  report = scan();
} finally {
  for (const dir of [inputs, outdir])
    rmSync(dir, { recursive: true, force: true });
}

function scan(): Report {
  const app = new App({ outdir });
  // A stack per template, named by its position: the construct path says which template. A
  // synthesized template has its own BootstrapVersion parameter: the stack adds none. Each is
  // included without its Outputs: no rule reads them, and CfnInclude refuses an output
  // without a value (Gen 2 writes passwordPolicyMinLength so when a policy sets no length).
  const synthesizer = () =>
    new DefaultStackSynthesizer({ generateBootstrapVersionRule: false });
  templates.forEach((file, i) => {
    const template = JSON.parse(readFileSync(file, "utf8"));
    delete template.Outputs;
    const copy = join(inputs, `${i}.json`);
    writeFileSync(copy, JSON.stringify(template));
    const stack = new Stack(app, `T${i}`, { synthesizer: synthesizer() });
    new CfnInclude(stack, "Template", { templateFile: copy });
  });
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
  );
  try {
    app.synth();
  } catch (error) {
    if (!String(error).includes("ValidationFailed")) throw error;
  }
  const file = join(outdir, "validation-report.json");
  if (!existsSync(file)) throw new Error(`cdk-nag wrote no ${file}`);
  return JSON.parse(readFileSync(file, "utf8"));
}

const found: Record<string, Finding[]> = Object.fromEntries(
  templates.map((t) => [t, []]),
);
for (const plugin of report.pluginReports) {
  if (plugin.pluginName !== "AwsSolutions") continue;
  for (const violation of plugin.violations) {
    for (const { constructPath } of violation.violatingConstructs) {
      // "T<i>/Template/<logical id>"
      const [stack, , ...rest] = constructPath.split("/");
      const finding: Finding = {
        rule: violation.ruleName,
        level: violation.severity,
        resource: rest.join("/"),
      };
      // a rule that could not read a value (an intrinsic function) is reported as failing
      if (violation.description.startsWith("Rule threw an error"))
        finding.threw = violation.description;
      found[templates[Number(stack.slice(1))]].push(finding);
    }
  }
}
process.stdout.write(JSON.stringify(found) + "\n");
process.stderr.write(`nag-ms ${Date.now() - started} ${templates.length}\n`);
