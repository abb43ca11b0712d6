/*
 * The local console's page: a plain script (no build step) that reads the console's JSON API and
 * draws diagrams with the Mermaid bundle served next to it. Routes live in the URL's hash:
 * #/ · #/machines/<arn>[?status=&view=coverage] · #/executions/<arn>[?state=] · #/search?q=
 */
'use strict';

const API = '/_local/console/api';
const main = document.getElementById('main');
const enc = encodeURIComponent;
const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]);

// Bumped by every navigation. An answer that arrives after the reader has moved on is dropped:
// a slow page (the one they left) would otherwise overwrite the page they went to.
let navigation = 0;
class Superseded extends Error {}

const get = async (path) => {
  const askedDuring = navigation;
  const response = await fetch(API + path);
  const body = await response.json().catch(() => ({}));
  if (askedDuring !== navigation) throw new Superseded(path);
  if (!response.ok) throw new Error(body.message || `${response.status} ${response.statusText}`);
  return body;
};

const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];
const STATE_STATUSES = {
  SUCCEEDED: 'succeeded', FAILED: 'failed', CAUGHT: 'failed, caught: a Catch routed on', ABORTED: 'aborted (stopped before it finished)',
  RUNNING: 'running', WAITING: 'waiting on a task token or a nested execution', NOT_RUN: 'not run',
};

