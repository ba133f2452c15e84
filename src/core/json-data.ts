import { MAX_DATA_BYTES, MAX_DATA_DEPTH } from './limits';

/**
 * Why `data` cannot be stored as it is, or `undefined` when it can. jsonb
 * refuses `\u0000` and unpaired surrogates, and JSON.parse turns numbers past
 * the double range into Infinity, which would be written back as `null`: each
 * is a 400, never a silent change.
 */
export function dataProblem(data: unknown): string | undefined {
  return contentProblem(data) ?? sizeProblem(Buffer.byteLength(JSON.stringify(data), 'utf8'));
}

/** `dataProblem` without the size check, for a caller that measures its own serialisation. */
export function contentProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'data must be a JSON object';
  return valueProblem(data, 'data', 0);
}

export function sizeProblem(bytes: number): string | undefined {
  return bytes > MAX_DATA_BYTES ? `data is ${bytes} bytes serialised; the limit is ${MAX_DATA_BYTES}` : undefined;
}

/**
 * `sizeProblem` of serialised data; only text that may be near the limit is
 * measured (UTF-8 takes at most 3 bytes a UTF-16 unit), as measuring reads
 * every character.
 */
export function textSizeProblem(text: string): string | undefined {
  return text.length * 3 <= MAX_DATA_BYTES ? undefined : sizeProblem(Buffer.byteLength(text, 'utf8'));
}

function stringProblem(value: string, path: string): string | undefined {
  if (value.includes('\u0000')) return `${path} contains \\u0000, which PostgreSQL cannot store`;
  if (!value.isWellFormed()) return `${path} contains an unpaired UTF-16 surrogate`;
  return undefined;
}

function valueProblem(value: unknown, path: string, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return stringProblem(value, path);
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is a number outside the range JSON can carry`;
    case 'boolean':
      return undefined;
    case 'object':
      if (value === null) return undefined;
      if (depth >= MAX_DATA_DEPTH) return `${path} is nested deeper than ${MAX_DATA_DEPTH} levels`;
      return containerProblem(value as object, path, depth + 1);
    default:
      return `${path} is not a JSON value`;
  }
}

function containerProblem(value: object, path: string, depth: number): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = valueProblem(value[i], `${path}[${i}]`, depth);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}.${key.slice(0, 40)}`;
    const problem = stringProblem(key, `key ${childPath}`) ?? valueProblem(child, childPath, depth);
    if (problem) return problem;
  }
  return undefined;
}
