import { CompanyAlreadyOnboardedError } from '../errors.js';

/** The accounts table, read by the company's key. */
export interface AccountDirectory {
  /** The signup that made the company's account, if it has one. */
  ownerOf(companyKey: string): Promise<string | undefined>;
}

/**
 * customer-onboarding's ValidateSignup: a company that already has an account (made by another
 * signup) is rejected before anything is made. Two signups at once both pass here; the account's
 * conditional write then rejects the second.
 */
export const validateSignup = (accounts: AccountDirectory) =>
  async ({ signupId, companyKey }: { signupId: string; companyKey: string }): Promise<{ valid: true }> => {
    const owner = await accounts.ownerOf(companyKey);
    if (owner !== undefined && owner !== signupId) throw new CompanyAlreadyOnboardedError('The company already has an account.');
    return { valid: true };
  };

export const dynamoDbAccountDirectory = (get: (companyKey: string) => Promise<Record<string, unknown> | undefined>): AccountDirectory => ({
  async ownerOf(companyKey) {
    const item = await get(companyKey);
    return typeof item?.signupId === 'string' ? item.signupId : undefined;
  },
});