const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '');
const duration = (ms) => {
  if (ms === undefined || ms === null) return '';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? `${minutes} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
};
const badge = (status) => `<span class="badge ${esc(status)}" title="${esc(STATE_STATUSES[status] ?? status)}">${esc(String(status).replace(/_/g, ' '))}</span>`;
const pretty = (text) => {
  if (text === undefined || text === null) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return String(text);
  }
};
/** An error and its cause; a Lambda's cause (errorType, errorMessage, trace) shows its message first and its trace on demand. */
const failure = (error, cause) => {
  let message;
  try {
    message = JSON.parse(cause).errorMessage;
  } catch {
    message = undefined;
  }
  const full = cause ? `<pre>${esc(pretty(cause))}</pre>` : '';
  return `<div class="failure"><b>${esc(error ?? 'Error')}</b>${message ? `<div class="message">${esc(message)}</div><details><summary>cause</summary>${full}</details>` : full}</div>`;
};
const block = (title, text) => (text === undefined || text === null || text === '' ? '' : `<h3>${esc(title)}</h3><pre class="json">${esc(pretty(text))}</pre>`);
const executionLink = (arn, label) => `<a href="#/executions/${enc(arn)}">${esc(label ?? arn.split(':').pop())}</a>`;
const machineOfExecution = (arn) => arn.replace(/:(execution|express):([^:]+):[^:]+$/, ':stateMachine:$2');

// ---- navigation ----------------------------------------------------------------------------

let machines = [];
const renderNav = (currentArn) => {
  document.querySelector('#machines ul').innerHTML = machines.map((machine) => `
    <li><a href="#/machines/${enc(machine.arn)}" class="${machine.arn === currentArn ? 'current' : ''}" title="${esc(machine.arn)}">
      <span>${esc(machine.name)}</span><span class="badge type">${esc(machine.type)}</span></a></li>`).join('')
    || '<li class="muted small" style="padding:0 16px">No state machines at this endpoint.</li>';
};
const loadMachines = async () => {
  const answer = await get('/machines');
  machines = answer.machines;
  document.getElementById('endpoint').textContent = `reads ${answer.endpoint}`;
};

const statusFilter = (current) => `<label class="muted">Status
  <select id="status-filter"><option value="">any</option>${EXECUTION_STATUSES.map((status) => `<option ${status === current ? 'selected' : ''}>${status}</option>`).join('')}</select></label>`;
const onStatusFilter = (params) => {
  document.getElementById('status-filter')?.addEventListener('change', (event) => {
    const next = new URLSearchParams(params);
    if (event.target.value) next.set('status', event.target.value);
    else next.delete('status');
    location.hash = `${location.hash.split('?')[0]}?${next}`;
  });
};

const executionsTable = (rows, { machineColumn }) => (rows.length === 0
  ? '<div class="empty">No executions.</div>'
  : `<table class="executions"><thead><tr><th>Status</th>${machineColumn ? '<th>State machine</th>' : ''}<th>Execution</th><th>Started</th><th>Duration</th></tr></thead>
    <tbody>${rows.map((row) => `<tr class="clickable" data-href="#/executions/${enc(row.executionArn)}">
      <td>${badge(row.status)}</td>${machineColumn ? `<td>${esc(row.stateMachineName)}</td>` : ''}
      <td class="mono">${executionLink(row.executionArn, row.name)}</td><td>${esc(when(row.startDate))}</td><td>${esc(duration(row.durationMs))}</td></tr>`).join('')}</tbody></table>`);

main.addEventListener('click', (event) => {
  const row = event.target.closest('tr[data-href]');
  if (row && !event.target.closest('a')) location.hash = row.dataset.href;
});

// ---- diagrams ------------------------------------------------------------------------------

mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxTextSize: 500_000, flowchart: { htmlLabels: true, useMaxWidth: false, wrappingWidth: 480 } });
let diagramCount = 0;

/** Draws a diagram and makes its states clickable; `onPick(stateName)`. */
const drawDiagram = async (container, diagram, onPick) => {
  diagramCount += 1;
  const { svg } = await mermaid.render(`diagram-${diagramCount}`, diagram.mermaid);
  container.innerHTML = svg;
  const elements = {};
  for (const [name, nodeId] of Object.entries(diagram.nodeIds)) {
    const element = container.querySelector(`g.node[id*="-${nodeId}-"], g.node[id$="-${nodeId}"], g.cluster[id="${nodeId}"], g.cluster[id$="-${nodeId}"]`);
    if (!element) continue;
    element.dataset.state = name;
    elements[name] = element;
    if (onPick) {
      element.addEventListener('click', (event) => {
        event.stopPropagation();
        onPick(name);
      });
    }
  }
  /** Scrolls the diagram (not the page) so that the state is in view. */
  const reveal = (name) => {
    const element = elements[name];
    if (!element) return;
    const box = element.getBoundingClientRect();
    const frame = container.getBoundingClientRect();
    const inView = box.top >= frame.top && box.bottom <= frame.bottom && box.left >= frame.left && box.right <= frame.right;
    if (!inView) {
      container.scrollTo({
        top: container.scrollTop + box.top - frame.top - (frame.height - box.height) / 2,
        left: container.scrollLeft + box.left - frame.left - (frame.width - box.width) / 2,
      });
    }
  };
  return {
    choose(name) {
      container.querySelectorAll('.chosen').forEach((element) => element.classList.remove('chosen'));
      elements[name]?.classList.add('chosen');
      reveal(name);
    },
    reveal,
  };
};

/** Diagrams open at their own size (a large machine fitted to the width is too small to read); the button fits them. */
const zoomToggle = (diagramElement) => {
  const button = document.getElementById('zoom');
  diagramElement.classList.add('actual');
  button?.addEventListener('click', () => {
    const actual = diagramElement.classList.toggle('actual');
    button.textContent = actual ? 'Fit to width' : 'Actual size';
  });
};

// ---- pages ---------------------------------------------------------------------------------

const showHome = async (params) => {
  renderNav();
  const status = params.get('status') ?? '';
  const recent = await get(`/executions?${new URLSearchParams({ ...(status ? { status } : {}), limit: '50' })}`);
  main.innerHTML = `
    <h1>State machines and their executions</h1>
    <p class="muted">Pick a state machine on the left to see its diagram and executions, or find executions by a text in their input above
      (an order, document or signup id finds the executions that worked on it).</p>
    <h2>Recent executions</h2>
    <div class="toolbar">${statusFilter(status)}<span class="muted small">newest first, every machine</span></div>
    ${executionsTable(recent.executions, { machineColumn: true })}`;
  onStatusFilter(params);
};

const showSearch = async (params) => {
  renderNav();
  const query = params.get('q') ?? '';
  const status = params.get('status') ?? '';
  document.getElementById('search-text').value = query;
  main.innerHTML = `<p class="muted">Searching the inputs of every machine's executions for “${esc(query)}”…</p>`;
  const found = await get(`/search?${new URLSearchParams({ q: query, ...(status ? { status } : {}) })}`);
  main.innerHTML = `
    <div class="crumbs"><a href="#/">State machines</a> › search</div>
    <h1>Executions whose input contains “${esc(found.query)}”</h1>
    <div class="toolbar">${statusFilter(status)}<span class="muted small">${found.executions.length} found among the ${found.looked} newest executions of every machine</span></div>
    ${executionsTable(found.executions, { machineColumn: true })}`;
  onStatusFilter(params);
};

