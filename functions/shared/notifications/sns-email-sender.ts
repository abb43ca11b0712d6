import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { NotificationUnavailableError } from '../errors.js';
import type { EmailSender } from './emails.js';

/** Publishes to a topic whose email subscriptions filter on the `email` attribute (README: approvers subscribe). */
export const snsEmailSender = (sns: SNSClient, topicArn: string): EmailSender => ({
  async send(email) {
    try {
      await sns.send(new PublishCommand({
        TopicArn: topicArn,
        Subject: email.subject.slice(0, 99),
        Message: email.text,
        MessageAttributes: { email: { DataType: 'String', StringValue: email.to } },
      }));
    } catch (error) {
      throw new NotificationUnavailableError(`email "${email.subject}" not published: ${(error as Error).name}`);
    }
  },
});
