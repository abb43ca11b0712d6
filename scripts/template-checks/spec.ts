import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * The CloudFormation resource schemas, as @aws-cdk/aws-service-spec (Apache-2.0) ships them: every
 * resource type's properties (with their types and which are required) and attributes. Read
 * straight from its database file, which is all the package is.
 */
export type PropertyType =
  | { type: 'string' | 'number' | 'integer' | 'boolean' | 'json' | 'date-time' | 'null' | 'tag' }
  | { type: 'array' | 'map'; element: PropertyType }
  | { type: 'ref'; reference: { $ref: string } }
  | { type: 'union'; types: PropertyType[] };

export interface Property {
  type: PropertyType;
  required?: boolean;
  documentation?: string;
}

export interface ResourceSpec {
  cloudFormationType: string;
  properties: Record<string, Property>;
  attributes: Record<string, unknown>;
}

export interface TypeDefinition {
  name: string;
  properties: Record<string, Property>;
}

export interface ServiceSpec {
  resource(type: string): ResourceSpec | undefined;
  typeDefinition(id: string): TypeDefinition | undefined;
}

interface Database {
  schema: {
    resource: { entities: (ResourceSpec & { $id: string })[] };
    typeDefinition: { entities: (TypeDefinition & { $id: string })[] };
  };
}

let loaded: ServiceSpec | undefined;

export const loadServiceSpec = (): ServiceSpec => {
  if (loaded) return loaded;
  const packageDir = dirname(createRequire(import.meta.url).resolve('@aws-cdk/aws-service-spec/package.json'));
  const database = JSON.parse(gunzipSync(readFileSync(join(packageDir, 'db.json.gz'))).toString('utf8')) as Database;
  const resources = new Map(database.schema.resource.entities.map((entity) => [entity.cloudFormationType, entity]));
  const types = new Map(database.schema.typeDefinition.entities.map((entity) => [entity.$id, entity]));
  loaded = { resource: (type) => resources.get(type), typeDefinition: (id) => types.get(id) };
  return loaded;
};

/** "*Allowed values*: `A` | `B`", where the schema's documentation lists them (it does for few properties). */
export const allowedValues = (property: Property): string[] | undefined => {
  const match = /Allowed values\*?\s*:?\s*((?:`[^`]+`\s*\|?\s*)+)/.exec(property.documentation ?? '');
  return match ? [...match[1]!.matchAll(/`([^`]+)`/g)].map((value) => value[1]!) : undefined;
};
