import request from 'supertest';
import { bearer } from './http';

/** The text of a node's `GET /metrics`, with the API token when it has one. */
export async function scrapeMetrics(url: string, token?: string): Promise<string> {
  return (
    await request(url)
      .get('/metrics')
      .set(token ? bearer(token) : {})
      .expect(200)
  ).text;
}

/** The sum of the samples of `name` carrying every one of `labels`; 0 when there are none. */
export function metricValue(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && wanted.every((pair) => line.slice(0, line.indexOf('}')).includes(pair)))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/** Scrapes and reads one metric. */
export async function metricOf(url: string, name: string, labels: Record<string, string>, token?: string): Promise<number> {
  return metricValue(await scrapeMetrics(url, token), name, labels);
}

/** The value of the sample of `name` whose labels are exactly `labels` (none for an unlabelled metric); undefined when absent. */
export function metricSample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([label, value]) => `${label}="${value}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').filter(Boolean).sort().join(',');
    if (have === wanted) return Number(match[3]);
  }
  return undefined;
}
