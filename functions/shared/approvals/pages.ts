import { escapeHtml } from '../html.js';
import { cleanText } from '../text.js';
import { CUSTOMER_SECTION_NOTE, detailSections, type DetailSection } from './approval-details.js';
import { formatMoney, MAX_COMMENT_LENGTH, type ApprovalRecord } from './approval.js';

const layout = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}h2 small{font-weight:400;color:#555}.from-customer{border-left:3px solid #c60;padding-left:.75rem}
textarea{width:100%;min-height:5rem}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}
.chosen{outline:3px solid #0a58ca}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;

/** Shown as text, never markup, and without characters that reorder or hide what is seen. */
const shown = (value: unknown): string => escapeHtml(cleanText(value));

const sectionHtml = (section: DetailSection): string => `<section${section.fromCustomer ? ' class="from-customer"' : ''}>
<h2>${shown(section.heading)}${section.fromCustomer ? ` <small>(${shown(CUSTOMER_SECTION_NOTE)})</small>` : ''}</h2>
<dl>${section.rows.map(({ label, value }) => `<dt>${shown(label)}</dt><dd>${shown(value)}</dd>`).join('')}</dl>
</section>`;

const details = (record: ApprovalRecord): string => `<dl>
<dt>Why</dt><dd>${shown(record.request.summary)}</dd>
${record.request.amount && !record.request.order ? `<dt>Amount</dt><dd>${shown(formatMoney(record.request.amount))}</dd>` : ''}
<dt>Approver</dt><dd>${shown(record.approver)}</dd>
${record.expiresAt ? `<dt>Deadline</dt><dd><time datetime="${escapeHtml(record.expiresAt)}">${escapeHtml(new Date(record.expiresAt).toUTCString())}</time></dd>` : ''}
${record.request.link ? `<dt>Details</dt><dd>${shown(record.request.link)}</dd>` : ''}
</dl>
${detailSections(record.request).map(sectionHtml).join('\n')}`;

/** The page behind the link: shows the request and asks; only the form's POST decides. */
export const decisionFormPage = (record: ApprovalRecord, actionUrl: string, intent: string | undefined): string =>
  layout(`Approve ${cleanText(record.request.kind)} ${cleanText(record.request.id)}?`, `${details(record)}
<form method="post" action="${escapeHtml(actionUrl)}">
<p><label for="comment">Comment (optional)</label><br>
<textarea id="comment" name="comment" maxlength="${MAX_COMMENT_LENGTH}"></textarea></p>
<button type="submit" name="decision" value="APPROVE"${intent === 'approve' ? ' class="chosen" autofocus' : ''}>Approve</button>
<button type="submit" name="decision" value="REJECT"${intent === 'reject' ? ' class="chosen" autofocus' : ''}>Reject</button>
</form>`);

export const decidedPage = (record: ApprovalRecord, heading: string): string =>
  layout(heading, `${details(record)}
<p id="decision">Decision: <strong>${escapeHtml(record.status)}</strong>${record.decidedBy ? ` by ${escapeHtml(record.decidedBy)}` : ''}${record.decidedAt ? ` at ${escapeHtml(record.decidedAt)}` : ''}.</p>
${record.comment ? `<p>Comment: ${escapeHtml(record.comment)}</p>` : ''}`);

export const messagePage = (heading: string, message: string): string =>
  layout(heading, `<p>${escapeHtml(message)}</p>`);
