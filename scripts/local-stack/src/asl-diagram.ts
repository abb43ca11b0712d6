/**
 * A state machine definition (Amazon States Language, JSONPath) as a graph and as a Mermaid
 * flowchart: every state; Choice rules with their conditions in short; Parallel branches and Map
 * iterators as groups; Catch edges labelled with the errors they catch; Retry noted on the state.
 * It reads a definition as written (a Serverless `definition.asl.yaml`, `${self:…}` and
 * `Fn::GetAtt` left as they are) or as compiled (DescribeStateMachine's JSON), and knows nothing
 * of any particular machine.
 */

export interface AslChoiceRule {
  Next?: string;
  Variable?: string;
  And?: AslChoiceRule[];
  Or?: AslChoiceRule[];
  Not?: AslChoiceRule;
  [operator: string]: unknown;
}

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: AslChoiceRule[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Branches?: AslMachine[];
  Iterator?: AslMachine;
  ItemProcessor?: AslMachine;
  [field: string]: unknown;
}

export interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
  [field: string]: unknown;
}

export type EdgeKind = 'next' | 'choice' | 'default' | 'catch' | 'branch';

/** A transition the definition allows: one per source, target and kind (a Choice's rules to one target are one edge). */
export interface MachineEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** choice: the conditions; catch: the error names caught. */
  label?: string;
  errors?: string[];
}

export interface MachineState {
  name: string;
  state: AslState;
  /** The Parallel or Map state whose branch or iterator holds it; absent at the top level. */
  container?: string;
  /** Which branch of its Parallel (0-based). */
  branch?: number;
}

export const edgeKey = (edge: { from: string; to: string; kind: string }): string => `${edge.from} -> ${edge.to} (${edge.kind})`;

const nestedMachines = (state: AslState): AslMachine[] => [
  ...(state.Branches ?? []),
  ...(state.ItemProcessor ?? state.Iterator ? [(state.ItemProcessor ?? state.Iterator) as AslMachine] : []),
];

/** Every state, branch and iterator states included, in the order the definition lists them (a group's states right after it). */
export const machineStates = (machine: AslMachine): MachineState[] => {
  const states: MachineState[] = [];
  const walk = (current: AslMachine, container?: string, branch?: number) => {
    for (const [name, state] of Object.entries(current.States ?? {})) {
      states.push({ name, state, ...(container !== undefined ? { container } : {}), ...(branch !== undefined ? { branch } : {}) });
      (state.Branches ?? []).forEach((inner, index) => walk(inner, name, index));
      const iterator = state.ItemProcessor ?? state.Iterator;
      if (iterator) walk(iterator, name);
    }
  };
  walk(machine);
  return states;
};

// Choice rules in short: `$.order.total.amount > 50000`, `status = APPROVED`, `a and b`.
const COMPARISONS: [RegExp, string][] = [
  [/^(String|Numeric|Boolean|Timestamp)Equals(Path)?$/, '='],
  [/^(String|Numeric|Timestamp)LessThan(Path)?$/, '<'],
  [/^(String|Numeric|Timestamp)GreaterThan(Path)?$/, '>'],
  [/^(String|Numeric|Timestamp)LessThanEquals(Path)?$/, '≤'],
  [/^(String|Numeric|Timestamp)GreaterThanEquals(Path)?$/, '≥'],
  [/^StringMatches$/, 'matches'],
];
const TYPE_TESTS: Record<string, [string, string]> = {
  IsPresent: ['is present', 'is absent'],
  IsNull: ['is null', 'is not null'],
  IsString: ['is a string', 'is not a string'],
  IsNumeric: ['is a number', 'is not a number'],
  IsBoolean: ['is a boolean', 'is not a boolean'],
  IsTimestamp: ['is a timestamp', 'is not a timestamp'],
};

const shortPath = (path: unknown): string => String(path).replace(/^\$\./, '');

