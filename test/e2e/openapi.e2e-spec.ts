import request from 'supertest';
import { TestNode, startNode } from '../support/node';

/** Every route of API.md (v2), as `METHOD path` with OpenAPI's `{param}` form. */
const API_ROUTES = [
  'POST /items',
  'GET /items',
  'GET /items/{id}',
  'PUT /items/{id}',
  'DELETE /items/{id}',
  'POST /items/batch',
  'POST /items/bulk',
  'GET /items/transactions',
  'PUT /items/transactions',
  'POST /admin/sync',
  'GET /admin/peers',
  'POST /admin/peers/{id}/pause',
  'POST /admin/peers/{id}/resume',
  'POST /admin/peers/{id}/reset',
  'GET /admin/peers/{id}/runs',
  'GET /admin/conflicts',
  'POST /admin/conflicts/{id}/resolve',
  'POST /admin/conflicts/{id}/dismiss',
  'GET /status',
  'GET /openapi.json',
  'GET /health',
  'GET /metrics',
];

/** Routes whose request has a JSON body in API.md. */
const WITH_BODY = [
  'POST /items',
  'PUT /items/{id}',
  'POST /items/batch',
  'POST /items/bulk',
  'PUT /items/transactions',
  'POST /admin/sync',
  'POST /admin/conflicts/{id}/resolve',
];

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};
type Operation = {
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};

/** Every `$ref` in the document, so none can point at a schema that is not there. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refs(inner)));
  }
  return [];
}

describe('GET /openapi.json and /docs', () => {
  let node: TestNode;
  let doc: Doc;
  beforeAll(async () => {
    node = await startNode({ id: 'a', env: { API_TOKEN: 'openapi-test-token-0123456789abcdef' } });
    doc = (
      await request(node.url)
        .get('/openapi.json')
        .expect(200)
        .expect('Content-Type', /application\/json/)
    ).body;
  });
  afterAll(() => node.stop());

  it('serves an OpenAPI 3 document without a token, while the items API still needs one', async () => {
    expect(doc.openapi).toMatch(/^3\./);
    await request(node.url).get('/items').expect(401);
  });

  it('names every route of API.md with its answers, and a request body where the route takes one', () => {
    const listed = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(listed.sort()).toEqual([...API_ROUTES].sort());
    for (const route of API_ROUTES) {
      const [method, path] = route.split(' ');
      const operation = doc.paths[path][method.toLowerCase()];
      expect({ route, codes: Object.keys(operation.responses).filter((code) => /^2/.test(code)).length > 0 }).toEqual({
        route,
        codes: true,
      });
      expect({ route, body: Boolean(operation.requestBody?.content['application/json']?.schema) }).toEqual({
        route,
        body: WITH_BODY.includes(route),
      });
    }
  });

  it('resolves every schema reference', () => {
    const missing = refs(doc).filter((ref) => !(ref.replace('#/components/schemas/', '') in doc.components.schemas));
    expect(missing).toEqual([]);
  });

  it('serves a browsable page at /docs without a token', async () => {
    const page = await request(node.url)
      .get('/docs')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(page.text).toContain('swagger-ui');
    const init = await request(node.url).get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('/items/transactions');
    await request(node.url).get('/docs/swagger-ui-bundle.js').expect(200);
  });

  it('serves every file the page loads, from /docs and from /docs/', async () => {
    for (const page of ['/docs', '/docs/']) {
      const html = (await request(node.url).get(page).expect(200)).text;
      const files = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, file]) => new URL(file, node.url + page).pathname);
      expect(files).toContain('/docs/swagger-ui-init.js');
      for (const file of files) await request(node.url).get(file).expect(200);
    }
  });
});
