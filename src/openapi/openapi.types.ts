/**
 * The part of OpenAPI 3.0 this node's document uses, so a misspelt field or a
 * wrong shape does not compile. Widen it here when the document needs more.
 */
export interface ReferenceObject {
  $ref: string;
}

export interface SchemaObject {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, SchemaObject | ReferenceObject>;
  additionalProperties?: boolean | SchemaObject | ReferenceObject;
  items?: SchemaObject | ReferenceObject;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
}

export interface ParameterObject {
  name: string;
  in: 'query' | 'header' | 'path';
  required?: boolean;
  description?: string;
  schema?: SchemaObject | ReferenceObject;
}

type Content = Record<string, { schema?: SchemaObject | ReferenceObject }>;

export interface ResponseObject {
  description: string;
  content?: Content;
}

export interface OperationObject {
  tags?: string[];
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Content };
  responses: Record<string, ResponseObject>;
}

export type PathsObject = Record<string, Partial<Record<'get' | 'put' | 'post' | 'delete', OperationObject>>>;

export interface OpenAPIObject {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: PathsObject;
  components?: {
    schemas?: Record<string, SchemaObject | ReferenceObject>;
    securitySchemes?: Record<
      string,
      { type: 'http' | 'apiKey'; scheme?: string; in?: 'header'; name?: string; description?: string }
    >;
  };
}
