import type { ContractType } from './document.js';
import type { DocumentText } from './document-text.js';
import { Labels } from './labels.js';
import { Layout, type Cell } from './layout.js';
import { findDate, LEGAL_SUFFIX, readName } from './values.js';

/**
 * A contract read as a lawyer skims one: its title, who the parties are, when it takes effect,
 * for how long, which law governs it, whether it binds the parties to confidentiality and limits
 * their liability, and who signed. Sentences are read whole, however the page wraps them: the
 * lines of a paragraph are joined before anything is looked for, so a party's name or a term
 * split over two lines is found as one. Every pattern is linear (no quantifier over another).
 */

interface Paragraph { text: string; page: number; cells: Cell[] }

const ENDS_SENTENCE = /[.:;!?]["”’)]*$/;
// A numbered clause starts a sentence: "2. Term", "(1) Acme Ltd"; "(12) months" is a wrapped line.
const STARTS_CLAUSE = /^(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]|\([a-zA-Z]\)|\([ivxIVX]+\)|[•▪-])\s+["“(]?\p{Lu}/u;
const isHeading = (text: string) => text.length <= 80 && /\p{L}/u.test(text) && text === text.toUpperCase() && !ENDS_SENTENCE.test(text);
/** "Disclosing Party: Umbrella Corp", "Effective Date: 1 July 2027": one particular per line, never run on. */
const isParticular = (text: string) => /^[\p{L}][\p{L} ]{1,30}:\s/u.test(text);
/** Words that open the text under a title, not go on with it. */
const OPENERS = /^(?:between|parties|the\s+parties|and|recitals|background|whereas|definitions)\b:?$/i;

/**
 * Lines joined into paragraphs: a line goes on from the one before unless that one ended a
 * sentence or was a heading, this one starts a numbered clause, or (where positions are known)
 * a blank line lies between them. A word broken at a hyphen is joined back.
 */
const paragraphsOf = (layout: Layout): Paragraph[] => {
  const paragraphs: Paragraph[] = [];
  let previous: Cell | undefined;
  for (const cell of layout.cells) {
    const text = cell.text.trim();
    const gap = previous?.box && cell.box && previous.page === cell.page ? cell.box.top - (previous.box.top + previous.box.height) : 0;
    // A wrapped line starts where the one before started; a centred line, a column or an indent does not.
    const shifted = previous?.box && cell.box && previous.page === cell.page && Math.abs(cell.box.left - previous.box.left) > 3 * layout.charWidth;
    // A blank line, or a change of type size (a title over the text), ends a paragraph.
    const apart = previous?.box && cell.box && previous.page === cell.page
      && (gap > 0.9 * previous.box.height || Math.max(cell.box.height, previous.box.height) > 1.5 * Math.min(cell.box.height, previous.box.height));
    const continues = previous !== undefined && paragraphs.length > 0
      && !ENDS_SENTENCE.test(previous.text.trim()) && !isHeading(previous.text.trim()) && !STARTS_CLAUSE.test(text)
      && !isParticular(previous.text.trim()) && !isParticular(text) && !apart && !shifted && !isHeading(text);
    // A title too long for one line goes on in capitals on the next.
    const headingGoesOn = previous !== undefined && paragraphs.length > 0 && isHeading(previous.text.trim()) && isHeading(text) && !OPENERS.test(text)
      && previous.page === cell.page && !(previous.box && cell.box && gap > 1.2 * previous.box.height);
    if (continues || headingGoesOn) {
      const last = paragraphs.at(-1)!;
      last.text = last.text.endsWith('-') ? `${last.text}${text}` : `${last.text} ${text}`;
      last.cells.push(cell);
    } else {
      paragraphs.push({ text, page: cell.page, cells: [cell] });
    }
    previous = cell;
  }
  return paragraphs;
};

const ABBREVIATIONS = new Set(['inc', 'ltd', 'co', 'corp', 'no', 'nos', 'mr', 'mrs', 'ms', 'dr', 'st', 'e.g', 'i.e', 'etc', 'cl', 'art', 'sec', 'para', 'b.v', 'n.v', 's.a', 'plc', 'llc', 'vs', 'v']);

/** A paragraph's sentences: split after a full stop that ends neither an abbreviation, an initial nor a clause number. */
const sentencesOf = (text: string): string[] => {
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(/[.;!?]["”’)]*\s+(?=["“(]?[\p{Lu}\d])/gu)) {
    const before = text.slice(start, match.index);
    const word = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
    if (ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word) || /(?:^|\s)\d{1,2}(?:\.\d{1,2})*$/.test(before)) continue;
    sentences.push(text.slice(start, match.index + 1).trim());
    start = match.index + match[0].length;
  }
  sentences.push(text.slice(start).trim());
  return sentences.filter((sentence) => sentence !== '');
};

