import type { DocumentClass } from './document.js';
import { meanConfidence, plainText, type DocumentText } from './document-text.js';

/**
 * Which kind of document this is, from the words on it. Each class has signals (phrases that
 * people put on such documents) with weights; a signal counts once however often it appears.
 * The best-scoring class wins when it scores at least MIN_SCORE; otherwise it is OTHER.
 */
interface Signal { pattern: RegExp; weight: number }

const SIGNALS: Record<Exclude<DocumentClass, 'OTHER'>, Signal[]> = {
  // A scan that lost the sheet's left edge reads "nvoice" and "ill to": the words still count.
  INVOICE: [
    { pattern: /\b\w?nvoice\b/i, weight: 3 },
    { pattern: /\b\w?nvoice\s*(?:number|no\.?|#)/i, weight: 3 },
    { pattern: /\b\w?ill(?:ed)?\s+to\b/i, weight: 2 },
    { pattern: /\b(?:amount|balance|total)\s+(?:due|payable)\b|\bamount\s+to\s+pay\b/i, weight: 2 },
    { pattern: /\bdue\s+date\b|\bdate\s+due\b|\bpayment\s+due\b|\bpay\s+by\b|\bpayment\s+terms\b|\btax\s+point\b/i, weight: 2 },
    { pattern: /\b(?:vat|tax|gst)\b/i, weight: 1 },
    // A table of items priced by the unit: what an invoice bills.
    { pattern: /\b(?:unit\s+price|unit\s+cost|qty|quantity)\b/i, weight: 1 },
    { pattern: /\biban\b|\bbank\s+(?:details|transfer)\b|\bremit/i, weight: 1 },
  ],
  // Many receipts never say "receipt": a till roll, a card terminal's slip, a restaurant bill say how it was paid.
  RECEIPT: [
    { pattern: /\breceipt\b/i, weight: 3 },
    { pattern: /\b(?:amount\s+paid|paid\s+by|payment\s+received|paid\s+in\s+full|date\s+paid|total\s+paid)\b/i, weight: 3 },
    { pattern: /\b(?:card\s+sale|auth(?:ori[sz]ation)?\s+code|merchant\s+id|terminal\s+(?:id\s+)?\d|customer\s+copy|contactless|chip\s+(?:and|&)\s+pin)\b/i, weight: 3 },
    { pattern: /\b(?:cash|change|card|visa|mastercard|amex|tendered|cashier)\b/i, weight: 2 },
    // "CASH 10.00", "CHANGE 3.75": money handed over and given back.
    { pattern: /\b(?:cash|change|tendered)\b[^\n\d]{0,12}\d+[.,]\d{2}\b/i, weight: 2 },
    { pattern: /\b(?:service\s+charge|gratuity|covers|server|table\s+\d+)\b/i, weight: 2 },
    { pattern: /\bthank\s+you\b/i, weight: 1 },
    { pattern: /\bsub-?total\b/i, weight: 1 },
    { pattern: /\btotal\b/i, weight: 1 },
    { pattern: /\b\d{1,2}:\d{2}\b/, weight: 1 },
  ],
  CONTRACT: [
    { pattern: /\b(?:agreement|contract|statement\s+of\s+work|undertaking|deed)\b/i, weight: 3 },
    { pattern: /\bbetween\b.+\band\b/i, weight: 2 },
    { pattern: /\bpart(?:y|ies)\b/i, weight: 2 },
    { pattern: /\b(?:hereby|whereas|hereinafter|shall)\b/i, weight: 2 },
    { pattern: /\b(?:term|terminat(?:e|ion))\b/i, weight: 1 },
    { pattern: /\b(?:governing\s+law|liability|indemnif|confidential)/i, weight: 1 },
    { pattern: /\b(?:signed|signature|witness)\b/i, weight: 1 },
  ],
};

/** Below this, no class has enough evidence: OTHER. An invoice heading alone (3) is not enough. */
export const MIN_SCORE = 4;
/** A score that leaves no doubt about the kind. */
const CONFIDENT_SCORE = 8;

export interface Classification {
  class: DocumentClass;
  /** 0..1: how sure, from the evidence for the class, the margin over the runner-up and the OCR's confidence. */
  confidence: number;
  scores: Record<Exclude<DocumentClass, 'OTHER'>, number>;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

export const classify = (text: DocumentText): Classification => {
  const content = plainText(text);
  const scores = Object.fromEntries(Object.entries(SIGNALS).map(([name, signals]) =>
    [name, signals.filter((signal) => signal.pattern.test(content)).reduce((sum, signal) => sum + signal.weight, 0)])) as Classification['scores'];
  const ranked = (Object.entries(scores) as [Exclude<DocumentClass, 'OTHER'>, number][]).sort(([, a], [, b]) => b - a);
  const [[bestClass, best], [, second]] = ranked as [[Exclude<DocumentClass, 'OTHER'>, number], [Exclude<DocumentClass, 'OTHER'>, number]];
  // Misread words make every signal less trustworthy: scale by the OCR's own confidence.
  const legibility = meanConfidence(text) / 100;
  if (best < MIN_SCORE) {
    // Sure it is nothing we know when nothing points anywhere; less so the closer a class came.
    return { class: 'OTHER', confidence: round2(legibility === 0 ? 0 : (1 - 0.5 * (best / MIN_SCORE)) * legibility), scores };
  }
  const evidence = Math.min(1, best / CONFIDENT_SCORE);
  const margin = (best - second) / best;
  return { class: bestClass, confidence: round2(evidence * (0.5 + 0.5 * margin) * legibility), scores };
};
