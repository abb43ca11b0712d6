import type { ContractType, EvalDocument, Truth } from './document.js';
import { addDays, DATE_FORMATS, randomDate, type CalendarDate, type DateFormat } from './formats.js';
import { describeLook, escape, FONTS, printed, sheet, type Look } from './page.js';
import { COMPANIES, JURISDICTIONS, PEOPLE, type Organisation, type Person } from './people.js';
import type { Random } from './random.js';

/**
 * Contracts of the three types a legal pipeline tells apart (NDA, services, anything else), with
 * their parties introduced in five ways (a cover line, one long opening sentence that wraps over
 * several lines, a numbered PARTIES list, a label table, BETWEEN … AND in capitals), terms worded
 * in many ways, clauses present or absent, and signature blocks of five kinds, over one to four pages.
 */
interface Kind { title: string[]; roles: [string, string][]; purpose: string[]; people?: 'second' }

const KINDS: Record<ContractType, Kind[]> = {
  NDA: [
    { title: ['MUTUAL NON-DISCLOSURE AGREEMENT', 'Mutual Non-Disclosure Agreement', 'CONFIDENTIALITY AGREEMENT', 'Non-Disclosure Agreement', 'ONE-WAY NON-DISCLOSURE AGREEMENT', 'Confidentiality and Non-Disclosure Agreement'],
      roles: [['Disclosing Party', 'Receiving Party'], ['Company', 'Recipient'], ['the Discloser', 'the Recipient']],
      purpose: ['evaluating a possible joint venture in renewable storage', 'discussing the acquisition of certain software assets', 'exploring a distribution partnership', 'assessing a pilot of the Recipient\'s analytics platform'] },
  ],
  SERVICE_AGREEMENT: [
    { title: ['SERVICES AGREEMENT', 'Master Services Agreement', 'PROFESSIONAL SERVICES AGREEMENT', 'Consulting Agreement', 'Software Development Services Agreement', 'MAINTENANCE AND SUPPORT SERVICES AGREEMENT', 'Marketing Services Contract', 'Cleaning Services Agreement'],
      roles: [['Client', 'Service Provider'], ['Customer', 'Supplier'], ['Company', 'Consultant'], ['Client', 'Contractor']],
      purpose: ['the design and build of a customer portal', 'monthly bookkeeping and payroll services', 'the cleaning of the Client\'s offices five days a week', 'second-line support for the Customer\'s billing systems', 'a twelve-week brand and marketing campaign'] },
  ],
  OTHER: [
    { title: ['RESIDENTIAL TENANCY AGREEMENT', 'Assured Shorthold Tenancy Agreement'], roles: [['Landlord', 'Tenant']], purpose: ['the letting of Flat 2, 14 Albion Street'], people: 'second' },
    { title: ['EMPLOYMENT AGREEMENT', 'Contract of Employment'], roles: [['Employer', 'Employee']], purpose: ['the employment of the Employee as Senior Data Engineer'], people: 'second' },
    { title: ['SUPPLY AGREEMENT', 'Goods Supply Contract'], roles: [['Supplier', 'Buyer']], purpose: ['the supply of laboratory glassware', 'the supply of packaging materials'] },
    { title: ['LOAN AGREEMENT', 'Term Loan Agreement'], roles: [['Lender', 'Borrower']], purpose: ['a loan of 250,000 to fund working capital'] },
    { title: ['SOFTWARE LICENCE AGREEMENT', 'End User Licence Agreement'], roles: [['Licensor', 'Licensee']], purpose: ['a licence to use the Licensor\'s scheduling software'] },
    { title: ['EQUIPMENT LEASE AGREEMENT'], roles: [['Lessor', 'Lessee']], purpose: ['the lease of two industrial forklifts'] },
    { title: ['PARTNERSHIP AGREEMENT'], roles: [['First Partner', 'Second Partner']], purpose: ['carrying on a joint catering business'] },
  ],
};

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen',
  'seventeen', 'eighteen', 'nineteen', 'twenty', 'twenty-one', 'twenty-two', 'twenty-three', 'twenty-four'];
const numberWord = (n: number) => WORDS[n] ?? (n === 36 ? 'thirty-six' : n === 48 ? 'forty-eight' : String(n));

interface Party { name: string; descriptor: string; address: string[]; role: string; signatory: Person | { name: string; title: string } }