const clip = (text: string, length = 240) => (text.length <= length ? text : `${text.slice(0, text.lastIndexOf(' ', length)).trimEnd()}…`);

/** A party's name must be one: a capital or a figure first, not "the parties" or a pronoun. */
const isPartyName = (name: string | undefined): name is string =>
  name !== undefined && /^[\p{Lu}\d]/u.test(name) && name.length >= 2 && !/^(?:the|this|each|both|either|all|party|parties|us|we|you)\b/i.test(name);

/** Where the first party's description ends and the second's name begins: "…("Supplier"), and", "…; and", ", and", "AND:". */
const SECOND_PARTY = /[)”"’,;\n][\s,;]*and\b:?/i;
const LIST_MARK = /^[\s:]*(?:(?:\(\s*(?:\d|[a-z]|i{1,3})\s*\)|\d[.)])\s*)?/i;

/** "between A and B", however A and B are described, and over as many lines as they take. */
const between = (flow: string): [string, string] | undefined => {
  for (const match of flow.matchAll(/\bbetween\b/gi)) {
    const rest = flow.slice(match.index + match[0].length, match.index + match[0].length + 800);
    const start = LIST_MARK.exec(rest)![0].length;
    const head = rest.slice(start);
    // The first name ends where its description starts, or at " and " when it has none.
    const plainAnd = /\s+and\s+/i.exec(head);
    const described = /[,(;“"\n]/.exec(head);
    const undescribed = plainAnd !== null && (!described || plainAnd.index < described.index);
    const first = readName(undescribed ? head.slice(0, plainAnd.index) : head);
    if (!isPartyName(first)) continue;
    let afterFirst: string;
    if (undescribed) {
      afterFirst = head.slice(plainAnd.index + plainAnd[0].length);
    } else {
      afterFirst = head.slice(first.length);
      const separator = /^\s+and\b:?/i.exec(afterFirst) ?? SECOND_PARTY.exec(afterFirst);
      if (!separator) continue;
      afterFirst = afterFirst.slice(separator.index + separator[0].length);
    }
    const second = readName(afterFirst.slice(LIST_MARK.exec(afterFirst)![0].length));
    if (isPartyName(second) && second.toLowerCase() !== first.toLowerCase()) return [first, second];
  }
  return undefined;
};

/** "PARTIES (1) A, … ; and (2) B, …", whatever the OCR made of the list's marks. */
const numberedParties = (flow: string): [string, string] | undefined => {
  const heading = /\bparties\b[\s:]*(?=\(|\d[.)])/i.exec(flow);
  if (!heading) return undefined;
  const items = flow.slice(heading.index + heading[0].length, heading.index + heading[0].length + 1200).split(/(?:^|\n|;\s*and\s*|\s)(?:\(\s*[\dA-Za-z]{1,3}\s*\)|\d[.)])\s/);
  const names = items.map((item) => readName(item)).filter(isPartyName);
  return names.length >= 2 ? [names[0]!, names[1]!] : undefined;
};

/** Roles a contract names its parties by, as labels: "Landlord: A", "Receiving Party: B". */
const ROLES = new Labels([
  'Party A', 'Party B', 'Party 1', 'Party 2', 'First Party', 'Second Party', 'Disclosing Party', 'Receiving Party', 'Discloser', 'Recipient',
  'Company', 'Client', 'Customer', 'Service Provider', 'Provider', 'Supplier', 'Contractor', 'Consultant', 'Vendor', 'Buyer', 'Purchaser',
  'Seller', 'Landlord', 'Tenant', 'Lessor', 'Lessee', 'Licensor', 'Licensee', 'Employer', 'Employee', 'Lender', 'Borrower', 'Partner',
  'First Partner', 'Second Partner', 'Agent', 'Principal', 'Distributor', 'Owner', 'Contracting Party',
].map((text) => ({ field: 'party', text, atStart: true })));

/** A company (its legal form says so) or two to six capitalised words ("Fennel & Thyme Restaurant Group", "Priya Raman"). */
const plainlyAName = (name: string): boolean =>
  LEGAL_SUFFIX.test(name) || (/^(?:[\p{Lu}][\p{L}.'’-]*|&)(?:\s(?:[\p{Lu}][\p{L}.'’-]*|&|of|and|the)){1,5}$/u.test(name) && !NOT_A_PERSON.test(name));