export const describeCondition = (rule: AslChoiceRule): string => {
  if (rule.And) return rule.And.map((inner) => describeNested(inner)).join(' and ');
  if (rule.Or) return rule.Or.map((inner) => describeNested(inner)).join(' or ');
  if (rule.Not) return `not ${describeNested(rule.Not)}`;
  const variable = shortPath(rule.Variable ?? '?');
  for (const [field, value] of Object.entries(rule)) {
    if (field in TYPE_TESTS) return `${variable} ${TYPE_TESTS[field]![value === false ? 1 : 0]}`;
    const comparison = COMPARISONS.find(([pattern]) => pattern.test(field));
    if (comparison) {
      const operand = field.endsWith('Path') ? shortPath(value) : typeof value === 'string' ? value : JSON.stringify(value);
      return `${variable} ${comparison[1]} ${operand}`;
    }
  }
  return variable;
};
const describeNested = (rule: AslChoiceRule): string => (rule.And || rule.Or ? `(${describeCondition(rule)})` : describeCondition(rule));

/** Every transition the definition allows, in the order of its states. */
export const machineEdges = (machine: AslMachine): MachineEdge[] => {
  const edges: (MachineEdge & { parts?: number })[] = [];
  const seen = new Map<string, MachineEdge & { parts?: number }>();
  const add = (edge: MachineEdge, joiner: string) => {
    const key = edgeKey(edge);
    const existing = seen.get(key);
    if (existing) {
      // Several rules to one target: `a or (b and c)`.
      const part = (text: string) => (joiner === ' or ' && / (and|or) /.test(text) ? `(${text})` : text);
      if (edge.label) existing.label = existing.label ? `${existing.parts === 1 ? part(existing.label) : existing.label}${joiner}${part(edge.label)}` : edge.label;
      existing.parts = (existing.parts ?? 1) + 1;
      if (edge.errors) existing.errors = [...new Set([...(existing.errors ?? []), ...edge.errors])];
      return;
    }
    seen.set(key, edge);
    edges.push(edge);
  };
  for (const { name, state } of machineStates(machine)) {
    for (const rule of state.Choices ?? []) {
      if (rule.Next) add({ from: name, to: rule.Next, kind: 'choice', label: describeCondition(rule) }, ' or ');
    }
    if (state.Default) add({ from: name, to: state.Default, kind: 'default', label: 'otherwise' }, '');
    for (const inner of nestedMachines(state)) add({ from: name, to: inner.StartAt, kind: 'branch' }, '');
    if (state.Next) add({ from: name, to: state.Next, kind: 'next' }, '');
    for (const catcher of state.Catch ?? []) {
      add({ from: name, to: catcher.Next, kind: 'catch', errors: catcher.ErrorEquals, label: catcher.ErrorEquals.join(', ') }, ', ');
    }
  }
  return edges.map(({ parts: _parts, ...edge }) => edge);
};

// Resource names in short: `${self:custom.tables.orders}` → orders, `Fn::GetAtt: [ChargePaymentLambdaFunction, Arn]`
// → ChargePayment, `arn:aws:lambda:…:function:my-fn` → my-fn.
const GENERIC_TAILS = new Set(['name', 'arn', 'Arn', 'id', 'url', 'Url']);
export const shortResourceName = (value: unknown): string | undefined => {
  if (typeof value === 'string') {
    const variable = /\$\{([^}]+)\}$/.exec(value.trim());
    if (variable) return variable[1]!.split(/[.:]/).filter((segment) => segment && !GENERIC_TAILS.has(segment)).at(-1);
    // An ARN or URL: its last part, less a version or alias qualifier.
    const parts = value.split(/[:/]/).filter(Boolean);
    if (parts.length > 2 && /^(\$LATEST|\d+)$/.test(parts.at(-1)!)) parts.pop();
    return parts.at(-1);
  }
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (typeof object.Ref === 'string') return object.Ref;
    const getAtt = object['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0].replace(/LambdaFunction$/, '');
    if (typeof getAtt === 'string') return getAtt.split('.')[0]?.replace(/LambdaFunction$/, '');
    const sub = object['Fn::Sub'];
    if (sub !== undefined) return shortResourceName(Array.isArray(sub) ? sub[0] : sub);
  }
  return undefined;
};

const RESOURCE_PARAMETERS = ['FunctionName', 'StateMachineArn', 'TableName', 'TopicArn', 'QueueUrl', 'Bucket', 'EventBusName'];

