'use strict';

/**
 * What operators need of every function, workflow and event rule, added to the compiled template
 * so that a new one gets it without a line of its own (settings: `custom.operations`):
 * - X-Ray tracing on every workflow (functions: `provider.tracing.lambda`), with each one's own
 *   role allowed to write traces (Serverless adds that to the default role only);
 * - alarms to the operations topic: each workflow's failed, timed-out, throttled and (STANDARD)
 *   aborted executions; each function's throttles; the errors of every function no workflow
 *   calls (a workflow's Task errors are retried, caught and alarmed by its execution alarms);
 * - every EventBridge target retried for a while, then its event kept in the dead-letter queue;
 *   every function a rule invokes (asynchronously) retried, then the invocation kept there too;
 *   every dead-letter queue's depth alarmed (unless serverless.yml alarms it with words of its own);
 * - one CloudWatch dashboard of the workflows, the functions, the dead-letter queues and the API.
 * A plain Serverless plugin (CommonJS, loaded by path from serverless.yml).
 */
const XRAY = { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: ['*'] };
const WORKFLOW_METRICS = ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionThrottled'];
// An EXPRESS execution cannot be stopped, so only a STANDARD one has aborted executions to count.
const STANDARD_ONLY_METRICS = ['ExecutionsAborted'];

const getAttId = (value) => value && value['Fn::GetAtt'] && value['Fn::GetAtt'][0];

class OperationsPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.addOperations() };
  }

  settings() {
    const given = (this.serverless.service.custom && this.serverless.service.custom.operations) || {};
    for (const key of ['alarmTopic', 'deadLetterQueue', 'maximumEventAgeSeconds', 'maximumRetryAttempts', 'asyncRetryAttempts']) {
      if (given[key] === undefined) throw new this.serverless.classes.Error(`custom.operations.${key} is not set (scripts/serverless/operations.cjs)`);
    }
    return given;
  }

  addOperations() {
    const settings = this.settings();
    const template = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    // serverless.yml's own resources are merged in later: an alarm written there counts too.
    const written = (this.serverless.service.resources && this.serverless.service.resources.Resources) || {};
    const all = { ...template, ...written };
    const ofType = (type) => Object.keys(all).filter((id) => all[id].Type === type);
    const alarmTopic = { Ref: settings.alarmTopic };
    const deadLetterArn = { 'Fn::GetAtt': [settings.deadLetterQueue, 'Arn'] };
    const addStatement = (roleId, statement) => {
      const role = all[roleId];
      if (!role) return;
      const statements = role.Properties.Policies[0].PolicyDocument.Statement;
      if (!statements.some((existing) => JSON.stringify(existing.Action) === JSON.stringify(statement.Action))) statements.push(statement);
    };
    const alarmed = (metric, dimension) => ofType('AWS::CloudWatch::Alarm').some((id) =>
      all[id].Properties.MetricName === metric && JSON.stringify(all[id].Properties.Dimensions) === JSON.stringify([dimension]));
    const alarm = (id, description, namespace, metric, dimension, statistic = 'Sum') => {
      if (alarmed(metric, dimension)) return;
      template[id] = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmDescription: description,
          Namespace: namespace,
          MetricName: metric,
          Dimensions: [dimension],
          Statistic: statistic,
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [alarmTopic],
        },
      };
    };

    const machines = ofType('AWS::StepFunctions::StateMachine');
    const machineText = machines.map((id) => JSON.stringify(all[id].Properties)).join('\n');
    for (const id of machines) {
      const machine = all[id].Properties;
      machine.TracingConfiguration = { Enabled: true };
      addStatement(getAttId(machine.RoleArn), { ...XRAY, Action: [...XRAY.Action, 'xray:GetSamplingRules', 'xray:GetSamplingTargets'] });
      const metrics = machine.StateMachineType === 'EXPRESS' ? WORKFLOW_METRICS : [...WORKFLOW_METRICS, ...STANDARD_ONLY_METRICS];
      for (const metric of metrics) {
        alarm(`${id}${metric}Alarm`, `${id}: ${metric} (a workflow execution that needs a person).`, 'AWS/States', metric, { Name: 'StateMachineArn', Value: { Ref: id } });
      }
    }

    const ruleTargets = ofType('AWS::Events::Rule').flatMap((id) => all[id].Properties.Targets || []);
    for (const target of ruleTargets) {
      target.RetryPolicy = target.RetryPolicy || { MaximumEventAgeInSeconds: settings.maximumEventAgeSeconds, MaximumRetryAttempts: settings.maximumRetryAttempts };
      target.DeadLetterConfig = target.DeadLetterConfig || { Arn: deadLetterArn };
    }
    const invokedByRules = new Set(ruleTargets.map((target) => getAttId(target.Arn)).filter((id) => id && all[id] && all[id].Type === 'AWS::Lambda::Function'));

    const functions = ofType('AWS::Lambda::Function');
    for (const id of functions) {
      const fn = all[id].Properties;
      const roleId = getAttId(fn.Role);
      if (fn.TracingConfig) addStatement(roleId, XRAY);
      const dimension = { Name: 'FunctionName', Value: { Ref: id } };
      alarm(`${id}ThrottlesAlarm`, `${id} was throttled: requests were refused for lack of concurrency.`, 'AWS/Lambda', 'Throttles', dimension);
      if (!machineText.includes(`"${id}"`)) alarm(`${id}ErrorsAlarm`, `${id} failed; no workflow retries or catches its errors.`, 'AWS/Lambda', 'Errors', dimension);
      if (invokedByRules.has(id)) {
        template[`${id.replace(/LambdaFunction$/, '')}AsyncInvokeConfig`] = {
          Type: 'AWS::Lambda::EventInvokeConfig',
          Properties: {
            FunctionName: { Ref: id },
            Qualifier: '$LATEST',
            MaximumRetryAttempts: settings.asyncRetryAttempts,
            MaximumEventAgeInSeconds: settings.maximumEventAgeSeconds,
            DestinationConfig: { OnFailure: { Destination: deadLetterArn } },
          },
        };
        // Lambda sends the failed invocation with the function's own role.
        addStatement(roleId, { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [deadLetterArn] });
      }
    }
    // A message in a dead-letter queue is work nobody will retry: each such queue's depth is alarmed.
    const deadLetterQueues = ofType('AWS::SQS::Queue').filter((id) => /DeadLetterQueue$/.test(id));
    for (const id of deadLetterQueues) {
      alarm(`${id}DepthAlarm`, `${id} holds messages that ran out of retries; someone must look at them.`, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible',
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }, 'Maximum');
    }
    template.OperationsDashboard = this.dashboard(machines, functions, deadLetterQueues);
  }

  dashboard(machines, functions, deadLetterQueues) {
    const widget = (title, metrics, y) => ({
      type: 'metric', x: 0, y, width: 24, height: 6,
      properties: { title, region: '${AWS::Region}', stat: 'Sum', period: 300, view: 'timeSeries', metrics },
    });
    const widgets = [
      widget('Workflow executions failed, timed out, aborted', machines.flatMap((id) => ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'].map((metric) => ['AWS/States', metric, 'StateMachineArn', `\${${id}}`])), 0),
      widget('Workflow executions started', machines.map((id) => ['AWS/States', 'ExecutionsStarted', 'StateMachineArn', `\${${id}}`]), 6),
      widget('Lambda errors and throttles', functions.flatMap((id) => ['Errors', 'Throttles'].map((metric) => ['AWS/Lambda', metric, 'FunctionName', `\${${id}}`])), 12),
      widget('Dead-letter queues (messages waiting)', deadLetterQueues.map((id) => ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', `\${${id}.QueueName}`]), 18),
      widget('HTTP API 5xx and 4xx', ['5xx', '4xx'].map((metric) => ['AWS/ApiGateway', metric, 'ApiId', '${HttpApi}']), 24),
    ];
    return {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: { DashboardName: { 'Fn::Sub': '${AWS::StackName}' }, DashboardBody: { 'Fn::Sub': JSON.stringify({ widgets }) } },
    };
  }
}

module.exports = OperationsPlugin;