const labelledParties = (layout: Layout): [string, string] | undefined => {
  const names: string[] = [];
  for (const cell of layout.onPage(1)) {
    const label = layout.labelAt(cell);
    const [hit] = ROLES.find(label);
    if (!hit) continue;
    const colon = /^\s*[:：]/.test(label.slice(hit.end));
    const value = label.slice(hit.end).replace(/^\s*[:：]\s*/, '');
    const name = readName(value) ?? readName(layout.rightOf(cell)[0]?.text ?? '');
    // Without a colon ("Client    Birchwood Furniture SARL", a table) the role must be followed by
    // what is plainly a name, not by prose ("Client shall pay…").
    if (!colon && !(name && plainlyAName(name))) continue;
    if (isPartyName(name) && !names.some((known) => known.toLowerCase() === name.toLowerCase())) names.push(name);
    if (names.length === 2) return [names[0]!, names[1]!];
  }
  return undefined;
};

const NUMBER_WORDS = String.raw`(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a|an)`;
const DURATION = new RegExp(String.raw`\b(${NUMBER_WORDS}|\d{1,3})(\s*\(\d{1,3}\))?(\s+|-)(day|week|month|year)(s?)\b`, 'gi');
// An NDA often states its duration in its obligation: "shall hold … in confidence for five years", "survives for three years".
const TERM_WORDS = /\b(?:term|duration|period|remains?\s+in\s+(?:full\s+)?(?:force|effect)|continues?|commenc\w*|begins?|ends?\s+on|expir\w*|runs?\s+for|in\s+force\s+for|fixed\s+term|valid\s+for|last\s+for|surviv\w*|confiden\w*\s+for)\b/i;
// A period of notice, of payment, of keeping records or of a campaign is no term of the agreement.
const NOT_A_TERM = /\b(?:within|notice|notify|invoice|payable|payment|interest|records|at\s+least|business\s+days|campaign|warranty|probation\w*)\b/i;
const END_OF_TERM = /\b(?:until|ends?\s+on|ending\s+on|expires?\s+on|terminates?\s+on|expiring\s+on|through)\s+(?:and\s+including\s+)?/i;

interface TermCandidate { value: string; score: number }

/** A clause's heading: "2. Term." or "Limitation of Liability:" at the start of its paragraph. */
const headingOf = (text: string): string => /^\(?\d{0,2}[.)]?\s?(\p{L}[\p{L} ]{2,39})[.:]/u.exec(text)?.[1] ?? '';

