#!/usr/bin/env node
// Drives Switchyard's Responses API endpoint (POST /v1/responses) with the official `openai` SDK.
//
// Usage: node openai-responses.mjs <scenario> <baseURL> [model]
//   scenario: plain | stream | function_call | json_schema | error | midstream_failure
//   baseURL:  e.g. http://127.0.0.1:4000/v1
//   model:    defaults to "default"
//
// Prints exactly one JSON line to stdout and exits 0, including when the SDK
// throws: then the line is {"error": {name, status, message, code, type, param}}.
// The caller asserts on that JSON. Bad command-line usage exits 2.
//
// To add a scenario: write an async function taking { client, model } and
// returning a JSON-serialisable object, and add it to RUNNERS at the bottom.

import OpenAI from "openai";

const INSTRUCTIONS = "You are terse.";

const WEATHER_TOOL = {
  type: "function",
  name: "get_weather",
  description: "Get the current weather for a city.",
  parameters: {
    type: "object",
    properties: { city: { type: "string", description: "City name" } },
    required: ["city"],
  },
  strict: false,
};

const ECHO_SCHEMA = {
  type: "object",
  properties: { echo: { type: "string" } },
  required: ["echo"],
  additionalProperties: false,
};

// Fields of an SDK APIError when present; null otherwise.
function describeError(err) {
  const pick = (key) => (err != null && err[key] !== undefined ? err[key] : null);
  return {
    name: err?.constructor?.name ?? pick("name"),
    status: pick("status"),
    message: err?.message ?? String(err),
    code: pick("code"),
    type: pick("type"),
    param: pick("param"),
    request_id: pick("requestID"),
  };
}

