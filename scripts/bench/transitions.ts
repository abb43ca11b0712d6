import { GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { LOCAL_CREDENTIALS } from './orders.js';

/** us-east-1 list prices. */
export const PRICES = {
  standardPerThousandTransitions: 0.025,
  expressPerMillionRequests: 1.0,
};

export interface TransitionCount {
  executionArn: string;
  /** `*StateEntered` events: every state entered, Parallel branches included. */
  transitions: number;
  statesEntered: string[];
}

const history = async (sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> => {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
};

export const countTransitions = async (awsEndpoint: string, region: string, executionArns: string[]): Promise<TransitionCount[]> => {
  const sfn = new SFNClient({ endpoint: awsEndpoint, region, credentials: LOCAL_CREDENTIALS });
  try {
    const counts: TransitionCount[] = [];
    for (const executionArn of executionArns) {
      const entered = (await history(sfn, executionArn)).filter((event) => event.type?.endsWith('StateEntered'));
      counts.push({
        executionArn,
        transitions: entered.length,
        statesEntered: entered.map((event) => event.stateEnteredEventDetails?.name ?? '?'),
      });
    }
    return counts;
  } finally {
    sfn.destroy();
  }
};

export const standardCostPerThousandOrders = (transitionsPerOrder: number): number =>
  (transitionsPerOrder * 1000 * PRICES.standardPerThousandTransitions) / 1000;

export const expressRequestCostPerThousandOrders = (): number => (1000 * PRICES.expressPerMillionRequests) / 1_000_000;