interface ContractData {
  type: ContractType;
  title: string;
  purpose: string;
  parties: [Party, Party];
  effective: CalendarDate;
  dateFormat: DateFormat;
  law: typeof JURISDICTIONS[number];
}

type Sentence = { text: string; truth: Truth };

/** The term as people word it, and what a reader takes from it. */
const termSentence = (random: Random, data: ContractData): Sentence | null => {
  const unit = random.pick(['months', 'years', 'months']);
  const n = unit === 'years' ? random.int(1, 5) : random.pick([3, 6, 12, 18, 24, 36]);
  const amount = n === 1 ? unit.slice(0, -1) : unit;
  const worded = `${numberWord(n)} (${n}) ${amount}`;
  const readings = { anyOf: [worded, `${numberWord(n)} ${amount}`, `${n} ${amount}`] };
  const end = DATE_FORMATS[data.dateFormat](addDays(data.effective, 365 * random.int(1, 3) - 1));
  const options: (() => Sentence | null)[] = [
    () => ({ text: `This Agreement has a term of ${worded} from the Effective Date.`, truth: readings }),
    () => ({ text: `Term: ${n} ${amount}.`, truth: { anyOf: [`${n} ${amount}`] } }),
    () => ({ text: `This Agreement shall commence on the Effective Date and shall continue for a period of ${numberWord(n)} ${amount}, unless terminated earlier in accordance with clause ${random.int(8, 12)}.`, truth: { anyOf: [`${numberWord(n)} ${amount}`, `${n} ${amount}`] } }),
    () => ({ text: `The obligations of each party under this Agreement shall remain in force for ${worded} from the Effective Date.`, truth: readings }),
    () => ({ text: `This Agreement begins on the Effective Date and ends on ${end}, unless the parties agree in writing to extend it.`, truth: { anyOf: [`until ${end}`, end, `ends on ${end}`] } }),
    () => ({ text: `The parties enter into this Agreement for an initial term of ${n} ${amount}, renewable by written agreement.`, truth: { anyOf: [`${n} ${amount}`] } }),
  ];
  if (unit === 'months') options.push(() => ({ text: `It runs for a ${n}-month term starting on the Effective Date.`, truth: { anyOf: [`${n} months`, `${n}-month`, `${n}-month term`] } }));
  if (data.type === 'OTHER' && data.parties[1].role === 'Employee') return null;
  return random.pick(options)();
};

const CONFIDENTIALITY = [
  (d: ContractData) => `The ${d.parties[1].role.replace(/^the /, '')} shall hold the Confidential Information in strict confidence, shall not disclose it to any third party without the prior written consent of the ${d.parties[0].role.replace(/^the /, '')}, and shall use it solely for ${d.purpose}.`,
  () => 'Each party shall keep the other party\'s Confidential Information confidential and shall not use or disclose it except as permitted by this Agreement.',
  () => 'The recipient of any Confidential Information agrees not to disclose it to any person other than its employees and advisers who need to know it and who are bound by obligations of confidentiality no less protective than these.',
];
const CONFIDENTIALITY_HEADINGS = ['Confidentiality', 'Confidentiality Obligations', 'Non-Disclosure', 'Obligations of Confidence'];

const LIABILITY = [
  () => 'Neither party\'s total liability arising under or in connection with this Agreement shall exceed the fees paid in the twelve months preceding the claim.',
  () => 'In no event shall either party be liable to the other for any indirect, incidental or consequential loss, and each party\'s aggregate liability is limited to 100,000.',
  () => 'The Supplier\'s liability for any claim under this Agreement is limited to the amount of the charges paid for the Services giving rise to the claim.',
  () => 'Nothing in this Agreement limits either party\'s liability for death or personal injury caused by negligence or for fraud; subject to that, each party\'s liability is capped at the fees payable in one year.',
];
const LIABILITY_HEADINGS = ['Limitation of Liability', 'Liability', 'Limits on Liability', 'Indemnity and Liability'];

const LAW = [
  (law: string) => `This Agreement is governed by the laws of ${law}.`,
  (law: string) => `This Agreement shall be governed by and construed in accordance with the laws of ${law}, without regard to its conflict of laws principles.`,
  (law: string) => `This Agreement and any dispute arising from it shall be governed by the law of ${law}, and the courts there shall have exclusive jurisdiction.`,
];