/** `lambda:invoke · ChargePayment`, `dynamodb:updateItem · orders`, `states:startExecution.sync:2 · approval`. */
export const describeResource = (state: AslState): string | undefined => {
  if (typeof state.Resource !== 'string') return undefined;
  const integration = /^arn:aws[\w-]*:states:::(.+)$/.exec(state.Resource);
  const parameters = (state.Parameters ?? state.Arguments ?? {}) as Record<string, unknown>;
  if (!integration) {
    // A Lambda function or an activity named directly.
    const kind = /:function:/.test(state.Resource) ? 'lambda' : /:activity:/.test(state.Resource) ? 'activity' : 'resource';
    return `${kind} · ${shortResourceName(state.Resource) ?? state.Resource}`;
  }
  const action = integration[1]!.replace(/^aws-sdk:/, '');
  const entries = Array.isArray(parameters.Entries) ? (parameters.Entries as Record<string, unknown>[]) : [];
  const named = [parameters, ...entries].flatMap((source) => RESOURCE_PARAMETERS.map((key) => source[key]).filter((value) => value !== undefined))[0];
  const name = shortResourceName(named);
  return name ? `${action} · ${name}` : action;
};

/** Retry in short: `PaymentGatewayUnavailable ×3 · 4 Lambda errors ×3`, `NotificationUnavailable + 4 Lambda errors ×3`. */
export const describeRetry = (state: AslState): string | undefined => {
  if (!state.Retry?.length) return undefined;
  return state.Retry.map((retrier) => {
    const names = retrier.ErrorEquals;
    if (names.includes('States.ALL')) return `any error ×${retrier.MaxAttempts ?? 3}`;
    // Names of one service (`Lambda.ServiceException`, `Lambda.TooManyRequestsException`, …) are counted, others named.
    const byService = new Map<string, string[]>();
    for (const name of names) {
      const service = name.includes('.') ? name.split('.')[0]! : name;
      byService.set(service, [...(byService.get(service) ?? []), name]);
    }
    const parts = [...byService].map(([service, members]) => (members.length > 1 ? `${members.length} ${service} errors` : members[0]!));
    return `${parts.join(' + ')} ×${retrier.MaxAttempts ?? 3}`;
  }).join(' · ');
};

const describeWait = (state: AslState): string | undefined => {
  if (state.Seconds !== undefined) return `${String(state.Seconds)} s`;
  if (state.SecondsPath !== undefined) return `seconds from ${shortPath(state.SecondsPath)}`;
  if (state.Timestamp !== undefined) return `until ${String(state.Timestamp)}`;
  if (state.TimestampPath !== undefined) return `until ${shortPath(state.TimestampPath)}`;
  return undefined;
};

/** What a state's outcome looks like on the diagram: an execution's (each state's status) or a test suite's (visited or not). */
export type OverlayStatus = 'SUCCEEDED' | 'FAILED' | 'CAUGHT' | 'ABORTED' | 'RUNNING' | 'WAITING' | 'NOT_RUN' | 'VISITED' | 'UNVISITED';

export interface DiagramOverlay {
  states: Record<string, { status: OverlayStatus; note?: string }>;
  /** The transitions taken; drawn in full even where catch-all edges are collapsed. */
  taken: { from: string; to: string; kind: string }[];
  /** `execution`: taken routes stand out, the rest is quiet; `coverage`: routes never taken stand out. */
  mode: 'execution' | 'coverage';
}

export interface DiagramOptions {
  /**
   * Catch-all edges (`ErrorEquals: [States.ALL]`) into one state from at least this many states
   * are drawn as one edge from a note, and each source says where its catch-all goes; 0 draws
   * every edge. Keeps a machine whose every Task ends in one handler readable.
   */
  collapseCatchAllFrom?: number;
  overlay?: DiagramOverlay;
}

export interface Diagram {
  /** The Mermaid flowchart. */
  mermaid: string;
  /** Each state's node (or group) id in the flowchart. */
  nodeIds: Record<string, string>;
  /** The catch-all edges drawn as one: per target, the states whose catch-all goes there. */
  collapsed: { target: string; sources: string[] }[];
}

const escapeLabel = (text: string): string =>
  text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