const legend = (statuses) => `<div class="legend">${statuses.map((status) => `${badge(status)} <span>${esc(STATE_STATUSES[status] ?? status)}</span>`).join(' ')}</div>`;

const showMachine = async (arn, params) => {
  renderNav(arn);
  const status = params.get('status') ?? '';
  const coverageView = params.get('view') === 'coverage';
  const machine = await get(`/machines/${enc(arn)}${status ? `?status=${enc(status)}` : ''}`);
  const coverage = coverageView ? await get(`/machines/${enc(arn)}/coverage`) : undefined;
  const viewLink = (view, label) => {
    const next = new URLSearchParams(params);
    if (view) next.set('view', view);
    else next.delete('view');
    return `<a class="tab" href="#/machines/${enc(arn)}?${next}"><button class="${(view === 'coverage') === coverageView ? 'on' : ''}">${label}</button></a>`;
  };
  const expressNote = machine.type === 'EXPRESS'
    ? (machine.listed
      ? '<div class="note">EXPRESS: AWS does not list these executions (it sends them to CloudWatch Logs, when the machine logs them); this endpoint keeps them, so they are listed and drawn here.</div>'
      : `<div class="note">${esc(machine.note)}</div>`)
    : '';
  const coverageSummary = coverage
    ? (coverage.sources.length === 0
      ? `<div class="note">No test coverage recorded for ${esc(machine.name)}${coverage.coverageDir ? ` in <code>${esc(coverage.coverageDir)}</code>` : ''}. A test run that records it (this app: <code>npm run test:workflows</code>) writes it there.</div>`
      : `<p>States entered by the tests: <b>${coverage.states.visited}/${coverage.states.total}</b> · transitions taken: <b>${coverage.edges.taken}/${coverage.edges.total}</b>
          <span class="muted small">(${coverage.sources.map((source) => `${esc(source.source ?? 'a test run')}, ${esc(when(source.recordedAt))}`).join('; ')})</span></p>
        ${coverage.edges.missing.length ? `<details open><summary>Never taken (${coverage.edges.missing.length})</summary><ul>${coverage.edges.missing.map((edge) => `<li class="mono">${esc(edge.from)} → ${esc(edge.to)} <span class="muted">(${esc(edge.kind)})</span></li>`).join('')}</ul></details>` : ''}
        ${coverage.states.missing.length ? `<details open><summary>Never entered (${coverage.states.missing.length})</summary><ul>${coverage.states.missing.map((state) => `<li class="mono">${esc(state)}</li>`).join('')}</ul></details>` : ''}
        <div class="legend">${badge('VISITED')} entered · ${badge('UNVISITED')} never entered · green edges were taken, red dashed ones never were</div>`)
    : '';
  main.innerHTML = `
    <div class="crumbs"><a href="#/">State machines</a> ›</div>
    <h1>${esc(machine.name)} <span class="badge type">${esc(machine.type)}</span></h1>
    <div class="meta"><span class="mono">${esc(machine.arn)}</span></div>
    ${expressNote}
    <div class="toolbar">${viewLink('', 'Diagram')}${viewLink('coverage', 'Test coverage')}<button id="zoom">Fit to width</button></div>
    ${coverageSummary}
    <div class="diagram" id="diagram"></div>
    <h2>Executions</h2>
    <div class="toolbar">${statusFilter(status)}<span class="muted small">${machine.executions.length} shown, newest first</span></div>
    ${executionsTable(machine.executions, { machineColumn: false })}`;
  const diagramElement = document.getElementById('diagram');
  zoomToggle(diagramElement);
  await drawDiagram(diagramElement, (coverage ?? machine).diagram);
  onStatusFilter(params);
};

