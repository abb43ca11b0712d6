export { callerOf, CALLER_HEADER, currentCaller, runAs, type Caller } from './caller.js';
export { describeStack } from './describe.js';
export { FAULT_KINDS, FaultSpecError, parseFaults, seededRandom, type FaultKind, type FaultSettings } from './faults.js';
export { IAM_MODES, parseIamMode, taskRequirements, type IamMode } from './iam.js';
export { checksOfCall, httpTaskCheck, type AwsRequest, type Check, type MappedCall } from './iam/actions.js';
export { IamData } from './iam/data.js';
export { announceReady, READY_LINE, runInForeground } from './foreground.js';
export { configuredInputs, ensurePackaged, packagedSettings, type PackageOptions } from './packaging.js';
export { provisionExternalEngine } from './provision-engine.js';
export { freePort, loadCompiledTemplate, REGION, startStack, type RunningStack, type StackOptions, type TemplateSource } from './stack.js';
export { LOCAL_ACCOUNT, loadTemplate, TemplateResolver, type Template } from './template.js';
export { SqsPoller } from './sqs-event-source.js';
export { functionsOfTemplate, type LambdaFunction } from './lambda-runtime.js';
export {
  describeCondition, edgeKey, machineEdges, machineStates, renderMermaid,
  type AslMachine, type AslState, type Diagram, type DiagramOptions, type DiagramOverlay, type EdgeKind, type MachineEdge, type MachineState, type OverlayStatus,
} from './asl-diagram.js';
export { analyzeExecution, summarizeExecution, type ExecutionAnalysis, type ExecutionSummary, type StateOutcome, type StateRun, type StateStatus, type TakenEdge } from './execution-view.js';
export { StepFunctionsConsole, type ConsoleOptions, type CoverageFile } from './console.js';
export { TextractOcr, type Block } from './textract-ocr.js';
