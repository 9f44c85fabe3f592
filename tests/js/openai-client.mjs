#!/usr/bin/env node
// Drives Switchyard's OpenAI-compatible endpoint with the official `openai` SDK.
//
// Usage: node openai-client.mjs <scenario> <baseURL> [model]
//   scenario: plain | stream | tools | json | stream-error | bad-request | embeddings | embeddings-float
//   baseURL:  e.g. http://127.0.0.1:4000/v1
//   model:    defaults to "default"
//
// Prints exactly one JSON line to stdout and exits 0, including when the SDK
// throws: then the line is {"error": {name, status, message, code, type, param}}.
// The caller asserts on that JSON. Bad command-line usage exits 2.

import OpenAI from "openai";

const SCENARIOS = ["plain", "stream", "tools", "json", "stream-error", "bad-request", "embeddings", "embeddings-float"];

const [scenario, baseURL, model = "default"] = process.argv.slice(2);

if (!SCENARIOS.includes(scenario) || !baseURL) {
  process.stderr.write(
    `usage: node openai-client.mjs <${SCENARIOS.join("|")}> <baseURL> [model]\n`,
  );
  process.exit(2);
}

const client = new OpenAI({
  baseURL,
  apiKey: process.env.SWITCHYARD_KEY ?? "test-key",
  maxRetries: 0,
  timeout: 30000,
});

const BASIC_MESSAGES = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "hello from node" },
];

const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Get the current weather for a city.",
    parameters: {
      type: "object",
      properties: { city: { type: "string", description: "City name" } },
      required: ["city"],
    },
  },
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
  };
}

function parseJsonOrNull(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function plain() {
  const { data, response } = await client.chat.completions
    .create({ model, messages: BASIC_MESSAGES })
    .withResponse();
  const choice = data.choices?.[0];
  return {
    content: choice?.message?.content ?? null,
    model: data.model ?? null,
    finish_reason: choice?.finish_reason ?? null,
    usage: data.usage ?? null,
    route: response.headers.get("x-switchyard-route"),
  };
}

async function stream() {
  const chunks = await client.chat.completions.create({
    model,
    messages: BASIC_MESSAGES,
    stream: true,
    stream_options: { include_usage: true },
  });
  let content = "";
  let count = 0;
  let finishReason = null;
  let usage = null;
  let seenModel = null;
  for await (const chunk of chunks) {
    count += 1;
    if (chunk.model) seenModel = chunk.model;
    const choice = chunk.choices?.[0];
    if (choice?.delta?.content) content += choice.delta.content;
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (chunk.usage) usage = chunk.usage;
  }
  return { content, chunks: count, finish_reason: finishReason, usage, model: seenModel };
}

async function tools() {
  const messages = [{ role: "user", content: "weather in Paris?" }];
  const first = await client.chat.completions.create({
    model,
    messages,
    tools: [WEATHER_TOOL],
  });
  const assistant = first.choices?.[0]?.message;
  const call = assistant?.tool_calls?.[0];
  if (!call) {
    throw new Error(
      `expected tool_calls, got finish_reason=${first.choices?.[0]?.finish_reason} ` +
        `content=${JSON.stringify(assistant?.content ?? null)}`,
    );
  }
  const second = await client.chat.completions.create({
    model,
    tools: [WEATHER_TOOL],
    messages: [
      ...messages,
      { role: "assistant", content: assistant.content ?? null, tool_calls: assistant.tool_calls },
      { role: "tool", tool_call_id: call.id, content: JSON.stringify({ temp_c: 21 }) },
    ],
  });
  return {
    tool_name: call.function?.name ?? null,
    tool_arguments: parseJsonOrNull(call.function?.arguments ?? ""),
    tool_call_id: call.id ?? null,
    second_content: second.choices?.[0]?.message?.content ?? null,
    second_finish_reason: second.choices?.[0]?.finish_reason ?? null,
  };
}

async function json() {
  const res = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: "give json" }],
    response_format: { type: "json_object" },
  });
  const content = res.choices?.[0]?.message?.content ?? null;
  return { content, parsed: content == null ? null : parseJsonOrNull(content) };
}

async function streamError() {
  let content = "";
  try {
    const chunks = await client.chat.completions.create({
      model,
      messages: BASIC_MESSAGES,
      stream: true,
    });
    for await (const chunk of chunks) {
      content += chunk.choices?.[0]?.delta?.content ?? "";
    }
  } catch (err) {
    const { name, message } = describeError(err);
    return { content, error: { name, message } };
  }
  return { content, error: null };
}

async function badRequest() {
  const res = await client.chat.completions.create({
    model,
    messages: BASIC_MESSAGES,
    n: 3,
  });
  // Reaching here means the gateway accepted n=3; report what came back.
  return { error: null, choices: res.choices?.length ?? 0 };
}

// The SDK asks for base64 vectors unless told otherwise and decodes them itself.
async function embeddings(encoding_format) {
  const res = await client.embeddings.create({
    model,
    input: ["alpha", "be", "gamma ray"],
    dimensions: 4,
    ...(encoding_format ? { encoding_format } : {}),
  });
  return {
    error: null,
    object: res.object,
    model: res.model,
    usage: res.usage,
    data: res.data.map((d) => ({ index: d.index, object: d.object, length: d.embedding.length, head: d.embedding.slice(0, 2) })),
  };
}

const RUNNERS = {
  plain,
  stream,
  tools,
  json,
  "stream-error": streamError,
  "bad-request": badRequest,
  embeddings: () => embeddings(undefined),
  "embeddings-float": () => embeddings("float"),
};

let result;
try {
  result = await RUNNERS[scenario]();
} catch (err) {
  result = { error: describeError(err) };
}
process.stdout.write(JSON.stringify(result) + "\n");
process.exitCode = 0;
