import { allowedValues, type Property, type PropertyType, type ServiceSpec } from './spec.js';

/**
 * What CloudFormation would refuse at deploy time, found offline in a compiled template: resource
 * schemas, references, dependency cycles, AWS limits, IAM action names. Each problem names where
 * it is (`Resources.X.Properties.Y`) and what is wrong.
 */
export interface CfnResource {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  Parameters?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Condition?: string }>;
}

export type Problem = string;

const PSEUDO_PARAMETERS = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);

const isIntrinsic = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::') || keys[0] === 'Condition');
};

// ---------------------------------------------------------------------------------------------
// Schemas: property names, required properties, types, allowed values
// ---------------------------------------------------------------------------------------------

const describe = (type: PropertyType, spec: ServiceSpec): string => {
  switch (type.type) {
    case 'array': return `a list of ${describe(type.element, spec)}`;
    case 'map': return `a map of ${describe(type.element, spec)}`;
    case 'ref': return spec.typeDefinition(type.reference.$ref)?.name ?? 'an object';
    case 'union': return type.types.map((option) => describe(option, spec)).join(' or ');
    default: return type.type;
  }
};

const sameShape = (value: unknown, type: PropertyType): boolean => {
  if (type.type === 'array') return Array.isArray(value);
  if (type.type === 'map' || type.type === 'ref' || type.type === 'tag') return value !== null && typeof value === 'object' && !Array.isArray(value);
  return value === null || typeof value !== 'object';
};

const checkValue = (value: unknown, type: PropertyType, path: string, spec: ServiceSpec): Problem[] => {
  // What an intrinsic function yields is only known at deploy time.
  if (isIntrinsic(value)) return [];
  switch (type.type) {
    case 'json':
      return [];
    case 'string':
    case 'date-time':
      // CloudFormation turns numbers and booleans into the strings a property wants.
      return ['string', 'number', 'boolean'].includes(typeof value) ? [] : [`${path}: expected a string, got ${JSON.stringify(value)?.slice(0, 60)}`];
    case 'number':
    case 'integer':
      return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
        ? [] : [`${path}: expected a number, got ${JSON.stringify(value)?.slice(0, 60)}`];
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false' ? [] : [`${path}: expected true or false, got ${JSON.stringify(value)?.slice(0, 60)}`];
    case 'null':
      return [];
    case 'tag':
      return checkObject(value, { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } }, path, spec, 'a tag');
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected ${describe(type, spec)}`];
      return value.flatMap((item, index) => checkValue(item, type.element, `${path}[${index}]`, spec));
    case 'map':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected ${describe(type, spec)}`];
      return Object.entries(value).flatMap(([key, item]) => checkValue(item, type.element, `${path}.${key}`, spec));
    case 'ref': {
      const definition = spec.typeDefinition(type.reference.$ref);
      return definition ? checkObject(value, definition.properties, path, spec, definition.name) : [];
    }
    case 'union': {
      // Schemas keep `json` beside a structured type for old templates; a value shaped like the
      // structured type is held to it, so a misspelt nested property still shows.
      const shaped = type.types.filter((option) => option.type !== 'json' && sameShape(value, option));
      const options = shaped.length > 0 ? shaped : type.types;
      const attempts = options.map((option) => checkValue(value, option, path, spec));
      if (attempts.some((problems) => problems.length === 0)) return [];
      return attempts.length === 1 ? attempts[0]! : [`${path}: expected ${describe(type, spec)}`];
    }
  }
};

