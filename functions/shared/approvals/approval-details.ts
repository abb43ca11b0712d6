import { formatMoney, type ApprovalSubject, type DocumentUnderApproval, type OrderUnderApproval } from './approval.js';

/**
 * What an approver is shown about a request, the same in the email and on the page: one list of
 * sections, each rendered by its medium. A section `fromCustomer` holds what the customer wrote or
 * what was read off their file: the renderers clean it (and, in an email, make its links inert)
 * and label it as theirs, so nothing in it passes for something we checked.
 */
export interface DetailSection {
  heading: string;
  fromCustomer: boolean;
  rows: { label: string; value: string }[];
}

export const CUSTOMER_SECTION_NOTE = 'as the customer sent it, not checked by us';

const orderSections = (order: OrderUnderApproval): DetailSection[] => {
  const { shippingAddress: to } = order;
  return [
    {
      heading: 'What was ordered',
      fromCustomer: false,
      rows: [
        ...(order.items ?? []).map((line) => ({
          label: `${line.quantity} x ${line.name} (${line.sku})`,
          value: `${formatMoney(line.unitPrice)} each, ${formatMoney(line.lineTotal)}`,
        })),
        { label: 'Total', value: formatMoney(order.total) },
      ],
    },
    {
      heading: 'Customer details',
      fromCustomer: true,
      rows: [
        { label: 'Ship to', value: [to?.name, to?.line1, [to?.postalCode, to?.city].filter(Boolean).join(' '), to?.country].filter(Boolean).join(', ') },
        { label: 'Email', value: order.email },
      ],
    },
  ];
};

const documentSections = (document: DocumentUnderApproval): DetailSection[] => {
  const failing = (document.checks ?? []).filter((check) => !check.passed);
  return [
    {
      heading: 'What it was read as',
      fromCustomer: false,
      rows: [
        { label: 'Class', value: `${document.class} (confidence ${document.confidence})` },
        ...(failing.length === 0
          ? [{ label: 'Checks', value: 'all passed; the classification is unsure' }]
          : failing.map((check) => ({ label: `Failed check: ${check.name}`, value: check.detail }))),
      ],
    },
    {
      heading: 'The file and what was read from it',
      fromCustomer: true,
      rows: [
        { label: 'File name', value: document.filename },
        ...Object.entries(document.fields ?? {}).map(([name, value]) => ({ label: name, value })),
      ],
    },
  ];
};

export const detailSections = (request: ApprovalSubject): DetailSection[] => [
  ...(request.order ? orderSections(request.order) : []),
  ...(request.document ? documentSections(request.document) : []),
];
