/**
 * The API reports of the package's entry points (api/*.api.md, by API Extractor over the built
 * dist/*.d.ts): `npm run api:check` fails when a public surface differs from its reviewed report,
 * `npm run api:update` rewrites the reports for review. Run after `npm run build`.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const here = dirname(fileURLToPath(import.meta.url));
const update = process.argv.includes('--update');
const configs = readdirSync(here).filter((file) => file.endsWith('.api-extractor.json')).sort();

const changed = [];
const failed = [];
for (const file of configs) {
  const config = ExtractorConfig.loadFileAndPrepare(join(here, file));
  const result = Extractor.invoke(config, {
    localBuild: update,
    // Only what matters here: a changed report, or an error; the per-file chatter stays quiet.
    messageCallback: (message) => {
      if (message.logLevel !== 'error') message.handled = true;
    },
  });
  const name = file.replace('.api-extractor.json', '.api.md');
  if (result.apiReportChanged) changed.push(name);
  if (result.errorCount > 0) failed.push(name);
}

if (failed.length > 0) {
  process.stderr.write(`API Extractor failed on ${failed.join(', ')} (errors above); run \`npm run build\` first.\n`);
  process.exit(1);
}
if (update) {
  process.stdout.write(changed.length > 0 ? `Updated api/${changed.join(', api/')}: review the diff and commit it.\n` : `The ${configs.length} API reports are up to date.\n`);
} else if (changed.length > 0) {
  process.stderr.write(
    `The public API changed: api/${changed.join(', api/')} differ from the built entry points` +
      ` (the new reports are in dist/api-report/).\nIf the change is intended, run \`npm run api:update\`, review the diff of api/*.api.md and commit it.\n`,
  );
  process.exit(1);
} else {
  process.stdout.write(`The public API matches the ${configs.length} reviewed reports in api/.\n`);
}
