import { MAX_BODY_DEPTH, jsonTextProblem, numberProblem } from '../../src/http/json-scan';

describe('jsonTextProblem', () => {
  it('takes ordinary JSON, numbers written any exact way, and strings that look like structure', () => {
    const text = '{"a":1.5e3, "b":-12.25, "c": 100, "d": 1E+2, "e": 0.1, "f": -0, "g": "x\\"y:[[[{", "h": [0, 1e-7]}';
    expect(jsonTextProblem(text)).toBeUndefined();
    expect(jsonTextProblem(JSON.stringify({ n: Number.MAX_VALUE, m: Number.MIN_VALUE, p: 2 ** 53 }))).toBeUndefined();
  });

  it('finds where each string ends through escaped quotes and backslashes', () => {
    const text = String.raw`{"k\\":{"q\"":["\\", "x\"[{\\\"", "1e400 \u0022", 1e400]}}`;
    expect(JSON.parse(text.replace('1e400]', '1]'))).toEqual({ 'k\\': { 'q"': ['\\', 'x"[{\\"', '1e400 "', 1] } });
    expect(jsonTextProblem(text)).toMatch(/^k\\\\\.q\\"\[3\] is a number outside the range/);
    expect(jsonTextProblem('{"a":"unterminated \\" 1e400')).toBeUndefined();
  });

  it('refuses nesting deeper than the limit, however deep, without recursion, naming where', () => {
    expect(jsonTextProblem(`${'['.repeat(MAX_BODY_DEPTH)}${']'.repeat(MAX_BODY_DEPTH)}`)).toBeUndefined();
    expect(jsonTextProblem(`${'['.repeat(MAX_BODY_DEPTH + 1)}${']'.repeat(MAX_BODY_DEPTH + 1)}`)).toMatch(
      /nested deeper than 100 levels/,
    );
    expect(jsonTextProblem(`{"data":{"x":${'['.repeat(500_000)}`)).toMatch(/^data\.x(\[0\])+ is nested deeper/);
  });

  it('refuses a number that would not survive parsing, naming its place', () => {
    expect(jsonTextProblem('{"data":{"big":1e400}}')).toMatch(/^data\.big is a number outside the range/);
    expect(jsonTextProblem('{"data":{"tiny":-1e-400}}')).toMatch(/^data\.tiny is a number that cannot be stored exactly/);
    expect(jsonTextProblem('{"entries":[{"a":1},{"data":{"x":[1,2,12345678901234567890]}}]}')).toMatch(
      /^entries\[1\]\.data\.x\[2\] is a number that cannot be stored exactly \(12345678901234567890 would become 12345678901234567000\)/,
    );
  });
});

describe('numberProblem', () => {
  it('accepts every spelling of an exactly representable number', () => {
    const exact = [
      '0',
      '-0',
      '0.0',
      '1',
      '1.0',
      '10e-1',
      '0.1',
      '123.456e2',
      '9007199254740992',
      '5e-324',
      '1.7976931348623157e308',
    ];
    for (const token of exact) {
      expect(numberProblem(token)).toBeUndefined();
    }
  });

  it('refuses overflow, underflow and lost digits', () => {
    for (const token of ['1e309', '-1e400', '1e-400', '9007199254740993', '0.10000000000000000001']) {
      expect(numberProblem(token)).toMatch(/number/);
    }
  });
});
