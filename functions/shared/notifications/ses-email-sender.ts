import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { NotificationUnavailableError } from '../errors.js';
import type { EmailSender } from './emails.js';

/**
 * Sends through SES, to any address: onboarding writes to people no topic subscription knows yet.
 * The error names no address and no content (an email may carry a secret).
 */
export const sesEmailSender = (ses: SESv2Client, from: string): EmailSender => ({
  async send(email) {
    try {
      await ses.send(new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [email.to] },
        Content: { Simple: { Subject: { Data: email.subject, Charset: 'UTF-8' }, Body: { Text: { Data: email.text, Charset: 'UTF-8' } } } },
      }));
    } catch (error) {
      throw new NotificationUnavailableError(`email not sent by SES: ${(error as Error).name}`);
    }
  },
});
