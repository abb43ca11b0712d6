import { escapeHtml } from '../html.js';
import { formatMoney, MAX_COMMENT_LENGTH, type ApprovalRecord } from './approval.js';

const layout = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}
textarea{width:100%;min-height:5rem}button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}
.chosen{outline:3px solid #0a58ca}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;

const details = (record: ApprovalRecord): string => `<dl>
<dt>What</dt><dd>${escapeHtml(record.request.summary)}</dd>
<dt>Kind</dt><dd>${escapeHtml(record.request.kind)} ${escapeHtml(record.request.id)}</dd>
${record.request.amount ? `<dt>Amount</dt><dd>${escapeHtml(formatMoney(record.request.amount))}</dd>` : ''}
<dt>Approver</dt><dd>${escapeHtml(record.approver)}</dd>
${record.expiresAt ? `<dt>Deadline</dt><dd><time datetime="${escapeHtml(record.expiresAt)}">${escapeHtml(new Date(record.expiresAt).toUTCString())}</time></dd>` : ''}
${record.request.link ? `<dt>Details</dt><dd>${escapeHtml(record.request.link)}</dd>` : ''}
</dl>`;

/** The page behind the link: shows the request and asks; only the form's POST decides. */
export const decisionFormPage = (record: ApprovalRecord, actionUrl: string, intent: string | undefined): string =>
  layout(`Approve ${record.request.kind} ${record.request.id}?`, `${details(record)}
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
