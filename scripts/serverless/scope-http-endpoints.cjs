'use strict';

/**
 * serverless-step-functions grants a machine with HTTP Tasks `states:InvokeHTTPEndpoint` on `*`
 * with no condition: its role could call any URL with any method. This narrows that grant to what
 * the definition calls, with the conditions AWS offers: per method (`states:HTTPMethod`), the
 * endpoints (`states:HTTPEndpoint`) its HTTP Tasks name. A static `ApiEndpoint` is allowed as
 * written; an `ApiEndpoint.$` built by `States.Format('<url>{}…', …)` as that URL with `*` for each
 * `{}`; any other path expression cannot be narrowed, and packaging stops, saying which state.
 * A plain Serverless plugin (CommonJS, loaded by path from serverless.yml), after the roles exist.
 */
const ACTION = 'states:InvokeHTTPEndpoint';

const definitionText = (definition) => {
  if (typeof definition === 'string') return definition;
  const sub = definition && definition['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0];
  return undefined;
};

/** Every HTTP Task of a definition, branches and Map item processors included: [state name, endpoint pattern, method]. */
const httpCalls = (states, found = []) => {
  for (const [name, state] of Object.entries(states || {})) {
    if (state.Type === 'Task' && state.Resource === 'arn:aws:states:::http:invoke') {
      const parameters = state.Parameters || {};
      let endpoint = parameters.ApiEndpoint;
      const dynamic = parameters['ApiEndpoint.$'];
      if (endpoint === undefined && typeof dynamic === 'string') {
        const format = /^States\.Format\('((?:[^'\\]|\\.)*)'/.exec(dynamic.trim());
        endpoint = format ? format[1].replace(/\\(.)/g, '$1').replace(/\{\}/g, '*') : undefined;
      }
      if (typeof endpoint !== 'string' || typeof parameters.Method !== 'string') {
        throw new Error(`HTTP Task ${name}: its ApiEndpoint and Method must be written out (or the endpoint a States.Format of the URL) to scope ${ACTION}`);
      }
      found.push([name, endpoint, parameters.Method]);
    }
    for (const branch of state.Branches || []) httpCalls(branch.States, found);
    const processor = state.ItemProcessor || state.Iterator;
    if (processor) httpCalls(processor.States, found);
  }
  return found;
};

const grantsInvokeAnywhere = (statement) => {
  const actions = [].concat(statement.Action || []);
  return actions.includes(ACTION) && !statement.Condition;
};

class ScopeHttpEndpointsPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.scope() };
  }

  scope() {
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    for (const machine of Object.values(resources).filter((resource) => resource.Type === 'AWS::StepFunctions::StateMachine')) {
      const text = definitionText(machine.Properties.DefinitionString);
      const roleId = machine.Properties.RoleArn && machine.Properties.RoleArn['Fn::GetAtt'] && machine.Properties.RoleArn['Fn::GetAtt'][0];
      const role = roleId && resources[roleId];
      if (!text || !role) continue;
      let calls;
      try {
        calls = httpCalls(JSON.parse(text).States);
      } catch (error) {
        throw new this.serverless.classes.Error(`${machine.Properties.StateMachineName}: ${error.message}`);
      }
      const byMethod = new Map();
      for (const [, endpoint, method] of calls) byMethod.set(method, [...new Set([...(byMethod.get(method) || []), endpoint])]);
      for (const policy of role.Properties.Policies || []) {
        const document = policy.PolicyDocument;
        const statements = [].concat(document.Statement || []);
        const kept = [];
        for (const statement of statements) {
          if (!grantsInvokeAnywhere(statement)) {
            kept.push(statement);
            continue;
          }
          const others = [].concat(statement.Action).filter((action) => action !== ACTION);
          if (others.length > 0) kept.push({ ...statement, Action: others });
          for (const [method, endpoints] of byMethod) {
            kept.push({
              Effect: 'Allow',
              Action: [ACTION],
              // IAM gives the action no resource type: "*" is the only resource it takes; the conditions scope it.
              Resource: ['*'],
              Condition: { StringEquals: { 'states:HTTPMethod': method }, StringLike: { 'states:HTTPEndpoint': endpoints } },
            });
          }
        }
        document.Statement = kept;
      }
    }
  }
}

module.exports = ScopeHttpEndpointsPlugin;
module.exports.httpCalls = httpCalls;
