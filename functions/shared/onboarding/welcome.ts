import type { EmailSender } from '../notifications/emails.js';
import { signupOutcomeEmail, welcomeEmail, type SignupOutcome } from './emails.js';
import type { Plan } from './signup.js';

export interface WelcomeInput {
  signupId: string;
  company: string;
  email: string;
  plan: Plan;
  accountId: string;
}

type DeliverOnce = (signupId: string, send: (key: string) => Promise<void>) => Promise<{ alreadySent: boolean }>;

/** customer-onboarding's SendWelcomeEmail: the key goes out once, in this email, and its answer never holds it. */
export const sendWelcomeEmail = (deliverOnce: DeliverOnce, sender: EmailSender) =>
  async (input: WelcomeInput): Promise<{ sent: boolean }> => {
    const { alreadySent } = await deliverOnce(input.signupId, (apiKey) => sender.send(welcomeEmail({ ...input, apiKey })));
    return { sent: !alreadySent };
  };

/** customer-onboarding's NotifySignupOutcome: a rejected or failed signup's address is told why. */
export const notifySignupOutcome = (sender: EmailSender) =>
  async (input: { signupId: string; company: string; email: string; outcome: SignupOutcome }): Promise<{ sent: string }> => {
    const email = signupOutcomeEmail(input);
    await sender.send(email);
    return { sent: email.subject };
  };