/** The agreement's term, from the sentence that states it best: "for a period of two (2) years", "Term: 24 months", "ends on 31 December 2027". */
const termOf = (paragraphs: Paragraph[], layout: Layout): string | undefined => {
  const candidates: TermCandidate[] = [];
  for (const paragraph of paragraphs) {
    const headed = /\b(?:term|duration|commencement|period)\b/i.test(headingOf(paragraph.text));
    for (const sentence of sentencesOf(paragraph.text)) {
      if (NOT_A_TERM.test(sentence)) continue;
      const base = (headed ? 3 : 0) + (TERM_WORDS.test(sentence) ? 3 : 0) + (/\bagreement\b|\bcontract\b|\btenancy\b|\blease\b/i.test(sentence) ? 1 : 0);
      if (base === 0) continue;
      for (const match of sentence.matchAll(DURATION)) {
        const [, amount, figure = '', joiner, unit = '', plural] = match;
        if (/^an?$/i.test(amount ?? '') && plural) continue;
        // "a 36-month term" is a term of 36 months; "twelve (12) months" stays as printed.
        const value = joiner === '-' ? `${amount} ${unit}${Number(amount) === 1 ? '' : 's'}` : `${amount}${figure} ${unit}${plural}`;
        candidates.push({ value: value.replace(/\s+/g, ' '), score: base + (/month|year/i.test(unit) ? 1 : 0) });
      }
      const end = END_OF_TERM.exec(sentence);
      const date = end && findDate(sentence.slice(end.index + end[0].length, end.index + end[0].length + 40));
      if (date && date.index === 0) candidates.push({ value: `until ${date.text}`, score: base + 1 });
    }
  }
  const best = Math.max(0, ...candidates.map((candidate) => candidate.score));
  return candidates.find((candidate) => candidate.score === best && best >= 3)?.value ?? tabulatedTerm(layout);
};

/** In a table of particulars, "Duration" (or "Term") and its length are two columns of one row. */
const tabulatedTerm = (layout: Layout): string | undefined => {
  for (const cell of layout.cells) {
    if (!/^\s*(?:term|duration|contract\s+period|period)\s*:?\s*$/i.test(layout.labelAt(cell))) continue;
    const match = new RegExp(DURATION.source, 'i').exec(layout.rightOf(cell)[0]?.text ?? '');
    if (match) return match[0];
  }
  return undefined;
};

const EFFECTIVE = /\b(?:dated|made\s+on|made\s+as\s+of|entered\s+into\s+(?:on|as\s+of)|effective\s+(?:as\s+of|from|on)|as\s+of|effective\s+date|commencement\s+date|date\s+of\s+this\s+agreement)[\s:-]*(?:the\s+)?/gi;

/** When it takes effect: "dated 1 December 2026", "as of March 3, 2026 (the Effective Date)", "Effective Date: 2026-03-01". */
const effectiveDateOf = (paragraphs: Paragraph[], layout: Layout): string | undefined => {
  const firstPage = paragraphs.filter((paragraph) => paragraph.page === 1).map((paragraph) => paragraph.text).join('\n');
  for (const match of firstPage.matchAll(EFFECTIVE)) {
    const date = findDate(firstPage.slice(match.index + match[0].length, match.index + match[0].length + 40));
    if (date && date.index === 0) return date.text;
  }
  // A letter is dated on a line of its own above its text.
  const dateLine = layout.onPage(1).slice(0, 12).find((cell) => findDate(cell.text)?.text === cell.text.trim().replace(/[.,]$/, ''));
  if (dateLine && paragraphs.some((paragraph) => /^dear\b/i.test(paragraph.text))) return findDate(dateLine.text)!.text;
  // In a table, "Effective Date:" and its date are two columns of one row.
  for (const cell of layout.onPage(1)) {
    if (!/^\s*(?:effective|commencement|start)\s+date\s*:?\s*$/i.test(layout.labelAt(cell))) continue;
    const date = findDate(layout.rightOf(cell)[0]?.text ?? '');
    if (date) return date.text;
  }
  return undefined;
};

/** Which law governs it: "governed by the laws of the State of New York" is "State of New York". */
const governingLawOf = (flow: string): string | undefined => {
  const found = /\bgoverned\s+by\b[^.]{0,80}?\b\w?aws?\s+of\s+(?:the\s+)?/i.exec(flow) ?? /\bgoverning\s+law\s*[:-]\s*(?:the\s+)?(?:laws?\s+of\s+(?:the\s+)?)?/i.exec(flow);
  if (!found) return undefined;
  const rest = flow.slice(found.index + found[0].length, found.index + found[0].length + 120);
  const end = /[,.;()\n]|\s(?:and\s+(?:the|each|any|shall|is|are)|without|excluding|except|as\s+applied|in\s+force|applicable)\b/i.exec(rest);
  const law = rest.slice(0, end?.index ?? rest.length).trim();
  return /^\p{Lu}/u.test(law) && law.split(/\s+/).length <= 8 ? law : undefined;
};

