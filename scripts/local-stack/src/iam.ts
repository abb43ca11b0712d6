import { callerName, type Caller } from './caller.js';
import { checksOfCall, type AwsRequest, type Check, type MappedCall } from './iam/actions.js';
import { IamData } from './iam/data.js';
import { accessDenied, denialMessage, type Answer } from './iam/errors.js';
import { describeStatement, evaluate, type Decision, type Principal, type RequestContext, type SourcedStatement } from './iam/policy.js';
import { lambdaResourcePolicies, rolesOfTemplate, type Role } from './iam/roles.js';
import { LOCAL_ACCOUNT, type TemplateResolver } from './template.js';

/**
 * IAM, held locally: every call a function, a state machine's Task or a rule makes is checked
 * against the compiled template's roles (and a Lambda function's resource policy), as AWS would
 * check it, before it reaches the emulator. Who is calling comes from caller.ts; which actions
 * on which resources a call needs, from iam/actions.ts; the decision, from iam/policy.ts.
 *
 * LOCAL_IAM=enforce answers a refused call with the service's own AccessDenied error;
 * `log` writes the same line and lets the call through (a team tightening its roles); `off`
 * checks nothing. Every refusal is one log line naming the caller, the action, the resource and
 * the statement that would allow it.
 */
export type IamMode = 'enforce' | 'log' | 'off';
export const IAM_MODES: readonly IamMode[] = ['enforce', 'log', 'off'];

export const parseIamMode = (value: string | undefined): IamMode => {
  const mode = (value ?? 'enforce').trim().toLowerCase() || 'enforce';
  if (!(IAM_MODES as readonly string[]).includes(mode)) throw new Error(`LOCAL_IAM=${value}: expected one of ${IAM_MODES.join(', ')}`);
  return mode as IamMode;
};

/** What a Task type needs beyond the calls the engine makes for it: `.sync` runs watch their job through an EventBridge rule Step Functions manages. */
const SYNC_RULES: Record<string, string> = {
  states: 'StepFunctionsGetEventsForStepFunctionsExecutionRule',
  ecs: 'StepFunctionsGetEventsForECSTaskRule',
  batch: 'StepFunctionsGetEventsForBatchJobsRule',
  codebuild: 'StepFunctionsGetEventsForCodeBuildStartBuildRule',
};
export const taskRequirements = (task: string, region: string, account: string): Check[] => {
  const match = /^arn:aws[^:]*:states:::([^:]+):[^.]+\.sync(?::2)?$/.exec(task);
  const rule = match?.[1] ? SYNC_RULES[match[1]] : undefined;
  if (!rule) return [];
  const arn = `arn:aws:events:${region}:${account}:rule/${rule}`;
  return ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'].map((action) => ({ action, resource: arn }));
};

const MAX_CACHED_DECISIONS = 10_000;

interface Refusal {
  check: Check;
  decision: Exclude<Decision, { effect: 'allow' }>;
  resourcePolicy: boolean;
}

export class LocalIam {
  private readonly decisions = new Map<string, Refusal | undefined>();
  private readonly roleNotesLogged = new Set<string>();

  private constructor(
    readonly mode: IamMode,
    private readonly data: IamData | undefined,
    readonly roles: Map<string, Role>,
    private readonly functionPolicies: Map<string, SourcedStatement[]>,
    private readonly region: string,
    private readonly log: (line: string) => void,
  ) {}

  static async fromTemplate(resolver: TemplateResolver, mode: IamMode, log: (line: string) => void): Promise<LocalIam> {
    if (mode === 'off') return new LocalIam(mode, undefined, new Map(), new Map(), resolver.region, log);
    return new LocalIam(mode, await IamData.load(), rolesOfTemplate(resolver), lambdaResourcePolicies(resolver), resolver.region, log);
  }

  /**
   * Reads the roles again once the template's resources exist: a policy may name an ARN only AWS
   * draws at creation (an EventBridge connection's), which the resolver knows only then.
   */
  resolveRolesAgain(resolver: TemplateResolver): void {
    if (this.mode === 'off') return;
    this.roles.clear();
    for (const [arn, role] of rolesOfTemplate(resolver)) this.roles.set(arn, role);
    this.decisions.clear();
  }

