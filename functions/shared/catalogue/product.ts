import type { Money } from '../orders/order.js';

export interface Product {
  sku: string;
  name: string;
  price: Money;
  /** Units that can still be reserved. */
  available: number;
}

export interface ProductCatalogue {
  /** Products for the given SKUs; unknown SKUs are simply absent from the map. */
  findBySkus(skus: string[]): Promise<Map<string, Product>>;
  listAll(): Promise<Product[]>;
}