const OBLIGATION = /\b(?:shall|will|must|agrees?\s+(?:not\s+)?to|undertakes?\s+(?:not\s+)?to|is\s+obliged)\b/i;
const CONFIDENTIALITY = /\bnot\s+(?:to\s+)?(?:use\s+or\s+)?disclose|\bkeep\b[^.]{0,80}?\bconfidential|\bhold\b[^.]{0,80}?\bconfidence|\bin\s+(?:strict\s+)?confidence|\btreat\b[^.]{0,60}?\bconfidential|\bmaintain\b[^.]{0,60}?\bconfiden|\bprotect\b[^.]{0,60}?\bconfidential/i;

/** The sentence that binds a party to keep the other's information confidential (a definition of "Confidential Information" binds no one). */
const confidentialityOf = (paragraphs: Paragraph[]): string | undefined => {
  for (const paragraph of paragraphs) {
    for (const sentence of sentencesOf(paragraph.text)) {
      // A heading ("Confidentiality.") or a definition ("… means …") binds no one.
      if (/\bmeans\b/i.test(sentence) || !/confiden/i.test(sentence) || sentence.split(/\s+/).length < 6) continue;
      if (OBLIGATION.test(sentence) && CONFIDENTIALITY.test(sentence)) return clip(sentence.replace(/^\(?\d{1,2}[.)]\s?(?:\p{L}[\p{L} ]{2,39}\.\s)?/u, ''));
    }
  }
  return undefined;
};

const LIMITS = /\b(?:limit\w*|cap(?:ped)?|exceed|in\s+no\s+event|not\s+be\s+liable|aggregate|unlimited|uncapped|exclud\w*|indemnif\w*|maximum)\b/i;

/**
 * The sentence that limits (or leaves unlimited) a party's liability; "a limited liability
 * company" or "a company with limited liability" describes a party and limits nothing.
 */
const liabilityOf = (paragraphs: Paragraph[]): string | undefined => {
  for (const paragraph of paragraphs) {
    // Under a heading that says so ("2. Liability."), what the clause says of liability is its liability clause.
    const headed = /\b(?:liabilit\w*|indemnit\w*)\b/i.test(headingOf(paragraph.text));
    for (const sentence of sentencesOf(paragraph.text)) {
      const plain = sentence.replace(/\b(?:with\s+)?limited\s+liability(?:\s+(?:company|partnership|corporation))?\b/gi, '');
      if (plain.split(/\s+/).length < 6) continue;
      if (/\bliab\w*/i.test(plain) && (headed || LIMITS.test(plain))) return clip(sentence.replace(/^\(?\d{1,2}[.)]\s?(?:\p{L}[\p{L} ]{2,39}\.\s)?/u, ''));
    }
  }
  return undefined;
};

const KIND_WORDS = /\b(?:agreement|contract|deed|lease|tenancy|licen[cs]e|memorandum|terms|nda|undertaking|statement\s+of\s+work)\b/i;

/**
 * The title: the first heading on page 1 that names a kind of agreement, else its first line that
 * does (a title in a larger type run into the text below it), else its first heading in capitals.
 */
const titleOf = (paragraphs: Paragraph[]): string | undefined => {
  const opening = paragraphs.filter((paragraph) => paragraph.page === 1).slice(0, 6);
  const short = (text: string) => text.split(/\s+/).length <= 10 && !ENDS_SENTENCE.test(text);
  return (opening.find((paragraph) => KIND_WORDS.test(paragraph.text) && short(paragraph.text))
    ?? opening.flatMap((paragraph) => paragraph.cells).slice(0, 3).find((cell) => KIND_WORDS.test(cell.text) && short(cell.text))
    ?? opening.slice(0, 2).find((paragraph) => isHeading(paragraph.text) && short(paragraph.text)))?.text;
};