  get active(): boolean {
    return this.mode !== 'off';
  }

  /** One line for the start-up banner. */
  describe(): string {
    if (this.mode === 'off') return 'off (LOCAL_IAM=off: no call is checked)';
    const what = `${this.roles.size} roles, ${[...this.functionPolicies.values()].flat().length} Lambda permissions`;
    return this.mode === 'enforce'
      ? `enforce: functions, Tasks and rules held to the template's ${what}; a refusal is AWS's AccessDenied, logged`
      : `log: calls the template's ${what} would refuse are logged as AccessDenied and let through`;
  }

  /** The answer to a call the caller may not make, or undefined to let it through. `task` is the Task resource an engine call is for. */
  vetRequest(caller: Caller, request: AwsRequest, task?: string): Answer | undefined {
    if (!this.data) return undefined;
    const call = checksOfCall(request, this.data, { region: this.region, account: LOCAL_ACCOUNT });
    const checks = task && call.service === 'states' && call.operation === 'StartExecution'
      ? [...call.checks, ...taskRequirements(task, this.region, LOCAL_ACCOUNT)]
      : call.checks;
    if (call.unmapped) {
      this.refused(caller, `${call.service}:${call.operation}`, `the local stack cannot read this call into IAM actions (${call.unmapped}), so it is refused rather than guessed`);
      return this.mode === 'enforce' ? accessDenied(call, denialMessage({ principal: this.principalArn(caller), action: `${call.service}:${call.operation}`, resource: '*', service: call.service, explicit: false, resourcePolicy: false }), request.method) : undefined;
    }
    const refusal = this.firstRefusal(caller, checks);
    if (!refusal) return undefined;
    this.report(caller, refusal, call);
    return this.mode === 'enforce' ? accessDenied(call, this.message(caller, refusal, call.service), request.method) : undefined;
  }

  /** For what the emulator does for a caller without a request of its own (EventBridge delivering to a target): true when allowed (or only logged). */
  vetChecks(caller: Caller, checks: Check[]): boolean {
    if (!this.data) return true;
    const refusal = this.firstRefusal(caller, checks);
    if (!refusal) return true;
    this.report(caller, refusal);
    return this.mode !== 'enforce';
  }

  private firstRefusal(caller: Caller, checks: Check[]): Refusal | undefined {
    for (const check of checks) {
      const key = `${caller.kind} ${caller.arn} ${caller.role ?? '-'} ${check.action} ${check.resource} ${JSON.stringify(check.context ?? {})}`;
      if (!this.decisions.has(key)) {
        // Resources include object keys and execution ids: keep the cache from growing without end.
        if (this.decisions.size >= MAX_CACHED_DECISIONS) this.decisions.clear();
        this.decisions.set(key, this.decide(caller, check));
      }
      const refusal = this.decisions.get(key);
      if (refusal) return refusal;
    }
    return undefined;
  }