const checkObject = (value: unknown, properties: Record<string, Property>, path: string, spec: ServiceSpec, typeName: string): Problem[] => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected ${typeName} (an object)`];
  const problems: Problem[] = [];
  const given = value as Record<string, unknown>;
  for (const [name, item] of Object.entries(given)) {
    const property = properties[name];
    if (!property) {
      problems.push(`${path}.${name}: ${typeName} has no property ${name}`);
      continue;
    }
    problems.push(...checkValue(item, property.type, `${path}.${name}`, spec));
    const allowed = allowedValues(property);
    if (allowed && typeof item === 'string' && !allowed.includes(item)) problems.push(`${path}.${name}: ${item} is not one of ${allowed.join(', ')}`);
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in given)) problems.push(`${path}: ${typeName} requires ${name}`);
  }
  return problems;
};

export const checkSchemas = (template: CfnTemplate, spec: ServiceSpec): Problem[] =>
  Object.entries(template.Resources).flatMap(([logicalId, resource]) => {
    const path = `Resources.${logicalId}`;
    if (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource') return [];
    const schema = spec.resource(resource.Type);
    if (!schema) return [`${path}: unknown resource type ${resource.Type}`];
    return checkObject(resource.Properties ?? {}, schema.properties, `${path}.Properties`, spec, resource.Type);
  });

// ---------------------------------------------------------------------------------------------
// References: Ref, Fn::GetAtt, Fn::Sub, DependsOn, conditions; and the dependency graph
// ---------------------------------------------------------------------------------------------

interface Reference { target: string; attribute?: string; via: string }

const SUB_VARIABLE = /\$\{([^!}][^}]*)\}/g;

/** Every resource, parameter or attribute a value refers to, and every condition it names. */
const referencesIn = (value: unknown, path: string, out: { refs: (Reference & { path: string })[]; conditions: { name: string; path: string }[] }, locals = new Set<string>()): void => {
  if (Array.isArray(value)) {
    value.forEach((item, index) => referencesIn(item, `${path}[${index}]`, out, locals));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [[key, argument]] = entries as [[string, unknown]];
    if (key === 'Ref' && typeof argument === 'string') {
      if (!locals.has(argument)) out.refs.push({ target: argument, via: 'Ref', path });
      return;
    }
    if (key === 'Fn::GetAtt') {
      const [target, ...attribute] = typeof argument === 'string' ? argument.split('.') : (argument as string[]);
      if (typeof target === 'string') out.refs.push({ target, attribute: attribute.join('.'), via: 'Fn::GetAtt', path });
      return;
    }
    if (key === 'Fn::Sub') {
      const [text, variables = {}] = typeof argument === 'string' ? [argument, {}] : (argument as [string, Record<string, unknown>]);
      const names = new Set(Object.keys(variables));
      for (const [, expression] of String(text).matchAll(SUB_VARIABLE)) {
        const [target, ...attribute] = expression!.trim().split('.');
        if (names.has(target!) || locals.has(target!)) continue;
        out.refs.push({ target: target!, ...(attribute.length > 0 ? { attribute: attribute.join('.') } : {}), via: 'Fn::Sub', path });
      }
      referencesIn(variables, `${path}.Fn::Sub`, out, locals);
      return;
    }
    if (key === 'Fn::If' && Array.isArray(argument)) {
      out.conditions.push({ name: String(argument[0]), path });
      argument.slice(1).forEach((item, index) => referencesIn(item, `${path}.Fn::If[${index + 1}]`, out, locals));
      return;
    }
    if (key === 'Condition' && typeof argument === 'string') {
      out.conditions.push({ name: argument, path });
      return;
    }
  }
  for (const [key, item] of entries) referencesIn(item, `${path}.${key}`, out, locals);
};

export const checkReferences = (template: CfnTemplate, spec: ServiceSpec): Problem[] => {
  const problems: Problem[] = [];
  const resources = template.Resources;
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const found = { refs: [] as (Reference & { path: string })[], conditions: [] as { name: string; path: string }[] };
  referencesIn(template.Conditions ?? {}, 'Conditions', found);
  for (const [logicalId, resource] of Object.entries(resources)) {
    referencesIn(resource.Properties ?? {}, `Resources.${logicalId}.Properties`, found);
    if (resource.Condition !== undefined) found.conditions.push({ name: resource.Condition, path: `Resources.${logicalId}.Condition` });
    for (const target of [resource.DependsOn ?? []].flat()) {
      if (!resources[target]) problems.push(`Resources.${logicalId}.DependsOn: no resource ${target}`);
    }
  }
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    referencesIn(output.Value, `Outputs.${name}.Value`, found);
    if (output.Condition !== undefined) found.conditions.push({ name: output.Condition, path: `Outputs.${name}.Condition` });
  }
  for (const { target, attribute, via, path } of found.refs) {
    if (PSEUDO_PARAMETERS.has(target)) continue;
    if (via !== 'Fn::GetAtt' && attribute === undefined && parameters.has(target)) continue;
    const resource = resources[target];
    if (!resource) {
      problems.push(`${path}: ${via} names ${target}, which is no resource${via === 'Fn::GetAtt' ? '' : ' or parameter'}`);
      continue;
    }
    if (attribute) {
      const schema = spec.resource(resource.Type);
      if (schema && !(attribute in schema.attributes) && !resource.Type.startsWith('Custom::')) {
        problems.push(`${path}: ${target} (${resource.Type}) has no attribute ${attribute}`);
      }
    }
  }
  for (const { name, path } of found.conditions) {
    if (!conditions.has(name)) problems.push(`${path}: no condition ${name}`);
  }
  return problems;
};

/** The resources each resource needs first: its DependsOn and every resource its properties refer to. */
export const dependencies = (template: CfnTemplate): Map<string, Set<string>> => {
  const graph = new Map<string, Set<string>>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const found = { refs: [] as (Reference & { path: string })[], conditions: [] as { name: string; path: string }[] };
    referencesIn(resource.Properties ?? {}, logicalId, found);
    const needs = new Set([...[resource.DependsOn ?? []].flat(), ...found.refs.map((ref) => ref.target)].filter((target) => target in template.Resources));
    graph.set(logicalId, needs);
  }
  return graph;
};

/**
 * A role that no resource or output refers to (a DependsOn is order, not use) is a standing grant
 * nobody needs, there for whoever may pass it: serverless's default Lambda role is one when every
 * function has a role of its own.
 */
export const checkUnusedRoles = (template: CfnTemplate): Problem[] => {
  const found = { refs: [] as (Reference & { path: string })[], conditions: [] as { name: string; path: string }[] };
  for (const [logicalId, resource] of Object.entries(template.Resources)) referencesIn(resource.Properties ?? {}, logicalId, found);
  referencesIn(template.Outputs ?? {}, 'Outputs', found);
  const referenced = new Set(found.refs.map((ref) => ref.target));
  return Object.entries(template.Resources)
    .filter(([logicalId, resource]) => resource.Type === 'AWS::IAM::Role' && !referenced.has(logicalId))
    .map(([logicalId]) => `Resources.${logicalId}: an IAM role nothing in the template uses; remove it`);
};

export const checkCycles = (template: CfnTemplate): Problem[] => {
  const graph = dependencies(template);
  const state = new Map<string, 'visiting' | 'done'>();
  const problems: Problem[] = [];
  const visit = (node: string, trail: string[]): void => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'visiting') {
      problems.push(`dependency cycle: ${[...trail.slice(trail.indexOf(node)), node].join(' -> ')}`);
      return;
    }
    state.set(node, 'visiting');
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
    state.set(node, 'done');
  };
  for (const node of graph.keys()) visit(node, []);
  return problems;
};

// ---------------------------------------------------------------------------------------------
// Limits (CloudFormation's quotas and each service's name lengths)
// ---------------------------------------------------------------------------------------------

/** Template body uploaded through S3, as `sls deploy` does: 1 MB. */
const TEMPLATE_BYTES = 1_000_000;
const MAX = { resources: 500, outputs: 200, parameters: 200, logicalIdLength: 255, lambdaEnvironmentBytes: 4 * 1024 };
/** The longest each service allows for a resource's name. */
const NAME_LENGTHS: Record<string, [property: string, max: number]> = {
  'AWS::Lambda::Function': ['FunctionName', 64],
  'AWS::IAM::Role': ['RoleName', 64],
  'AWS::SQS::Queue': ['QueueName', 80],
  'AWS::SNS::Topic': ['TopicName', 256],
  'AWS::DynamoDB::Table': ['TableName', 255],
  'AWS::StepFunctions::StateMachine': ['StateMachineName', 80],
  'AWS::Events::EventBus': ['Name', 256],
  'AWS::Events::Rule': ['Name', 64],
  'AWS::Logs::LogGroup': ['LogGroupName', 512],
  'AWS::S3::Bucket': ['BucketName', 63],
  'AWS::SecretsManager::Secret': ['Name', 512],
  'AWS::CloudWatch::Alarm': ['AlarmName', 255],
  'AWS::Cognito::UserPool': ['UserPoolName', 128],
};

/** A name as deployed, for its length: `resolve` turns intrinsics into the longest plausible text. */
export const checkLimits = (template: CfnTemplate, templateText: string, resolve: (value: unknown) => string): Problem[] => {
  const problems: Problem[] = [];
  const bytes = Buffer.byteLength(templateText);
  if (bytes > TEMPLATE_BYTES) problems.push(`template: ${bytes} bytes, over CloudFormation's ${TEMPLATE_BYTES}`);
  const count = (what: keyof typeof MAX, n: number) => { if (n > MAX[what]) problems.push(`template: ${n} ${what}, over CloudFormation's ${MAX[what]}`); };
  count('resources', Object.keys(template.Resources).length);
  count('outputs', Object.keys(template.Outputs ?? {}).length);
  count('parameters', Object.keys(template.Parameters ?? {}).length);
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!/^[A-Za-z0-9]+$/.test(logicalId) || logicalId.length > MAX.logicalIdLength) problems.push(`Resources.${logicalId}: a logical id is alphanumeric, at most ${MAX.logicalIdLength} characters`);
    const rule = NAME_LENGTHS[resource.Type];
    const named = rule ? resource.Properties?.[rule[0]] : undefined;
    if (rule && named !== undefined) {
      const name = resolve(named);
      if (name.length > rule[1]) problems.push(`Resources.${logicalId}.Properties.${rule[0]}: "${name}" is ${name.length} characters, over ${resource.Type}'s ${rule[1]}`);
    }
    if (resource.Type === 'AWS::Lambda::Function') {
      const variables = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      // Lambda counts the keys and values of the environment as the function receives them.
      const size = Object.entries(variables).reduce((total, [key, value]) => total + Buffer.byteLength(key) + Buffer.byteLength(resolve(value)), 0);
      if (size > MAX.lambdaEnvironmentBytes) problems.push(`Resources.${logicalId}.Properties.Environment: ${size} bytes, over Lambda's ${MAX.lambdaEnvironmentBytes}`);
    }
  }
  return problems;
};