const NDA_TITLE = /non[-\s]?disclosure|confidentiality\s+(?:and\s+non[-\s]?disclosure\s+)?(?:agreement|undertaking|letter|deed)|secrecy\s+agreement|\bnda\b|confidential\s+disclosure/i;
const SERVICES_TITLE = /\bservices?\b|\bconsult(?:ing|ancy|ant)\b|statement\s+of\s+work|\bsow\b|\bretainer\b|\bmaintenance\b|\bsupport\b|\bagency\b|outsourcing|engagement|independent\s+contractor|freelance|\bdevelopment\b/i;
const OTHER_TITLE = /\b(?:lease|tenancy|rental|employment|supply|purchase|sale|loan|licen[cs]e|partnership|shareholders?|distribution|franchise|joint\s+venture|settlement|release|assignment|guarantee|mortgage|credit|subscription)\b/i;

/** The words between "This" and "Agreement" (or "Contract") in the opening, at most six of them. */
const openingName = (text: string): string => {
  for (const match of text.matchAll(/\bthis\s/gi)) {
    const words = text.slice(match.index + match[0].length, match.index + match[0].length + 120).split(/\s+/).slice(0, 7);
    const end = words.findIndex((word) => /^(?:agreement|contract)\b/i.test(word));
    if (end >= 0) return words.slice(0, end).join(' ');
  }
  return '';
};

const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, 'gi'))?.length ?? 0;

/**
 * The type of contract as a legal pipeline files it: by its title when the title says
 * ("Mutual Non-Disclosure Agreement", "Consulting Agreement", "Lease"), else by what the text is
 * about: confidential information passed between a discloser and a recipient, or services.
 */
export const contractTypeOf = (text: DocumentText): ContractType => {
  const paragraphs = paragraphsOf(new Layout(text));
  // The title, and what the opening calls the document ("This End User Licence Agreement (the Agreement)…").
  const title = `${titleOf(paragraphs) ?? ''} ${openingName(paragraphs.slice(0, 8).map((paragraph) => paragraph.text).join('\n'))}`;
  if (NDA_TITLE.test(title)) return 'NDA';
  if (OTHER_TITLE.test(title) && !/\bservices\b/i.test(title)) return 'OTHER';
  if (SERVICES_TITLE.test(title)) return 'SERVICE_AGREEMENT';
  const body = paragraphs.map((paragraph) => paragraph.text).join('\n');
  const nda = 2 * count(body, /confidential\s+information/) + 2 * count(body, /(?:disclosing|receiving)\s+party/) + 3 * count(body, /non[-\s]?disclosure/);
  const services = count(body, /\bservices\b/) + 2 * count(body, /service\s+provider|statement\s+of\s+work|deliverables|service\s+levels/);
  if (nda >= 6 && nda > services) return 'NDA';
  if (services >= 4) return 'SERVICE_AGREEMENT';
  return 'OTHER';
};

const SIGNATURE_MARK = /\b(?:in\s+witness|executed|signed|signature|agreed\s+and\s+accepted|accepted\s+and\s+agreed|for\s+and\s+on\s+behalf|yours\s+(?:sincerely|faithfully|truly)|kind\s+regards)\b/i;
// "/s/" comes out of the OCR as "/s!", "Is!" or "|s/" as often as not; "Signed" at a cut edge as "igned".
const SIGNER_LABEL = /^\s*(?:\S?igned(?:\s+by\b)?|name|print(?:ed)?\s+name|full\s+name|by|signature|[/|I]s[/!|])[\s:-]*/i;
const NOT_A_PERSON = /\b(?:by|officer|director|manager|president|partner|owner|counsel|secretary|head|consultant|chair\w*|founder|ceo|cfo|coo|cto|vp|engineer|representative|signatory|witness|title|position|date|name|agreement|parties|party|behalf|executed|accepted)\b/i;