const stateDetails = (view, name, runIndex) => {
  const state = view.details.find((candidate) => candidate.name === name);
  if (!state) return '<p class="muted">No such state.</p>';
  const index = runIndex ?? state.runs.length - 1;
  const run = state.runs[index];
  const events = run ? view.events.filter((event) => run.eventIds.includes(event.id)) : [];
  const retries = state.attempts - state.runs.length;
  const facts = [
    ['Type', state.type],
    ['Runs', state.runs.length > 1 ? `${state.runs.length}` : undefined],
    ['Attempts', run ? `${run.attempts}${run.attempts > 1 ? ` (retried ${run.attempts - 1}×)` : ''}` : undefined],
    ['In', state.container],
    ['Map iteration', run?.iteration],
    ['Entered', when(run?.enteredAt)],
    ['Left', when(run?.exitedAt)],
    ['Waiting on', run?.waitingOn],
  ].filter(([, value]) => value !== undefined && value !== '');
  return `
    <h2>${esc(state.name)} ${badge(state.status)}</h2>
    ${retries > 0 && state.runs.length > 1 ? `<p class="muted small">${state.attempts} attempts over ${state.runs.length} runs.</p>` : ''}
    ${state.runs.length > 1 ? `<div class="runs">${state.runs.map((candidate, at) => `<button data-run="${at}" class="${at === index ? 'on' : ''}">Run ${at + 1}${candidate.iteration !== undefined ? ` · item ${candidate.iteration}` : ''} ${badge(candidate.status)}</button>`).join('')}</div>` : ''}
    ${state.runs.length === 0 ? '<p class="muted">Not run in this execution.</p>' : ''}
    <dl class="facts">${facts.map(([term, value]) => `<dt>${esc(term)}</dt><dd>${esc(value)}</dd>`).join('')}
      ${run?.caughtBy ? `<dt>Caught</dt><dd>${esc(run.error ?? 'an error')} → <a href="#" data-pick="${esc(run.caughtBy)}">${esc(run.caughtBy)}</a></dd>` : ''}
      ${run?.nestedExecutionArn ? `<dt>Nested</dt><dd>${executionLink(run.nestedExecutionArn)}</dd>` : ''}
    </dl>
    ${run?.error || run?.cause ? failure(run.error, run.cause) : ''}
    ${block('Input', run?.input)}
    ${block('Output', run?.output)}
    ${events.length ? `<h3>Events</h3><table class="events"><thead><tr><th>#</th><th>Type</th><th>Time</th></tr></thead><tbody>
      ${events.map((event) => `<tr><td>${event.id}</td><td class="type">${esc(event.type)}${event.details?.error ? `<div class="error-box small">${esc(event.details.error)}</div>` : ''}</td><td class="small">${esc(when(event.timestamp))}</td></tr>`).join('')}</tbody></table>` : ''}`;
};

const settled = (state) => (state.status === 'ABORTED' ? Number.MAX_SAFE_INTEGER : Math.max(...state.runs.at(-1).eventIds));

/** The states worth a sentence: failures, catches, retries, aborts and waits, in the order they ran. */
const happenings = (view) => {
  const link = (name) => `<a href="#" data-pick="${esc(name)}">${esc(name)}</a>`;
  const lines = view.details
    .filter((state) => state.runs.length > 0)
    // In the order they came to it: a branch's failure before its Parallel's catch; what was aborted for it after both.
    .sort((a, b) => settled(a) - settled(b))
    .flatMap((state) => {
      const last = state.runs.at(-1);
      const retries = state.attempts - state.runs.length;
      const failed = state.runs.find((run) => run.status === 'FAILED');
      // A run that failed before a redrive ran the state again (the analysis then reports its last run).
      const redriven = failed && state.status !== 'FAILED';
      const said = [];
      if (state.status === 'CAUGHT') said.push(`${link(state.name)} failed with <b>${esc(last.error ?? 'an error')}</b>${retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : ''}; its Catch went to ${link(last.caughtBy)}`);
      else if (state.status === 'FAILED') said.push(`${link(state.name)} failed with <b>${esc(failed?.error ?? last.error ?? 'an error')}</b>${retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : ''}`);
      else if (redriven) said.push(`${link(state.name)} failed with <b>${esc(failed.error ?? 'an error')}</b>, then ${esc(STATE_STATUSES[state.status] ?? state.status.toLowerCase())} when the execution was redriven`);
      else if (retries > 0) said.push(`${link(state.name)} was retried ${retries}× and ${esc(STATE_STATUSES[state.status] ?? state.status.toLowerCase())}`);
      if (state.status === 'ABORTED') said.push(`${link(state.name)} was aborted`);
      if (state.status === 'WAITING') said.push(`${link(state.name)} is waiting on a ${esc(last.waitingOn)}${last.nestedExecutionArn ? `: ${executionLink(last.nestedExecutionArn)}` : ''}`);
      return said;
    });
  if (view.redriveCount > 0) lines.unshift(`Redriven ${view.redriveCount}× (RedriveExecution): each time it went on from the states that had not finished`);
  return lines.length ? `<div class="happened"><h3>What happened</h3><ul>${lines.map((line) => `<li>${line}</li>`).join('')}</ul></div>` : '';
};

