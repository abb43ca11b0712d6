import type { Email } from '../notifications/emails.js';
import { inertText } from '../text.js';
import type { Plan } from './signup.js';

/**
 * Onboarding's emails. The company name is the customer's own text: made inert (no link a mail
 * client would follow, no invisible characters) wherever it appears, subject included.
 */
export const welcomeEmail = (input: { email: string; company: string; plan: Plan; accountId: string; apiKey: string }): Email => ({
  to: input.email,
  subject: `Welcome aboard, ${inertText(input.company)}`,
  text: `Hello,

the account of ${inertText(input.company)} is ready (plan: ${input.plan}, account ${input.accountId}).

Your API key:

  ${input.apiKey}

This is the only time we send it, and we keep no copy we could read: store it somewhere safe now.
If it is lost, ask us for a new one.
`,
});

export type SignupOutcome = 'REJECTED' | 'FAILED';

export const signupOutcomeEmail = (input: { email: string; company: string; signupId: string; outcome: SignupOutcome }): Email => {
  const company = inertText(input.company);
  return input.outcome === 'REJECTED'
    ? {
        to: input.email,
        subject: `Your signup for ${company} was not accepted`,
        text: `Hello,

your signup ${input.signupId} for ${company} was not accepted: the company already has an account.
Ask whoever manages it to invite you.
`,
      }
    : {
        to: input.email,
        subject: `Your signup for ${company} could not be completed`,
        text: `Hello,

your signup ${input.signupId} for ${company} could not be completed because of a problem on our side.
Nothing was kept and nothing will be billed; you are welcome to sign up again.
`,
      };
};
