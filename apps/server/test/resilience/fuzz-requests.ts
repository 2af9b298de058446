import fc from "fast-check";

/*
 * Arbitraries for fuzzing the REST surface from its OpenAPI document: each request part is sometimes right, often
 * wrong in a way a client gets wrong (types, missing and extra fields, huge and unicode strings, bad UUIDs, bad tokens).
 */

export type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
};

export type Operation = {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: { name: string; schema: JsonSchema }[];
  body: JsonSchema | undefined;
};

type Document = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; schema: JsonSchema }[];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
};

/** Every operation of the document, with what a request to it is made of. */
export function operationsOf(document: unknown): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries((document as Document).paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const parameters = operation.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((parameter) => parameter.in === "path").map((parameter) => parameter.name),
        queryParams: parameters
          .filter((parameter) => parameter.in === "query")
          .map(({ name, schema }) => ({ name, schema })),
        body: operation.requestBody?.content["application/json"]?.schema,
      });
    }
  }
  return operations;
}

const HUGE = 200_000;
const nasty = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "'; drop table users; --",
  "<script>alert(1)</script>",
  "\u202egnp.exe",
  "😀".repeat(300),
  "\ud800",
  "x".repeat(HUGE),
  "é".repeat(HUGE / 2),
  "%s%s%n",
  "__proto__",
  "null",
  "NaN",
);
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 50 }),
  nasty,
);
const badUuid = fc.oneof(
  fc.constantFrom("not-a-uuid", "me", "00000000-0000-0000-0000-000000000000", "ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ"),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.uuid().map((id) => `${id}x`),
  fc.uuid().map((id) => id.replace(/-/g, "")),
  text,
);
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** A value for a schema: right often enough to get past validation, wrong in every way otherwise. */
function valueFor(schema: JsonSchema, ids: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const branch = schema.anyOf?.find((candidate) => candidate.type !== "null") ?? schema;
  const types = Array.isArray(branch.type) ? branch.type : [branch.type];
  let right: fc.Arbitrary<unknown>;
  if (branch.enum) right = fc.constantFrom(...branch.enum);
  else if (types.includes("boolean")) right = fc.boolean();
  else if (types.includes("integer") || types.includes("number")) right = fc.integer({ min: -5, max: 200 });
  else if (branch.format === "uuid") right = fc.oneof(ids, fc.uuid());
  else if (branch.format === "email") right = fc.oneof(fc.emailAddress(), fc.constant("Someone@Example.COM "));
  else right = fc.string({ minLength: branch.minLength ?? 0, maxLength: Math.min(branch.maxLength ?? 50, 50) });
  return fc.oneof({ weight: 3, arbitrary: right }, text, wrongType, badUuid);
}

/** A JSON body: an object built from the schema (fields missing, extra or wrong) or something that is not one. */
export function bodyFor(schema: JsonSchema | undefined, ids: fc.Arbitrary<string>): fc.Arbitrary<string | undefined> {
  const properties = schema?.properties ?? {};
  const object = fc
    .tuple(
      fc.record(
        Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valueFor(property, ids)])),
        { requiredKeys: [] },
      ),
      fc.dictionary(
        fc.constantFrom("id", "owner_id", "is_superuser", "is_active", "created_at", "__proto__", "constructor", "x"),
        wrongType,
        { maxKeys: 3 },
      ),
    )
    .map(([fields, extra]) => JSON.stringify({ ...extra, ...fields }));
  const notAnObject = fc.oneof(
    fc.constantFrom("[]", '"text"', "42", "null", "true", "{", '{"a":', "{}x", "\u0000", ""),
    fc.constant(`${"[".repeat(200)}${"]".repeat(200)}`),
    fc.constant(JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) })),
  );
  return fc.oneof(
    { weight: schema ? 6 : 1, arbitrary: object },
    { weight: 2, arbitrary: notAnObject },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** A path parameter: a real id from the scene, an unknown one, or no UUID at all. */
export const pathValue = (ids: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 4, arbitrary: ids }, { weight: 1, arbitrary: fc.uuid() }, { weight: 2, arbitrary: badUuid });

/** A query string of the declared parameters (right, wrong or absent) and some undeclared ones. */
export function queryFor(parameters: Operation["queryParams"]): fc.Arbitrary<string> {
  const value = (schema: JsonSchema) =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: schema.enum
          ? fc.constantFrom(...schema.enum.map(String))
          : fc.integer({ min: 0, max: 120 }).map(String),
      },
      fc.constantFrom("-1", "0", "1.5", "2e1", "abc", "", "99999999999999999999", "0x10", " 1", "%00", "all"),
      text,
    );
  const declared = fc.tuple(
    ...parameters.map(({ name, schema }) => fc.option(value(schema).map((raw): [string, string] => [name, raw]))),
  );
  const undeclared = fc.array(
    fc
      .tuple(fc.constantFrom("skip", "limit", "status", "x", "__proto__"), text)
      .map(([name, raw]): [string, string] => [name, raw]),
    { maxLength: 2 },
  );
  return fc.tuple(declared, undeclared).map(([known, extra]) => {
    const pairs = [...known.filter((pair): pair is [string, string] => pair !== null), ...extra];
    const search = new URLSearchParams(pairs.map(([name, raw]) => [name, wellFormed(raw)])).toString();
    return search === "" ? "" : `?${search}`;
  });
}

/** A lone surrogate cannot be percent-encoded: a client sends U+FFFD in its place. */
export const wellFormed = (value: string): string => value.replace(/[\ud800-\udfff]/gu, "\ufffd");

/** The Content-Type a client sends with a body: mostly JSON, sometimes none or something else. */
export const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant("application/json") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      undefined,
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/merge-patch+json",
      "application/json; charset=latin1",
      "multipart/form-data; boundary=x",
    ),
  },
);