function parseJsonOrNull(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// Runs a request that is expected to fail; returns {error: null, ...} when it did not.
async function expectError(request) {
  try {
    const res = await request();
    return { error: null, status: res?.status ?? null, output_text: res?.output_text ?? null };
  } catch (err) {
    return { error: describeError(err) };
  }
}

// What a response object (create() result or the response of a terminal stream event) says.
function describeResponse(res) {
  return {
    id: res.id ?? null,
    id_prefix: typeof res.id === "string" ? res.id.slice(0, res.id.indexOf("_") + 1) : null,
    object: res.object ?? null,
    status: res.status ?? null,
    model: res.model ?? null,
    error: res.error ?? null,
    incomplete_details: res.incomplete_details ?? null,
    // create() adds output_text; a streamed response has none, so it is computed the same way.
    output_text:
      res.output_text ??
      (res.output ?? [])
        .filter((item) => item.type === "message")
        .flatMap((item) => item.content ?? [])
        .filter((part) => part.type === "output_text")
        .map((part) => part.text)
        .join(""),
    output_types: (res.output ?? []).map((item) => item.type),
    usage: res.usage ?? null,
  };
}

async function plain({ client, model }) {
  const { data, response } = await client.responses
    .create({ model, instructions: INSTRUCTIONS, input: "hello from node" })
    .withResponse();
  return {
    ...describeResponse(data),
    x_request_id: response.headers.get("x-request-id"),
    route: response.headers.get("x-switchyard-route"),
  };
}

async function stream({ client, model }) {
  const events = await client.responses.create({
    model,
    instructions: INSTRUCTIONS,
    input: "count",
    stream: true,
  });
  const types = [];
  const sequence = [];
  let text = "";
  let deltas = 0;
  let doneText = null;
  let createdId = null;
  let final = null;
  for await (const event of events) {
    types.push(event.type);
    sequence.push(event.sequence_number ?? null);
    switch (event.type) {
      case "response.created":
        createdId = event.response?.id ?? null;
        break;
      case "response.output_text.delta":
        text += event.delta;
        deltas += 1;
        break;
      case "response.output_text.done":
        doneText = event.text ?? null;
        break;
      case "response.completed":
      case "response.incomplete":
      case "response.failed":
        final = describeResponse(event.response);
        break;
    }
  }
  return {
    event_types: types,
    sequence_numbers: sequence,
    text,
    deltas,
    done_text: doneText,
    created_id: createdId,
    final,
  };
}

async function functionCall({ client, model }) {
  const input = [{ role: "user", content: "weather in Paris?" }];
  const first = await client.responses.create({ model, input, tools: [WEATHER_TOOL] });
  const call = first.output?.find((item) => item.type === "function_call");
  if (!call) {
    throw new Error(`expected a function_call item, got ${JSON.stringify(first.output)}`);
  }
  // Send the output back as returned (the common SDK pattern), followed by the tool's result.
  const second = await client.responses.create({
    model,
    tools: [WEATHER_TOOL],
    input: [
      ...input,
      ...first.output,
      { type: "function_call_output", call_id: call.call_id, output: JSON.stringify({ temp_c: 21 }) },
    ],
  });
  return {
    first: describeResponse(first),
    call: {
      id: call.id ?? null,
      name: call.name ?? null,
      arguments: parseJsonOrNull(call.arguments ?? ""),
      call_id: call.call_id ?? null,
      status: call.status ?? null,
    },
    second: describeResponse(second),
  };
}

async function jsonSchema({ client, model }) {
  const res = await client.responses.create({
    model,
    input: "give json",
    text: { format: { type: "json_schema", name: "echo_reply", schema: ECHO_SCHEMA, strict: true } },
  });
  return { ...describeResponse(res), parsed: parseJsonOrNull(res.output_text ?? "") };
}

// Three failures: an unknown model, a request the gateway refuses by name, and one the upstream fails.
async function error({ client, model }) {
  return {
    unknown_model: await expectError(() => client.responses.create({ model: "no-such-model", input: "hi" })),
    bad_request: await expectError(() =>
      client.responses.create({ model, input: "hi", previous_response_id: "resp_missing" }),
    ),
    upstream: await expectError(() => client.responses.create({ model, input: "hi" })),
  };
}

// The upstream dies after a few deltas. Through the SDK: which events arrive, and does iteration raise (the SDK
// throws an APIError on an `error` event) or end as if complete? Then the same request once more over plain fetch,
// to list every SSE event name the gateway wrote (the SDK stops reading at `error`, so never yields what follows).
async function midstreamFailure({ client, model }) {
  const params = { model, instructions: INSTRUCTIONS, input: "count", stream: true };
  const types = [];
  let text = "";
  let final = null;
  let error = null;
  try {
    const events = await client.responses.create(params);
    for await (const event of events) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed" || event.type === "response.incomplete" || event.type === "response.failed") {
        final = describeResponse(event.response);
      }
    }
  } catch (err) {
    error = { ...describeError(err), body: err?.error ?? null };
  }

  const res = await fetch(`${client.baseURL.replace(/\/+$/, "")}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${client.apiKey}` },
    body: JSON.stringify(params),
  });
  // Read what arrives; a connection the gateway aborts instead of ending the stream shows as raw_read_error.
  let raw = "";
  let rawReadError = null;
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body) raw += decoder.decode(chunk, { stream: true });
  } catch (err) {
    rawReadError = `${err?.name}: ${err?.message}${err?.cause ? ` (${err.cause.code ?? err.cause.message})` : ""}`;
  }
  const rawEvents = raw
    .split(/\n\n/)
    .map((block) => {
      const name = /^event: (.*)$/m.exec(block)?.[1] ?? null;
      const data = /^data: (.*)$/m.exec(block)?.[1];
      return name == null ? null : { name, data: data == null ? null : parseJsonOrNull(data) };
    })
    .filter((e) => e != null);
  const failed = rawEvents.find((e) => e.name === "response.failed")?.data?.response ?? null;
  return {
    event_types: types,
    text,
    final,
    clean_end: error == null,
    error,
    raw_status: res.status,
    raw_read_error: rawReadError,
    raw_event_types: rawEvents.map((e) => e.name),
    raw_error: rawEvents.find((e) => e.name === "error")?.data ?? null,
    raw_failed: failed == null ? null : describeResponse(failed),
  };
}

const RUNNERS = {
  plain,
  stream,
  function_call: functionCall,
  json_schema: jsonSchema,
  error,
  midstream_failure: midstreamFailure,
};

const SCENARIOS = Object.keys(RUNNERS);

const [scenario, baseURL, model = "default"] = process.argv.slice(2);

if (!SCENARIOS.includes(scenario) || !baseURL) {
  process.stderr.write(
    `usage: node openai-responses.mjs <${SCENARIOS.join("|")}> <baseURL> [model]\n`,
  );
  process.exit(2);
}

const client = new OpenAI({
  baseURL,
  apiKey: process.env.SWITCHYARD_KEY ?? "test-key",
  maxRetries: 0,
  timeout: 30000,
});

let result;
try {
  result = await RUNNERS[scenario]({ client, model });
} catch (err) {
  result = { error: describeError(err) };
}
process.stdout.write(JSON.stringify(result) + "\n");
process.exitCode = 0;
