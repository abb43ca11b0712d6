import { testDocuments, type TestDocument } from '../../test/support/test-documents.js';
import { sleep } from './stats.js';

/**
 * Documents through the local stack as a client sends them: POST /documents, PUT the file to the
 * presigned URL, then GET /documents/{id} until it is FILED. Every step between (S3's Object
 * Created event, EventBridge, document-processing, tesseract behind the local Textract) is the
 * stack's. A document is timed from the end of its PUT to the first GET that shows it FILED.
 */
export interface DocumentBenchSettings {
  /** Sequential runs of each kind, one document in the stack at a time: latency without queueing. */
  latencyRuns: number;
  /** Documents uploaded by `concurrency` clients at once, a mix of the kinds below: documents per minute. */
  throughputDocuments: number;
  concurrency: number;
  budgetMs: number;
}

export interface DocumentKind {
  label: string;
  pages: number;
  document: TestDocument;
}

export interface DocumentTiming {
  kind: string;
  pages: number;
  documentId: string;
  status: string;
  /** PUT done → FILED seen. */
  latencyMs: number;
}

export interface DocumentBenchRun {
  settings: DocumentBenchSettings;
  latency: DocumentTiming[];
  throughput: {
    timings: DocumentTiming[];
    uploaded: number;
    /** First PUT started → last document FILED. */
    wallMs: number;
    timedOut: boolean;
  };
  /** How often a GET asked about each open document. */
  pollIntervalMs: number;
}

const POLL_INTERVAL_MS = 250;
const TERMINAL = new Set(['FILED', 'REJECTED', 'NEEDS_REVIEW', 'FAILED']);

const signIn = async (httpEndpoint: string): Promise<Record<string, string>> => {
  const response = await fetch(`${httpEndpoint}/_local/token`, { method: 'POST', body: JSON.stringify({ sub: 'cust-bench-documents', expiresIn: 24 * 60 * 60 }) });
  const { accessToken } = (await response.json()) as { accessToken: string };
  return { authorization: `Bearer ${accessToken}` };
};

/** POST /documents and PUT the bytes; resolves when the PUT has been answered. */
const upload = async (httpEndpoint: string, auth: Record<string, string>, document: TestDocument): Promise<string> => {
  const ticket = await fetch(`${httpEndpoint}/documents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ filename: document.filename, contentType: document.contentType, size: document.bytes.length }),
  });
  const body = (await ticket.json()) as { documentId: string; uploadUrl: string };
  if (ticket.status !== 201) throw new Error(`POST /documents answered ${ticket.status}: ${JSON.stringify(body)}`);
  const put = await fetch(body.uploadUrl, { method: 'PUT', headers: { 'content-type': document.contentType }, body: document.bytes });
  await put.text();
  if (put.status !== 200) throw new Error(`PUT of ${document.filename} answered ${put.status}`);
  return body.documentId;
};

const statusOf = async (httpEndpoint: string, auth: Record<string, string>, documentId: string): Promise<string | undefined> => {
  const response = await fetch(`${httpEndpoint}/documents/${documentId}`, { headers: auth, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  return response.status === 200 ? (JSON.parse(text) as { status: string }).status : undefined;
};

/** Watches open documents, one GET each per interval, until each ends or the deadline passes. */
class Watcher {
  readonly ended = new Map<string, { status: string; at: number }>();
  private readonly open = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(private readonly httpEndpoint: string, private readonly auth: Record<string, string>, private readonly deadline: number) {}

  watch(documentId: string): void {
    this.open.add(documentId);
    this.running ??= this.loop();
  }

  private async loop(): Promise<void> {
    while (this.open.size > 0 && performance.now() < this.deadline) {
      for (const documentId of [...this.open]) {
        const status = await statusOf(this.httpEndpoint, this.auth, documentId);
        if (status && TERMINAL.has(status)) {
          this.ended.set(documentId, { status, at: performance.now() });
          this.open.delete(documentId);
        }
      }
      await sleep(POLL_INTERVAL_MS);
    }
    this.running = undefined;
  }

  async settled(): Promise<boolean> {
    while (this.running) await this.running;
    return this.open.size === 0;
  }
}

export const documentKinds = async (): Promise<{ latency: DocumentKind[]; mix: DocumentKind[] }> => {
  const documents = await testDocuments();
  const invoice = { label: 'invoice, PNG scan', pages: 1, document: documents.invoice };
  const receipt = { label: 'receipt, PNG', pages: 1, document: documents.receipt };
  const contract = { label: 'contract, PDF', pages: 2, document: documents.cleanContract };
  const long = { label: 'contract, PDF', pages: 30, document: documents.longContract };
  return { latency: [invoice, contract, long], mix: [invoice, receipt, contract] };
};

export const measureDocuments = async (httpEndpoint: string, settings: DocumentBenchSettings, log: (line: string) => void): Promise<DocumentBenchRun> => {
  const auth = await signIn(httpEndpoint);
  const kinds = await documentKinds();
  const deadline = performance.now() + settings.budgetMs;

  const latency: DocumentTiming[] = [];
  for (const kind of kinds.latency) {
    for (let run = 0; run < settings.latencyRuns; run += 1) {
      const watcher = new Watcher(httpEndpoint, auth, deadline);
      const documentId = await upload(httpEndpoint, auth, kind.document);
      const putDone = performance.now();
      watcher.watch(documentId);
      if (!await watcher.settled()) throw new Error(`${kind.label} (${kind.pages} pages) ${documentId} did not end within the time budget`);
      const end = watcher.ended.get(documentId)!;
      latency.push({ kind: kind.label, pages: kind.pages, documentId, status: end.status, latencyMs: end.at - putDone });
      log(`documents: ${kind.label}, ${kind.pages} page(s): ${end.status} after ${((end.at - putDone) / 1000).toFixed(1)} s`);
    }
  }

  log(`documents: ${settings.throughputDocuments} documents (${kinds.mix.map((kind) => kind.label).join(', ')}), ${settings.concurrency} clients`);
  const watcher = new Watcher(httpEndpoint, auth, deadline);
  const queue = Array.from({ length: settings.throughputDocuments }, (_, index) => kinds.mix[index % kinds.mix.length]!);
  const putDoneAt = new Map<string, { at: number; kind: DocumentKind }>();
  const started = performance.now();
  const client = async () => {
    for (let kind = queue.shift(); kind; kind = queue.shift()) {
      const documentId = await upload(httpEndpoint, auth, kind.document);
      putDoneAt.set(documentId, { at: performance.now(), kind });
      watcher.watch(documentId);
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, client));
  const allEnded = await watcher.settled();
  const timings = [...watcher.ended].map(([documentId, end]) => {
    const put = putDoneAt.get(documentId)!;
    return { kind: put.kind.label, pages: put.kind.pages, documentId, status: end.status, latencyMs: end.at - put.at };
  });
  const lastEnd = Math.max(...[...watcher.ended.values()].map((end) => end.at));
  return {
    settings,
    latency,
    throughput: { timings, uploaded: putDoneAt.size, wallMs: lastEnd - started, timedOut: !allEnded },
    pollIntervalMs: POLL_INTERVAL_MS,
  };
};