/** A label: first line as it is, the others smaller. */
const label = (lines: (string | undefined)[]): string => {
  const [first = '', ...rest] = lines.filter((line): line is string => Boolean(line)).map(escapeLabel);
  return `"${[first, ...rest.map((line) => `<small>${line}</small>`)].join('<br/>')}"`;
};

const SHAPES: Record<string, [string, string]> = {
  Choice: ['{', '}'],
  Succeed: ['([', '])'],
  Fail: ['[[', ']]'],
  Wait: ['(', ')'],
  Pass: ['[', ']'],
  Task: ['[', ']'],
};

const CLASS_DEFS = [
  'classDef pass fill:#f8f9fa,stroke:#9aa0a6',
  'classDef terminal fill:#f8f9fa,stroke:#5f6368',
  'classDef note fill:#fff8e1,stroke:#f9ab00,color:#5f4b00',
  'classDef start fill:#5f6368,stroke:#5f6368,color:#fff',
];
const OVERLAY_CLASS_DEFS: Record<OverlayStatus, string> = {
  SUCCEEDED: 'fill:#e6f4ea,stroke:#1e8e3e,color:#0d652d',
  FAILED: 'fill:#fce8e6,stroke:#d93025,color:#a50e0e,stroke-width:2px',
  CAUGHT: 'fill:#fef7e0,stroke:#e37400,color:#7a3e00,stroke-width:2px',
  ABORTED: 'fill:#f1f3f4,stroke:#5f6368,color:#3c4043,stroke-dasharray:4 3',
  RUNNING: 'fill:#e8f0fe,stroke:#1a73e8,color:#174ea6,stroke-width:2px',
  WAITING: 'fill:#e8f0fe,stroke:#1a73e8,color:#174ea6,stroke-width:2px,stroke-dasharray:6 3',
  NOT_RUN: 'fill:#ffffff,stroke:#dadce0,color:#9aa0a6',
  VISITED: 'fill:#e6f4ea,stroke:#1e8e3e,color:#0d652d',
  UNVISITED: 'fill:#fce8e6,stroke:#d93025,color:#a50e0e,stroke-width:2px,stroke-dasharray:4 3',
};
const GROUP_STYLES: Record<OverlayStatus, string> = {
  SUCCEEDED: 'fill:#f3faf5,stroke:#1e8e3e',
  FAILED: 'fill:#fdf3f2,stroke:#d93025,stroke-width:2px',
  CAUGHT: 'fill:#fffbf0,stroke:#e37400,stroke-width:2px',
  ABORTED: 'fill:#f8f9fa,stroke:#5f6368,stroke-dasharray:4 3',
  RUNNING: 'fill:#f4f8fe,stroke:#1a73e8,stroke-width:2px',
  WAITING: 'fill:#f4f8fe,stroke:#1a73e8,stroke-width:2px,stroke-dasharray:6 3',
  NOT_RUN: 'fill:#ffffff,stroke:#dadce0',
  VISITED: 'fill:#f3faf5,stroke:#1e8e3e',
  UNVISITED: 'fill:#fdf3f2,stroke:#d93025,stroke-width:2px,stroke-dasharray:4 3',
};

const isGroup = (state: AslState) => state.Type === 'Parallel' || state.Type === 'Map';