/** Clauses that make a contract long and are no field: what every agreement also says. */
const FILLER = [
  'Notices. Any notice under this Agreement shall be in writing and delivered by hand, by recorded post or by email to the address of the other party set out above, and takes effect on receipt.',
  'Entire agreement. This Agreement constitutes the entire agreement between the parties and supersedes all previous agreements, promises and understandings between them relating to its subject matter.',
  'Assignment. Neither party may assign, transfer or subcontract any of its rights or obligations under this Agreement without the prior written consent of the other party, which shall not be unreasonably withheld.',
  'Force majeure. Neither party is in breach of this Agreement nor liable for delay in performing its obligations if the delay results from events beyond its reasonable control, provided it notifies the other party promptly.',
  'Severance. If any provision of this Agreement is found invalid or unenforceable, it shall be modified to the minimum extent necessary, and the remaining provisions shall continue in full force.',
  'Variation. No variation of this Agreement shall be effective unless it is in writing and signed by both parties or their authorised representatives.',
  'Waiver. A failure or delay by a party to exercise any right or remedy provided under this Agreement or by law shall not constitute a waiver of that right or of any other right or remedy.',
  'Counterparts. This Agreement may be executed in any number of counterparts, each of which when executed shall constitute a duplicate original, and all of which together constitute one agreement.',
  'Payment. Invoices are payable within thirty days of receipt. Late payments carry interest at four per cent a year above the base rate from the due date until payment in full.',
  'Intellectual property. All intellectual property rights in materials created under this Agreement vest in the party that created them, which grants the other a licence to use them for the purposes of this Agreement.',
  'Termination. Either party may terminate this Agreement immediately by written notice if the other commits a material breach that is not remedied within thirty days of being asked to remedy it.',
  'Data protection. Each party shall comply with applicable data protection laws in respect of any personal data it processes in connection with this Agreement.',
];

const signatoryOf = (random: Random, org: Organisation | Person): Party['signatory'] =>
  'title' in org ? org : random.pick(PEOPLE);

const contractData = (random: Random, type: ContractType): ContractData => {
  const kind = random.pick(KINDS[type]);
  const roles = random.pick(kind.roles);
  const [first, second] = random.sample(COMPANIES, 2) as [Organisation, Organisation];
  const people = random.sample(PEOPLE, 3) as [Person, Person, Person];
  const secondIsPerson = kind.people === 'second' || (type === 'SERVICE_AGREEMENT' && roles[1] === 'Consultant' && random.chance(0.5));
  const party = (org: Organisation | Person, role: string, signatory: Party['signatory']): Party => 'descriptor' in org
    ? { name: org.name, descriptor: org.descriptor, address: org.address, role, signatory }
    : { name: org.name, descriptor: `of ${org.address.join(', ')}`, address: org.address, role, signatory };
  return {
    type,
    title: random.pick(kind.title),
    purpose: random.pick(kind.purpose),
    parties: [
      party(first, roles[0], signatoryOf(random, people[0])),
      secondIsPerson ? party(people[1], roles[1], people[1]) : party(second, roles[1], signatoryOf(random, people[2])),
    ],
    effective: randomDate(random, random.int(2025, 2027)),
    dateFormat: random.pick(['dayMonthNameYear', 'monthNameDayYear', 'ordinalDayMonthYear', 'iso', 'dayMonthYearSlash', 'dayShortMonthYear']),
    law: random.pick(JURISDICTIONS),
  };
};

const q = (random: Random) => (random.chance(0.5) ? ['“', '”'] : ['"', '"']) as [string, string];
const p = (text: string) => `<p>${escape(text)}</p>`;