const showExecution = async (arn, params) => {
  renderNav(machineOfExecution(arn));
  const view = await get(`/executions/${enc(arn)}/view`);
  renderNav(view.stateMachineArn);
  const ran = view.details.filter((state) => state.status !== 'NOT_RUN').length;
  const used = [...new Set(view.details.map((state) => state.status))];
  main.innerHTML = `
    <div class="crumbs"><a href="#/">State machines</a> › <a href="#/machines/${enc(view.stateMachineArn)}">${esc(view.stateMachineName)}</a> ›</div>
    <h1>${esc(view.name)} ${badge(view.status)}</h1>
    <div class="meta">
      <span>Started <b>${esc(when(view.startDate))}</b></span>
      ${view.stopDate ? `<span>Ended <b>${esc(when(view.stopDate))}</b></span>` : ''}
      <span>Duration <b>${esc(duration(view.durationMs))}</b>${view.status === 'RUNNING' ? ' so far' : ''}</span>
      <span>${ran} of ${view.details.length} states ran</span>
      <span class="badge type">${esc(view.stateMachineType)}</span>
    </div>
    ${view.parentExecutionArn ? `<div class="meta">Started by ${executionLink(view.parentExecutionArn)} <span class="muted">(${esc(view.parentExecutionArn.split(':').slice(-2, -1)[0])})</span></div>` : ''}
    ${view.nestedExecutions.length ? `<div class="meta">Nested: ${view.nestedExecutions.map((nested) => `${esc(nested.state)} → ${executionLink(nested.executionArn)}`).join(' · ')}</div>` : ''}
    ${view.error || view.cause ? failure(view.error ?? 'Failed', view.cause) : ''}
    ${happenings(view)}
    ${view.input || view.output ? `<details class="io"><summary>The execution's input and output</summary><div class="io-blocks"><div>${block('Input', view.input)}</div><div>${block('Output', view.output)}</div></div></details>` : ''}
    <div class="split unpicked">
      <div class="diagram-col">
        <div class="toolbar"><button id="zoom">Fit to width</button><span class="muted small">The route taken is drawn in blue; click a state for its input, output, error and events.</span></div>
        <div class="diagram" id="diagram"></div>
        ${legend(['SUCCEEDED', 'FAILED', 'CAUGHT', 'ABORTED', 'RUNNING', 'WAITING', 'NOT_RUN'].filter((status) => used.includes(status)))}
        <h2>States</h2>
        <table class="states"><thead><tr><th>State</th><th>Status</th><th>Attempts</th><th>What happened</th></tr></thead><tbody>
          ${view.details.map((state) => {
            const last = state.runs.at(-1);
            const failed = state.runs.find((run) => run.status === 'FAILED') ?? last;
            const what = [
              state.runs.length > 1 ? `${state.runs.length} runs` : '',
              state.attempts > state.runs.length ? `retried ${state.attempts - state.runs.length}×` : '',
              state.status === 'CAUGHT' ? `${last.error ?? 'error'} caught → ${last.caughtBy}` : '',
              state.status === 'FAILED' && failed?.error ? failed.error : '',
              state.status === 'WAITING' ? `waiting on a ${last.waitingOn}` : '',
              last?.nestedExecutionArn ? `nested: ${last.nestedExecutionArn.split(':').pop()}` : '',
            ].filter(Boolean).join(' · ');
            return `<tr class="clickable ${state.status === 'NOT_RUN' ? 'not-run' : ''}" data-state="${esc(state.name)}"><td class="mono">${state.container ? '&nbsp;&nbsp;↳ ' : ''}${esc(state.name)}</td><td>${badge(state.status)}</td><td>${state.runs.length ? state.attempts : ''}</td><td>${esc(what)}</td></tr>`;
          }).join('')}</tbody></table>
        <details><summary>All ${view.events.length} events of the history</summary>
          <table class="events"><thead><tr><th>#</th><th>After</th><th>Type</th><th>Time</th><th>Details</th></tr></thead><tbody>
          ${view.events.map((event) => `<tr><td>${event.id}</td><td>${event.previousEventId ?? ''}</td><td class="type">${esc(event.type)}</td><td class="small">${esc(when(event.timestamp))}</td><td class="mono small">${esc(event.details ? JSON.stringify(event.details).slice(0, 240) : '')}</td></tr>`).join('')}
          </tbody></table></details>
      </div>
      <aside id="panel"></aside>
    </div>`;
  const panel = document.getElementById('panel');
  const diagramElement = document.getElementById('diagram');
  zoomToggle(diagramElement);
  let drawn;
  const pick = (name, runIndex) => {
    // The diagram has the width until a state is chosen.
    main.querySelector('.split').classList.remove('unpicked');
    panel.innerHTML = `<button class="close" title="Close" aria-label="Close">×</button>${stateDetails(view, name, runIndex)}`;
    panel.querySelector('button.close').addEventListener('click', () => {
      main.querySelector('.split').classList.add('unpicked');
      drawn?.choose(undefined);
      history.replaceState(null, '', `#/executions/${enc(arn)}`);
    });
    drawn?.choose(name);
    main.querySelectorAll('table.states tr.selected').forEach((row) => row.classList.remove('selected'));
    main.querySelector(`table.states tr[data-state="${CSS.escape(name)}"]`)?.classList.add('selected');
    history.replaceState(null, '', `#/executions/${enc(arn)}?state=${enc(name)}`);
    panel.querySelectorAll('button[data-run]').forEach((button) => button.addEventListener('click', () => pick(name, Number(button.dataset.run))));
    panel.querySelectorAll('a[data-pick]').forEach((link) => link.addEventListener('click', (event) => {
      event.preventDefault();
      pick(link.dataset.pick);
    }));
  };
  main.querySelectorAll('table.states tr[data-state]').forEach((row) => row.addEventListener('click', () => pick(row.dataset.state)));
  main.querySelectorAll('.happened a[data-pick]').forEach((link) => link.addEventListener('click', (event) => {
    event.preventDefault();
    pick(link.dataset.pick);
  }));
  drawn = await drawDiagram(diagramElement, view.diagram, (name) => pick(name));
  if (params.get('state')) {
    pick(params.get('state'));
  } else {
    // Where it went wrong, or where it is now.
    const notable = view.details.find((state) => state.status === 'FAILED' || state.status === 'CAUGHT')
      ?? view.details.find((state) => state.status === 'WAITING' || state.status === 'RUNNING');
    if (notable) drawn.reveal(notable.name);
  }
};

const route = async () => {
  navigation += 1;
  const [path, query = ''] = (location.hash.slice(1) || '/').split('?');
  const params = new URLSearchParams(query);
  const [section, arn] = path.split('/').filter(Boolean);
  try {
    if (!machines.length) await loadMachines();
    if (section === 'machines' && arn) await showMachine(decodeURIComponent(arn), params);
    else if (section === 'executions' && arn) await showExecution(decodeURIComponent(arn), params);
    else if (section === 'search') await showSearch(params);
    else await showHome(params);
  } catch (error) {
    if (error instanceof Superseded) return;
    main.innerHTML = `<div class="failure"><b>Could not show this page</b><pre>${esc(error.message)}</pre></div>`;
  }
};

document.getElementById('search').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = document.getElementById('search-text').value.trim();
  if (text) location.hash = `#/search?${new URLSearchParams({ q: text })}`;
});
window.addEventListener('hashchange', route);
route();
