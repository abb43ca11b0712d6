import { InvalidOrderError, type Problem } from '../errors.js';
import type { Product } from '../catalogue/product.js';
import type { Order, OrderLine, OrderRequest } from './order.js';

/** Prices a well-formed request against the catalogue. Prices come from the catalogue, never the client. */
export const priceOrder = (
  orderId: string,
  request: OrderRequest,
  products: Map<string, Product>,
  placedAt: string,
): Order => {
  const problems: Problem[] = [];
  const lines: OrderLine[] = [];
  request.items.forEach(({ sku, quantity }, index) => {
    const product = products.get(sku);
    if (!product) {
      problems.push({ field: `items[${index}].sku`, problem: `unknown SKU "${sku}"` });
      return;
    }
    lines.push({
      sku,
      name: product.name,
      quantity,
      unitPrice: product.price,
      lineTotal: { amount: product.price.amount * quantity, currency: product.price.currency },
    });
  });
  const currencies = new Set(lines.map((line) => line.unitPrice.currency));
  if (currencies.size > 1) {
    problems.push({ field: 'items', problem: `mixes currencies (${[...currencies].join(', ')}); place one order per currency` });
  }
  if (problems.length > 0) throw new InvalidOrderError(problems);

  const currency = lines[0]?.unitPrice.currency ?? 'EUR';
  return {
    orderId,
    customerId: request.customerId,
    email: request.email,
    items: lines,
    total: { amount: lines.reduce((sum, line) => sum + line.lineTotal.amount, 0), currency },
    shippingAddress: request.shippingAddress,
    placedAt,
  };
};