// ---------------------------------------------------------------------------------------------
// IAM: every action a policy grants exists
// ---------------------------------------------------------------------------------------------

export interface IamActions {
  serviceExists(service: string): boolean;
  actions(service: string): string[];
  /** Actions with no resource types (AWS names them wildcard-only): a grant must say `Resource: '*'`. */
  wildcardOnly(service: string, action: string): boolean;
}

const policyStatements = (template: CfnTemplate): { path: string; actions: unknown; resources: unknown }[] =>
  Object.entries(template.Resources).flatMap(([logicalId, resource]) => {
    const documents: { path: string; document: unknown }[] = [];
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Role') {
      ((properties.Policies ?? []) as { PolicyDocument?: unknown }[]).forEach((policy, index) =>
        documents.push({ path: `Resources.${logicalId}.Properties.Policies[${index}].PolicyDocument`, document: policy.PolicyDocument }));
    }
    if (['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(resource.Type)) documents.push({ path: `Resources.${logicalId}.Properties.PolicyDocument`, document: properties.PolicyDocument });
    return documents.flatMap(({ path, document }) =>
      [((document as { Statement?: unknown } | undefined)?.Statement ?? [])].flat().map((statement, index) =>
        ({ path: `${path}.Statement[${index}]`, actions: (statement as { Action?: unknown }).Action, resources: (statement as { Resource?: unknown }).Resource })));
  });

export const checkIamActions = (template: CfnTemplate, iam: IamActions): Problem[] =>
  policyStatements(template).flatMap(({ path, actions, resources }) => [actions ?? []].flat().flatMap((action): Problem[] => {
    if (typeof action !== 'string' || action === '*') return [];
    const [service, name] = action.split(':');
    if (!service || !name) return [`${path}.Action: ${action} is not service:Action`];
    if (!iam.serviceExists(service.toLowerCase())) return [`${path}.Action: no IAM service ${service}`];
    const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    const matching = iam.actions(service.toLowerCase()).filter((known) => pattern.test(known));
    if (matching.length === 0) return [`${path}.Action: ${action} is no action of ${service}`];
    const onEverything = [resources ?? []].flat().includes('*');
    return !onEverything && matching.some((known) => iam.wildcardOnly(service.toLowerCase(), known))
      ? [`${path}.Action: ${action} has no resource types, so AWS allows it only with Resource "*"; scoped, it is denied`]
      : [];
  }));

// ---------------------------------------------------------------------------------------------
// Resources named as plain text: CloudFormation cannot see that dependency
// ---------------------------------------------------------------------------------------------

/** Properties that name another resource of the template by its name rather than a Ref. */
const NAMED_BY_TEXT: { type: string; property: string; targetType: string; targetName: string }[] = [
  { type: 'AWS::Events::Rule', property: 'EventBusName', targetType: 'AWS::Events::EventBus', targetName: 'Name' },
];

/**
 * A rule that names its bus as text is created in parallel with the bus unless it depends on it,
 * and fails when it comes first. Only a direct dependency counts: one that happens to run through
 * other resources (a target's role that can write to the bus) goes when they change.
 * `resolve` turns a value into its deployed text.
 */
export const checkNamedDependencies = (template: CfnTemplate, resolve: (value: unknown) => string): Problem[] => {
  const graph = dependencies(template);
  const reaches = (from: string, to: string): boolean => graph.get(from)?.has(to) ?? false;
  return Object.entries(template.Resources).flatMap(([logicalId, resource]) => NAMED_BY_TEXT
    .filter(({ type, property }) => resource.Type === type && typeof resource.Properties?.[property] === 'string')
    .flatMap(({ property, targetType, targetName }) => {
      const name = resource.Properties![property] as string;
      const target = Object.entries(template.Resources).find(([, candidate]) =>
        candidate.Type === targetType && candidate.Properties?.[targetName] !== undefined && resolve(candidate.Properties[targetName]) === name)?.[0];
      return target && !reaches(logicalId, target)
        ? [`Resources.${logicalId}.Properties.${property}: names ${target} as text ("${name}") without depending on it; add DependsOn: ${target}`]
        : [];
    }));
};
