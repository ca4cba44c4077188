// Where and why a JSON text is malformed: JSON.parse does not say where in every engine, users need line:column.

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

class Fail extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** Deepest nesting of lists and mappings a scenario may have (the schema's deepest is far less). */
export const MAX_JSON_DEPTH = 64;

/** A recursive-descent scan of JSON that only checks syntax (and, as YAML does, that no mapping repeats a key). */
class Scanner {
  private i = 0;
  private depth = 0;
  constructor(private readonly text: string) {}

  run(): void {
    this.value();
    this.space();
    if (this.i < this.text.length) this.fail('unexpected text after the end of the JSON value');
  }

  private fail(message: string): never {
    throw new Fail(this.i, message);
  }

  private space(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i]!)) this.i++;
  }

  private found(): string {
    return this.i >= this.text.length ? 'the end of the file' : JSON.stringify(this.text[this.i]);
  }

  private expect(char: string): void {
    this.space();
    if (this.text[this.i] !== char) this.fail(`expected "${char}", found ${this.found()}`);
    this.i++;
  }

  private match(re: RegExp, what: string): void {
    re.lastIndex = this.i;
    if (!re.test(this.text)) this.fail(`expected ${what}, found ${this.found()}`);
    this.i = re.lastIndex;
  }

  private value(): void {
    this.space();
    const c = this.text[this.i];
    if (c === '{') return this.container('}', true);
    if (c === '[') return this.container(']', false);
    if (c === '"') return this.match(STRING, 'a string');
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    this.match(NUMBER, 'a value');
  }

  private container(close: string, isObject: boolean): void {
    if (++this.depth > MAX_JSON_DEPTH) this.fail(`nested more than ${MAX_JSON_DEPTH} levels deep`);
    this.i++;
    this.space();
    if (this.text[this.i] === close) {
      this.i++;
      this.depth--;
      return;
    }
    const keys = new Set<string>();
    for (;;) {
      if (isObject) {
        this.space();
        const start = this.i;
        this.match(STRING, 'a property name in double quotes');
        const key = JSON.parse(this.text.slice(start, this.i)) as string;
        if (keys.has(key)) {
          this.i = start;
          this.fail(`duplicate key ${JSON.stringify(key)} (keys in a mapping must be unique)`);
        }
        keys.add(key);
        this.expect(':');
      }
      this.value();
      this.space();
      if (this.text[this.i] === close) {
        this.i++;
        this.depth--;
        return;
      }
      if (this.text[this.i] !== ',') this.fail(`expected "," or "${close}", found ${this.found()}`);
      this.i++;
    }
  }
}

/** Null when `text` is well-formed JSON, else the offset (-1 if unknown) and a one-line reason. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  try {
    new Scanner(text).run();
    return null;
  } catch (err) {
    if (err instanceof Fail) return { offset: err.offset, message: err.message };
    return { offset: -1, message: 'nested too deeply' }; // stack overflow on absurd nesting
  }
}