  /**
   * Same account, so either the caller's role or the resource's own policy may allow (a function's
   * resource policy, for lambda:Invoke*); an explicit deny in either refuses. A rule delivering to a
   * function has no role: events.amazonaws.com must be allowed by the function's resource policy.
   */
  private decide(caller: Caller, check: Check): Refusal | undefined {
    const role = caller.role ? this.roles.get(caller.role) : undefined;
    if (caller.role && !role) {
      // A machine someone created with a role of their own (a test, the CLI): the stack holds the
      // template's roles and knows no other's policies, so such calls act as whoever created it.
      if (!this.roleNotesLogged.has(caller.role)) {
        this.roleNotesLogged.add(caller.role);
        this.log(`IAM: ${caller.role} is not a role of the template: calls made with it are not checked`);
      }
      return undefined;
    }
    if (role && role.notes.length > 0 && !this.roleNotesLogged.has(role.arn)) {
      this.roleNotesLogged.add(role.arn);
      role.notes.forEach((note) => this.log(`IAM: role ${role.name}: ${note}`));
    }
    const context: RequestContext = {
      ...(caller.role
        ? { 'aws:principalarn': caller.role, 'aws:principalaccount': LOCAL_ACCOUNT, 'aws:principaltype': 'AssumedRole', 'aws:requestedregion': this.region, 'aws:securetransport': 'true' }
        : { 'aws:sourcearn': caller.arn, 'aws:sourceaccount': LOCAL_ACCOUNT, 'aws:principalservicename': 'events.amazonaws.com', 'aws:requestedregion': this.region, 'aws:securetransport': 'true' }),
      ...check.context,
    };
    const identity = caller.role ? evaluate(role?.statements ?? [], check.action, check.resource, context) : undefined;
    const resourceStatements = /^lambda:Invoke/i.test(check.action) ? this.functionPolicies.get(check.resource.split(':').slice(0, 7).join(':')) : undefined;
    const principal: Principal = caller.role ? { role: caller.role, account: LOCAL_ACCOUNT } : { service: 'events.amazonaws.com' };
    const resource = resourceStatements ? evaluate(resourceStatements, check.action, check.resource, context, principal) : undefined;
    for (const [decision, resourcePolicy] of [[identity, false], [resource, true]] as const) {
      if (decision?.effect === 'explicit-deny') return { check, decision, resourcePolicy };
    }
    if (identity?.effect === 'allow' || resource?.effect === 'allow') return undefined;
    const denied = (caller.role ? identity : resource) ?? { effect: 'implicit-deny' as const, unevaluated: [] };
    return { check, decision: denied as Refusal['decision'], resourcePolicy: !caller.role };
  }

  /** AWS's principal for the caller: the role's assumed-role session (a function's is named after it), or the service. */
  private principalArn(caller: Caller): string {
    if (!caller.role) return 'events.amazonaws.com';
    const roleName = caller.role.split('/').pop() ?? caller.role;
    return `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${roleName}/${callerName(caller).split('/').pop()}`;
  }

  private message(caller: Caller, refusal: Refusal, service: string): string {
    return denialMessage({
      principal: this.principalArn(caller),
      action: refusal.check.action,
      resource: refusal.check.resource,
      service,
      explicit: refusal.decision.effect === 'explicit-deny',
      resourcePolicy: refusal.resourcePolicy,
    });
  }

  private who(caller: Caller): string {
    const kind = caller.kind === 'state-machine' ? 'state machine' : caller.kind;
    const role = caller.role ? this.roles.get(caller.role)?.name ?? caller.role : undefined;
    return `${kind} ${callerName(caller)} (${role ? `role ${role}` : 'events.amazonaws.com'})`;
  }

  private refused(caller: Caller, action: string, why: string): void {
    const prefix = this.mode === 'enforce' ? 'IAM AccessDenied' : 'IAM AccessDenied (LOCAL_IAM=log: let through)';
    this.log(`${prefix}: ${this.who(caller)} ${action}: ${why}`);
  }

  private report(caller: Caller, refusal: Refusal, call?: MappedCall): void {
    const { check, decision } = refusal;
    const on = check.resource === '*' ? '' : ` on ${check.resource}`;
    const during = call && `${call.service}:${call.operation}` !== check.action ? ` (for ${call.service}:${call.operation})` : '';
    let why: string;
    if (decision.effect === 'explicit-deny') {
      why = `denied by ${decision.by.source} ${describeStatement(decision.by.statement)}`;
    } else if (!caller.role && !/^lambda:/i.test(check.action)) {
      why = 'the rule\'s target names no RoleArn: EventBridge starts an execution only with a role that allows it';
    } else if (refusal.resourcePolicy) {
      const fn = check.resource.split(':').slice(0, 7).join(':');
      why = `no resource-based policy of ${fn.split(':').pop()} allows it; this would: AWS::Lambda::Permission { FunctionName: ${fn}, Action: ${check.action}, Principal: events.amazonaws.com, SourceArn: ${caller.arn} }`;
    } else {
      why = `no statement of its role allows it; this would: ${describeStatement({ Effect: 'Allow', Action: check.action, Resource: check.resource })}`;
    }
    const skipped = decision.unevaluated.map(({ statement, why: reason }) => `${statement.source} (${reason})`);
    this.refused(caller, `${check.action}${on}${during}`, `${why}${skipped.length > 0 ? `; not applied, as the local stack cannot evaluate them: ${skipped.join('; ')}` : ''}`);
  }
}