export const renderMermaid = (machine: AslMachine, options: DiagramOptions = {}): Diagram => {
  const collapseFrom = options.collapseCatchAllFrom ?? 5;
  const overlay = options.overlay;
  const states = machineStates(machine);
  const edges = machineEdges(machine);

  // Node ids: the state's name, made safe for Mermaid (and never a keyword such as `end`).
  const nodeIds: Record<string, string> = {};
  const used = new Set<string>();
  const idFor = (base: string) => {
    let id = base;
    for (let counter = 2; used.has(id); counter += 1) id = `${base}_${counter}`;
    used.add(id);
    return id;
  };
  for (const { name } of states) nodeIds[name] = idFor(`s_${name.replace(/[^A-Za-z0-9_]/g, '_')}`);

  // Which catch-all edges are collapsed: per target, the sources whose last catcher is States.ALL alone.
  const catchAllSources = new Map<string, string[]>();
  for (const { name, state } of states) {
    for (const catcher of state.Catch ?? []) {
      if (catcher.ErrorEquals.length === 1 && catcher.ErrorEquals[0] === 'States.ALL') {
        catchAllSources.set(catcher.Next, [...(catchAllSources.get(catcher.Next) ?? []), name]);
      }
    }
  }
  const collapsedTargets = new Set([...catchAllSources].filter(([, sources]) => collapseFrom > 0 && sources.length >= collapseFrom).map(([target]) => target));
  const taken = new Set((overlay?.taken ?? []).map(edgeKey));
  const collapsedCatchAll = (edge: MachineEdge) =>
    edge.kind === 'catch' && collapsedTargets.has(edge.to) && edge.errors?.length === 1 && edge.errors[0] === 'States.ALL';
  const catchAllTarget = new Map<string, string>();
  for (const target of collapsedTargets) for (const source of catchAllSources.get(target) ?? []) catchAllTarget.set(source, target);

  /** `⚠ else → Handler` on a state whose catch-all edge is collapsed; coverage says when no test took it. */
  const catchAllLine = (name: string): string | undefined => {
    const target = catchAllTarget.get(name);
    if (!target) return undefined;
    const untested = overlay?.mode === 'coverage' && !taken.has(edgeKey({ from: name, to: target, kind: 'catch' }));
    return `⚠ else → ${target}${untested ? ' (never taken)' : ''}`;
  };

  const lines = ['flowchart TD'];
  const stateLabel = ({ name, state }: MachineState): string => {
    const note = overlay?.states[name]?.note;
    const kind = state.Type === 'Task' ? describeResource(state) : state.Type === 'Wait' ? describeWait(state) : undefined;
    const retry = describeRetry(state);
    return label([name, kind, retry ? `↻ ${retry}` : undefined, catchAllLine(name), note]);
  };
  const groupTitle = ({ name, state }: MachineState): string => {
    const note = overlay?.states[name]?.note;
    const what = state.Type === 'Parallel'
      ? `Parallel, ${state.Branches?.length ?? 0} branches`
      : `Map${state.ItemsPath ? ` over ${shortPath(state.ItemsPath)}` : ''}${state.MaxConcurrency ? `, ${String(state.MaxConcurrency)} at a time` : ''}`;
    const retry = describeRetry(state);
    return label([name, what, retry ? `↻ ${retry}` : undefined, catchAllLine(name), note]);
  };

  const byContainer = new Map<string | undefined, MachineState[]>();
  for (const entry of states) byContainer.set(entry.container, [...(byContainer.get(entry.container) ?? []), entry]);
  const declare = (entries: MachineState[], indent: string) => {
    for (const entry of entries) {
      const id = nodeIds[entry.name]!;
      if (isGroup(entry.state)) {
        lines.push(`${indent}subgraph ${id}[${groupTitle(entry)}]`);
        const inner = byContainer.get(entry.name) ?? [];
        const branches = entry.state.Branches ?? [];
        // A branch of one state needs no box of its own; longer branches are told apart by one.
        if (entry.state.Type === 'Parallel' && branches.some((branch) => Object.keys(branch.States).length > 1)) {
          branches.forEach((_, index) => {
            lines.push(`${indent}  subgraph ${idFor(`${id}_branch${index + 1}`)}["branch ${index + 1}"]`);
            declare(inner.filter((candidate) => candidate.branch === index), `${indent}    `);
            lines.push(`${indent}  end`);
          });
        } else {
          declare(inner, `${indent}  `);
        }
        lines.push(`${indent}end`);
      } else {
        const [open, close] = SHAPES[entry.state.Type] ?? ['[', ']'];
        lines.push(`${indent}${id}${open}${stateLabel(entry)}${close}`);
      }
    }
  };
  lines.push(`  start_((" ")):::start`);
  declare(byContainer.get(undefined) ?? [], '  ');
  const notes: string[] = [];
  for (const target of collapsedTargets) {
    const id = idFor(`catchall_${nodeIds[target]}`);
    notes.push(id);
    lines.push(`  ${id}>${label([`any other error`, `from the ${catchAllSources.get(target)!.length} states marked ⚠`])}]:::note`);
  }
  const endsAtTop = states.some(({ container, state }) => container === undefined && state.End && !['Succeed', 'Fail'].includes(state.Type));
  if (endsAtTop) lines.push(`  end_((" ")):::start`);

  // Edges last, so each is numbered in order for linkStyle.
  const drawn: { edge?: MachineEdge; text: string; collapsed?: { allTaken: boolean } }[] = [];
  drawn.push({ text: `start_ --> ${nodeIds[machine.StartAt]}` });
  for (const edge of edges) {
    if (edge.kind === 'branch') continue; // the group shows it
    // An execution's route is drawn in full; a coverage overlay keeps the collapse and says on each state whether its catch-all was taken.
    if (collapsedCatchAll(edge) && !(overlay?.mode === 'execution' && taken.has(edgeKey(edge)))) continue;
    const from = nodeIds[edge.from]!;
    const to = nodeIds[edge.to];
    if (!to) continue; // a Next to a state that does not exist: the engine rejects such a definition
    const text = edge.kind === 'catch'
      ? `${from} -.->|${label([edge.label])}| ${to}`
      : edge.kind === 'next'
        ? `${from} --> ${to}`
        : `${from} -->|${label([edge.label])}| ${to}`;
    drawn.push({ edge, text });
  }
  for (const target of collapsedTargets) {
    const allTaken = catchAllSources.get(target)!.every((source) => taken.has(edgeKey({ from: source, to: target, kind: 'catch' })));
    drawn.push({ text: `${notes.shift()} -.->|"States.ALL"| ${nodeIds[target]}`, collapsed: { allTaken } });
  }
  for (const { name, state, container } of states) {
    if (container === undefined && state.End && !['Succeed', 'Fail'].includes(state.Type)) drawn.push({ text: `${nodeIds[name]} --> end_` });
  }
  lines.push(...drawn.map(({ text }) => `  ${text}`));

  lines.push(...CLASS_DEFS.map((line) => `  ${line}`));
  if (!overlay) {
    const passes = states.filter(({ state }) => state.Type === 'Pass').map(({ name }) => nodeIds[name]);
    const terminals = states.filter(({ state }) => state.Type === 'Succeed' || state.Type === 'Fail').map(({ name }) => nodeIds[name]);
    if (passes.length) lines.push(`  class ${passes.join(',')} pass`);
    if (terminals.length) lines.push(`  class ${terminals.join(',')} terminal`);
  } else {
    const used = new Set(Object.values(overlay.states).map(({ status }) => status));
    for (const status of used) lines.push(`  classDef ${status.toLowerCase()} ${OVERLAY_CLASS_DEFS[status]}`);
    for (const { name, state } of states) {
      const status = overlay.states[name]?.status;
      if (!status) continue;
      if (isGroup(state)) lines.push(`  style ${nodeIds[name]} ${GROUP_STYLES[status]}`);
      else lines.push(`  class ${nodeIds[name]} ${status.toLowerCase()}`);
    }
    const emphasis = overlay.mode === 'execution' ? 'stroke:#1a73e8,stroke-width:3px' : 'stroke:#1e8e3e,stroke-width:2px';
    const rest = overlay.mode === 'execution' ? 'stroke:#c4c7c5,stroke-width:1px' : 'stroke:#d93025,stroke-width:2px,stroke-dasharray:5 4';
    // The collapsed catch-all edge counts as taken in a coverage overlay when every state's catch-all was.
    const isTaken = ({ edge, collapsed }: (typeof drawn)[number]) => (edge ? taken.has(edgeKey(edge)) : overlay.mode === 'coverage' && Boolean(collapsed?.allTaken));
    const takenIndexes = drawn.flatMap((entry, index) => (isTaken(entry) && (entry.edge || entry.collapsed) ? [index] : []));
    const otherIndexes = drawn.flatMap((entry, index) => (!isTaken(entry) && (entry.edge || entry.collapsed) ? [index] : []));
    if (takenIndexes.length) lines.push(`  linkStyle ${takenIndexes.join(',')} ${emphasis}`);
    if (otherIndexes.length) lines.push(`  linkStyle ${otherIndexes.join(',')} ${rest}`);
  }
  return {
    mermaid: `${lines.join('\n')}\n`,
    nodeIds,
    collapsed: [...collapsedTargets].map((target) => ({ target, sources: catchAllSources.get(target) ?? [] })),
  };
};
