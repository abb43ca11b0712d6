/**
 * A Serverless Framework plugin. serverless compiles a default Lambda role, IamRoleLambdaExecution,
 * and serverless-iam-roles-per-function copies it as the template of each function's own role; the
 * original then stays in the template though no function uses it, still allowed what serverless
 * gave it (here: receiving and deleting the approval-requests queue's messages, which carry task
 * tokens). A role nothing assumes is only a standing grant for whoever may pass it. Once every
 * resource is compiled, this removes that role if nothing in the template names it; if something
 * does, it stays, and the compiled-template test says so.
 */
export default class DropUnusedDefaultRole {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:aws:package:finalize:saveServiceState': () => this.drop() };
  }

  drop() {
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    const roleId = this.serverless.getProvider('aws').naming.getRoleLogicalId();
    if (!resources[roleId]) return;
    const { [roleId]: _role, ...others } = resources;
    const named = JSON.stringify(others).includes(`"${roleId}"`);
    if (!named) delete resources[roleId];
  }
}
