import request from 'supertest';
import { TestNode, startNode } from '../support/node';

describe('GET /health', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ id: 'a', env: { API_TOKEN: 'health-token-padded-to-32-characters' } });
  });
  afterAll(() => node.stop());

  it('answers 200 without authentication while the database answers, and 503 once it does not', async () => {
    expect((await request(node.url).get('/health').expect(200)).body).toEqual({ status: 'ok', node: 'a' });
    await node.database!.drop();
    const down = await request(node.url).get('/health').expect(503);
    expect(down.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'the database does not answer' });
  });
});
