// `npm run test:deployed -- --stage <stage>`: the deployed suite (test/deployed) against a stage on
// AWS, with the credentials, region and tokens in the environment (docs/deploy.md, "Test a
// deployed stage"). Without --stage it runs against a local stack it starts, as npm test does.
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const at = args.indexOf('--stage');
const stage = at >= 0 ? args[at + 1] : 'local';
if (!stage || stage.startsWith('-')) {
  console.error('usage: npm run test:deployed -- [--stage <stage>] [jest options]');
  process.exit(2);
}
const rest = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
const env = { ...process.env, DEPLOYED_STAGE: stage };
if (stage !== 'local') {
  // Real AWS: no local endpoint may leak in from the shell.
  delete env.AWS_ENDPOINT_URL;
  delete env.TEST_API_URL;
}
const jest = spawn(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--selectProjects', 'deployed', '--runInBand', ...rest], { stdio: 'inherit', env });
jest.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
