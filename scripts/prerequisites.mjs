// npm scripts run under the node@24 devDependency; a plain `node` 20 from the shell is not enough.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`Node ${process.versions.node} is running this; the project needs Node 24 (the Lambda runtime nodejs24.x).`);
  console.error('Run it through npm (npm start, npm test), which uses the node@24 devDependency, or install Node 24.');
  process.exit(1);
}
