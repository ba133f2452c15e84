import request from 'supertest';
import { TestNode, startNode } from '../support/node';

describe('a node', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ id: 'a' });
  });
  afterAll(() => node.stop());

  it('creates and reads an item', async () => {
    const created = await request(node.url).post('/items').send({ data: { hello: 'world' } }).expect(201);
    const read = await request(node.url).get(`/items/${created.body.id}`).expect(200);
    expect(read.body.data).toEqual({ hello: 'world' });
  });
});