/** The opening: who the parties are and when it takes effect, in one of five ways. */
const opening = (random: Random, data: ContractData): { html: string; style: string; effectiveDate: Truth } => {
  const [a, b] = data.parties;
  const [open, close] = q(random);
  const when = DATE_FORMATS[data.dateFormat](data.effective);
  const title = `<h1 style="text-align: center; font-size: 1.6em">${escape(data.title)}</h1>`;
  switch (random.int(1, 5)) {
    case 1: return {
      style: 'cover line',
      html: `${title}<p style="text-align: center; font-size: 1.15em">between ${escape(a.name)} and ${escape(b.name)}</p><p style="text-align: center">Dated ${escape(when)}</p>
${p(`This Agreement sets out the terms agreed between the parties named above for ${data.purpose}.`)}`,
      effectiveDate: when,
    };
    case 2: return {
      style: 'one long opening sentence',
      html: `${title}${p(`This ${data.title.toLowerCase().replace(/^(.)/, (c) => c.toUpperCase())} (the ${open}Agreement${close}) is entered into as of ${when} (the ${open}Effective Date${close}) by and between ${a.name}, ${a.descriptor} (${open}${a.role.replace(/^the /, '')}${close}), and ${b.name}, ${b.descriptor} (${open}${b.role.replace(/^the /, '')}${close}).`)}
${p(`The parties wish to record the terms on which they will proceed with ${data.purpose}.`)}`,
      effectiveDate: when,
    };
    case 3: return {
      style: 'numbered PARTIES list',
      html: `${title}<p>THIS AGREEMENT is dated ${escape(when)}</p><p><b>PARTIES</b></p>
${p(`(1) ${a.name}, ${a.descriptor} (the ${open}${a.role.replace(/^the /, '')}${close}); and`)}
${p(`(2) ${b.name}, ${b.descriptor} (the ${open}${b.role.replace(/^the /, '')}${close}).`)}
<p><b>BACKGROUND</b></p>${p(`The parties have agreed to enter into this Agreement in connection with ${data.purpose}.`)}`,
      effectiveDate: when,
    };
    case 4: {
      const row = (label: string, value: string) => `<tr><td style="padding: 4px 28px 4px 0; vertical-align: top; font-weight: bold">${escape(label)}</td><td>${escape(value)}</td></tr>`;
      const role = (party: Party) => party.role.replace(/^the /, '').replace(/^./, (c) => c.toUpperCase());
      return {
        style: 'label table',
        html: `${title}<table style="border-collapse: collapse; margin: 12px 0">${row(`${role(a)}:`, `${a.name}, ${a.address.join(', ')}`)}${row(`${role(b)}:`, `${b.name}, ${b.address.join(', ')}`)}${row('Effective Date:', when)}</table>
${p(`This Agreement governs ${data.purpose}.`)}`,
        effectiveDate: when,
      };
    }
    default: return {
      style: 'BETWEEN … AND in capitals',
      html: `${title}${p(`This Agreement is made on ${when}`)}<p><b>BETWEEN:</b></p>
${p(`${a.name.toUpperCase()}, ${a.descriptor} (${open}${a.role.replace(/^the /, '')}${close})`)}<p><b>AND:</b></p>
${p(`${b.name.toUpperCase()}, ${b.descriptor} (${open}${b.role.replace(/^the /, '')}${close})`)}`,
      effectiveDate: when,
    };
  }
};

/** Who signed, in one of five common blocks. */
const signatures = (random: Random, data: ContractData): { html: string; style: string } => {
  const [a, b] = data.parties;
  switch (random.int(1, 5)) {
    case 1: return { style: 'Signed by', html: `<p style="margin-top: 30px">Signed for and on behalf of the parties:</p><p style="margin-top: 24px">Signed by ${escape(a.signatory.name)}</p><p style="margin-top: 24px">Signed by ${escape(b.signatory.name)}</p>` };
    case 2: {
      const column = (party: Party) => `<td style="width: 50%; vertical-align: top; padding-right: 30px"><b>${escape(party.name.toUpperCase())}</b><br><br>By: ______________________<br>Name: ${escape(party.signatory.name)}<br>Title: ${escape(party.signatory.title)}<br>Date: ______________</td>`;
      return { style: 'two-column By/Name/Title', html: `<p style="margin-top: 30px">IN WITNESS WHEREOF, the parties have executed this Agreement as of the Effective Date.</p><table style="width: 100%; margin-top: 20px"><tr>${column(a)}${column(b)}</tr></table>` };
    }
    case 3: {
      const block = (party: Party) => `<p style="margin-top: 26px">For and on behalf of ${escape(party.name)}</p><p>Signature: _________________________</p><p>Name: ${escape(party.signatory.name)}<br>Position: ${escape(party.signatory.title)}</p>`;
      return { style: 'stacked Signature/Name/Position', html: block(a) + block(b) };
    }
    case 4: return { style: '/s/ conformed signatures', html: `<p style="margin-top: 30px">Agreed and accepted:</p><p>/s/ ${escape(a.signatory.name)}<br>${escape(a.signatory.name)}, ${escape(a.signatory.title)}</p><p>/s/ ${escape(b.signatory.name)}<br>${escape(b.signatory.name)}, ${escape(b.signatory.title)}</p>` };
    default: return { style: 'name under the line', html: `<p style="margin-top: 30px">EXECUTED by the parties:</p><table style="width: 100%; margin-top: 36px"><tr><td style="width: 50%">______________________<br>${escape(a.signatory.name)}<br>${escape(a.signatory.title)}, ${escape(a.name)}</td><td>______________________<br>${escape(b.signatory.name)}<br>${escape(b.signatory.title)}${'descriptor' in b && b.name !== b.signatory.name ? `, ${escape(b.name)}` : ''}</td></tr></table>` };
  }
};

