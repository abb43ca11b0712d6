import type { ProductCatalogue } from '../catalogue/product.js';
import type { Order } from './order.js';
import { InvalidOrderError } from '../errors.js';
import { parseOrderRequest } from './order-request.js';
import type { IntakeInput } from './place-order.js';
import { priceOrder } from './pricing.js';

/**
 * The intake workflow's first step. It checks the request again (the workflow can be started by
 * more than the API) and prices it from the catalogue.
 */
export const validateOrder = (catalogue: ProductCatalogue) =>
  async ({ orderId, request, receivedAt }: IntakeInput): Promise<{ order: Order }> => {
    const checked = parseOrderRequest(request);
    if (checked.customerId === undefined) {
      throw new InvalidOrderError([{ field: 'customerId', problem: 'is required: intake records every order for a customer' }]);
    }
    const products = await catalogue.findBySkus(checked.items.map(({ sku }) => sku));
    return { order: priceOrder(orderId, { ...checked, customerId: checked.customerId }, products, receivedAt) };
  };
