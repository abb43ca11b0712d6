/** Every email the stack would send, newest first: SNS publishes and SES sends captured on their way to the emulator. */
export interface Email {
  to: string;
  subject: string;
  text: string;
  links: string[];
  /** The topic an SNS email was published to; absent for SES. */
  topicArn?: string;
  /** The sender of an SES email; absent for SNS. */
  from?: string;
  /** An SNS publish's message attributes (an alert's `orderId`, ...): what a subscription's filter policy reads; absent for SES. */
  attributes?: Record<string, string>;
  sentAt: string;
}

const LINK_PATTERN = /https?:\/\/[^\s"'<>]+/g;

export class Outbox {
  private readonly emails: Email[] = [];

  constructor(private readonly limit = 1000) {}

  record(publish: { topicArn: string; subject?: string; message: string; attributes: Record<string, string> }): Email {
    return this.add({
      to: publish.attributes.email ?? `subscribers of ${publish.topicArn.split(':').pop() ?? publish.topicArn}`,
      subject: publish.subject ?? '',
      text: publish.message,
      links: publish.message.match(LINK_PATTERN) ?? [],
      topicArn: publish.topicArn,
      attributes: publish.attributes,
      sentAt: new Date().toISOString(),
    });
  }

  /** An SES SendEmail: one email per recipient, as each of them receives it. */
  recordSesEmail(sent: SesEmail): Email[] {
    return sent.to.map((to) => this.add({
      to,
      subject: sent.subject,
      text: sent.text,
      links: sent.text.match(LINK_PATTERN) ?? [],
      from: sent.from,
      sentAt: new Date().toISOString(),
    }));
  }

  private add(email: Email): Email {
    this.emails.unshift(email);
    this.emails.length = Math.min(this.emails.length, this.limit);
    return email;
  }

  list(): Email[] {
    return [...this.emails];
  }
}

export interface SesEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/** Reads an SES v2 SendEmail (`POST /v2/email/outbound-emails`) of a simple email; undefined for anything else. */
export const parseSesSendEmail = (method: string, path: string, body: string): SesEmail | undefined => {
  if (method !== 'POST' || path !== '/v2/email/outbound-emails') return undefined;
  try {
    const parsed = JSON.parse(body) as {
      FromEmailAddress?: string;
      Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
      Content?: { Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string }; Html?: { Data?: string } } } };
    };
    const simple = parsed.Content?.Simple;
    if (!simple) return undefined;
    const destination = parsed.Destination ?? {};
    return {
      from: parsed.FromEmailAddress ?? '',
      to: [...destination.ToAddresses ?? [], ...destination.CcAddresses ?? [], ...destination.BccAddresses ?? []],
      subject: simple.Subject?.Data ?? '',
      text: simple.Body?.Text?.Data ?? simple.Body?.Html?.Data ?? '',
    };
  } catch {
    return undefined;
  }
};

/** Reads an SNS Publish from either wire format the SDKs use (query or JSON). */
export const parsePublish = (body: string, contentType: string | undefined): { topicArn: string; subject?: string; message: string; attributes: Record<string, string> } | undefined => {
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(body);
    if (form.get('Action') !== 'Publish') return undefined;
    const attributes: Record<string, string> = {};
    for (let index = 1; form.has(`MessageAttributes.entry.${index}.Name`); index += 1) {
      const name = form.get(`MessageAttributes.entry.${index}.Name`) ?? '';
      attributes[name] = form.get(`MessageAttributes.entry.${index}.Value.StringValue`) ?? '';
    }
    return {
      topicArn: form.get('TopicArn') ?? form.get('TargetArn') ?? '',
      subject: form.get('Subject') ?? undefined,
      message: form.get('Message') ?? '',
      attributes,
    };
  }
  try {
    const parsed = JSON.parse(body) as { TopicArn?: string; TargetArn?: string; Subject?: string; Message?: string; MessageAttributes?: Record<string, { StringValue?: string }> };
    if (parsed.Message === undefined) return undefined;
    return {
      topicArn: parsed.TopicArn ?? parsed.TargetArn ?? '',
      subject: parsed.Subject,
      message: parsed.Message,
      attributes: Object.fromEntries(Object.entries(parsed.MessageAttributes ?? {}).map(([key, value]) => [key, value.StringValue ?? ''])),
    };
  } catch {
    return undefined;
  }
};

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);

export const renderOutboxPage = (emails: Email[], jsonUrl: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Local outbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
article{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
h2{font-size:1.1rem;margin:0 0 .25rem}.meta{color:#555;font-size:.9rem}pre{white-space:pre-wrap}
pre,a,h2,.meta{overflow-wrap:anywhere}</style></head>
<body><h1>Local outbox</h1><p>${emails.length} email(s), newest first. As JSON: <code>curl ${escape(jsonUrl)}</code></p>
${emails.map((email) => `<article><h2>${escape(email.subject || '(no subject)')}</h2>
<div class="meta">to ${escape(email.to)} · ${escape(email.sentAt)}</div><pre>${escape(email.text)}</pre>
${email.links.map((link) => `<a href="${escape(link)}">${escape(link)}</a>`).join('<br>')}</article>`).join('\n')}
</body></html>`;