interface Clause { heading: string; text: string }

export const contracts = (random: Random, types: ContractType[], split: EvalDocument['split'], startAt = 1): EvalDocument[] =>
  types.map((type, index) => {
    const data = contractData(random, type);
    const start = opening(random, data);
    const term = termSentence(random, data);
    const hasConfidentiality = type === 'NDA' || random.chance(0.35);
    const hasLiability = type === 'SERVICE_AGREEMENT' ? random.chance(0.9) : random.chance(0.35);
    const [lawOpen] = [random.int(0, LAW.length - 1)];
    const clauses: Clause[] = [];
    if (type === 'NDA') clauses.push({ heading: 'Definitions', text: `${q(random)[0]}Confidential Information${q(random)[1]} means all information of a confidential nature disclosed by one party to the other in connection with ${data.purpose}, in any form.` });
    if (type === 'SERVICE_AGREEMENT') clauses.push({ heading: 'Services', text: `The ${data.parties[1].role} shall provide ${data.purpose} (the Services) with reasonable skill and care and in accordance with good industry practice.` });
    if (term) clauses.push({ heading: random.pick(['Term', 'Duration', 'Term and Termination', 'Commencement and Duration']), text: term.text });
    if (hasConfidentiality) clauses.push({ heading: random.pick(CONFIDENTIALITY_HEADINGS), text: random.pick(CONFIDENTIALITY)(data) });
    if (hasLiability) clauses.push({ heading: random.pick(LIABILITY_HEADINGS), text: random.pick(LIABILITY)() });
    clauses.push(...random.sample(FILLER, random.int(1, 9)).map((text) => ({ heading: '', text })));
    clauses.push({ heading: 'Governing Law', text: LAW[lawOpen]!(data.law.printed) });
    const signed = signatures(random, data);
    const numbered = clauses.map((clause, at) => `<p>${at + 1}. ${clause.heading ? `<b>${escape(clause.heading)}.</b> ` : ''}${escape(clause.text)}</p>`);
    // One page in three is a scan of a short contract; the rest print to PDF, a page break before the signatures when long.
    const asScan = clauses.length <= 6 && random.chance(0.4);
    const look: Look = {
      font: random.pick(FONTS.filter((font) => !font.includes('Mono'))),
      size: asScan ? random.pick([15, 16, 17]) : random.pick([13, 14, 15, 16]),
      noise: asScan ? random.pick(['scan', 'clean', 'faint', 'photo']) : random.pick(['clean', 'clean', 'clean', 'scan']),
    };
    const body = `${start.html}${numbered.join('\n')}`;
    const html = asScan
      ? sheet(`${body}${signed.html}`, look, random)
      : printed(numbered.length > 8 ? [body, signed.html] : [`${body}${signed.html}`], look, random);
    return {
      id: `contract-${String(startAt + index).padStart(2, '0')}`,
      split,
      class: 'CONTRACT',
      output: asScan ? { format: 'png', width: 1000, height: 1400 } : { format: 'pdf' },
      html,
      truth: {
        contractType: type,
        title: data.title,
        parties: data.parties.map((party) => party.name),
        effectiveDate: start.effectiveDate,
        term: term?.truth ?? null,
        governingLaw: { anyOf: [data.law.truth, data.law.printed] },
        confidentiality: hasConfidentiality ? { mentions: 'confiden' } : null,
        liability: hasLiability ? { mentions: 'liab' } : null,
        signature: data.parties.map((party) => party.signatory.name),
      },
      description: `${type}, "${data.title}"; parties by ${start.style}; signatures ${signed.style}; ${clauses.length} clauses; ${data.dateFormat} dates; ${asScan ? 'one-page scan' : 'PDF'}; ${describeLook(look)}`,
    };
  });