/** A person's name standing alone under a signature line: two to four capitalised words, no company, no title. */
const personName = (text: string): string | undefined => {
  const name = text.split(',')[0]!.trim();
  const words = name.split(/\s+/);
  if (words.length < 2 || words.length > 4 || !words.every((word) => /^\p{Lu}[\p{L}.'’-]*$/u.test(word))) return undefined;
  if (name === name.toUpperCase() || NOT_A_PERSON.test(name) || /\b(?:ltd|limited|inc|llc|llp|plc|gmbh|corp\w*|company|group|b\.v|ag)\b/i.test(name)) return undefined;
  return name;
};

/** Who signed, in order: "Signed by A", "Name: A", "/s/ A", "By: A", or a name under the line after IN WITNESS. */
const signatoriesOf = (layout: Layout, pages: number): string | undefined => {
  const mark = layout.cells.findIndex((cell) => cell.page >= Math.max(1, pages - 1) && SIGNATURE_MARK.test(cell.text));
  const block = layout.cells.filter((cell, index) => (mark >= 0 ? index >= mark : cell.page === pages));
  const names: string[] = [];
  const add = (name: string | undefined) => {
    if (name && !names.some((known) => known.toLowerCase() === name.toLowerCase())) names.push(name);
  };
  for (const cell of block) {
    const label = SIGNER_LABEL.exec(cell.text);
    if (!label || label[0].trim() === '') continue;
    const rest = cell.text.slice(label[0].length);
    const name = readName(rest.replace(/^_+\s*/, ''));
    // A signer has a first name and a surname: "By By" across two columns is no one.
    if (name && /^\p{Lu}/u.test(name) && name.includes(' ') && !NOT_A_PERSON.test(name) && !/^(?:and|on|for|the)\b/i.test(name)) add(name);
  }
  // "Grace Mbeki, Operations Manager": a name, then what the signer is.
  for (const cell of block) {
    const [name, role] = cell.text.split(/,\s*/);
    if (role && NOT_A_PERSON.test(role)) add(personName(name ?? ''));
  }
  if (names.length === 0) for (const cell of block) add(personName(cell.text));
  return names.length > 0 ? names.join('; ') : undefined;
};

/**
 * A contract written as a letter names no parties in an opening: the signature blocks do, "for and
 * on behalf of X" or a signer's "General Counsel, X".
 */
const signingParties = (layout: Layout): [string, string] | undefined => {
  const names: string[] = [];
  for (const cell of layout.cells) {
    const behalf = /\bon\s+behalf\s+of\s+/i.exec(cell.text);
    const role = behalf ? undefined : /^[\p{L} ,]*\b(?:officer|director|manager|president|partner|owner|counsel|secretary|head|chair\w*|founder|ceo|cfo|coo|cto)\b[^,]*,\s*/iu.exec(cell.text);
    const found = behalf ?? role;
    const name = found ? readName(cell.text.slice(found.index + found[0].length)) : undefined;
    if (isPartyName(name) && (behalf ? plainlyAName(name) : LEGAL_SUFFIX.test(name)) && !names.some((known) => known.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return names.length >= 2 ? [names[0]!, names[1]!] : undefined;
};

export const contractFields = (text: DocumentText): Record<string, string> => {
  const layout = new Layout(text);
  const paragraphs = paragraphsOf(layout);
  const firstPages = paragraphs.filter((paragraph) => paragraph.page <= 2).map((paragraph) => paragraph.text).join('\n');
  const parties = labelledParties(layout) ?? between(firstPages) ?? numberedParties(firstPages) ?? signingParties(layout);
  const fields: Record<string, string | undefined> = {
    title: titleOf(paragraphs),
    parties: parties?.join('; '),
    effectiveDate: effectiveDateOf(paragraphs, layout),
    term: termOf(paragraphs, layout),
    governingLaw: governingLawOf(paragraphs.map((paragraph) => paragraph.text).join('\n')),
    confidentiality: confidentialityOf(paragraphs),
    liability: liabilityOf(paragraphs),
    signature: signatoriesOf(layout, Math.max(text.pages, ...text.lines.map((line) => line.page))),
  };
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
};
